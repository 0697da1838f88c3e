"""Providers for the action plan's handlers: each returns the checked, loaded object a
handler acts on, or answers "not found" for what the visitor may not see.

The moderation router provides the checked `assessment` (and its `questionnaire`) for
routes that name one; routes that name a measure get its assessment from here, so the
router's `questionnaire` provider serves them too. Staff reach their measures through the
providers of their personal link (`assessments.dependencies.STAFF`)."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import assessment_for
from selfcheck.actionplan import services
from selfcheck.actionplan.rendering import MeasurePage, PlanPage, StaffMeasuresPage
from selfcheck.actionplan.rules import update_refusal
from selfcheck.assessments.dependencies import ASSESSMENT_RELATIONS
from selfcheck.db.models import Assessment, Measure, StaffInvitation, User
from selfcheck.errors import SelfcheckError


class NotPermitted(SelfcheckError):
    """The visitor is known, but this action is not theirs to take."""

    status_code = 403


async def provide_measure_assessment(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    measure_id: FromPath[int],
) -> Assessment:
    """The assessment of the measure in the path, if the moderator may see it."""
    assessment_id = await services.assessment_id_of(db_session, measure_id)
    return await assessment_for(db_session, current_user, assessment_id, *ASSESSMENT_RELATIONS)


async def provide_measure(
    db_session: NamedDependency[AsyncSession],
    assessment: NamedDependency[Assessment],
    measure_id: FromPath[int],
) -> Measure:
    """The measure with its history, within the assessment already checked."""
    return await services.measure_in(db_session, assessment.id, measure_id)


async def provide_staff_measure(
    db_session: NamedDependency[AsyncSession],
    invitation: NamedDependency[StaffInvitation],
    measure_id: FromPath[int],
) -> Measure:
    """A measure of the staff member's assessment, with its history, that they may update:
    one of their department's, if their invitation allows it."""
    measure = await services.measure_in(db_session, invitation.assessment_id, measure_id)
    if not services.may_update(invitation, measure):
        raise NotPermitted(update_refusal(invitation))
    return measure


# The sets of providers, as the controllers declare them. The pages, which also make the
# changes requested on them, are provided by their class, whose fields are marked like a
# handler's parameters.
# For routes under the moderation router that name an assessment.
PLAN = {
    "plan_page": Provide(PlanPage, sync_to_thread=False),
}
# For routes under the moderation router that name a measure (`{measure_id}`).
MEASURE = {
    "assessment": Provide(provide_measure_assessment),
    "measure": Provide(provide_measure),
    "measure_page": Provide(MeasurePage, sync_to_thread=False),
}
# For the staff routes, beside `assessments.dependencies.STAFF`.
STAFF_MEASURES = {
    "measure": Provide(provide_staff_measure),
    "staff_measures_page": Provide(StaffMeasuresPage, sync_to_thread=False),
}
