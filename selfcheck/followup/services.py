"""Starting the next Selbstcheck: answers from `assessments.repeat`, open measures from
`actionplan` – here, because the action plan builds on assessments, not the other way."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan.services import carry_over_open_measures
from selfcheck.assessments import repeat
from selfcheck.db.models import Assessment
from selfcheck.questionnaire.registry import QuestionnaireRegistry


async def start_follow_up(
    session: AsyncSession, registry: QuestionnaireRegistry, previous: Assessment, title: str
) -> Assessment:
    """The next assessment of `previous`'s municipality on the newest questionnaire, with
    the unchanged answers carried over for confirmation and the open measures of its plan."""
    assessment = await repeat.start_follow_up(session, registry, previous, title)
    await carry_over_open_measures(session, previous, assessment)
    return assessment
