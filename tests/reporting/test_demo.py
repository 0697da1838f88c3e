"""The demo municipality tells one designed story: a questionnaire answered with care, a
workshop that doubts two fields, splits on one, and some notes for the report."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, Assessment, Base, Participant, Round, Workshop
from selfcheck.demo import DEMO_WORKSHOP, demo_answers, seed_demo
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.scoring import FieldResult, score
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.comparison import FieldComparison, ReportData
from selfcheck.reporting.export_format import AssessmentExport, encode_export
from selfcheck.reporting.importing import decode_export, import_export
from selfcheck.reporting.service import build_report_data


def _demo_results(registry: QuestionnaireRegistry) -> dict[str, FieldResult]:
    questionnaire = registry.latest()
    answers = {qid: answer.value for qid, answer in demo_answers(questionnaire).items()}
    return {result.field_id: result for result in score(questionnaire, answers)}


@pytest.fixture
async def demo(database: Database, registry: QuestionnaireRegistry) -> Assessment:
    """The demo municipality's assessment, seeded on the newest questionnaire."""
    assessment_id = await seed_demo(database, registry.latest())
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        return assessment


def by_field_id(report: ReportData) -> dict[str, FieldComparison]:
    return {f.field_id: f for f in report.fields}


def test_the_demo_answers_every_question_of_the_newest_questionnaire(
    registry: QuestionnaireRegistry,
) -> None:
    questionnaire = registry.latest()
    asked = {q.id for field in questionnaire.fields for q in field.questions}
    assert set(demo_answers(questionnaire)) == asked


def test_the_demo_refuses_a_questionnaire_it_was_not_written_for(
    registry: QuestionnaireRegistry,
) -> None:
    with pytest.raises(ValueError, match="passt nicht zum Fragebogen"):
        demo_answers(registry.get("weltoffene-kommune", "2026.1"))


def test_the_administrations_categories_follow_the_demo_story(
    registry: QuestionnaireRegistry,
) -> None:
    results = _demo_results(registry)
    categories = {field_id: result.category for field_id, result in results.items()}
    assert categories == {"MS": 1, "IO": 1, "FZ": 2, "AW": 2, "EB": 2, "ZB": 2, "KK": 3}
    # AW: a third "weiß nicht", so the category is provisional, with a lower bound.
    assert (results["AW"].provisional, results["AW"].lower_bound) == (True, 3)
    assert not any(r.provisional for f, r in results.items() if f != "AW")
    # EB: its share alone gives category 1, the unmet core criterion EB-02 caps it at 2.
    assert (results["EB"].capped_from, results["EB"].unmet_core) == (1, ["EB-02"])


def test_a_demo_field_in_category_1_meets_all_its_core_criteria(
    registry: QuestionnaireRegistry,
) -> None:
    best = [r for r in _demo_results(registry).values() if r.category == 1]
    assert best
    assert all(r.unmet_core == [] for r in best)


def test_every_nicht_zutreffend_in_the_demo_gives_its_reason(
    registry: QuestionnaireRegistry,
) -> None:
    questionnaire = registry.latest()
    not_applicable = [
        answer
        for answer in demo_answers(questionnaire).values()
        if answer.value == "nicht_zutreffend"
    ]
    assert not_applicable
    assert all("Kreis" in answer.comment for answer in not_applicable)


async def test_the_demo_workshop_doubts_two_fields_and_splits_on_one(
    database: Database, registry: QuestionnaireRegistry, demo: Assessment
) -> None:
    async with database.reading() as session:
        report = await build_report_data(session, registry, demo)
        rounds = list(await session.scalars(select(Round).order_by(Round.id)))
        participants = await session.scalar(select(func.count()).select_from(Participant))
        reasons = list(
            await session.scalars(
                select(Answer.comment).where(
                    Answer.assessment_id == demo.id, Answer.value == "nicht_zutreffend"
                )
            )
        )

    assert participants == 30
    assert [(r.kind, r.status) for r in rounds] == [("mood", "closed"), ("questions", "closed")]
    divergence = {f.field_id: f.divergence for f in report.fields}
    assert {f for f, d in divergence.items() if d == "strong"} == {"IO", "EB"}
    assert {f for f, d in divergence.items() if d == "split"} == {"FZ"}
    assert all(f.workshop.overall and f.workshop.overall.shown for f in report.fields)
    counts = {
        f.field_id: [c.count for c in f.workshop.overall.counts]
        for f in report.fields
        if f.workshop.overall
    }
    assert counts["IO"] == [3, 5, 18, 3]  # the Krefeld pattern against category 1
    assert counts["FZ"] == [13, 2, 13, 1]
    # Migrant organisations and the Integrationsrat are shown as a group of their own.
    eb_groups = {g.group: g for g in by_field_id(report)["EB"].workshop.groups}
    assert eb_groups["migration"].majority == [4]
    assert len(by_field_id(report)["IO"].questions) == 4  # the question round on the doubted field
    assert sum(len(f.measures) for f in report.fields) >= 3
    assert sum(len(f.strengths) + len(f.needs) for f in report.fields) >= 3
    assert reasons and all(reasons)


async def test_seeding_the_demo_again_adds_no_second_workshop(
    database: Database, registry: QuestionnaireRegistry
) -> None:
    first = await seed_demo(database, registry.latest())
    second = await seed_demo(database, registry.latest())
    async with database.reading() as session:
        titles = list(await session.scalars(select(Workshop.title)))
    assert first == second
    assert titles == [DEMO_WORKSHOP]


async def test_the_demo_moves_to_another_installation_with_its_nicht_zutreffend_reasons(
    database: Database, registry: QuestionnaireRegistry, demo: Assessment
) -> None:
    async with database.reading() as session:
        first = await export_assessment(session, demo)
    async with database.writing() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(table.delete())
    async with database.writing() as session:
        imported = await import_export(session, registry, decode_export(encode_export(first)))
    async with database.reading() as session:
        again = await export_assessment(session, imported)

    def answers(export: AssessmentExport) -> list[tuple[str, str | None, str]]:
        return sorted((a.question_id, a.value, a.comment) for a in export.answers)

    assert answers(again) == answers(first)
    assert [a for a in answers(first) if a[1] == "nicht_zutreffend"] == [
        ("AW-03", "nicht_zutreffend", "Die Ausländerbehörde liegt beim Kreis."),
        ("EB-13", "nicht_zutreffend", "Einbürgerungen bearbeitet der Kreis."),
        ("FZ-17", "nicht_zutreffend", "Das Gesundheitsamt liegt beim Kreis."),
        ("FZ-34", "nicht_zutreffend", "Die Ausländerbehörde liegt beim Kreis."),
    ]
