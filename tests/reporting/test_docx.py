"""The Word report: structure read back with python-docx, the style template, and the
printed report: converted to PDF by LibreOffice and checked page by page (in CI a missing
LibreOffice fails these tests instead of skipping them). The pages are rendered to
test-artifacts/docx/ for people to look at."""

from __future__ import annotations

import io
import os
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
    EMPTY_PARTS_HEADING,
    HEADING,
    MEASURES_HEADING,
    SUBTITLE,
    TABLE,
    TITLE,
    TOC_ENTRY,
    TOC_HEADING,
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
from tests.reporting.pdf_layout import (
    Page,
    convert_to_pdf,
    document_words,
    pages_with_pictures,
    read_pages,
    render_pages,
    split_words,
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


def test_the_cover_names_municipality_assessment_date_and_questionnaire(
    built: Built,
) -> None:
    assert _paragraphs(built.document, TITLE) == ["Selbstcheck Weltoffene Kommune"]
    assert _paragraphs(built.document, SUBTITLE)[1] == "Teststadt"
    texts = [p.text for p in built.document.paragraphs[:10]]
    assert "Selbstcheck: Selbstcheck 2026" in texts
    assert "Stand: 22.11.2026" in texts
    assert "Fragebogen: Selbstcheck Weltoffene Kommune, Version 2026.1" in texts


def test_the_cover_has_its_own_header_in_the_template_for_a_logo(built: Built) -> None:
    section = built.document.sections[0]
    assert section.different_first_page_header_footer
    assert "Seite" not in section.first_page_footer.paragraphs[0].text


def test_the_report_has_a_summary_charts_a_section_per_field_and_the_annex(
    built: Built,
) -> None:
    fields = [f.title for f in built.report.fields]
    assert _paragraphs(built.document, HEADING[0]) == [
        "Zusammenfassung", "Diagramme", *fields, "Regeln und Methode",
        "Anhang: Fragen und Antworten der Verwaltung",
    ]  # fmt: skip
    assert _paragraphs(built.document, HEADING[1]).count(MEASURES_HEADING) == 2


def test_a_table_of_contents_field_lists_the_sections_and_word_updates_it_on_opening(
    built: Built,
) -> None:
    body = built.document.element.body.xml
    assert 'TOC \\o "1-1"' in body
    assert _paragraphs(built.document, TOC_HEADING) == ["Inhalt"]
    assert _paragraphs(built.document, TOC_ENTRY) == _paragraphs(built.document, HEADING[0])
    assert "w:updateFields" in built.document.settings.element.xml


def test_parts_without_entries_are_named_once_in_the_summary_not_in_every_field(
    built: Built,
) -> None:
    texts = [p.text for p in built.document.paragraphs]
    without_measures = [f.title for f in built.report.fields if not f.measures]
    assert len(without_measures) == 5
    assert f"Keine Maßnahmen festgehalten: {', '.join(without_measures)}" in texts
    assert not [t for t in texts if "keine Maßnahmen" in t.lower() and t not in _paragraphs(
        built.document, BULLET)]  # fmt: skip
    assert EMPTY_PARTS_HEADING in _paragraphs(built.document, HEADING[1])


def test_table_columns_are_sized_to_their_content_on_every_cell(built: Built) -> None:
    summary = built.document.tables[0]
    widths = [cell.width for cell in summary.rows[0].cells]
    assert all(
        [cell.width for cell in row.cells] == widths for row in summary.rows
    )  # LibreOffice reads the width of every cell
    grid = [column.width for column in summary.columns]
    assert grid == widths  # Word reads the grid
    titles, votes = widths[0], widths[5]  # "Handlungsfeld" and "n"
    assert titles > 3 * votes
    assert round(sum(widths) / 360000, 1) == 17.0  # the text width of the page in cm
    assert 'w:type="fixed"' in summary._tbl.xml


def test_the_summary_table_lists_each_field_with_both_views_and_the_divergence(
    built: Built,
) -> None:
    summary = _cells(built.document.tables[0])
    assert summary[0] == [
        "Handlungsfeld", "Verwaltung", "Workshop: Median", "Workshop: häufigste",
        "Anteil wie Verwaltung", "n", "Bewertung",
    ]  # fmt: skip
    assert len(summary) == 8
    assert summary[1] == [
        "Management und Steuerung", "Kategorie 1", "Kategorie 3", "Kategorie 3", "8\u00a0%", "13",
        "deutliche Abweichung",
    ]  # fmt: skip
    assert summary[3][6] == "keine Abweichung"


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
    assert {TITLE, SUBTITLE, *HEADING, TOC_HEADING, TOC_ENTRY, CAPTION, BULLET, TABLE,
            "Normal"} <= styles  # fmt: skip


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


# --- The report as people see it: converted to PDF by LibreOffice -----------------------

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "docx"
PRINT_TOOLS = ("pdftotext", "pdfimages", "pdftoppm")


@dataclass(frozen=True)
class Printed:
    pdf: Path
    pages: list[Page]
    pictures: set[int]  # pages with a chart
    words: set[str]  # every word of the DOCX


@pytest.fixture(scope="module")
def office() -> str:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if (
        office is not None
        and all(shutil.which(tool) for tool in PRINT_TOOLS)
        and _arial_or_its_metric_twin()
    ):
        return office
    reason = (
        "LibreOffice, poppler-utils oder eine Schrift mit Arials Laufweiten fehlen: "
        "`apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation2`"
    )
    if IN_CI:
        pytest.fail(f"DOCX-Prüfung in CI ohne LibreOffice: {reason}", pytrace=False)
    pytest.skip(reason)


def _arial_or_its_metric_twin() -> bool:
    """The column widths are measured for Arial; a wider stand-in would break words."""
    if shutil.which("fc-match") is None:
        return False
    found = subprocess.run(
        ["fc-match", "Arial"], capture_output=True, text=True, check=False
    ).stdout  # fmt: skip
    return "Arial" in found or "Liberation Sans" in found


@pytest.fixture(scope="module")
def printed(built: Built, office: str, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    source = tmp_path_factory.mktemp("druck") / "vergleichsbericht.docx"
    source.write_bytes(built.data)
    pdf = convert_to_pdf(office, source)
    render_pages(pdf, ARTIFACTS)  # test-artifacts/docx/seite-NN.png, for people to look at
    shutil.copyfile(pdf, ARTIFACTS / pdf.name)
    return Printed(pdf, read_pages(pdf), pages_with_pictures(pdf), document_words(built.data))


def test_the_printed_report_has_a_sensible_number_of_pages(printed: Printed) -> None:
    # Cover, contents, summary, two pages of charts, about a page per field (7) and about
    # five pages of annex (105 questions).
    assert 12 <= len(printed.pages) <= 22


def test_no_printed_page_but_the_cover_and_charts_holds_less_than_three_lines(
    printed: Printed,
) -> None:
    thin = {
        page.number: [" ".join(w.text for w in line) for line in page.body_lines()]
        for page in printed.pages[1:]
        if len(page.body_lines()) < 3 and page.number not in printed.pictures
    }
    assert thin == {}


def test_the_printed_contents_page_shows_the_heading_and_the_sections(
    printed: Printed, built: Built
) -> None:
    contents = [" ".join(w.text for w in line) for line in printed.pages[1].body_lines()]
    assert contents == ["Inhalt", *_paragraphs(built.document, HEADING[0])]


def test_no_printed_word_is_split_inside_a_table_cell(printed: Printed) -> None:
    assert [str(split) for split in split_words(printed.pages, printed.words)] == []


def test_every_printed_word_is_a_word_of_the_document(printed: Printed) -> None:
    """Catches any broken word the cell check might miss; page numbers and the bullet
    glyph (a private-use character) are not in the document's text."""
    strange = {
        (page.number, word.text)
        for page in printed.pages
        for word in page.words
        if word.text not in printed.words
        and not word.text.isdigit()
        and not all(0xE000 <= ord(char) <= 0xF8FF for char in word.text)
    }
    assert strange == set()
