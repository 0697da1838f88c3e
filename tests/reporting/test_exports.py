"""CSV and XLSX exports: safe for spreadsheets, readable in a German Excel, anonymous."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.exports import (
    Table,
    build_tables,
    csv_bytes,
    csv_zip,
    neutralise,
    xlsx_bytes,
)
from selfcheck.reporting.service import report_from_export
from tests.reporting.conftest import FORMULA_COMMENT, Diverging


@pytest.mark.parametrize(
    "dangerous",
    ["=1+1", "+49 30 1234", "-2", "@SUMME(A1)", "\t=1+1", "\r=1+1", "\uff1d1+1"],
)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(
    dangerous: str,
) -> None:
    assert neutralise(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Ja", "Über 50 %", "", "E-Mail", "2026", "'=schon"])
def test_ordinary_text_and_numbers_stay_as_they_are(harmless: str) -> None:
    assert neutralise(harmless) == harmless
    assert neutralise(-3) == -3


@pytest.fixture
async def tables(
    database: Database,
    registry: QuestionnaireRegistry,
    questionnaire: Questionnaire,
    diverging: Diverging,
) -> dict[str, Table]:
    """The diverging assessment's export tables by name, in the order of the downloads."""
    async with database.reading() as session:
        export = await export_assessment(session, diverging.assessment)
    built = build_tables(questionnaire, export, report_from_export(registry, export))
    return {table.name: table for table in built}


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


async def test_csv_is_utf8_with_bom_and_semicolons_so_german_excel_keeps_umlauts(
    tables: dict[str, Table],
) -> None:
    data = csv_bytes(tables["Antworten"])
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = _rows(data)
    assert header[:5] == ["Handlungsfeld", "Frage-ID", "Thema", "Frage", "Antwort"]
    assert len(rows) == 105
    io_02 = next(r for r in rows if r[1] == "IO-02")
    assert io_02[6] == "Schulungen für Führungskräfte – läuft"
    assert "\r\n" in data.decode("utf-8-sig")


async def test_formulas_in_comments_and_notes_are_neutralised_in_csv_and_xlsx(
    tables: dict[str, Table],
) -> None:
    answers = _rows(csv_bytes(tables["Antworten"]))
    assert next(r for r in answers if r[1] == "MS-01")[6] == "'" + FORMULA_COMMENT
    notes = _rows(csv_bytes(tables["Notizen und Maßnahmen"]))
    assert [r[3] for r in notes if r[3].startswith("'")] == [
        "'@Verwaltung: Ziele sind nicht messbar.",
        "'+Schulungen für alle Ämter",
    ]

    workbook = load_workbook(io.BytesIO(xlsx_bytes(list(tables.values()))))
    sheet = workbook["Antworten"]
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if row[1].value == "MS-01")
    assert cell.value == "'" + FORMULA_COMMENT
    assert cell.data_type == "s"  # text, not a formula
    formulas = [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


async def test_the_workbook_has_one_sheet_per_table_with_a_bold_frozen_header(
    tables: dict[str, Table],
) -> None:
    workbook = load_workbook(io.BytesIO(xlsx_bytes(list(tables.values()))))
    assert workbook.sheetnames == [
        "Vergleich", "Antworten", "Verlauf", "Stimmen", "Notizen und Maßnahmen",
        "Maßnahmenplan",
    ]  # fmt: skip
    comparison = workbook["Vergleich"]
    assert comparison["A1"].font.bold and comparison.freeze_panes == "A2"
    header, *body = comparison.iter_rows(values_only=True)
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    ms = rows["Management und Steuerung"]
    assert list(ms.values())[1:5] == [1, 1.0, 13, 3]
    assert ms["Abstand (häufigste − Verwaltung)"] == 2
    assert ms["Bewertung"] == "deutliche Abweichung"
    votes = workbook["Stimmen"]
    assert votes.max_row - 1 == 13 + 13 + 5 * 12 + 12 + 12  # every single vote, one row each


async def test_votes_name_a_stakeholder_group_only_where_it_reaches_the_minimum(
    tables: dict[str, Table],
) -> None:
    header, *rows = _rows(csv_bytes(tables["Stimmen"]))
    group = header.index("Gruppe")
    ms_mood = [r for r in rows if r[2] == "Stimmungsbild" and r[4] == "MS"]
    # One participant from Wirtschaft: never named; merged with the smallest group instead.
    assert {r[group] for r in ms_mood} == {
        "Politik",
        "Zivilgesellschaft",
        "Weitere (zusammengefasst)",
    }
    assert "Wirtschaft" not in {r[group] for r in rows}
    assert all(r[-1] for r in rows)  # every vote has its time


async def test_the_csv_download_holds_one_file_per_table(tables: dict[str, Table]) -> None:
    archive = zipfile.ZipFile(io.BytesIO(csv_zip(tables.values())))
    assert archive.namelist() == [
        "vergleich.csv", "antworten.csv", "verlauf.csv", "stimmen.csv",
        "notizen-und-massnahmen.csv", "massnahmenplan.csv",
    ]  # fmt: skip
    history = _rows(archive.read("verlauf.csv"))
    assert history[0] == [
        "Frage-ID", "Version", "Antwort", "Antwortwert", "Kommentar", "Geändert von",
        "Geändert am",
    ]  # fmt: skip
    assert len(history) - 1 == 105
