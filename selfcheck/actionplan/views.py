"""The action plan's pages: the moderator's plan per assessment with one page per measure,
the one-click adoption of workshop notes and next steps, and the staff page "Maßnahmen
Ihres Bereichs". Handlers stay thin: providers load, services change, templates show."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan import services
from selfcheck.actionplan.dependencies import (
    provide_measure,
    provide_moderated_invitation,
    provide_plan_assessment,
    provide_staff_invitation,
    questionnaire_for,
)
from selfcheck.actionplan.rules import (
    MeasureInput,
    month_value,
    parse_month,
    parse_priority,
    parse_status,
    plan_by_field,
)
from selfcheck.assessments.results import assessment_results
from selfcheck.db.models import (
    Assessment,
    Measure,
    StaffInvitation,
    User,
    Workshop,
    WorkshopNote,
    utcnow,
)
from selfcheck.errors import InvalidInput, SelfcheckError
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Question, Questionnaire
from selfcheck.settings import Settings
from selfcheck.vocabulary import MeasurePriority, MeasureSource, MeasureStatus, NoteKind
from selfcheck.web.forms import flash, pop_flash, text
from selfcheck.web.templating import BERLIN

Form = URLEncodedBody[dict[str, str]]


class NotPermitted(SelfcheckError):
    """The visitor is known, but this action is not theirs to take."""

    status_code = 403


def moderator_label(user: User) -> str:
    return f"Moderation ({user.email})"


def staff_label(invitation: StaffInvitation, *, pseudonymous: bool) -> str:
    """Who changed a measure, as its history shows it; pseudonymous installations name the
    department only, as in the history of answers."""
    if pseudonymous:
        return invitation.department or "Verwaltung"
    if invitation.department:
        return f"{invitation.name} ({invitation.department})"
    return invitation.name


def _today() -> date:
    return utcnow().astimezone(BERLIN).date()


def _entry(data: dict[str, str]) -> MeasureInput:
    question_ids = [q for q in text(data, "question_ids").replace(",", " ").upper().split() if q]
    return MeasureInput(
        field_id=text(data, "field_id"),
        title=text(data, "title"),
        description=text(data, "description"),
        responsible=text(data, "responsible"),
        deadline=parse_month(text(data, "deadline")),
        priority=parse_priority(text(data, "priority")),
        question_ids=tuple(question_ids),
    )


def _version(data: dict[str, str]) -> int | None:
    """The version the form was made from; without one, the change is not checked."""
    raw = text(data, "version")
    return int(raw) if raw.isdigit() else None


class ActionPlanController(Controller):
    """The moderator's side. Every route names an assessment, measure or invitation that
    the providers check against the municipalities the moderator may see."""

    dependencies = {
        "assessment": Provide(provide_plan_assessment),
        "measure": Provide(provide_measure),
        "invitation": Provide(provide_moderated_invitation),
    }

    @get("/selbstchecks/{assessment_id:int}/massnahmen", name="action_plan")
    async def plan(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        assessment: NamedDependency[Assessment],
        stand: FromQuery[str | None] = None,
    ) -> Template:
        return await _plan_page(
            request, db_session, registry, current_user, assessment, status_filter=stand
        )

    @post("/selbstchecks/{assessment_id:int}/massnahmen", name="measure_create", status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        assessment: NamedDependency[Assessment],
        data: Form,
    ) -> Template | Redirect:
        questionnaire = questionnaire_for(registry, assessment)
        try:
            measure = await services.create_measure(
                db_session, assessment, questionnaire, _entry(data),
                by=moderator_label(current_user),
            )  # fmt: skip
        except InvalidInput as error:
            return await _plan_page(
                request, db_session, registry, current_user, assessment,
                error=error.message, form=data,
            )  # fmt: skip
        flash(request, f"Die Maßnahme „{measure.title}“ steht jetzt im Maßnahmenplan.")
        return Redirect(path=request.url_for("action_plan", assessment_id=assessment.id))

    @post(
        "/selbstchecks/{assessment_id:int}/massnahmen/aus-notiz/{note_id:int}",
        name="measure_adopt_note",
    )
    async def adopt_note(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        assessment: NamedDependency[Assessment],
        note_id: FromPath[int],
    ) -> Redirect:
        measure = await services.adopt_workshop_note(
            db_session, assessment, questionnaire_for(registry, assessment), note_id,
            by=moderator_label(current_user),
        )  # fmt: skip
        return _adopted(request, measure)

    @post(
        "/selbstchecks/{assessment_id:int}/massnahmen/aus-frage/{question_id:str}",
        name="measure_adopt_next_step",
    )
    async def adopt_next_step(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        assessment: NamedDependency[Assessment],
        question_id: FromPath[str],
    ) -> Redirect:
        measure = await services.adopt_next_step(
            db_session, assessment, questionnaire_for(registry, assessment), question_id,
            by=moderator_label(current_user),
        )  # fmt: skip
        return _adopted(request, measure)

    @get("/massnahmen/{measure_id:int}", name="measure")
    async def measure_page(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        measure: NamedDependency[Measure],
    ) -> Template:
        return await _measure_page(request, db_session, registry, current_user, measure)

    @post("/massnahmen/{measure_id:int}", name="measure_update", status_code=200)
    async def update(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        measure: NamedDependency[Measure],
        data: Form,
    ) -> Template | Redirect:
        assessment = await _assessment_of(db_session, measure)
        try:
            await services.update_measure(
                db_session, measure, questionnaire_for(registry, assessment), _entry(data),
                base_version=_version(data),
            )  # fmt: skip
        except SelfcheckError as error:
            return await _measure_page(
                request, db_session, registry, current_user, measure,
                error=error.message, form=data, status_code=error.status_code,
            )  # fmt: skip
        flash(request, "Die Änderungen an der Maßnahme sind gespeichert.")
        return Redirect(path=request.url_for("measure", measure_id=measure.id))

    @post("/massnahmen/{measure_id:int}/stand", name="measure_status", status_code=200)
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        measure: NamedDependency[Measure],
        data: Form,
    ) -> Template | Redirect:
        try:
            change = await services.change_status(
                db_session, measure, parse_status(text(data, "status")),
                by=moderator_label(current_user), reason=text(data, "reason"),
                base_version=_version(data),
            )  # fmt: skip
        except SelfcheckError as error:
            return await _measure_page(
                request, db_session, registry, current_user, measure,
                status_error=error.message, status_code=error.status_code,
            )  # fmt: skip
        flash(request, f"Der Stand ist jetzt „{MeasureStatus(change.new_status).label}“.")
        return Redirect(path=request.url_for("measure", measure_id=measure.id))

    @post("/massnahmen/{measure_id:int}/loeschen", name="measure_delete")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        measure: NamedDependency[Measure],
    ) -> Redirect:
        assessment_id, title = measure.assessment_id, measure.title
        await services.delete_measure(db_session, measure)
        flash(request, f"Die Maßnahme „{title}“ ist aus dem Maßnahmenplan gelöscht.")
        return Redirect(path=request.url_for("action_plan", assessment_id=assessment_id))

    @post("/einladungen/{invitation_id:int}/massnahmen-freigabe", name="invitation_measures")
    async def allow_measures(
        self,
        request: Request[Any, Any, Any],
        invitation: NamedDependency[StaffInvitation],
        data: Form,
    ) -> Redirect:
        invitation.may_update_measures = text(data, "allow") == "1"
        if invitation.may_update_measures:
            flash(
                request,
                f"{invitation.name} darf jetzt den Stand der Maßnahmen des eigenen Bereichs "
                "aktualisieren.",
            )
        else:
            flash(request, f"{invitation.name} kann Maßnahmen nicht mehr aktualisieren.")
        return Redirect(path=request.url_for("assessment", assessment_id=invitation.assessment_id))


def _adopted(request: Request[Any, Any, Any], measure: Measure) -> Redirect:
    flash(
        request,
        f"„{measure.title}“ ist in den Maßnahmenplan übernommen. Ergänzen Sie hier "
        "Zuständigkeit, Frist und Priorität.",
    )
    return Redirect(path=request.url_for("measure", measure_id=measure.id))


async def _assessment_of(db_session: AsyncSession, measure: Measure) -> Assessment:
    assessment = await db_session.get(Assessment, measure.assessment_id)
    assert assessment is not None  # a foreign key guarantees it
    await db_session.refresh(assessment, ["municipality"])
    return assessment


def _choices() -> dict[str, Any]:
    return {
        "statuses": list(MeasureStatus),
        "statuses_by_value": {s.value: s for s in MeasureStatus},
        "priorities": list(MeasurePriority),
    }


async def _plan_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    user: User,
    assessment: Assessment,
    *,
    status_filter: str | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Template:
    questionnaire = questionnaire_for(registry, assessment)
    measures = await services.measures_of(db_session, assessment.id)
    chosen = MeasureStatus(status_filter) if status_filter in set(MeasureStatus) else None
    notes_done, questions_done = await services.adopted_sources(db_session, assessment.id)
    return Template(
        "actionplan/plan.html",
        context={
            "user": user,
            "assessment": assessment,
            "municipality": assessment.municipality,
            "questionnaire": questionnaire,
            "field_titles": {f.id: f.title for f in questionnaire.fields},
            "plans": plan_by_field(questionnaire, measures, _today(), chosen),
            "total": len(measures),
            "chosen_status": chosen,
            "workshop_measures": await _workshop_measures(db_session, assessment),
            "next_steps": await _next_steps(db_session, questionnaire, assessment),
            "notes_done": notes_done,
            "questions_done": questions_done,
            "flash": pop_flash(request),
            "error": error,
            "form": form or {},
            **_choices(),
        },
        status_code=422 if error else 200,
    )


async def _workshop_measures(
    db_session: AsyncSession, assessment: Assessment
) -> list[WorkshopNote]:
    result = await db_session.scalars(
        select(WorkshopNote)
        .join(Workshop)
        .where(
            Workshop.assessment_id == assessment.id,
            WorkshopNote.kind == NoteKind.MEASURE,
            Workshop.trial.is_(False),
        )
        .order_by(WorkshopNote.id)
    )
    return list(result)


async def _next_steps(
    db_session: AsyncSession, questionnaire: Questionnaire, assessment: Assessment
) -> list[tuple[str, list[Question]]]:
    """Per field (title), the next steps the answers suggest; fields without any left out."""
    results = await assessment_results(db_session, questionnaire, assessment.id)
    return [(o.field.title, list(o.next_steps)) for o in results.outcomes if o.next_steps]


async def _measure_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    user: User,
    measure: Measure,
    *,
    error: str | None = None,
    status_error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    assessment = await _assessment_of(db_session, measure)
    questionnaire = questionnaire_for(registry, assessment)
    await db_session.refresh(measure, ["changes"])
    note_id = measure.source_note_id
    note = await db_session.get(WorkshopNote, note_id) if note_id is not None else None
    values = form or {
        "field_id": measure.field_id,
        "title": measure.title,
        "description": measure.description,
        "responsible": measure.responsible,
        "deadline": month_value(measure.deadline),
        "priority": measure.priority,
        "question_ids": ", ".join(measure.question_ids),
    }
    line = plan_by_field(questionnaire, [measure], _today())
    return Template(
        "actionplan/measure.html",
        context={
            "user": user,
            "assessment": assessment,
            "municipality": assessment.municipality,
            "questionnaire": questionnaire,
            "measure": measure,
            "line": line[0].lines[0] if line else None,
            "field": next((f for f in questionnaire.fields if f.id == measure.field_id), None),
            "source": MeasureSource(measure.source),
            "note": note,
            "form": values,
            "error": error,
            "status_error": status_error,
            "flash": pop_flash(request),
            **_choices(),
        },
        status_code=status_code if (error or status_error) else 200,
    )


# --- Staff ------------------------------------------------------------------------------


class StaffMeasuresController(Controller):
    """ "Maßnahmen Ihres Bereichs": staff whose invitation allows it update the status of
    the measures assigned to their department; everything else is shown read-only."""

    path = "/s/{token:str}/massnahmen"
    dependencies = {"invitation": Provide(provide_staff_invitation)}

    @get("/", name="staff_measures")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        invitation: NamedDependency[StaffInvitation],
        token: FromPath[str],
    ) -> Template:
        return await _staff_page(request, db_session, registry, invitation, token)

    @post("/{measure_id:int}/stand", name="staff_measure_status", status_code=200)
    async def change_status(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        settings: NamedDependency[Settings],
        invitation: NamedDependency[StaffInvitation],
        token: FromPath[str],
        measure_id: FromPath[int],
        data: Form,
    ) -> Template | Redirect:
        measure = await services.measure_in(db_session, invitation.assessment_id, measure_id)
        if not services.may_update(invitation, measure):
            raise NotPermitted(_refusal(invitation))
        try:
            await services.change_status(
                db_session, measure, parse_status(text(data, "status")),
                by=staff_label(invitation, pseudonymous=settings.pseudonymous_history),
                reason=text(data, "reason"), base_version=_version(data),
            )  # fmt: skip
        except SelfcheckError as error:
            return await _staff_page(
                request, db_session, registry, invitation, token,
                error=(measure.id, error.message), status_code=error.status_code,
            )  # fmt: skip
        flash(request, f"Der Stand von „{measure.title}“ ist gespeichert.")
        return Redirect(path=request.url_for("staff_measures", token=token))


def _refusal(invitation: StaffInvitation) -> str:
    if not invitation.may_update_measures:
        return (
            "Die Moderation hat Ihren Zugang nicht für Änderungen am Maßnahmenplan "
            "freigegeben. Bitte wenden Sie sich an die Moderation, wenn Sie den Stand von "
            "Maßnahmen Ihres Bereichs pflegen möchten."
        )
    return (
        "Diese Maßnahme ist nicht Ihrem Bereich zugeordnet. Sie können nur Maßnahmen "
        f"aktualisieren, bei denen „{invitation.department or '–'}“ als zuständig eingetragen ist."
    )


async def _staff_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    invitation: StaffInvitation,
    token: str,
    *,
    error: tuple[int, str] | None = None,
    status_code: int = 200,
) -> Template:
    assessment = invitation.assessment
    questionnaire = questionnaire_for(registry, assessment)
    measures = await services.measures_of(db_session, assessment.id)
    mine = [m for m in measures if services.may_update(invitation, m)]
    others = [m for m in measures if m not in mine]
    today = _today()
    return Template(
        "actionplan/staff.html",
        context={
            "invitation": invitation,
            "assessment": assessment,
            "municipality": assessment.municipality,
            "questionnaire": questionnaire,
            "token": token,
            "mine": plan_by_field(questionnaire, mine, today),
            "others": plan_by_field(questionnaire, others, today),
            "refusal": None if invitation.may_update_measures else _refusal(invitation),
            "error": error,
            "flash": pop_flash(request),
            **_choices(),
        },
        status_code=status_code if error else 200,
    )
