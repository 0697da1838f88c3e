"""Gathering the report from the database (`build_report_data`)."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.comparison import ReportData
from selfcheck.reporting.export_format import encode_export
from selfcheck.reporting.importing import decode_export
from selfcheck.reporting.service import build_report_data, report_from_export
from tests.conftest import World
from tests.reporting.conftest import Diverging

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def _report(
    database: Database, registry: QuestionnaireRegistry, assessment_id: int
) -> ReportData:
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        return await build_report_data(session, registry, assessment)


async def test_two_fields_rated_best_by_the_administration_but_third_by_the_workshop_are_flagged(
    database: Database, registry: QuestionnaireRegistry, diverging: Diverging
) -> None:
    report = await _report(database, registry, diverging.assessment.id)

    flagged = [f.field_id for f in report.fields if f.divergence_label == "deutliche Abweichung"]
    assert flagged == ["MS", "IO"]
    for field in report.fields:
        overall = field.workshop.overall
        assert overall is not None and overall.shown
        expected = (1, 3) if field.field_id in {"MS", "IO"} else (2, 2)
        assert (field.admin.category, overall.median) == expected, field.field_id
    assert {f.divergence for f in report.fields if f.field_id not in {"MS", "IO"}} == {"none"}


async def test_the_report_names_the_round_and_workshop_behind_the_workshops_view(
    database: Database, registry: QuestionnaireRegistry, diverging: Diverging
) -> None:
    report = await _report(database, registry, diverging.assessment.id)
    source = report.fields[0].workshop.source
    assert source is not None
    assert (source.workshop, source.kind_label) == ("Workshop im Rathaus", "Stimmungsbild")
    assert source.closed_at is not None
    assert [(w.title, w.participants, w.rounds_closed) for w in report.workshops] == [
        ("Workshop im Rathaus", 13, 2)
    ]
    ms_questions = report.fields[0].questions
    assert [(q.question_id, q.n, q.majority) for q in ms_questions] == [
        ("MS-01", 12, ["nein"]),
        ("MS-02", 12, ["teilweise", "nein"]),
    ]


async def test_an_assessment_without_workshop_says_so_for_every_field(
    database: Database, registry: QuestionnaireRegistry, world: World
) -> None:
    report = await _report(database, registry, world.bstadt_assessment.id)
    assert report.workshops == []
    assert all(f.workshop.overall is None for f in report.fields)
    assert {f.divergence_label for f in report.fields} == {"kein Vergleich möglich"}
    assert {f.admin.category_label for f in report.fields} == {"nicht bewertbar"}
    assert {f.admin.share for f in report.fields} == {None}  # no answers: no share, not 0 %


async def test_a_report_from_an_export_file_equals_the_report_from_the_database(
    database: Database, registry: QuestionnaireRegistry, diverging: Diverging
) -> None:
    async with database.reading() as session:
        export = await export_assessment(session, diverging.assessment)
    from_file = report_from_export(registry, decode_export(encode_export(export)))
    from_database = await _report(database, registry, diverging.assessment.id)
    assert msgspec.structs.replace(from_file, generated_at=_EPOCH) == msgspec.structs.replace(
        from_database, generated_at=_EPOCH
    )
