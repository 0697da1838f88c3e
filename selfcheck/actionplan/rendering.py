"""The action plan's pages and the changes made on them. A page is shown by its GET handler,
and again with the message when a change on it was refused; a change made answers with a
redirect. Each page is provided by its class (see `actionplan.dependencies`), whose fields
are marked like a handler's parameters, from checked, loaded objects; what else it shows or
changes goes through services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan import services
from selfcheck.actionplan.rules import MeasureInput, month_value, plan_by_field, update_refusal
from selfcheck.assessments.invitations import moderator_label
from selfcheck.assessments.results import assessment_results
from selfcheck.db.models import (
    Assessment,
    Measure,
    MeasureStatusChange,
    StaffInvitation,
    User,
    utcnow,
)
from selfcheck.questionnaire.schema import Question, Questionnaire
from selfcheck.vocabulary import MeasurePriority, MeasureSource, MeasureStatus
from selfcheck.web.forms import flash
from selfcheck.web.templating import BERLIN


def today() -> date:
    return utcnow().astimezone(BERLIN).date()


def _plan_template(
    name: str,
    assessment: Assessment,
    questionnaire: Questionnaire,
    context: dict[str, Any],
    status_code: int,
) -> Template:
    """A page of the action plan with what each of them shows beside `context`: the
    assessment, its municipality and questionnaire, and the choices of status and priority."""
    return Template(
        name,
        context={
            "assessment": assessment,
            "municipality": assessment.municipality,
            "questionnaire": questionnaire,
            "statuses": list(MeasureStatus),
            "statuses_by_value": {s.value: s for s in MeasureStatus},
            "priorities": list(MeasurePriority),
            **context,
        },
        status_code=status_code,
    )


def _answer(request: Request[Any, Any, Any], message: str, path: str) -> Redirect:
    """After a change: to `path`, which shows `message` once."""
    flash(request, message)
    return Redirect(path=path)


@dataclass(frozen=True)
class ModeratorPlanPage:
    """A page of the moderator's plan of one checked assessment, and the changes made on it
    in the moderator's name."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    current_user: NamedDependency[User]
    questionnaire: NamedDependency[Questionnaire]
    assessment: NamedDependency[Assessment]  # with its municipality loaded

    @property
    def moderator(self) -> str:
        """Who made a change, as the measure's history names them."""
        return moderator_label(self.current_user)

    def answer(self, message: str, route: str, **path_parameters: int) -> Redirect:
        """After a change: to the page of `route`, which shows `message` once."""
        return _answer(self.request, message, self.request.url_for(route, **path_parameters))

    def _template(self, name: str, context: dict[str, Any], status_code: int) -> Template:
        context = {"user": self.current_user, **context}
        return _plan_template(name, self.assessment, self.questionnaire, context, status_code)


@dataclass(frozen=True)
class PlanPage(ModeratorPlanPage):
    """The plan with what can be adopted into it: typed-in measures, workshop notes of kind
    "Maßnahme" and the next steps the answers suggest."""

    async def render(
        self,
        *,
        status_filter: str | None = None,
        error: str | None = None,
        form: dict[str, str] | None = None,
    ) -> Template:
        session, assessment, questionnaire = self.db_session, self.assessment, self.questionnaire
        measures = await services.measures_of(session, assessment.id)
        chosen = MeasureStatus(status_filter) if status_filter in set(MeasureStatus) else None
        notes_done, questions_done = await services.adopted_sources(session, assessment.id)
        context = {
            "field_titles": {f.id: f.title for f in questionnaire.fields},
            "plans": plan_by_field(questionnaire, measures, today(), chosen),
            "total": len(measures),
            "chosen_status": chosen,
            "workshop_measures": await services.workshop_measure_notes(session, assessment.id),
            "next_steps": await self._next_steps(),
            "notes_done": notes_done,
            "questions_done": questions_done,
            "error": error,
            "form": form or {},
        }
        return self._template("actionplan/plan.html", context, 422 if error else 200)

    async def _next_steps(self) -> list[tuple[str, list[Question]]]:
        """Per field (title), the next steps the answers suggest; fields without any left out."""
        results = await assessment_results(self.db_session, self.questionnaire, self.assessment.id)
        return [(o.field.title, list(o.next_steps)) for o in results.outcomes if o.next_steps]

    async def add(self, entry: MeasureInput) -> Measure:
        return await services.create_measure(
            self.db_session, self.assessment, self.questionnaire, entry, by=self.moderator
        )

    async def adopt_note(self, note_id: int) -> Measure:
        return await services.adopt_workshop_note(
            self.db_session, self.assessment, self.questionnaire, note_id, by=self.moderator
        )

    async def adopt_next_step(self, question_id: str) -> Measure:
        return await services.adopt_next_step(
            self.db_session, self.assessment, self.questionnaire, question_id, by=self.moderator
        )


