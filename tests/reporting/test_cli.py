"""`selfcheck report`, `selfcheck export` and `selfcheck import`, run as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment
from tests.cli_runner import run_cli
from tests.reporting.conftest import Diverging


def _env(database_url: str) -> dict[str, str]:
    return {
        "SELFCHECK_DATABASE_URL": database_url,
        "SELFCHECK_SECRET_KEY": "test-secret-key-" + "x" * 32,
    }


async def test_report_writes_the_docx_charts_and_tables_of_an_assessment(
    database_url: str, diverging: Diverging, tmp_path: Path
) -> None:
    out = tmp_path / "bericht"
    result = await run_cli(
        "report", str(diverging.assessment.id), "--out", str(out), env=_env(database_url)
    )
    assert result.exit_code == 0, result.output
    assert "Bericht für „Aheim: Selbstcheck 2026“ geschrieben:" in result.output
    assert len(Document(str(out / "vergleichsbericht.docx")).inline_shapes) == 3
    for name in ("radar", "verteilung", "fragen-MS"):
        assert (out / "diagramme" / f"{name}.png").stat().st_size > 10_000
        assert (out / "diagramme" / f"{name}.svg").read_text().startswith("<?xml")
    assert (out / "daten.xlsx").exists() and (out / "export.json").exists()
    assert (out / "csv" / "stimmen.csv").read_bytes().startswith(b"\xef\xbb\xbf")


async def test_an_export_file_imports_as_a_new_assessment_and_gives_the_same_report(
    database_url: str, database: Database, diverging: Diverging, tmp_path: Path
) -> None:
    env = _env(database_url)
    export_file = tmp_path / "aheim.json"
    exported = await run_cli(
        "export", str(diverging.assessment.id), "--out", str(export_file), env=env
    )
    assert exported.exit_code == 0, exported.output
    assert "105 Antworten, 1 Workshop(s)" in exported.output

    imported = await run_cli("import", str(export_file), env=env)
    assert imported.exit_code == 0, imported.output
    assert "Importiert: „Selbstcheck 2026“ der Kommune „Aheim“" in imported.output
    async with database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Assessment)) == 3

    from_file = await run_cli(
        "report", "--from-export", str(export_file), "--out", str(tmp_path / "aus-datei"), env=env
    )
    assert from_file.exit_code == 0, from_file.output
    summary = json.loads((tmp_path / "aus-datei" / "export.json").read_text())
    assert summary["municipality"]["name"] == "Aheim"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "424242", "--out", "{tmp}"],
         "Einen Selbstcheck mit der Nummer 424242 gibt es nicht."),
        (["report", "--out", "{tmp}"], "Bitte geben Sie entweder die Nummer eines Selbstchecks"),
        (["export", "424242", "--out", "{tmp}/x.json"], "Einen Selbstcheck mit der Nummer 424242"),
        (["import", "{tmp}/gibt-es-nicht.json"],
         "Die Datei {tmp}/gibt-es-nicht.json gibt es nicht."),
        (["import", "{tmp}/kaputt.json"], "Die Datei ist kein gültiges JSON"),
        (["report", "--from-export", "{tmp}/fremd.json", "--out", "{tmp}"],
         "Die Datei ist keine Selbstcheck-Exportdatei"),
    ],
    ids=["unknown_assessment", "nothing_given", "export_unknown", "missing_file", "not_json",
         "foreign_json"],
)  # fmt: skip
async def test_mistakes_end_with_a_german_message_exit_code_1_and_no_traceback(
    database_url: str, database: Database, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "kaputt.json").write_text("{ kein json")
    (tmp_path / "fremd.json").write_text('{"format": "etwas-anderes"}')
    result = await run_cli(*(a.format(tmp=tmp_path) for a in args), env=_env(database_url))
    assert result.exit_code == 1
    assert result.output.startswith("Fehler: ")
    assert message.format(tmp=tmp_path) in result.output
    assert "Traceback" not in result.output
