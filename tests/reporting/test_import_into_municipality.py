"""`selfcheck import FILE --municipality ID`: an earlier Selbstcheck from another
installation joins an existing municipality and counts in its development."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from selfcheck.assessments.answers import save_answer
from selfcheck.assessments.development import development_of
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Municipality, utcnow
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.export_format import encode_export
from tests.cli_runner import run_cli
from tests.conftest import World


def _env(database_url: str) -> dict[str, str]:
    return {
        "SELFCHECK_DATABASE_URL": database_url,
        "SELFCHECK_SECRET_KEY": "test-secret-key-" + "x" * 32,
    }


@pytest.fixture
async def old_export_file(
    database: Database, registry: QuestionnaireRegistry, world: World, tmp_path: Path
) -> Path:
    """Bstadt's assessment, answered and submitted two years ago, as an export file."""
    questionnaire = registry.latest()
    two_years_ago = utcnow() - timedelta(days=730)
    async with database.writing() as session:
        assessment = await session.get(Assessment, world.bstadt_assessment.id)
        assert assessment is not None
        for question in questionnaire.fields[0].questions:
            await save_answer(
                session, assessment, questionnaire, question_id=question.id, value="ja",
                comment="", base_version=0, editor="Anna Amt",
            )  # fmt: skip
        assessment.title = "Selbstcheck 2025"
        assessment.status = "submitted"
        assessment.created_at = two_years_ago - timedelta(days=30)
        assessment.submitted_at = two_years_ago
    async with database.reading() as session:
        assessment = await session.get(Assessment, world.bstadt_assessment.id)
        assert assessment is not None
        export = await export_assessment(session, assessment)
    export_file = tmp_path / "frueher.json"
    export_file.write_bytes(encode_export(export))
    return export_file


async def _assessment_count(database: Database) -> int:
    async with database.reading() as session:
        return await session.scalar(select(func.count()).select_from(Assessment)) or 0


async def test_an_export_joins_an_existing_municipality_and_its_development(
    database_url: str,
    database: Database,
    registry: QuestionnaireRegistry,
    world: World,
    old_export_file: Path,
) -> None:
    result = await run_cli(
        "import", str(old_export_file), "--municipality", str(world.aheim.id),
        env=_env(database_url),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Importiert: „Selbstcheck 2025“ der Kommune „Aheim“" in result.output

    async with database.reading() as session:
        municipalities = (await session.execute(select(Municipality))).scalars().all()
        imported = await session.scalar(
            select(Assessment).where(
                Assessment.municipality_id == world.aheim.id, Assessment.title == "Selbstcheck 2025"
            )
        )
        current = await session.get(Assessment, world.aheim_assessment.id)
        assert imported is not None and current is not None
        development = await development_of(session, registry, current)
    assert sorted(m.name for m in municipalities) == ["Aheim", "Bstadt"]  # none added
    assert current.previous_assessment_id == imported.id
    assert development is not None
    assert [a.title for a in development.assessments] == ["Selbstcheck 2025", "Selbstcheck 2026"]
    assert development.fields[0].points[0].category == 1


async def test_an_unknown_municipality_is_refused_in_german_and_nothing_changes(
    database_url: str, database: Database, old_export_file: Path
) -> None:
    before = await _assessment_count(database)
    result = await run_cli(
        "import", str(old_export_file), "--municipality", "424242", env=_env(database_url)
    )
    assert result.exit_code == 1
    assert result.output.startswith("Fehler: Eine Kommune mit der Nummer 424242 gibt es nicht.")
    assert "Traceback" not in result.output
    assert await _assessment_count(database) == before
