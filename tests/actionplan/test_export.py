"""The action plan in the export format (version 3): round trip, and older files."""

from __future__ import annotations

import json

import pytest

from selfcheck.actionplan import services
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Base
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.export_format import FORMAT_VERSION, AssessmentExport, encode_export
from selfcheck.reporting.importing import ImportRefused, decode_export, import_export
from selfcheck.vocabulary import MeasureStatus
from tests.conftest import World


async def _export(database: Database, assessment_id: int) -> AssessmentExport:
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        return await export_assessment(session, assessment)


@pytest.fixture
async def planned_export(
    database: Database, world: World, questionnaire: Questionnaire, measure_note: int
) -> AssessmentExport:
    """Aheim's assessment exported with a plan of two measures: the workshop's measure note,
    adopted and done, and the next step for MS-01."""
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        adopted = await services.adopt_workshop_note(
            session, assessment, questionnaire, measure_note, by="M"
        )
        await services.change_status(
            session, adopted, MeasureStatus.DONE, by="Hauptamt", reason="Beschluss gefasst"
        )
        await services.adopt_next_step(session, assessment, questionnaire, "MS-01", by="M")
    return await _export(database, world.aheim_assessment.id)


async def test_the_plan_with_its_history_survives_export_and_import(
    database: Database, registry: QuestionnaireRegistry, planned_export: AssessmentExport
) -> None:
    first = planned_export
    assert first.format_version == FORMAT_VERSION == 3
    adopted = first.measures[0]
    assert adopted.source_note is not None and (
        adopted.source_note.workshop,
        adopted.source_note.note,
    ) == (1, 1)
    assert [c.new_status for c in adopted.history] == ["planned", "done"]
    assert adopted.deadline == "2027-06"
    async with database.writing() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(table.delete())
    async with database.writing() as session:
        imported = await import_export(session, registry, decode_export(encode_export(first)))
        new_id = imported.id
    again = await _export(database, new_id)
    comparable = [json.loads(encode_export(e)) for e in (first, again)]
    for data in comparable:
        del data["exported_at"]
    assert comparable[0] == comparable[1]


async def test_a_file_of_version_2_without_a_plan_still_reads(
    database: Database, world: World
) -> None:
    data = json.loads(encode_export(await _export(database, world.aheim_assessment.id)))
    data["format_version"] = 2
    del data["measures"]
    assert decode_export(json.dumps(data).encode()).measures == []


async def test_a_measure_in_a_file_with_an_unknown_field_is_refused(
    database: Database, registry: QuestionnaireRegistry, planned_export: AssessmentExport
) -> None:
    data = json.loads(encode_export(planned_export))
    data["measures"][1]["field_id"] = "XX"
    async with database.writing() as session:
        try:
            await import_export(session, registry, decode_export(json.dumps(data).encode()))
        except ImportRefused as error:
            assert any("Handlungsfeld „XX“ gibt es" in p for p in error.problems)
        else:
            raise AssertionError("the import should have been refused")
