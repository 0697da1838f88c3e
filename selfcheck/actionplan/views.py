"""The action plan's pages: the moderator's plan per assessment with one page per measure,
the one-click adoption of workshop notes and next steps, and the staff page "Maßnahmen
Ihres Bereichs". Handlers stay thin: providers load and check, the pages (`rendering.py`)
show and make the changes through services, handlers read the form and answer."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from selfcheck.actionplan import services
from selfcheck.actionplan.dependencies import MEASURE, PLAN, STAFF_MEASURES
from selfcheck.actionplan.rendering import MeasurePage, PlanPage, StaffMeasuresPage
from selfcheck.actionplan.rules import MeasureInput, parse_month, parse_priority, parse_status
from selfcheck.assessments.dependencies import STAFF, provide_managed_invitation
from selfcheck.db.models import Measure, StaffInvitation
from selfcheck.errors import InvalidInput, SelfcheckError
from selfcheck.vocabulary import MeasureStatus
from selfcheck.web.forms import flash, text

Form = URLEncodedBody[dict[str, str]]


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
    """The moderator's plan of an assessment; the moderation router provides the checked
    assessment and its questionnaire."""

    path = "/selbstchecks/{assessment_id:int}/massnahmen"
    dependencies = PLAN

    @get("/", name="action_plan")
    async def plan(
        self, plan_page: NamedDependency[PlanPage], stand: FromQuery[str | None] = None
    ) -> Template:
        return await plan_page.render(status_filter=stand)

    @post("/", name="measure_create", status_code=200)
    async def create(self, plan_page: NamedDependency[PlanPage], data: Form) -> Template | Redirect:
        try:
            measure = await plan_page.add(_entry(data))
        except InvalidInput as error:
            return await plan_page.render(error=error.message, form=data)
        message = f"Die Maßnahme „{measure.title}“ steht jetzt im Maßnahmenplan."
        return plan_page.answer(message, "action_plan", assessment_id=plan_page.assessment.id)

    @post("/aus-notiz/{note_id:int}", name="measure_adopt_note")
    async def adopt_note(
        self, plan_page: NamedDependency[PlanPage], note_id: FromPath[int]
    ) -> Redirect:
        return _adopted(plan_page, await plan_page.adopt_note(note_id))

    @post("/aus-frage/{question_id:str}", name="measure_adopt_next_step")
    async def adopt_next_step(
        self, plan_page: NamedDependency[PlanPage], question_id: FromPath[str]
    ) -> Redirect:
        return _adopted(plan_page, await plan_page.adopt_next_step(question_id))


def _adopted(plan_page: PlanPage, measure: Measure) -> Redirect:
    """To the new measure, whose adoption left out what the moderator has to add."""
    message = (
        f"„{measure.title}“ ist in den Maßnahmenplan übernommen. Ergänzen Sie hier "
        "Zuständigkeit, Frist und Priorität."
    )
    return plan_page.answer(message, "measure", measure_id=measure.id)


class MeasureController(Controller):
    """One measure of a plan: its page, changes, status and deletion. The measure's
    assessment is checked against the municipalities the moderator may see."""

    path = "/massnahmen/{measure_id:int}"
    dependencies = MEASURE

    @get("/", name="measure")
    async def page(self, measure_page: NamedDependency[MeasurePage]) -> Template:
        return await measure_page.render()

    @post("/", name="measure_update", status_code=200)
    async def update(
        self, measure_page: NamedDependency[MeasurePage], data: Form
    ) -> Template | Redirect:
        try:
            await measure_page.update(_entry(data), _version(data))
        except SelfcheckError as error:
            return await measure_page.render(
                error=error.message, form=data, status_code=error.status_code
            )
        message = "Die Änderungen an der Maßnahme sind gespeichert."
        return measure_page.answer(message, "measure", measure_id=measure_page.measure.id)

    @post("/stand", name="measure_status", status_code=200)
    async def change_status(
        self, measure_page: NamedDependency[MeasurePage], data: Form
    ) -> Template | Redirect:
        try:
            change = await measure_page.change_status(
                parse_status(text(data, "status")), text(data, "reason"), _version(data)
            )
        except SelfcheckError as error:
            return await measure_page.render(
                status_error=error.message, status_code=error.status_code
            )
        message = f"Der Stand ist jetzt „{MeasureStatus(change.new_status).label}“."
        return measure_page.answer(message, "measure", measure_id=measure_page.measure.id)

    @post("/loeschen", name="measure_delete")
    async def delete(self, measure_page: NamedDependency[MeasurePage]) -> Redirect:
        title = measure_page.measure.title
        await measure_page.delete()
        message = f"Die Maßnahme „{title}“ ist aus dem Maßnahmenplan gelöscht."
        return measure_page.answer(message, "action_plan", assessment_id=measure_page.assessment.id)


class InvitationMeasuresController(Controller):
    """Whether an invited staff member may keep their department's measures up to date."""

    path = "/einladungen/{invitation_id:int}/massnahmen-freigabe"
    dependencies = {"invitation": Provide(provide_managed_invitation)}

    @post("/", name="invitation_measures")
    async def allow_measures(
        self,
        request: Request[Any, Any, Any],
        invitation: NamedDependency[StaffInvitation],
        data: Form,
    ) -> Redirect:
        services.allow_measure_updates(invitation, text(data, "allow") == "1")
        if invitation.may_update_measures:
            flash(
                request,
                f"{invitation.name} darf jetzt den Stand der Maßnahmen des eigenen Bereichs "
                "aktualisieren.",
            )
        else:
            flash(request, f"{invitation.name} kann Maßnahmen nicht mehr aktualisieren.")
        return Redirect(path=request.url_for("assessment", assessment_id=invitation.assessment_id))


# --- Staff ------------------------------------------------------------------------------


class StaffMeasuresController(Controller):
    """ "Maßnahmen Ihres Bereichs": staff whose invitation allows it update the status of
    the measures assigned to their department; everything else is shown read-only."""

    path = "/s/{token:str}/massnahmen"
    dependencies = {**STAFF, **STAFF_MEASURES}

    @get("/", name="staff_measures")
    async def overview(self, staff_measures_page: NamedDependency[StaffMeasuresPage]) -> Template:
        return await staff_measures_page.render()

    @post("/{measure_id:int}/stand", name="staff_measure_status", status_code=200)
    async def change_status(
        self,
        staff_measures_page: NamedDependency[StaffMeasuresPage],
        measure: NamedDependency[Measure],
        data: Form,
    ) -> Template | Redirect:
        try:
            await staff_measures_page.change_status(
                measure, parse_status(text(data, "status")), text(data, "reason"), _version(data)
            )
        except SelfcheckError as error:
            return await staff_measures_page.render(
                error=(measure.id, error.message), status_code=error.status_code
            )
        return staff_measures_page.answer(f"Der Stand von „{measure.title}“ ist gespeichert.")
