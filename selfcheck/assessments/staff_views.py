"""Pages for invited administration staff. The personal link (`/s/{token}`) is the key.

Answers autosave per question with htmx (`POST .../antworten/{question_id}` returns a small
status fragment); without JavaScript the whole field page is one form posted at once.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
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
from selfcheck.assessments.development import development_context
from selfcheck.assessments.invitations import invitation_by_token
from selfcheck.assessments.results import FieldOutcome, assessment_results, field_outcomes
from selfcheck.db.models import Assessment, StaffInvitation, utcnow
from selfcheck.errors import NotAllowed, NotFound, SelfcheckError
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Field, Question, Questionnaire
from selfcheck.settings import Settings
from selfcheck.web.forms import FormData, flash, pop_flash, text


async def provide_invitation(token: str, db_session: AsyncSession) -> StaffInvitation:
    return await invitation_by_token(db_session, token)


def editor_label(invitation: StaffInvitation, *, pseudonymous: bool = False) -> str:
    """Who changed an answer, as the history shows it. Pseudonymous (a setting of the
    installation): the department only, so the history cannot serve to monitor a person."""
    if pseudonymous:
        return invitation.department or "Verwaltung"
    return (
        f"{invitation.name} ({invitation.department})" if invitation.department else invitation.name
    )


def provide_editor(invitation: StaffInvitation, settings: Settings) -> str:
    return editor_label(invitation, pseudonymous=settings.pseudonymous_history)


def _questionnaire_of(registry: QuestionnaireRegistry, assessment: Assessment) -> Questionnaire:
    return registry.get(assessment.questionnaire_id, assessment.questionnaire_version)


def _field(questionnaire: Questionnaire, field_id: str) -> Field:
    for field in questionnaire.fields:
        if field.id == field_id:
            return field
    raise NotFound("Dieses Handlungsfeld gibt es im Fragebogen nicht.")


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
    dependencies = {
        "invitation": Provide(provide_invitation),
        "editor": Provide(provide_editor, sync_to_thread=False),
    }

    @get("/", name="staff_overview")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        token: str,
    ) -> Template:
        assessment = await _assessment(db_session, invitation)
        questionnaire = _questionnaire_of(registry, assessment)
        outcomes = field_outcomes(questionnaire, await answer_values(db_session, assessment.id))
        return Template(
            "staff/overview.html",
            context={
                "invitation": invitation,
                "assessment": assessment,
                "municipality": assessment.municipality,
                "questionnaire": questionnaire,
                "outcomes": outcomes,
                "carried": repeat.unconfirmed_per_field(
                    questionnaire, await repeat.unconfirmed_questions(db_session, assessment.id)
                ),
                "base": f"/s/{token}",
                "field_link": f"/s/{token}/felder/",
                "flash": pop_flash(request),
            },
        )

    @get("/felder/{field_id:str}", name="staff_field")
    async def field_page(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        token: str,
        field_id: str,
    ) -> Template:
        assessment = await _assessment(db_session, invitation)
        return await _field_page(request, db_session, registry, assessment, token, field_id)

    @post("/felder/{field_id:str}", name="staff_field_save", status_code=200)
    async def save_field(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        editor: str,
        token: str,
        field_id: str,
        data: FormData,
    ) -> Template | Redirect:
        """The form post without JavaScript: saves every question of the field that changed."""
        assessment = await _assessment(db_session, invitation)
        questionnaire = _questionnaire_of(registry, assessment)
        field = _field(questionnaire, field_id)
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
            return await _field_page(
                request, db_session, registry, assessment, token, field_id,
                conflicts=conflicts, errors=errors, submitted=data,
            )  # fmt: skip
        flash(request, f"Ihre Antworten zu „{field.title}“ sind gespeichert.")
        return Redirect(path=f"/s/{token}/felder/{field_id}")

    @post("/antworten/{question_id:str}", name="staff_answer_save", status_code=200)
    async def save_one(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        editor: str,
        token: str,
        question_id: str,
        data: FormData,
    ) -> Template:
        """Autosave of one answer (htmx). Answers with a status fragment for that question."""
        assessment = await _assessment(db_session, invitation)
        questionnaire = _questionnaire_of(registry, assessment)
        context: dict[str, Any] = {
            "question_id": question_id,
            "labels": questionnaire.scale.labels(),
            "base": f"/s/{token}",  # the "Verlauf" link in the swapped-in meta line
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
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        token: str,
        question_id: str,
    ) -> Template:
        assessment = await _assessment(db_session, invitation)
        questionnaire = _questionnaire_of(registry, assessment)
        question, field = _question_and_field(questionnaire, question_id)
        return Template(
            "staff/history.html",
            context={
                "question": question,
                "field": field,
                "changes": await answer_history(db_session, assessment.id, question_id),
                "labels": questionnaire.scale.labels(),
                "base": f"/s/{token}",
                "municipality": assessment.municipality,
            },
        )

    @get("/ergebnis", name="staff_results")
    async def results(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        token: str,
    ) -> Template:
        assessment = await _assessment(db_session, invitation)
        questionnaire = _questionnaire_of(registry, assessment)
        results = await assessment_results(db_session, questionnaire, assessment.id)
        return Template(
            "results.html",
            context={
                "municipality": assessment.municipality,
                "assessment": assessment,
                "questionnaire": questionnaire,
                "outcomes": results.outcomes,
                "rules": results.rules,
                "back_link": f"/s/{token}",
                # The chart is served with the comparison report, once that is released.
                **await development_context(
                    db_session,
                    registry,
                    assessment,
                    request.url_for("staff_report_chart", token=token)
                    if assessment.report_released
                    else None,
                ),
            },
        )

    @post("/abschliessen", name="staff_submit")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        invitation: StaffInvitation,
        editor: str,
        token: str,
    ) -> Redirect:
        if not invitation.is_coordinator:
            raise NotAllowed("Nur die Koordination kann den Fragebogen abschließen.")
        assessment = await _assessment(db_session, invitation)
        setup.submit(assessment, submitted_by=editor)
        flash(request, "Der Fragebogen ist abgeschlossen. Vielen Dank!")
        return Redirect(path=f"/s/{token}")


async def _assessment(db_session: AsyncSession, invitation: StaffInvitation) -> Assessment:
    await db_session.refresh(invitation, ["assessment"])
    assessment = invitation.assessment
    await db_session.refresh(assessment, ["municipality"])
    return assessment


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


async def _field_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    assessment: Assessment,
    token: str,
    field_id: str,
    *,
    conflicts: dict[str, AnswerState] | None = None,
    errors: dict[str, str] | None = None,
    submitted: dict[str, str] | None = None,
) -> Template:
    questionnaire = _questionnaire_of(registry, assessment)
    field = _field(questionnaire, field_id)
    sheet = await answer_sheet(db_session, assessment.id)
    outcomes = field_outcomes(questionnaire, await answer_values(db_session, assessment.id))
    index = [f.id for f in questionnaire.fields].index(field.id)
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
            "next": questionnaire.fields[index + 1]
            if index + 1 < len(questionnaire.fields)
            else None,
            "conflicts": conflicts or {},
            "errors": errors or {},
            "submitted": submitted,
            "labels": questionnaire.scale.labels(),
            "base": f"/s/{token}",
            "token": token,
            "read_only": assessment.is_submitted,
            "flash": pop_flash(request),
        },
        status_code=409 if conflicts else 422 if errors else 200,
    )
