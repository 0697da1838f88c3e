"""Report tests were written against the questions of version 2026.1 (MS-02 in a question
round, 105 answered questions of that version), so they pin their world to it with the
assessment tests' fixtures; they also show that assessments pinned to 2026.1 keep reporting
as before now that 2027.1 is the newest version."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Workshop
from selfcheck.questionnaire.schema import Questionnaire
from tests.assessments.conftest import PINNED_VERSION as PINNED_VERSION
from tests.assessments.conftest import questionnaire as questionnaire
from tests.assessments.conftest import world_questionnaire as world_questionnaire
from tests.conftest import World
from tests.reporting.builders import (
    RoundSpec,
    WorkshopSpec,
    answers_for,
    seed_workshop,
    write_answers,
)

# The administration rates MS and IO best (category 1) and the other fields category 2.
ADMIN = {"MS": "ja", "IO": "ja", "FZ": "teilweise", "AW": "teilweise", "EB": "teilweise",
         "ZB": "teilweise", "KK": "teilweise"}  # fmt: skip
GROUPS = [*["politik"] * 4, *["zivilgesellschaft"] * 5, *["verwaltung"] * 3, "wirtschaft"]
# 13 participants: most see MS and IO in category 3, and agree with the others.
MOOD: Mapping[str, Sequence[str | None]] = {
    "MS": ["3", "3", "3", "3", "3", "3", "3", "3", "2", "2", "1", "3", "4"],
    "IO": ["3", "3", "4", "3", "3", "3", "2", "3", "3", "3", "1", "1", "3"],
    **{f: ["2"] * 10 + ["1", "3", None] for f in ("FZ", "AW", "EB", "ZB", "KK")},
}
QUESTION_VOTES: Mapping[str, Sequence[str | None]] = {
    "MS-01": ["nein"] * 8 + ["ja"] * 3 + ["weiss_nicht"],
    "MS-02": ["teilweise"] * 6 + ["nein"] * 6,
}
FORMULA_COMMENT = '=HYPERLINK("http://example.org/x","Klick") – Beschluss des Ausschusses'
NOTES = [
    ("MS", "strength", "Die Steuerungsgruppe trifft sich regelmäßig.", "", ""),
    ("MS", "need", "@Verwaltung: Ziele sind nicht messbar.", "", ""),
    ("MS", "measure", "Indikatoren für alle Ziele festlegen", "Steuerungsgruppe", "bis 2027"),
    ("IO", "measure", "+Schulungen für alle Ämter", "Personalamt", "2027"),
]


@dataclass(frozen=True)
class Diverging:
    assessment: Assessment
    workshop: Workshop


@pytest.fixture
async def diverging(database: Database, world: World, questionnaire: Questionnaire) -> Diverging:
    """Aheim's assessment: all 105 questions answered, a closed Stimmungsbild that sees MS
    and IO two categories worse than the administration, a closed question round on MS,
    notes and measures (some starting like spreadsheet formulas)."""
    assessment = world.aheim_assessment
    await write_answers(
        database,
        assessment,
        questionnaire,
        answers_for(questionnaire, ADMIN),
        comments={"MS-01": FORMULA_COMMENT, "IO-02": "Schulungen für Führungskräfte – läuft"},
    )
    workshop = await seed_workshop(
        database,
        assessment,
        questionnaire,
        WorkshopSpec(
            [RoundSpec("mood", MOOD), RoundSpec("questions", QUESTION_VOTES)],
            groups=GROUPS,
            title="Workshop im Rathaus",
            notes=NOTES,
        ),
    )
    return Diverging(assessment, workshop)
