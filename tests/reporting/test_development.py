"""Development over the years: every earlier Selbstcheck of the municipality beside today's,
in the results page, the report page, the DOCX and the XLSX."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from selfcheck.assessments.answers import save_answer
from selfcheck.assessments.development import (
    Development,
    Snapshot,
    build_development,
    development_of,
    trend,
)
from selfcheck.assessments.results import field_outcomes
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, utcnow
from selfcheck.demo import PREVIOUS_TITLE, previous_questionnaire, seed_demo
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.bundle import docx_bytes
from selfcheck.reporting.service import build_report_data
from selfcheck.vocabulary import Trend
from tests.cli_runner import run_cli
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in
from tests.reporting.pdf_layout import (
    convert_to_pdf,
    document_words,
    read_pages,
    render_pages,
    split_words,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "reports" / "template.docx"
ARTIFACTS = ROOT / "test-artifacts" / "docx-entwicklung"


def test_a_smaller_category_number_is_better() -> None:
    assert trend(1, 2) == Trend.BETTER and trend(3, 2) == Trend.WORSE
    assert trend(2, 2) == Trend.SAME and trend(None, 2) == Trend.NOT_COMPARABLE
    assert (Trend.BETTER.arrow, Trend.WORSE.arrow, Trend.SAME.arrow) == ("↑", "↓", "→")


def _snapshot(questionnaire: Questionnaire, title: str, days_ago: int, value: str) -> Snapshot:
    answers = {q.id: value for f in questionnaire.fields for q in f.questions}
    return Snapshot(
        title=title,
        date=utcnow() - timedelta(days=days_ago),
        questionnaire=questionnaire,
        outcomes=field_outcomes(questionnaire, answers),
        current=days_ago == 0,
    )


def test_three_assessments_line_up_oldest_first_with_a_trend_against_each(
    registry: QuestionnaireRegistry,
) -> None:
    newest = registry.latest()
    development = build_development(
        _snapshot(newest, "Heute", 0, "teilweise"),
        [
            _snapshot(newest, "Vor zwei Jahren", 730, "ja"),
            _snapshot(newest, "Vor vier", 1460, "nein"),
        ],
    )
    assert [a.title for a in development.assessments] == ["Vor vier", "Vor zwei Jahren", "Heute"]
    ms = development.fields[0]
    assert [p.category for p in ms.points] == [4, 1, 2]
    assert [p.trend for p in ms.points] == ["better", "worse", ""]
    assert all(not p.not_comparable for p in ms.points)  # same version: nothing to name
    assert development.implemented_measures == {}


def test_questions_that_changed_between_versions_are_named(
    registry: QuestionnaireRegistry,
) -> None:
    older = registry.get("weltoffene-kommune", "2026.1")
    development = build_development(
        _snapshot(registry.latest(), "Heute", 0, "ja"), [_snapshot(older, "Damals", 730, "ja")]
    )
    ms_then = development.fields[0].points[0]
    assert ms_then.not_comparable[0].startswith("geändert: MS-03, MS-04")
    assert any(line == "entfallen: MS-02" for line in ms_then.not_comparable)
    io_then = next(f for f in development.fields if f.field_id == "IO").points[0]
    assert any(line.startswith("neu: IO-17") for line in io_then.not_comparable)


# --- The demo: two assessments, then a third -------------------------------------------


@pytest.fixture
async def demo(database: Database, registry: QuestionnaireRegistry) -> Assessment:
    assessment_id = await seed_demo(database, registry.latest(), previous_questionnaire(registry))
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        return assessment


async def _development(
    database: Database, registry: QuestionnaireRegistry, assessment: Assessment
) -> Development:
    async with database.reading() as session:
        development = await development_of(session, registry, assessment)
    assert development is not None
    return development


async def test_the_demo_shows_fields_that_improved_and_fields_that_slipped(
    database: Database, registry: QuestionnaireRegistry, demo: Assessment
) -> None:
    development = await _development(database, registry, demo)
    assert [a.title for a in development.assessments] == [PREVIOUS_TITLE, "Selbstcheck 2027"]
    assert demo.previous_assessment_id is not None
    trends = {f.field_id: f.points[0].trend for f in development.fields}
    assert trends == {
        "MS": "better", "IO": "better", "FZ": "better", "AW": "same",
        "EB": "better", "ZB": "worse", "KK": "worse",
    }  # fmt: skip


async def test_an_assessment_without_earlier_ones_has_no_development(
    database: Database, registry: QuestionnaireRegistry, world: World
) -> None:
    async with database.reading() as session:
        assert await development_of(session, registry, world.aheim_assessment) is None


async def _add_third(
    database: Database, registry: QuestionnaireRegistry, demo: Assessment
) -> Assessment:
    """Submit today's demo assessment and add a newer, open one with a few answers."""
    questionnaire = registry.latest()
    async with database.writing() as session:
        current = await session.get(Assessment, demo.id)
        assert current is not None
        current.status, current.submitted_at = "submitted", utcnow() - timedelta(days=1)
        third = Assessment(
            municipality_id=current.municipality_id, title="Selbstcheck 2029",
            questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
            previous_assessment_id=current.id,
        )  # fmt: skip
        session.add(third)
        await session.flush()
        for question in questionnaire.fields[0].questions:
            await save_answer(
                session, third, questionnaire, question_id=question.id, value="nein",
                comment="", base_version=0, editor="Test",
            )  # fmt: skip
        return third


