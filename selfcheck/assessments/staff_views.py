"""Pages for invited administration staff. The personal link (`/s/{token}`) is the key.

Answers autosave per question with htmx (`POST .../antworten/{question_id}` returns a small
status fragment); without JavaScript the whole field page is one form posted at once.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments import setup
from selfcheck.assessments.answers import (
    AnswerState,
    Conflict,
    answer_history,
    answer_sheet,
    answer_values,
)
from selfcheck.assessments.dependencies import FIELD, STAFF, StaffEditor
from selfcheck.assessments.rendering import AssessmentResults, FieldPage, OverviewPage
from selfcheck.assessments.results import FieldOutcome, field_outcomes
from selfcheck.db.models import Assessment, utcnow
from selfcheck.errors import NotAllowed, NotFound, SelfcheckError
from selfcheck.questionnaire.schema import Field, Question, Questionnaire
from selfcheck.web.forms import FormData, text


def _submitted_value(data: dict[str, str], question_id: str) -> str | None:
    return text(data, f"value_{question_id}") or None


def _base_version(data: dict[str, str], question_id: str) -> int:
    raw = text(data, f"version_{question_id}")
    return int(raw) if raw.isdigit() else 0


class StaffController(Controller):
    path = "/s/{token:str}"
    dependencies = STAFF

    @get("/", name="staff_overview")
    async def overview(self, overview_page: NamedDependency[OverviewPage]) -> Template:
        return await overview_page.render()

    @get("/felder/{field_id:str}", name="staff_field", dependencies=FIELD)
    async def field_page(self, field_page: NamedDependency[FieldPage]) -> Template:
        return await field_page.render()

    @post("/felder/{field_id:str}", name="staff_field_save", status_code=200, dependencies=FIELD)
    async def save_field(
        self,
        field_page: NamedDependency[FieldPage],
        staff_editor: NamedDependency[StaffEditor],
        data: URLEncodedBody[FormData],
    ) -> Template | Redirect:
        """The form post without JavaScript: saves every question of the field that changed."""
        page, field = field_page, field_page.field
        if page.assessment.is_submitted:
            raise NotAllowed(
                "Der Fragebogen ist abgeschlossen und kann nicht mehr geändert werden."
            )
        sheet = await answer_sheet(page.db_session, page.assessment.id)
        conflicts: dict[str, AnswerState] = {}
        errors: dict[str, str] = {}
        for question in field.questions:
            value = _submitted_value(data, question.id)
            comment = text(data, f"comment_{question.id}")
            current = sheet.get(question.id, AnswerState.empty(question.id))
            if (value, comment) == (current.value, current.comment):
                continue
            try:
                result = await staff_editor.save(
                    question.id, value, comment, _base_version(data, question.id)
                )
            except SelfcheckError as error:
                errors[question.id] = error.message
                continue
            if isinstance(result, Conflict):
                conflicts[question.id] = result.theirs
        staff_editor.invitation.last_active_at = utcnow()
        if conflicts or errors:
            return await page.render(conflicts=conflicts, errors=errors, submitted=data)
        return page.back(f"Ihre Antworten zu „{field.title}“ sind gespeichert.")

    @post("/antworten/{question_id:str}", name="staff_answer_save", status_code=200)
    async def save_one(
        self,
        staff_editor: NamedDependency[StaffEditor],
        token: FromPath[str],
        question_id: FromPath[str],
        data: URLEncodedBody[FormData],
    ) -> Template:
        """Autosave of one answer (htmx). Answers with a status fragment for that question."""
        context: dict[str, Any] = {
            "question_id": question_id,
            "labels": staff_editor.questionnaire.scale.labels(),
            "token": token,  # the "Verlauf" link in the swapped-in meta line
        }
        try:
            result = await staff_editor.save(
                question_id,
                _submitted_value(data, question_id),
                text(data, f"comment_{question_id}"),
                _base_version(data, question_id),
            )
        except SelfcheckError as error:
            context["error"] = error.message
            return Template(
                "staff/save_status.html", context=context, status_code=error.status_code
            )
        if isinstance(result, Conflict):
            context["theirs"] = result.theirs
            return Template("staff/save_status.html", context=context, status_code=409)
        context["saved"] = result.answer
        context["outcome"] = await _field_outcome(staff_editor, question_id)
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
        self, overview_page: NamedDependency[OverviewPage], editor: NamedDependency[str]
    ) -> Redirect:
        if not overview_page.invitation.is_coordinator:
            raise NotAllowed("Nur die Koordination kann den Fragebogen abschließen.")
        setup.submit(overview_page.assessment, submitted_by=editor)
        return overview_page.back("Der Fragebogen ist abgeschlossen. Vielen Dank!")


async def _field_outcome(staff_editor: StaffEditor, question_id: str) -> FieldOutcome:
    """The progress line of the question's field, swapped in beside the saved answer."""
    questionnaire = staff_editor.questionnaire
    _, field = _question_and_field(questionnaire, question_id)
    answers = await answer_values(staff_editor.db_session, staff_editor.assessment.id)
    outcomes = field_outcomes(questionnaire, answers)
    return next(o for o in outcomes if o.field.id == field.id)


def _question_and_field(questionnaire: Questionnaire, question_id: str) -> tuple[Question, Field]:
    for field in questionnaire.fields:
        for question in field.questions:
            if question.id == question_id:
                return question, field
    raise NotFound("Diese Frage gibt es im Fragebogen nicht.")
