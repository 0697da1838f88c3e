"""The action plan's pages, shown by their GET handlers and again, with a message, when a
form on them failed. Each page is built by a provider from checked, loaded objects and
reads what else it shows through services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan import services
from selfcheck.actionplan.rules import month_value, plan_by_field, update_refusal
from selfcheck.assessments.results import assessment_results
from selfcheck.db.models import Assessment, Measure, StaffInvitation, User, utcnow
from selfcheck.questionnaire.schema import Question, Questionnaire
from selfcheck.vocabulary import MeasurePriority, MeasureSource, MeasureStatus
from selfcheck.web.forms import pop_flash
from selfcheck.web.templating import BERLIN


def today() -> date:
    return utcnow().astimezone(BERLIN).date()


def _choices() -> dict[str, Any]:
    return {
        "statuses": list(MeasureStatus),
        "statuses_by_value": {s.value: s for s in MeasureStatus},
        "priorities": list(MeasurePriority),
    }


@dataclass(frozen=True)
class PlanPage:
    """The moderator's plan of one assessment, with what can be adopted into it."""

    request: Request[Any, Any, Any]
    db_session: AsyncSession
    user: User
    questionnaire: Questionnaire
    assessment: Assessment  # with its municipality loaded

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
        return Template(
            "actionplan/plan.html",
            context={
                "user": self.user,
                "assessment": assessment,
                "municipality": assessment.municipality,
                "questionnaire": questionnaire,
                "field_titles": {f.id: f.title for f in questionnaire.fields},
                "plans": plan_by_field(questionnaire, measures, today(), chosen),
                "total": len(measures),
                "chosen_status": chosen,
                "workshop_measures": await services.workshop_measure_notes(session, assessment.id),
                "next_steps": await self._next_steps(),
                "notes_done": notes_done,
                "questions_done": questions_done,
                "flash": pop_flash(self.request),
                "error": error,
                "form": form or {},
                **_choices(),
            },
            status_code=422 if error else 200,
        )

    async def _next_steps(self) -> list[tuple[str, list[Question]]]:
        """Per field (title), the next steps the answers suggest; fields without any left out."""
        results = await assessment_results(self.db_session, self.questionnaire, self.assessment.id)
        return [(o.field.title, list(o.next_steps)) for o in results.outcomes if o.next_steps]


@dataclass(frozen=True)
class MeasurePage:
    """One measure with its history and, if adopted from a workshop, the note behind it."""

    request: Request[Any, Any, Any]
    db_session: AsyncSession
    user: User
    questionnaire: Questionnaire
    assessment: Assessment  # with its municipality loaded
    measure: Measure  # with its history loaded

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
        return Template(
            "actionplan/measure.html",
            context={
                "user": self.user,
                "assessment": self.assessment,
                "municipality": self.assessment.municipality,
                "questionnaire": questionnaire,
                "measure": measure,
                "line": line[0].lines[0] if line else None,
                "field": questionnaire.field(measure.field_id),
                "source": MeasureSource(measure.source),
                "note": await services.source_note(self.db_session, measure),
                "form": form or _form_values(measure),
                "error": error,
                "status_error": status_error,
                "flash": pop_flash(self.request),
                **_choices(),
            },
            status_code=status_code if (error or status_error) else 200,
        )


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
    """ "Maßnahmen Ihres Bereichs": the staff member's own measures first, the rest read-only."""

    request: Request[Any, Any, Any]
    db_session: AsyncSession
    invitation: StaffInvitation  # with its assessment and municipality loaded
    questionnaire: Questionnaire
    token: str

    async def render(
        self, *, error: tuple[int, str] | None = None, status_code: int = 200
    ) -> Template:
        invitation, questionnaire = self.invitation, self.questionnaire
        assessment = invitation.assessment
        measures = await services.measures_of(self.db_session, assessment.id)
        mine = [m for m in measures if services.may_update(invitation, m)]
        others = [m for m in measures if m not in mine]
        return Template(
            "actionplan/staff.html",
            context={
                "invitation": invitation,
                "assessment": assessment,
                "municipality": assessment.municipality,
                "questionnaire": questionnaire,
                "token": self.token,
                "mine": plan_by_field(questionnaire, mine, today()),
                "others": plan_by_field(questionnaire, others, today()),
                "refusal": None if invitation.may_update_measures else update_refusal(invitation),
                "error": error,
                "flash": pop_flash(self.request),
                **_choices(),
            },
            status_code=status_code if error else 200,
        )
