"""Pages for invited administration staff. The personal link (`/s/{token}`) is the key.

Answers autosave per question with htmx (`POST .../antworten/{question_id}` returns a small
status fragment); without JavaScript the whole field page is one form posted at once.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments import repeat, setup
from selfcheck.assessments.answers import (
    AnswerState,
    Conflict,
    answer_history,
    answer_sheet,
    answer_values,
    save_answer,
)
from selfcheck.assessments.dependencies import FIELD, STAFF
from selfcheck.assessments.rendering import AssessmentResults
from selfcheck.assessments.results import FieldOutcome, field_outcomes
from selfcheck.db.models import Assessment, StaffInvitation, utcnow
from selfcheck.errors import NotAllowed, NotFound, SelfcheckError
from selfcheck.questionnaire.schema import Field, Question, Questionnaire
from selfcheck.web.forms import FormData, flash, pop_flash, text


def _topics(field: Field) -> list[tuple[str, list[Question]]]:
    return [
        (topic, list(questions)) for topic, questions in groupby(field.questions, lambda q: q.topic)
    ]


def _submitted_value(data: dict[str, str], question_id: str) -> str | None:
    return text(data, f"value_{question_id}") or None


def _base_version(data: dict[str, str], question_id: str) -> int:
    raw = text(data, f"version_{question_id}")
    return int(raw) if raw.isdigit() else 0


class StaffController(Controller):
    path = "/s/{token:str}"
    dependencies = STAFF

    @get("/", name="staff_overview")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        invitation: NamedDependency[StaffInvitation],
        assessment: NamedDependency[Assessment],
        questionnaire: NamedDependency[Questionnaire],
        token: FromPath[str],
    ) -> Template:
        outcomes = field_outcomes(questionnaire, await answer_values(db_session, assessment.id))
        return Template(
            "staff/overview.html",
            context={
                "invitation": invitation,
                "assessment": assessment,
                "municipality": assessment.municipality,
                "questionnaire": questionnaire,
                "outcomes": outcomes,
                "carried": await repeat.carried_per_field(db_session, questionnaire, assessment),
                "token": token,
                "flash": pop_flash(request),
            },
        )

    @get("/felder/{field_id:str}", name="staff_field", dependencies=FIELD)
    async def field_page(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        assessment: NamedDependency[Assessment],
        questionnaire: NamedDependency[Questionnaire],
        field: NamedDependency[Field],
        token: FromPath[str],
    ) -> Template:
        page = _FieldPage(request, db_session, assessment, questionnaire, field, token)
        return await page.render()

    @post("/felder/{field_id:str}", name="staff_field_save", status_code=200, dependencies=FIELD)
    async def save_field(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        invitation: NamedDependency[StaffInvitation],
        assessment: NamedDependency[Assessment],
        questionnaire: NamedDependency[Questionnaire],
        field: NamedDependency[Field],
        editor: NamedDependency[str],
        token: FromPath[str],
        data: FormData,
    ) -> Template | Redirect:
        """The form post without JavaScript: saves every question of the field that changed."""
        if assessment.is_submitted:
            raise NotAllowed(
                "Der Fragebogen ist abgeschlossen und kann nicht mehr geändert werden."
            )
        sheet = await answer_sheet(db_session, assessment.id)
        conflicts: dict[str, AnswerState] = {}
        errors: dict[str, str] = {}
        for question in field.questions:
            value = _submitted_value(data, question.id)
            comment = text(data, f"comment_{question.id}")
            current = sheet.get(question.id, AnswerState.empty(question.id))
            if (value, comment) == (current.value, current.comment):
                continue
            try:
                result = await save_answer(
                    db_session,
                    assessment,
                    questionnaire,
                    question_id=question.id,
                    value=value,
                    comment=comment,
                    base_version=_base_version(data, question.id),
                    editor=editor,
                )
            except SelfcheckError as error:
                errors[question.id] = error.message
                continue
            if isinstance(result, Conflict):
                conflicts[question.id] = result.theirs
        invitation.last_active_at = utcnow()
        if conflicts or errors:
            page = _FieldPage(request, db_session, assessment, questionnaire, field, token)
            return await page.render(conflicts=conflicts, errors=errors, submitted=data)
        flash(request, f"Ihre Antworten zu „{field.title}“ sind gespeichert.")
        return Redirect(
            path=request.app.route_reverse("staff_field", token=token, field_id=field.id)
        )

    @post("/antworten/{question_id:str}", name="staff_answer_save", status_code=200)
    async def save_one(
        self,
        db_session: NamedDependency[AsyncSession],
        invitation: NamedDependency[StaffInvitation],
        assessment: NamedDependency[Assessment],
        questionnaire: NamedDependency[Questionnaire],
        editor: NamedDependency[str],
        token: FromPath[str],
        question_id: FromPath[str],
        data: FormData,
    ) -> Template:
        """Autosave of one answer (htmx). Answers with a status fragment for that question."""
        context: dict[str, Any] = {
            "question_id": question_id,
            "labels": questionnaire.scale.labels(),
            "token": token,  # the "Verlauf" link in the swapped-in meta line
        }
        try:
            result = await save_answer(
                db_session,
                assessment,
                questionnaire,
                question_id=question_id,
                value=_submitted_value(data, question_id),
                comment=text(data, f"comment_{question_id}"),
                base_version=_base_version(data, question_id),
                editor=editor,
            )
        except SelfcheckError as error:
            context["error"] = error.message
            return Template(
                "staff/save_status.html", context=context, status_code=error.status_code
            )
        invitation.last_active_at = utcnow()
        if isinstance(result, Conflict):
            context["theirs"] = result.theirs
            return Template("staff/save_status.html", context=context, status_code=409)
        context["saved"] = result.answer
        context["outcome"] = await _field_outcome(
            db_session, questionnaire, assessment, question_id
        )
        return Template("staff/save_status.html", context=context)

    @get("/fragen/{question_id:str}/verlauf", name="staff_history")
    async def history(
        self,
        db_session: NamedDependency[AsyncSession],
        assessment: NamedDependency[Assessment],
        questionnaire: NamedDependency[Questionnaire],
        token: FromPath[str],
        question_id: FromPath[str],
    ) -> Template:
        question, field = _question_and_field(questionnaire, question_id)
        return Template(
            "staff/history.html",
            context={
                "question": question,
                "field": field,
                "changes": await answer_history(db_session, assessment.id, question_id),
                "labels": questionnaire.scale.labels(),
                "token": token,
                "municipality": assessment.municipality,
            },
        )

    @get("/ergebnis", name="staff_results")
    async def results(
        self,
        request: Request[Any, Any, Any],
        results: NamedDependency[AssessmentResults],
        token: FromPath[str],
    ) -> Template:
        # The development chart is served with the comparison report, once that is released.
        chart_url = None
        if results.assessment.report_released:
            chart_url = request.app.route_reverse("staff_report_chart", token=token)
        back_link = request.app.route_reverse("staff_overview", token=token)
        return results.page(back_link, chart_url=chart_url)

    @post("/abschliessen", name="staff_submit")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        invitation: NamedDependency[StaffInvitation],
        assessment: NamedDependency[Assessment],
        editor: NamedDependency[str],
        token: FromPath[str],
    ) -> Redirect:
        if not invitation.is_coordinator:
            raise NotAllowed("Nur die Koordination kann den Fragebogen abschließen.")
        setup.submit(assessment, submitted_by=editor)
        flash(request, "Der Fragebogen ist abgeschlossen. Vielen Dank!")
        return Redirect(path=request.app.route_reverse("staff_overview", token=token))


async def _field_outcome(
    session: AsyncSession, questionnaire: Questionnaire, assessment: Assessment, question_id: str
) -> FieldOutcome:
    """The progress line of the question's field, swapped in beside the saved answer."""
    _, field = _question_and_field(questionnaire, question_id)
    outcomes = field_outcomes(questionnaire, await answer_values(session, assessment.id))
    return next(o for o in outcomes if o.field.id == field.id)


