"""Providers of the assessment views and APIs: each returns the checked, fully loaded object
a handler acts on, so that no handler looks anything up or forgets an access check.

Moderators reach a municipality, assessment or invitation only through
`selfcheck.accounts.access` (others' ids answer 404); invited staff reach their
assessment only through their personal link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from selfcheck.accounts.access import assessment_for, municipality_for
from selfcheck.assessments.answers import Conflict, Saved, save_answer
from selfcheck.assessments.development import development_of
from selfcheck.assessments.invitations import (
    editor_label,
    invitation_by_token,
    managed_invitation,
)
from selfcheck.assessments.rendering import (
    AssessmentPage,
    AssessmentResults,
    DashboardPage,
    FieldPage,
    MunicipalityPage,
    OverviewPage,
)
from selfcheck.assessments.results import assessment_results
from selfcheck.assessments.setup import loaded_assessment
from selfcheck.db.models import Assessment, Municipality, StaffInvitation, User, utcnow
from selfcheck.errors import NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Field, Questionnaire
from selfcheck.settings import Settings

# What the assessment pages show beside the assessment itself.
ASSESSMENT_RELATIONS = (selectinload(Assessment.municipality), selectinload(Assessment.workshops))


async def provide_municipality(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    municipality_id: FromPath[int],
) -> Municipality:
    return await municipality_for(
        db_session, current_user, municipality_id, selectinload(Municipality.moderators)
    )


async def provide_administered_municipality(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    municipality_id: FromPath[int],
) -> Municipality:
    """Only administrators assign moderators and delete; for others these do not exist."""
    if not current_user.is_admin:
        raise NotFound()
    return await provide_municipality(db_session, current_user, municipality_id)


async def provide_assessment(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    assessment_id: FromPath[int],
) -> Assessment:
    return await assessment_for(db_session, current_user, assessment_id, *ASSESSMENT_RELATIONS)


async def provide_managed_invitation(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    invitation_id: FromPath[int],
) -> StaffInvitation:
    """A staff invitation as its moderator manages it, with its assessment loaded."""
    invitation = await managed_invitation(db_session, invitation_id)
    await municipality_for(db_session, current_user, invitation.assessment.municipality_id)
    return invitation


async def provide_invitation(
    token: FromPath[str], db_session: NamedDependency[AsyncSession]
) -> StaffInvitation:
    """The invitation behind a personal link, with its assessment and municipality."""
    return await invitation_by_token(db_session, token)


def provide_invitation_assessment(invitation: NamedDependency[StaffInvitation]) -> Assessment:
    return invitation.assessment


def provide_editor(
    invitation: NamedDependency[StaffInvitation], settings: NamedDependency[Settings]
) -> str:
    return editor_label(invitation, pseudonymous=settings.pseudonymous_history)


async def provide_demo_assessment(
    state: State, db_session: NamedDependency[AsyncSession]
) -> Assessment:
    """The demo municipality's assessment, only while the server runs with --demo."""
    demo: dict[str, Any] | None = state.get("demo")
    if demo is None:
        raise NotFound()
    assessment = await loaded_assessment(db_session, demo["assessment_id"], *ASSESSMENT_RELATIONS)
    if assessment is None:
        raise NotFound()
    return assessment


def provide_questionnaire(
    registry: NamedDependency[QuestionnaireRegistry], assessment: NamedDependency[Assessment]
) -> Questionnaire:
    return registry.for_assessment(assessment)


def provide_field(questionnaire: NamedDependency[Questionnaire], field_id: FromPath[str]) -> Field:
    for field in questionnaire.fields:
        if field.id == field_id:
            return field
    raise NotFound("Dieses Handlungsfeld gibt es im Fragebogen nicht.")


def provide_question_field(
    questionnaire: NamedDependency[Questionnaire], question_id: FromPath[str]
) -> Field:
    """The field of the question in the path."""
    field = questionnaire.field_of(question_id)
    if field is None:
        raise NotFound("Diese Frage gibt es im Fragebogen nicht.")
    return field


async def provide_results(
    db_session: NamedDependency[AsyncSession],
    registry: NamedDependency[QuestionnaireRegistry],
    questionnaire: NamedDependency[Questionnaire],
    assessment: NamedDependency[Assessment],
) -> AssessmentResults:
    results = await assessment_results(db_session, questionnaire, assessment.id)
    development = await development_of(db_session, registry, assessment)
    return AssessmentResults(assessment, questionnaire, results, development)


@dataclass(frozen=True)
class StaffEditor:
    """An invited person editing their assessment, under the name the history shows."""

    db_session: NamedDependency[AsyncSession]
    invitation: NamedDependency[StaffInvitation]
    assessment: NamedDependency[Assessment]
    questionnaire: NamedDependency[Questionnaire]
    editor: NamedDependency[str]

    async def save(
        self, question_id: str, value: str | None, comment: str, base_version: int
    ) -> Saved | Conflict:
        """`save_answer` as this person; a save that went through marks them active."""
        result = await save_answer(
            self.db_session,
            self.assessment,
            self.questionnaire,
            question_id=question_id,
            value=value,
            comment=comment,
            base_version=base_version,
            editor=self.editor,
        )
        self.invitation.last_active_at = utcnow()
        return result


# The sets of providers, as the routers and controllers declare them. The objects that group
# what several handlers need (the pages, StaffEditor) are provided by their class, whose
# fields are marked like a handler's parameters.
QUESTIONNAIRE = {
    "questionnaire": Provide(provide_questionnaire, sync_to_thread=False),
    "results": Provide(provide_results),
}
MODERATION = {
    "dashboard_page": Provide(DashboardPage, sync_to_thread=False),
    "municipality": Provide(provide_municipality),
    "municipality_page": Provide(MunicipalityPage, sync_to_thread=False),
    "assessment": Provide(provide_assessment),
    "assessment_page": Provide(AssessmentPage, sync_to_thread=False),
    **QUESTIONNAIRE,
}
STAFF = {
    "invitation": Provide(provide_invitation),
    "assessment": Provide(provide_invitation_assessment, sync_to_thread=False),
    "editor": Provide(provide_editor, sync_to_thread=False),
    "staff_editor": Provide(StaffEditor, sync_to_thread=False),
    "overview_page": Provide(OverviewPage, sync_to_thread=False),
    **QUESTIONNAIRE,
}
# For routes of one field of the questionnaire (`{field_id}` in the path).
FIELD = {
    "field": Provide(provide_field, sync_to_thread=False),
    "field_page": Provide(FieldPage, sync_to_thread=False),
}
# For routes of one question (`{question_id}` in the path): the field it belongs to.
QUESTION_FIELD = {"field": Provide(provide_question_field, sync_to_thread=False)}
