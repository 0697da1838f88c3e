"""The Word report: structure read back with python-docx, the style template, and (where
LibreOffice is installed) a headless conversion to PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Cm

from selfcheck.questionnaire.registry import DEFAULT_QUESTIONNAIRE_ID, QuestionnaireRegistry
from selfcheck.reporting import bundle
from selfcheck.reporting.comparison import ReportData, compare
from selfcheck.reporting.docx_report import (
    BULLET,
    CAPTION,
    HEADING,
    MEASURES_HEADING,
    SUBTITLE,
    TABLE,
    TITLE,
    build_docx,
)
from selfcheck.settings import PROJECT_ROOT
from tests.reporting.builders import RoundSpec, WorkshopSpec, answers_for, make_export
from tests.reporting.conftest import (
    ADMIN,
    FORMULA_COMMENT,
    GROUPS,
    MOOD,
    NOTES,
    PINNED_VERSION,
    QUESTION_VOTES,
)

TEMPLATE = PROJECT_ROOT / "reports" / "template.docx"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Built:
    report: ReportData
    data: bytes
    document: Any


@pytest.fixture(scope="module")
def built(registry: QuestionnaireRegistry) -> Built:
    # Module-scoped, so it cannot use the function-scoped `questionnaire` fixture.
    questionnaire = registry.get(DEFAULT_QUESTIONNAIRE_ID, PINNED_VERSION)
    export = make_export(
        questionnaire,
        answers_for(questionnaire, ADMIN),
        [WorkshopSpec([RoundSpec("mood", MOOD), RoundSpec("questions", QUESTION_VOTES)],
                      groups=GROUPS, title="Workshop im Rathaus", notes=NOTES)],
        comments={"MS-01": FORMULA_COMMENT},
    )  # fmt: skip
    report = compare(questionnaire, export, NOW)
    data = bundle.docx_bytes(report, TEMPLATE)
    return Built(report, data, Document(io.BytesIO(data)))


def _paragraphs(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _cells(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_title_page_names_municipality_assessment_date_and_questionnaire(
    built: Built,
) -> None:
    assert _paragraphs(built.document, TITLE) == ["Selbstcheck Weltoffene Kommune"]
    texts = [p.text for p in built.document.paragraphs[:10]]
    assert "Kommune: Teststadt" in texts
    assert "Selbstcheck: Selbstcheck 2026" in texts
    assert "Stand: 22.11.2026" in texts
    assert "Fragebogen: Selbstcheck Weltoffene Kommune, Version 2026.1" in texts


def test_the_report_has_a_summary_charts_a_section_per_field_and_the_annex(
    built: Built,
) -> None:
    fields = [f.title for f in built.report.fields]
    assert _paragraphs(built.document, HEADING[0]) == [
        "Zusammenfassung", "Diagramme", *fields, "Anhang: Fragen und Antworten der Verwaltung",
    ]  # fmt: skip
    assert _paragraphs(built.document, HEADING[1]).count(MEASURES_HEADING) == 7


def test_the_summary_table_lists_each_field_with_both_views_and_the_divergence(
    built: Built,
) -> None:
    summary = _cells(built.document.tables[0])
    assert summary[0] == [
        "Handlungsfeld", "Verwaltung", "Workshop: Median", "Workshop: häufigste", "n", "Bewertung",
    ]  # fmt: skip
    assert len(summary) == 8
    assert summary[1] == [
        "Management und Steuerung", "Kategorie 1", "Kategorie 3", "Kategorie 3", "13",
        "deutliche Abweichung",
    ]  # fmt: skip
    assert summary[3][5] == "keine Abweichung"


def test_each_chart_is_a_picture_with_text_alternative_and_caption(built: Built) -> None:
    shapes = built.document.inline_shapes
    assert len(shapes) == 3  # radar, distribution, questions of MS
    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]
    assert descriptions[0].startswith("Netzdiagramm.")
    assert all(shape.width == Cm(16.5) for shape in shapes)
    assert _paragraphs(built.document, CAPTION) == [
        "Abbildung 1: Einstufung der Verwaltung und Sicht des Workshops je Handlungsfeld",
        "Abbildung 2: Verteilung der Stimmen im Workshop je Handlungsfeld",
        "Abbildung 3: Einzelfragen im Workshop: Management und Steuerung",
    ]


def test_measures_are_a_table_of_measure_responsible_and_timeframe(built: Built) -> None:
    measures = [
        _cells(t)
        for t in built.document.tables
        if _cells(t)[0] == ["Maßnahme", "Verantwortlich", "Zeitrahmen"]
    ]
    assert measures == [
        [["Maßnahme", "Verantwortlich", "Zeitrahmen"],
         ["Indikatoren für alle Ziele festlegen", "Steuerungsgruppe", "bis 2027"]],
        [["Maßnahme", "Verantwortlich", "Zeitrahmen"],
         ["+Schulungen für alle Ämter", "Personalamt", "2027"]],
    ]  # fmt: skip
    missing = "Im Workshop wurden für dieses Handlungsfeld keine Maßnahmen festgehalten."
    assert [p.text for p in built.document.paragraphs].count(missing) == 5


def test_the_annex_has_every_question_with_answer_and_comment(built: Built) -> None:
    annex = [
        _cells(t)[1:]
        for t in built.document.tables
        if _cells(t)[0] == ["Nr.", "Frage", "Antwort", "Kommentar"]
    ]
    rows = [row for table in annex for row in table]
    assert len(annex) == 7 and len(rows) == 105
    assert rows[0][0] == "MS-01" and rows[0][2] == "Ja, umgesetzt"
    assert rows[0][3] == FORMULA_COMMENT  # Word runs no formulas: the text stays as written
    assert {row[2] for row in rows} == {"Ja, umgesetzt", "Teilweise bzw. in Umsetzung"}


def test_groups_and_small_group_notes_appear_in_the_field_section(built: Built) -> None:
    texts = [p.text for p in built.document.paragraphs]
    assert "Die Steuerungsgruppe trifft sich regelmäßig." in _paragraphs(built.document, BULLET)
    group_tables = [_cells(t) for t in built.document.tables if _cells(t)[0][0] == "Gruppe"]
    assert group_tables and {row[0] for row in group_tables[0][1:]} >= {"Politik"}
    assert any(t.startswith("Gruppen mit weniger als 3 Stimmen") for t in texts)


def test_the_page_setup_of_the_template_is_kept(built: Built) -> None:
    section = built.document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert "Seite" in section.footer.paragraphs[0].text


def test_the_template_defines_every_style_the_report_uses() -> None:
    styles = {style.name for style in Document(str(TEMPLATE)).styles}
    assert {TITLE, SUBTITLE, *HEADING, CAPTION, BULLET, TABLE, "Normal"} <= styles


def test_a_municipality_template_without_some_styles_still_gives_a_report(
    built: Built, tmp_path: Path
) -> None:
    template = Document(str(TEMPLATE))
    for name in (CAPTION, TABLE):
        element = template.styles[name].element
        element.getparent().remove(element)
    own = tmp_path / "eigene-vorlage.docx"
    template.save(str(own))

    document = Document(io.BytesIO(build_docx(built.report, [], own)))

    assert _paragraphs(document, HEADING[0])[0] == "Zusammenfassung"
    assert len(document.tables) == len(built.document.tables)


def test_a_missing_template_is_reported_clearly(built: Built, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="Die Word-Vorlage fehlt"):
        bundle.docx_bytes(built.report, tmp_path / "fehlt.docx")


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice ist nicht installiert")
def test_libreoffice_converts_the_report_to_pdf(built: Built, tmp_path: Path) -> None:
    assert OFFICE is not None
    source = tmp_path / "bericht.docx"
    source.write_bytes(built.data)
    result = subprocess.run(
        [OFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profil'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = tmp_path / "bericht.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000
