"""Providers for the action plan's handlers: each returns the checked, loaded object a
handler acts on, or answers "not found" for what the visitor may not see."""

from __future__ import annotations

from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import assessment_for
from selfcheck.actionplan.services import measure_in
from selfcheck.assessments.invitations import invitation_by_token
from selfcheck.db.models import Assessment, Measure, StaffInvitation, User
from selfcheck.errors import NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire


async def provide_plan_assessment(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    assessment_id: FromPath[int],
) -> Assessment:
    """The assessment whose plan the moderator opens, with its municipality loaded."""
    assessment = await assessment_for(db_session, current_user, assessment_id)
    await db_session.refresh(assessment, ["municipality"])
    return assessment


async def provide_measure(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    measure_id: FromPath[int],
) -> Measure:
    """A measure of a municipality the moderator may see, with its history."""
    assessment_id = await db_session.scalar(
        select(Measure.assessment_id).where(Measure.id == measure_id)
    )
    if assessment_id is None:
        raise NotFound()
    await assessment_for(db_session, current_user, assessment_id)
    return await measure_in(db_session, assessment_id, measure_id)


async def provide_moderated_invitation(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    invitation_id: FromPath[int],
) -> StaffInvitation:
    invitation = await db_session.get(StaffInvitation, invitation_id)
    if invitation is None:
        raise NotFound()
    await assessment_for(db_session, current_user, invitation.assessment_id)
    return invitation


async def provide_staff_invitation(
    db_session: NamedDependency[AsyncSession], token: FromPath[str]
) -> StaffInvitation:
    """The staff member's invitation, with its assessment and municipality loaded."""
    invitation = await invitation_by_token(db_session, token)
    await db_session.refresh(invitation, ["assessment"])
    await db_session.refresh(invitation.assessment, ["municipality"])
    return invitation


def questionnaire_for(registry: QuestionnaireRegistry, assessment: Assessment) -> Questionnaire:
    return registry.get(assessment.questionnaire_id, assessment.questionnaire_version)
