"""Two fully furnished municipalities: Aheim (moderated by Alice) and Bstadt (by Bob).

Each has staff links, answers, a workshop with an open round, a participant, a note and a
scribe link, and each carries a marker string in its texts, so a test can tell from any
page or JSON body whose data it shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from selfcheck.actionplan import services as actionplan
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.assessments.answers import save_answer
from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.workshop import notes, rounds, votes, workshops
from tests.conftest import World
from tests.live_server import ServerProcess


@dataclass(frozen=True)
class Town:
    name: str
    marker: str  # appears in this town's answers, names, workshop and notes only
    municipality_id: int
    assessment_id: int
    invitation_id: int  # the coordinator's invitation
    staff_token: str  # the coordinator's link
    colleague_token: str
    workshop_id: int
    join_code: str
    round_id: int
    note_id: int
    scribe_token: str
    participant_id: str
    measure_id: int

    def values(self, token_kind: str | None = None) -> dict[str, str]:
        """Values for the path parameters of any route, pointing at this town's data."""
        values = {
            "municipality_id": str(self.municipality_id),
            "assessment_id": str(self.assessment_id),
            "invitation_id": str(self.invitation_id),
            "workshop_id": str(self.workshop_id),
            "round_id": str(self.round_id),
            "note_id": str(self.note_id),
            "measure_id": str(self.measure_id),
            "code": self.join_code,
        }
        if token_kind is not None:
            values["token"] = {"staff": self.staff_token, "scribe": self.scribe_token}[token_kind]
        return values


@dataclass(frozen=True)
class Towns:
    aheim: Town
    bstadt: Town


async def furnish(
    database: Database,
    registry: QuestionnaireRegistry,
    name: str,
    municipality_id: int,
    assessment_id: int,
    marker: str,
) -> Town:
    questionnaire = registry.latest()
    async with database.writing() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        assessment.report_released = True  # so that the staff report pages exist too
        coordinator, staff_token = await invite(
            session, assessment, f"Koordination {marker}", "Hauptamt", is_coordinator=True
        )
        _, colleague_token = await invite(session, assessment, f"Kollegin {marker}", "Sozialamt")
        for question_id in ("MS-01", "KK-01"):
            await save_answer(
                session,
                assessment,
                questionnaire,
                question_id=question_id,
                value="teilweise",
                comment=f"Kommentar {marker}",
                base_version=0,
                editor=f"Koordination {marker}",
            )
    async with database.writing() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        workshop = await workshops.create_workshop(session, assessment, f"Workshop {marker}")
        round_ = await rounds.create_round(session, workshop, questionnaire, "field", "MS")
        await rounds.open_round(session, workshop, round_.id)
        participant = await workshops.join(session, workshop, None)
        await votes.cast_vote(
            session, participant, round_.id, "MS", "2", questionnaire=questionnaire
        )
        note = await notes.add_note(
            session, workshop, questionnaire, "MS", "strength", f"Notiz {marker}"
        )
        scribe_token = await workshops.issue_scribe_token(session, workshop)
        measure = await actionplan.create_measure(
            session, assessment, questionnaire,
            MeasureInput(field_id="MS", title=f"Maßnahme {marker}", responsible="Sozialamt"),
            by=f"Koordination {marker}",
        )  # fmt: skip
    return Town(
        name=name,
        marker=marker,
        municipality_id=municipality_id,
        assessment_id=assessment_id,
        invitation_id=coordinator.id,
        staff_token=staff_token,
        colleague_token=colleague_token,
        workshop_id=workshop.id,
        join_code=workshop.join_code,
        round_id=round_.id,
        note_id=note.id,
        scribe_token=scribe_token,
        participant_id=participant.id,
        measure_id=measure.id,
    )


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    """For checks that do not depend on the database backend: run them once."""
    if not database_url.startswith("sqlite"):
        pytest.skip("hängt nicht vom Datenbanksystem ab – einmal (mit SQLite) genügt")


@pytest.fixture
async def towns(database: Database, registry: QuestionnaireRegistry, world: World) -> Towns:
    aheim = await furnish(
        database,
        registry,
        "Aheim",
        world.aheim.id,
        world.aheim_assessment.id,
        "Aheim-Geheimnis-7c1",
    )
    bstadt = await furnish(
        database,
        registry,
        "Bstadt",
        world.bstadt.id,
        world.bstadt_assessment.id,
        "Bstadt-Geheimnis-4e9",
    )
    return Towns(aheim, bstadt)


@pytest.fixture(scope="session")
def live_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The real server, shared by the tests that need one (starting it takes seconds).
    Tests seed their data with `towns`; the server reads it from the database."""
    with ServerProcess(database_url, tmp_path_factory.mktemp("live")) as server:
        yield server