def _question_and_field(questionnaire: Questionnaire, question_id: str) -> tuple[Question, Field]:
    for field in questionnaire.fields:
        for question in field.questions:
            if question.id == question_id:
                return question, field
    raise NotFound("Diese Frage gibt es im Fragebogen nicht.")


class _FieldPage:
    """The questions of one field, shown again with what was sent when saving failed."""

    def __init__(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        assessment: Assessment,
        questionnaire: Questionnaire,
        field: Field,
        token: str,
    ) -> None:
        self.request, self.db_session, self.token = request, db_session, token
        self.assessment, self.questionnaire, self.field = assessment, questionnaire, field

    async def render(
        self,
        *,
        conflicts: dict[str, AnswerState] | None = None,
        errors: dict[str, str] | None = None,
        submitted: dict[str, str] | None = None,
    ) -> Template:
        questionnaire, field, assessment = self.questionnaire, self.field, self.assessment
        sheet = await answer_sheet(self.db_session, assessment.id)
        answers = await answer_values(self.db_session, assessment.id)
        outcomes = field_outcomes(questionnaire, answers)
        index = [f.id for f in questionnaire.fields].index(field.id)
        later = questionnaire.fields[index + 1 :]
        return Template(
            "staff/field.html",
            context={
                "assessment": assessment,
                "municipality": assessment.municipality,
                "questionnaire": questionnaire,
                "field": field,
                "topics": _topics(field),
                "sheet": sheet,
                "outcome": outcomes[index],
                "previous": questionnaire.fields[index - 1] if index > 0 else None,
                "next": later[0] if later else None,
                "conflicts": conflicts or {},
                "errors": errors or {},
                "submitted": submitted,
                "labels": questionnaire.scale.labels(),
                "token": self.token,
                "read_only": assessment.is_submitted,
                "flash": pop_flash(self.request),
            },
            status_code=409 if conflicts else 422 if errors else 200,
        )
