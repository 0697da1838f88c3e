"""Pages that several handlers render: the results page (for moderators, invited staff and,
in demo mode, everyone), and the pages that a failed form shows again or that a form
which went through leads back to (`back`).

The form pages are provided by their class (see `assessments.dependencies`): their fields
are marked like a handler's parameters."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import visible_municipalities
from selfcheck.assessments import invitations, repeat, setup
from selfcheck.assessments.answers import AnswerState, answer_sheet, answer_values
from selfcheck.assessments.development import Development, development_chart_text
from selfcheck.assessments.results import Results, field_outcomes
from selfcheck.db.models import Assessment, Municipality, StaffInvitation, User
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Field, Question, Questionnaire
from selfcheck.web.addresses import public_link
from selfcheck.web.forms import flash


@dataclass(frozen=True)
class AssessmentResults:
    """An assessment's results with what they are read against."""

    assessment: Assessment  # with its municipality loaded
    questionnaire: Questionnaire
    results: Results
    development: Development | None  # against the municipality's earlier Selbstchecks

    def page(
        self,
        back_link: str | None = None,
        user: User | None = None,
        chart_url: str | None = None,
    ) -> Template:
        """`user`: the moderator, who may adopt next steps into the action plan;
        `chart_url`: where the page may link the development chart (none: table only)."""
        return Template(
            "results.html",
            context={
                "municipality": self.assessment.municipality,
                "assessment": self.assessment,
                "questionnaire": self.questionnaire,
                "outcomes": self.results.outcomes,
                "rules": self.results.rules,
                "back_link": back_link,
                "user": user,
                "development": self.development,
                "development_chart": self._development_chart(chart_url),
            },
        )

    def _development_chart(self, chart_url: str | None) -> dict[str, str] | None:
        development = self.development
        if development is None or not chart_url or len(development.assessments) < 2:
            return None
        title, alt = development_chart_text(development)
        return {"url": f"{chart_url}?name=entwicklung&format=svg", "title": title, "alt": alt}


@dataclass(frozen=True)
class DashboardPage:
    """The moderator's start page, shown again with the message and what was typed when
    creating a municipality failed."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    current_user: NamedDependency[User]

    async def render(
        self, *, error: str | None = None, form: dict[str, str] | None = None
    ) -> Template:
        return Template(
            "moderation/dashboard.html",
            context={
                "user": self.current_user,
                "municipalities": await visible_municipalities(self.db_session, self.current_user),
                "error": error,
                "form": form or {},
            },
            status_code=422 if error else 200,
        )


@dataclass(frozen=True)
class MunicipalityPage:
    """The municipality page, shown again with a message when a form on it failed."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    current_user: NamedDependency[User]
    registry: NamedDependency[QuestionnaireRegistry]
    municipality: NamedDependency[Municipality]  # with its moderators loaded

    async def render(
        self, *, error: str | None = None, delete_error: str | None = None
    ) -> Template:
        return Template(
            "moderation/municipality.html",
            context={
                "user": self.current_user,
                "municipality": self.municipality,
                "assessments": await setup.assessments_of(self.db_session, self.municipality),
                "questionnaires": self.registry.all(),
                "error": error,
                "delete_error": delete_error,
            },
            status_code=422 if error or delete_error else 200,
        )

    def back(self, message: str) -> Redirect:
        """To this page, which shows `message` once."""
        flash(self.request, message)
        path = self.request.app.route_reverse("municipality", municipality_id=self.municipality.id)
        return Redirect(path=path)


@dataclass(frozen=True)
class AssessmentPage:
    """The assessment page for moderators; after an invitation, with the new link once."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    questionnaire: NamedDependency[Questionnaire]
    assessment: NamedDependency[Assessment]  # with its municipality and workshops loaded

    async def render(
        self,
        *,
        error: str | None = None,
        form: dict[str, str] | None = None,
        new_link: tuple[str, str] | None = None,
    ) -> Template:
        assessment, questionnaire = self.assessment, self.questionnaire
        answers = await answer_values(self.db_session, assessment.id)
        return Template(
            "moderation/assessment.html",
            context={
                "assessment": assessment,
                "municipality": assessment.municipality,
                "questionnaire": questionnaire,
                "outcomes": field_outcomes(questionnaire, answers),
                "carried": await repeat.carried_per_field(
                    self.db_session, questionnaire, assessment
                ),
                "invitations": await invitations.invitations_of(self.db_session, assessment),
                "workshops": assessment.workshops,
                "error": error,
                "form": form or {},
                "new_link": new_link and self._staff_link(*new_link),
            },
            status_code=422 if error else 200,
        )

    def back(self, message: str) -> Redirect:
        """To this page, which shows `message` once."""
        flash(self.request, message)
        path = self.request.app.route_reverse("assessment", assessment_id=self.assessment.id)
        return Redirect(path=path)

    def _staff_link(self, name: str, token: str) -> dict[str, str]:
        path = self.request.app.route_reverse("staff_overview", token=token)
        return {"name": name, "url": public_link(self.request, path)}


@dataclass(frozen=True)
class OverviewPage:
    """The start page behind an invited person's link: the fields and how far each is."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    invitation: NamedDependency[StaffInvitation]
    assessment: NamedDependency[Assessment]  # with its municipality loaded
    questionnaire: NamedDependency[Questionnaire]
    token: FromPath[str]

    async def render(self) -> Template:
        session, assessment, questionnaire = self.db_session, self.assessment, self.questionnaire
        outcomes = field_outcomes(questionnaire, await answer_values(session, assessment.id))
        return Template(
            "staff/overview.html",
            context={
                "invitation": self.invitation,
                "assessment": assessment,
                "municipality": assessment.municipality,
                "questionnaire": questionnaire,
                "outcomes": outcomes,
                "carried": await repeat.carried_per_field(session, questionnaire, assessment),
                "token": self.token,
            },
        )

    def back(self, message: str) -> Redirect:
        """To this page, which shows `message` once."""
        flash(self.request, message)
        return Redirect(path=self.request.app.route_reverse("staff_overview", token=self.token))


@dataclass(frozen=True)
class FieldPage:
    """The questions of one field for invited staff, shown again with what was sent when
    saving failed."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    assessment: NamedDependency[Assessment]
    questionnaire: NamedDependency[Questionnaire]
    field: NamedDependency[Field]
    token: FromPath[str]

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
            },
            status_code=409 if conflicts else 422 if errors else 200,
        )

    def back(self, message: str) -> Redirect:
        """To this page, which shows `message` once."""
        flash(self.request, message)
        reverse = self.request.app.route_reverse
        return Redirect(path=reverse("staff_field", token=self.token, field_id=self.field.id))


def _topics(field: Field) -> list[tuple[str, list[Question]]]:
    return [
        (topic, list(questions)) for topic, questions in groupby(field.questions, lambda q: q.topic)
    ]