@dataclass(frozen=True)
class MeasurePage(ModeratorPlanPage):
    """One measure with its history and, if adopted from a workshop, the note behind it.
    A change made from a form that an earlier change overtook (`base_version`) is refused."""

    measure: NamedDependency[Measure]  # with its history loaded

    async def render(
        self,
        *,
        error: str | None = None,
        status_error: str | None = None,
        form: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        measure, questionnaire = self.measure, self.questionnaire
        line = plan_by_field(questionnaire, [measure], today())
        context = {
            "measure": measure,
            "line": line[0].lines[0] if line else None,
            "field": questionnaire.field(measure.field_id),
            "source": MeasureSource(measure.source),
            "note": await services.source_note(self.db_session, measure),
            "form": form or _form_values(measure),
            "error": error,
            "status_error": status_error,
        }
        status = status_code if (error or status_error) else 200
        return self._template("actionplan/measure.html", context, status)

    async def update(self, entry: MeasureInput, base_version: int | None) -> Measure:
        return await services.update_measure(
            self.db_session, self.measure, self.questionnaire, entry, base_version=base_version
        )

    async def change_status(
        self, status: MeasureStatus, reason: str, base_version: int | None
    ) -> MeasureStatusChange:
        return await services.change_status(
            self.db_session,
            self.measure,
            status,
            by=self.moderator,
            reason=reason,
            base_version=base_version,
        )

    async def delete(self) -> None:
        await services.delete_measure(self.db_session, self.measure)


def _form_values(measure: Measure) -> dict[str, str]:
    """The edit form filled with the measure as it stands."""
    return {
        "field_id": measure.field_id,
        "title": measure.title,
        "description": measure.description,
        "responsible": measure.responsible,
        "deadline": month_value(measure.deadline),
        "priority": measure.priority,
        "question_ids": ", ".join(measure.question_ids),
    }


@dataclass(frozen=True)
class StaffMeasuresPage:
    """ "Maßnahmen Ihres Bereichs": the staff member's own measures first, the rest read-only,
    and the status changes they make, under the name the history shows."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    invitation: NamedDependency[StaffInvitation]  # with its assessment and municipality loaded
    questionnaire: NamedDependency[Questionnaire]
    editor: NamedDependency[str]
    token: FromPath[str]

    async def render(
        self, *, error: tuple[int, str] | None = None, status_code: int = 200
    ) -> Template:
        invitation, questionnaire = self.invitation, self.questionnaire
        assessment = invitation.assessment
        measures = await services.measures_of(self.db_session, assessment.id)
        mine = [m for m in measures if services.may_update(invitation, m)]
        others = [m for m in measures if m not in mine]
        context = {
            "invitation": invitation,
            "token": self.token,
            "mine": plan_by_field(questionnaire, mine, today()),
            "others": plan_by_field(questionnaire, others, today()),
            "refusal": None if invitation.may_update_measures else update_refusal(invitation),
            "error": error,
        }
        status = status_code if error else 200
        return _plan_template("actionplan/staff.html", assessment, questionnaire, context, status)

    async def change_status(
        self, measure: Measure, status: MeasureStatus, reason: str, base_version: int | None
    ) -> MeasureStatusChange:
        """`measure`: one the staff member may update, as `provide_staff_measure` checked."""
        return await services.change_status(
            self.db_session,
            measure,
            status,
            by=self.editor,
            reason=reason,
            base_version=base_version,
        )

    def answer(self, message: str) -> Redirect:
        """After a change: back to this page, which shows `message` once."""
        return _answer(
            self.request, message, self.request.url_for("staff_measures", token=self.token)
        )
