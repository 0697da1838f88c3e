"""The demo municipality comes with a workshop, so the report has something to compare."""

from __future__ import annotations

from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Participant, Round, Workshop
from selfcheck.demo import DEMO_WORKSHOP, seed_demo
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.service import build_report_data


async def test_the_demo_workshop_disagrees_clearly_with_the_administration_on_two_fields(
    database: Database, registry: QuestionnaireRegistry
) -> None:
    assessment_id = await seed_demo(database, registry.latest())
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        report = await build_report_data(session, registry, assessment)
        rounds = list(await session.scalars(select(Round).order_by(Round.id)))
        participants = await session.scalar(select(func.count()).select_from(Participant))

    assert participants == 30
    assert [(r.kind, r.status) for r in rounds] == [("mood", "closed"), ("questions", "closed")]
    assert [f.divergence for f in report.fields].count("strong") == 2
    assert all(f.workshop.overall and f.workshop.overall.shown for f in report.fields)
    assert any(f.workshop.groups for f in report.fields)
    assert len(report.fields[0].questions) == 4  # the question round on the first field
    assert sum(len(f.measures) for f in report.fields) >= 3
    assert sum(len(f.strengths) + len(f.needs) for f in report.fields) >= 3


async def test_seeding_the_demo_again_adds_no_second_workshop(
    database: Database, registry: QuestionnaireRegistry
) -> None:
    first = await seed_demo(database, registry.latest())
    second = await seed_demo(database, registry.latest())
    async with database.reading() as session:
        titles = list(await session.scalars(select(Workshop.title)))
    assert first == second
    assert titles == [DEMO_WORKSHOP]


async def test_the_demo_is_the_same_on_every_machine(
    database: Database, registry: QuestionnaireRegistry
) -> None:
    async def distribution() -> list[list[int]]:
        assessment_id = await seed_demo(database, registry.latest())
        async with database.reading() as session:
            assessment = await session.get(Assessment, assessment_id)
            assert assessment is not None
            report = await build_report_data(session, registry, assessment)
        return [
            [c.count for c in f.workshop.overall.counts] if f.workshop.overall else []
            for f in report.fields
        ]

    first = await distribution()
    async with database.writing() as session:
        for table in (
            "votes",
            "round_items",
            "rounds",
            "participants",
            "workshop_notes",
            "workshops",
            "answer_changes",
            "answers",
            "assessments",
            "municipalities",
        ):
            await session.execute(Assessment.metadata.tables[table].delete())  # fmt: skip
    assert await distribution() == first
