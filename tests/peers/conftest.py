"""Several municipalities with submitted assessments, for the view across them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import pytest

from selfcheck.assessments.setup import create_assessment, create_municipality, submit
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, User
from selfcheck.questionnaire.schema import Questionnaire
from tests.reporting.builders import (
    RoundSpec,
    WorkshopSpec,
    answers_for,
    seed_workshop,
    write_answers,
)

# Every field "ja" (category 1), except MS: "nein" (category 4).
ANSWERS = {"MS": "nein", "IO": "ja", "FZ": "ja", "AW": "ja", "EB": "ja", "ZB": "ja", "KK": "ja"}
# A room of four that puts MS into category 2.
MOOD_ROOM = WorkshopSpec(
    rounds=[RoundSpec("mood", {"MS": ["2", "2", "2", "3"], "IO": ["1", "1", "2", "1"]})],
    min_n=3,
)

AddMunicipality = Callable[..., Awaitable[Assessment]]


@pytest.fixture
def add_municipality(database: Database, world_questionnaire: Questionnaire) -> AddMunicipality:
    """A municipality of `moderator` with one assessment, answered and (by default)
    submitted, optionally with a workshop."""

    async def add(
        moderator: User,
        name: str,
        *,
        answers: Mapping[str, str] = ANSWERS,
        submitted: bool = True,
        workshop: WorkshopSpec | None = None,
        questionnaire: Questionnaire = world_questionnaire,
    ) -> Assessment:
        async with database.writing() as session:
            municipality = await create_municipality(session, moderator, name)
            assessment = await create_assessment(session, municipality, questionnaire, "2026")
        await write_answers(
            database, assessment, questionnaire, answers_for(questionnaire, answers)
        )
        if workshop is not None:
            await seed_workshop(database, assessment, questionnaire, workshop)
        if submitted:
            async with database.writing() as session:
                stored = await session.get(Assessment, assessment.id)
                assert stored is not None
                submit(stored, "Test")
        return assessment

    return add
