"""The demo municipality shows the cycle: a plan with measures in different states."""

from __future__ import annotations

from selfcheck.actionplan.services import measures_of
from selfcheck.db.engine import Database
from selfcheck.demo import seed_demo
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import MeasureSource, MeasureStatus


async def test_the_demo_plan_has_measures_from_every_source_and_in_several_states(
    database: Database, questionnaire: Questionnaire
) -> None:
    assessment_id = await seed_demo(database, questionnaire)
    await seed_demo(database, questionnaire)  # a second start adds nothing
    async with database.reading() as session:
        plan = await measures_of(session, assessment_id)
    assert 5 <= len(plan) <= 6
    assert {m.source for m in plan} == set(MeasureSource)
    assert {MeasureStatus.DONE, MeasureStatus.IN_PROGRESS, MeasureStatus.DEFERRED} <= {
        m.status for m in plan
    }
    done = next(m for m in plan if m.status == MeasureStatus.DONE)
    assert len(done.changes) == 3
