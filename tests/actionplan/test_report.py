"""The action plan in the report: page, DOCX ("Baustein Maßnahmenplan"), XLSX and CSV."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfcheck.actionplan import services
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting import bundle
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.service import report_from_export
from selfcheck.settings import PROJECT_ROOT
from selfcheck.vocabulary import MeasureStatus
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in
from tests.reporting.pdf_layout import convert_to_pdf, read_pages

TEMPLATE = PROJECT_ROOT / "reports" / "template.docx"


async def _with_plan(
    database: Database, registry: QuestionnaireRegistry, world: World, q: Questionnaire
) -> tuple[object, object]:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        old = await services.create_measure(
            session, assessment, q,
            MeasureInput(field_id="MS", title="Leitbild beschließen", responsible="Hauptamt",
                         deadline=date(2020, 5, 1)),
            by="M",
        )  # fmt: skip
        done = await services.create_measure(
            session, assessment, q, MeasureInput(field_id="KK", title="Sprachmittlerpool"), by="M"
        )
        await services.change_status(session, done, MeasureStatus.DONE, by="M", reason="Läuft")
        assert old.id
        export = await export_assessment(session, assessment)
    return export, report_from_export(registry, export)


async def test_the_report_page_shows_the_plan_with_the_overdue_mark(
    client: Client, database: Database, registry: QuestionnaireRegistry, world: World,
    questionnaire: Questionnaire,
) -> None:  # fmt: skip
    await _with_plan(database, registry, world, questionnaire)
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/bericht")
    assert "Baustein Maßnahmenplan" in page.text
    assert "Leitbild beschließen" in page.text and "überfällig" in page.text


async def test_the_xlsx_has_a_plan_sheet_and_the_csv_a_plan_file(
    database: Database, registry: QuestionnaireRegistry, world: World,
    questionnaire: Questionnaire,
) -> None:  # fmt: skip
    export, report = await _with_plan(database, registry, world, questionnaire)
    workbook = load_workbook(io.BytesIO(bundle.xlsx_file(registry, export, report)))  # type: ignore[arg-type]
    sheet = workbook["Maßnahmenplan"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Handlungsfeld", "Maßnahme", "Beschreibung"]
    assert any("Sprachmittlerpool" in row and "umgesetzt" in row for row in rows)
    archive = zipfile.ZipFile(io.BytesIO(bundle.csv_file(registry, export, report)))  # type: ignore[arg-type]
    assert "Leitbild beschließen" in archive.read("massnahmenplan.csv").decode("utf-8-sig")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice fehlt")
async def test_the_docx_has_the_baustein_with_a_table_per_field(
    database: Database, registry: QuestionnaireRegistry, world: World,
    questionnaire: Questionnaire, tmp_path: Path, database_url: str,
) -> None:  # fmt: skip
    if not database_url.startswith("sqlite"):
        pytest.skip("hängt nicht vom Datenbanksystem ab")
    _, report = await _with_plan(database, registry, world, questionnaire)
    docx = tmp_path / "bericht.docx"
    docx.write_bytes(bundle.docx_bytes(report, TEMPLATE))  # type: ignore[arg-type]
    pages = read_pages(convert_to_pdf("soffice", docx))
    text = " ".join(w.text for p in pages for w in p.words)
    assert "Baustein Maßnahmenplan" in text
    assert "Leitbild beschließen" in text and "überfällig" in text
    assert "Sprachmittlerpool" in text