async def test_three_assessments_show_in_results_report_docx_and_xlsx(
    client: Client,
    database: Database,
    registry: QuestionnaireRegistry,
    demo: Assessment,
    password_hash: str,
) -> None:
    third = await _add_third(database, registry, demo)
    development = await _development(database, registry, third)
    assert [a.title for a in development.assessments] == [
        PREVIOUS_TITLE, "Selbstcheck 2027", "Selbstcheck 2029",
    ]  # fmt: skip
    assert [p.trend for p in development.fields[0].points] == ["worse", "worse", ""]

    from selfcheck.db.models import User

    async with database.writing() as session:
        session.add(User(email="admin@demo.example", password_hash=password_hash, role="admin"))
    await log_in(client, "admin@demo.example", PASSWORD)

    results = await client.get(f"/moderation/selbstchecks/{third.id}/ergebnis")
    assert results.status_code == 200
    assert "Entwicklung seit den früheren Selbstchecks" in results.text
    assert "heute schlechter" in results.text and PREVIOUS_TITLE in results.text
    assert "name=entwicklung" in results.text and "Diagramm als Text" in results.text
    assert "Nicht vergleichbar: geänderte Fragen" in results.text

    report = await client.get(f"/moderation/selbstchecks/{third.id}/bericht")
    assert "Entwicklung seit den früheren Selbstchecks" in report.text
    chart = await client.get(
        f"/moderation/selbstchecks/{third.id}/bericht/diagramm?name=entwicklung&format=svg"
    )
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg")

    xlsx = await client.get(f"/moderation/selbstchecks/{third.id}/bericht/daten.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Entwicklung"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == (
        "Handlungsfeld",
        "Selbstcheck",
        "Datum",
        "Fragebogen-Version",
        "Kategorie",
    )
    assert len(rows) == 1 + 7 * 3
    assert {r[1] for r in rows[1:]} == {PREVIOUS_TITLE, "Selbstcheck 2027", "Selbstcheck 2029"}

    csv = await client.get(f"/moderation/selbstchecks/{third.id}/bericht/daten-csv.zip")
    with zipfile.ZipFile(io.BytesIO(csv.content)) as archive:
        lines = archive.read("entwicklung.csv").decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 7 * 3 and lines[0].startswith("Handlungsfeld;Selbstcheck;Datum")

    docx = await client.get(f"/moderation/selbstchecks/{third.id}/bericht/vergleichsbericht.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Entwicklung seit dem letzten Selbstcheck" in text
    assert "Nicht vergleichbar: geänderte Fragen" in text
    tables = Document(io.BytesIO(docx.content)).tables
    development_table = next(t for t in tables if t.rows[0].cells[0].text == "Handlungsfeld"
                             and PREVIOUS_TITLE in t.rows[0].cells[1].text)  # fmt: skip
    assert "↓ heute schlechter" in development_table.rows[1].cells[1].text


async def test_the_development_pages_of_the_docx_read_well_as_pdf(
    database: Database, registry: QuestionnaireRegistry, demo: Assessment, tmp_path: Path
) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice oder poppler-utils fehlen")
    async with database.reading() as session:
        report = await build_report_data(session, registry, demo)
    assert report.development is not None
    data = docx_bytes(report, TEMPLATE)
    source = tmp_path / "entwicklung.docx"
    source.write_bytes(data)
    pdf = convert_to_pdf(office, source)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    render_pages(pdf, ARTIFACTS)  # for people to look at
    pages = read_pages(pdf)
    texts = [" ".join(w.text for w in page.words) for page in pages]
    page = next(t for t in texts if "Entwicklung seit dem letzten Selbstcheck" in t and "↑" in t)
    assert PREVIOUS_TITLE in page and "Kategorie" in page and "↓" in page
    assert any("Nicht vergleichbar: geänderte Fragen" in t for t in texts)
    own = {
        number
        for number, text in enumerate(texts, start=1)
        if "Entwicklung seit dem letzten" in text or "Nicht vergleichbar" in text
    }
    splits = split_words(pages, document_words(data))
    assert [str(split) for split in splits if split.page in own] == []


async def test_the_report_command_writes_the_development_too(
    database_url: str, demo: Assessment, tmp_path: Path
) -> None:
    env = {
        "SELFCHECK_DATABASE_URL": database_url,
        "SELFCHECK_SECRET_KEY": "test-secret-key-" + "x" * 32,
    }
    out = tmp_path / "bericht"
    result = await run_cli("report", str(demo.id), "--out", str(out), env=env)
    assert result.exit_code == 0, result.output
    assert (out / "diagramme" / "entwicklung.png").stat().st_size > 10_000
    assert "Entwicklung" in load_workbook(out / "daten.xlsx").sheetnames


async def test_measures_implemented_since_the_last_selfcheck_stand_beside_their_field(
    client: Client, database: Database, demo: Assessment, password_hash: str
) -> None:
    """The demo plan's "Willkommensmappe" became "umgesetzt" after the Selbstcheck of two
    years ago; the report lists it beside its field (IO), the XLSX beside the same row."""
    from selfcheck.db.models import User

    async with database.writing() as session:
        session.add(User(email="admin@demo.example", password_hash=password_hash, role="admin"))
    await log_in(client, "admin@demo.example", PASSWORD)
    report = await client.get(f"/moderation/selbstchecks/{demo.id}/bericht")
    listed = report.text.split("Umgesetzte Maßnahmen seit dem letzten Selbstcheck")[1]
    listed = listed.split("</dl>")[0]
    assert "Interkulturelle Öffnung" in listed
    assert "Willkommensmappe in vier Sprachen auslegen" in listed
    assert "Ansprechstelle für Vielfalt" not in listed  # still planned

    xlsx = await client.get(f"/moderation/selbstchecks/{demo.id}/bericht/daten.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content))["Entwicklung"].iter_rows(values_only=True))
    io_rows = [row for row in rows if row and "Interkulturelle Öffnung" in str(row[0])]
    assert any("Willkommensmappe" in str(cell) for cell in io_rows[-1])  # the row of today
