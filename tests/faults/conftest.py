"""Fault tests run the real server (`python -m selfcheck serve`) in a subprocess on
127.0.0.1, against the test session's database (SQLite file and, where configured, the
scratch PostgreSQL database), and break things on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.workshop import rounds, workshops
from tests.conftest import World
from tests.faults.writers import AutosavingEditor, VotingParticipant
from tests.live_server import ServerProcess


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    """First in a test's arguments, so the skip comes before any data is set up."""
    if not database_url.startswith("sqlite"):
        pytest.skip("betrifft SQLite")


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    """Not started yet: the test decides when to start, kill and restart it."""
    process = ServerProcess(database_url, tmp_path)
    yield process
    process.stop()


async def invite_staff(database: Database, assessment_id: int, count: int) -> list[str]:
    async with database.writing() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        return [(await invite(session, assessment, f"Person {n}"))[1] for n in range(count)]


def editors(
    tokens: list[str], question_ids: list[str], per_editor: int, assessment_id: int
) -> list[AutosavingEditor]:
    """One editor per link, each with questions of their own; every other one uses the
    JSON API instead of the htmx form endpoint."""
    assert len(tokens) * per_editor <= len(question_ids)
    return [
        AutosavingEditor(
            name=f"Person {n}",
            token=token,
            assessment_id=assessment_id,
            question_ids=question_ids[n * per_editor : (n + 1) * per_editor],
            use_api=n % 2 == 1,
        )
        for n, token in enumerate(tokens)
    ]


@dataclass(frozen=True)
class OpenRound:
    join_code: str
    round_id: int
    item_keys: list[str]

    def participants(self, count: int) -> list[VotingParticipant]:
        return [
            VotingParticipant(
                name=f"Teilnehmer {n}",
                join_code=self.join_code,
                round_id=self.round_id,
                item_keys=self.item_keys,
            )
            for n in range(count)
        ]


@pytest.fixture
def question_ids(registry: QuestionnaireRegistry) -> list[str]:
    return [q.id for f in registry.latest().fields for q in f.questions]


@pytest.fixture
async def open_round(
    database: Database, registry: QuestionnaireRegistry, world: World
) -> OpenRound:
    """A workshop of Aheim with an open Stimmungsbild round (one item per field)."""
    questionnaire = registry.latest()
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        workshop = await workshops.create_workshop(session, assessment, "Werkstatt")
        round_ = await rounds.create_round(session, workshop, questionnaire, "mood")
        await rounds.open_round(session, workshop, round_.id)
        return OpenRound(workshop.join_code, round_.id, [f.id for f in questionnaire.fields])
