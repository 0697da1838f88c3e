from __future__ import annotations

import pytest

from selfcheck.db.engine import Database
from selfcheck.db.models import WorkshopNote
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.workshop import notes, workshops
from tests.conftest import World


@pytest.fixture
def questionnaire(registry: QuestionnaireRegistry) -> Questionnaire:
    return registry.latest()


@pytest.fixture
async def measure_note(database: Database, world: World, questionnaire: Questionnaire) -> int:
    """A workshop note of kind "Maßnahme" in Aheim's assessment."""
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        workshop = await workshops.create_workshop(session, assessment, "Workshop")
        note: WorkshopNote = await notes.add_note(
            session, workshop, questionnaire, "MS", "measure",
            "Leitbild im Rat beschließen. Danach in allen Ämtern vorstellen.",
            responsible="Hauptamt", timeframe="2027-06",
        )  # fmt: skip
        return note.id
