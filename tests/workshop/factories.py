"""Small builders for workshop tests: a three-field questionnaire and a workshop with
participants, each step in its own committed transaction like a real request."""

from __future__ import annotations

from collections.abc import Sequence

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Municipality, Participant, Round, Vote, Workshop
from selfcheck.questionnaire.schema import Category, Field, Question, Questionnaire
from selfcheck.workshop import rounds, votes, workshops
from tests.questionnaire.conftest import DEFAULT_SCALE


def _field(field_id: str, title: str, questions: int) -> Field:
    return Field(
        id=field_id,
        title=title,
        description=f"{title} in der Kommune.",
        questions=[
            Question(id=f"{field_id}-{i:02d}", text=f"Frage {i} zu {title}?")
            for i in range(1, questions + 1)
        ],
        suggestions={n: [f"Vorschlag {n}"] for n in range(1, 5)},
    )


QUESTIONNAIRE = Questionnaire(
    id="test-kommune",
    version="1",
    title="Testfragebogen",
    scale=DEFAULT_SCALE,
    categories=[
        Category(number=1, label="Weit", description="Vieles.", min_share=0.75),
        Category(number=2, label="Gut", description="Einiges.", min_share=0.5),
        Category(number=3, label="Anfang", description="Erstes.", min_share=0.25),
        Category(number=4, label="Offen", description="Wenig.", min_share=0.0),
    ],
    min_coverage=0.5,
    fields=[
        _field("MS", "Mehrsprachigkeit", 3),
        _field("VW", "Verwaltung", 2),
        _field("TH", "Teilhabe", 2),
    ],
)


async def make_assessment(database: Database, name: str = "Teststadt") -> Assessment:
    async with database.writing() as session:
        assessment = Assessment(
            municipality=Municipality(name=name),
            title="Selbstcheck 2026",
            questionnaire_id=QUESTIONNAIRE.id,
            questionnaire_version=QUESTIONNAIRE.version,
        )
        session.add(assessment)
        await session.flush()
        return assessment


async def make_workshop(
    database: Database,
    title: str = "Workshop im Rathaus",
    min_group_size: int = 3,
    reveal_admin_immediately: bool = False,
) -> Workshop:
    assessment = await make_assessment(database)
    async with database.writing() as session:
        return await workshops.create_workshop(
            session, assessment, title, min_group_size, reveal_admin_immediately
        )


async def join_many(
    database: Database, workshop: Workshop, groups: Sequence[str | None]
) -> list[Participant]:
    async with database.writing() as session:
        return [await workshops.join(session, workshop, group) for group in groups]


async def open_new_round(
    database: Database,
    workshop: Workshop,
    kind: str = "field",
    field_id: str | None = "MS",
    question_ids: Sequence[str] = (),
) -> Round:
    async with database.writing() as session:
        round_ = await rounds.create_round(
            session, workshop, QUESTIONNAIRE, kind, field_id, question_ids
        )
        return await rounds.open_round(session, workshop, round_.id)


async def vote(
    database: Database, participant: Participant, round_id: int, item_key: str, value: str
) -> Vote:
    async with database.writing() as session:
        return await votes.cast_vote(
            session, participant, round_id, item_key, value, questionnaire=QUESTIONNAIRE
        )


async def close(database: Database, workshop: Workshop, round_id: int) -> Round:
    async with database.writing() as session:
        return await rounds.close_round(session, workshop, round_id)
