"""The comparison report as a Word document, built on the style template in `reports/`.

The template supplies page setup, header, footer and styles; its body is replaced. The
cover page has its own header in the template (Word's "different first page"), which is
where an installation puts its logo. Only style names Word itself defines are used
(Title, Heading 1, Caption, Table Grid, ...), so a municipality's own corporate template
works too; a style it lacks falls back to the document default instead of failing.
Pictures are PNG (python-docx takes no SVG) with an explicit width and their text
alternative.

Made for print and for pasting into an Integrationskonzept: table columns are sized to
their content (`docx_tables`), parts of a field section that would only say "nothing
here" are left out and named once in the summary (`EMPTY_PARTS`), and the table of
contents is a field that Word fills in on opening.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.text.paragraph import Paragraph

from selfcheck.assessments.development import Development, FieldPoint
from selfcheck.formatting import date_de, datetime_de, percent_de, signed_de
from selfcheck.reporting.charts import DEVELOPMENT_CHART, PRINT_WIDTH_CM, Chart
from selfcheck.reporting.comparison import (
    NOT_COMPARABLE,
    SPLIT,
    STRONG,
    Distribution,
    FieldComparison,
    NoteView,
    ReportData,
    WorkshopSummary,
)
from selfcheck.reporting.docx_tables import column_widths
from selfcheck.reporting.peer_section import PeerDistribution, PeerSection
from selfcheck.reporting.plan_view import BLOCK_TITLE as PLAN_BLOCK_TITLE
from selfcheck.vocabulary import AssessmentStatus, Trend

DOCX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE: Final = "Title"
SUBTITLE: Final = "Subtitle"
HEADING: Final = ("Heading 1", "Heading 2", "Heading 3")
TOC_HEADING: Final = "TOC Heading"
TOC_ENTRY: Final = "toc 1"  # Word's built-in name, lower case
CAPTION: Final = "Caption"
BULLET: Final = "List Bullet"
TABLE: Final = "Table Grid"
MEASURES_HEADING: Final = "Baustein für das Integrationskonzept: Maßnahmen"
EMPTY_PARTS_HEADING: Final = "Ohne Einträge"
METHOD_HEADING: Final = "Regeln und Methode"
DEVELOPMENT_HEADING: Final = "Entwicklung seit dem letzten Selbstcheck"
NON_BREAKING_HYPHEN: Final = "\u2011"
PICTURE_WIDTH: Final = Cm(PRINT_WIDTH_CM)
TOC_LEVELS: Final = 1  # the table of contents lists the Heading 1 sections
KEEP_TOGETHER_ROWS: Final = 8  # tables up to this many rows are not split across pages
FALLBACK_FONT_SIZE: Final = Pt(10.5)
CELL_SPACE_AFTER: Final = Pt(2)
SPACE_AFTER_TABLE: Final = Pt(10)
COVER_NAME_SIZE: Final = Pt(22)


@dataclass(frozen=True)
class RenderedChart:
    chart: Chart
    png: bytes


@dataclass(frozen=True)
class EmptyPart:
    """A part of a field section that is left out when it would hold nothing; the summary
    names the fields without it once, in one list."""

    label: str  # e.g. "Keine Maßnahmen festgehalten"
    is_empty: Callable[[FieldComparison], bool]


EMPTY_PARTS: Final = (
    EmptyPart(
        "Im Workshop nicht in einer abgeschlossenen Runde bewertet",
        lambda field: field.workshop.source is None,
    ),
    EmptyPart(
        "Keine Stärken oder Handlungsbedarfe aus den Kleingruppen notiert",
        lambda field: not field.strengths and not field.needs,
    ),
    EmptyPart("Keine Maßnahmen festgehalten", lambda field: not field.measures),
)


def build_docx(
    report: ReportData,
    charts: Sequence[RenderedChart],
    template: Path,
    peers: PeerSection | None = None,
) -> bytes:
    document = _Writer(Document(str(template)))
    document.clear_body()
    _cover(document, report)
    document.table_of_contents()
    _summary(document, report)
    development = [c for c in charts if c.chart.name == DEVELOPMENT_CHART]
    if report.development is not None and report.development.fields:
        _development(document, report.development, development)
    _charts(document, [c for c in charts if c.chart.name != DEVELOPMENT_CHART])
    for field in report.fields:
        _field_section(document, report, field)
    _action_plan(document, report)
    if peers is not None and peers.enabled:
        _peers_section(document, peers)
    _method(document, report)
    _annex(document, report)
    return document.save()


class _Writer:
    """Thin helpers over python-docx that tolerate styles missing from the template."""

    def __init__(self, document: Any) -> None:
        self.doc = document
        self._styles = {style.name for style in document.styles}
        self.figures = 0
        self._after_table = False
        self.headings: list[tuple[str, int]] = []
        self._toc: Paragraph | None = None

    def style(self, name: str) -> str | None:
        return name if name in self._styles else None

    def clear_body(self) -> None:
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):  # keep the page setup
                body.remove(child)

    def heading(self, text: str, level: int, new_page: bool = False) -> None:
        paragraph = self.paragraph(text, HEADING[level - 1])
        paragraph.paragraph_format.page_break_before = new_page or None
        self.headings.append((text, level))

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        paragraph: Paragraph = self.doc.add_paragraph(
            text, style=self.style(style) if style else None
        )
        if self._after_table and style not in HEADING:  # headings bring their own space
            paragraph.paragraph_format.space_before = SPACE_AFTER_TABLE
        self._after_table = False
        return paragraph

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """ "Label: value" lines with the label in bold, kept on one page with what follows."""
        for label, value in pairs:
            paragraph = self.paragraph()
            paragraph.paragraph_format.keep_with_next = True
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.paragraph(item, BULLET)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table with the header in bold, repeated on every page it spans, and columns
        as wide as their content asks (see `docx_tables.column_widths`).

        Word follows the fixed layout and the grid; LibreOffice needs the width on every
        cell as well."""
        if self._after_table:
            self.paragraph()  # two tables in a row would merge into one
        size = self._table_font_size()
        widths = [Cm(w) for w in column_widths(header, rows, self._text_width_cm(), size.pt)]
        table = self.doc.add_table(rows=1, cols=len(header), style=self.style(TABLE))
        table.autofit = False  # fixed layout
        _set_table_width(table, sum(widths))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        _repeat_as_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.paragraphs[0].add_run(text)
        keep_together = len(rows) <= KEEP_TOGETHER_ROWS
        for index, row in enumerate(table.rows):
            _keep_row_on_one_page(row)
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
                self._cell_text_format(cell, size, keep_together and index < len(rows))
        # No empty paragraph after the table: at the foot of a page it would make a page
        # of its own. The next paragraph keeps its distance instead.
        self._after_table = True

    def _text_width_cm(self) -> float:
        section = self.doc.sections[-1]
        width = Cm(0) + section.page_width - section.left_margin - section.right_margin
        return float(Length(width).cm)

    def _table_font_size(self) -> Length:
        """The table style's size; it is set on every run, because Word and LibreOffice let
        the Normal style's size win over the table style's."""
        for name in (TABLE, "Normal"):
            if name in self._styles and self.doc.styles[name].font.size is not None:
                size: Length = self.doc.styles[name].font.size
                return size
        return FALLBACK_FONT_SIZE

    @staticmethod
    def _cell_text_format(cell: Any, size: Length, keep_with_next: bool) -> None:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.space_after = CELL_SPACE_AFTER
            paragraph.paragraph_format.line_spacing = 1.0
            paragraph.paragraph_format.keep_with_next = keep_with_next or None
            for run in paragraph.runs:
                run.font.size = size

    def picture(self, rendered: RenderedChart) -> None:
        paragraph = self.paragraph()
        paragraph.paragraph_format.keep_with_next = True  # with its caption
        shape = paragraph.add_run().add_picture(io.BytesIO(rendered.png), width=PICTURE_WIDTH)
        doc_properties = shape._inline.docPr
        doc_properties.set("descr", rendered.chart.alt)
        doc_properties.set("title", rendered.chart.title)
        self.figures += 1
        self.paragraph(f"Abbildung {self.figures}: {rendered.chart.title}", CAPTION)

    def table_of_contents(self) -> None:
        """A page with a TOC field. Its entries are filled in on `save` from the headings
        written by then, without page numbers (LibreOffice and a PDF show these); Word
        updates the field with page numbers when the document is opened."""
        heading = self.paragraph("Inhalt", TOC_HEADING)
        heading.paragraph_format.page_break_before = True
        self._toc = self.paragraph()

    def save(self) -> bytes:
        if self._after_table:
            self._closing_paragraph()
        if self._toc is not None:
            self._fill_toc(self._toc)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def _closing_paragraph(self) -> None:
        """Word wants a paragraph after the last table; a tiny one never fills a page."""
        paragraph = self.paragraph()
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = 0
        paragraph.paragraph_format.line_spacing = Pt(1)

    def _fill_toc(self, first: Paragraph) -> None:
        entries = [text for text, level in self.headings if level <= TOC_LEVELS]
        paragraphs = [first]
        for _ in entries[1:]:
            element = OxmlElement("w:p")
            paragraphs[-1]._p.addnext(element)
            paragraphs.append(Paragraph(element, first._parent))
        for paragraph, text in zip(paragraphs, entries, strict=True):
            paragraph.style = self.style(TOC_ENTRY)
            paragraph.add_run(text)
        _field_start(first, f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u')
        _field_end(paragraphs[-1])
        _ask_word_to_update_fields(self.doc.settings.element)


# Elements that follow w:updateFields in the schema's order of the settings part.
_AFTER_UPDATE_FIELDS: Final = frozenset(
    qn(f"w:{name}")
    for name in ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
                 "attachedSchema", "themeFontLang", "clrSchemeMapping",
                 "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
                 "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
                 "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
)  # fmt: skip


def _ask_word_to_update_fields(settings: Any) -> None:
    """Word then fills in the table of contents when the document is opened. Placed where
    the schema wants it: Word refuses settings out of order."""
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    following = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)


def _set_table_width(table: Any, width: int) -> None:
    properties = table._tbl.tblPr
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = OxmlElement("w:tblW")
        properties.append(table_width)
    table_width.set(qn("w:w"), str(round(width / 635)))  # EMU to twentieths of a point
    table_width.set(qn("w:type"), "dxa")


def _repeat_as_header(row: Any) -> None:
    """Repeat the first row on every page a table spans."""
    _row_flag(row, "w:tblHeader")


def _keep_row_on_one_page(row: Any) -> None:
    _row_flag(row, "w:cantSplit")


def _row_flag(row: Any, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _field_start(paragraph: Paragraph, instruction: str) -> None:
    """Open a complex field before the paragraph's runs: its result follows, up to the end."""
    runs = [_field_char("begin"), _instruction(instruction), _field_char("separate")]
    for run in reversed(runs):
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, run)


def _field_end(paragraph: Paragraph) -> None:
    paragraph._p.append(_field_char("end"))


def _field_char(kind: str) -> Any:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _instruction(text: str) -> Any:
    run = OxmlElement("w:r")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {text} "
    run.append(instruction)
    return run


# --- Sections --------------------------------------------------------------------------


def _cover(document: _Writer, report: ReportData) -> None:
    """Page 1: what, for whom, as of when. The template's first-page header holds the logo."""
    title = document.paragraph("Selbstcheck Weltoffene Kommune", TITLE)
    title.paragraph_format.space_before = Cm(5)
    document.paragraph(
        "Vergleichsbericht: Selbsteinschätzung der Verwaltung und Sicht des Workshops", SUBTITLE
    )
    municipality = document.paragraph(style=SUBTITLE)
    municipality.paragraph_format.space_before = Cm(2.5)
    name = municipality.add_run(report.municipality)
    name.font.size, name.bold, name.italic = COVER_NAME_SIZE, True, False
    status = (
        f"abgeschlossen am {datetime_de(report.submitted_at)}"
        if report.assessment_status == AssessmentStatus.SUBMITTED
        else "in Bearbeitung (noch nicht abgeschlossen)"
    )
    workshops = (
        "; ".join(f"{w.title} ({_workshop_note(w)})" for w in report.workshops)
        or "noch kein Workshop"
    )
    document.facts(
        [
            ("Selbstcheck", report.assessment_title),
            ("Stand", date_de(report.generated_at)),
            ("Fragebogen", f"{report.questionnaire_title}, Version {report.questionnaire_version}"),
            ("Fragebogen der Verwaltung", status),
            ("Workshops", workshops),
        ]
    )


def _workshop_note(workshop: WorkshopSummary) -> str:
    if workshop.trial:
        return "Probelauf, zählt nicht"
    note = f"{workshop.participants} Teilnehmende"
    if workshop.trial_rounds:
        rounds = "Runde" if workshop.trial_rounds == 1 else "Runden"
        note += f", {workshop.trial_rounds} {rounds} als Probelauf nicht gezählt"
    return note


def _summary(document: _Writer, report: ReportData) -> None:
    document.heading("Zusammenfassung", 1, new_page=True)
    document.paragraph(_method_text(report))
    rows = []
    for field in report.fields:
        overall = field.workshop.overall
        rows.append(
            [
                field.title,
                _admin_text(field),
                _median_text(overall),
                _majority_text(overall),
                percent_de(overall.agreement) if overall and overall.shown else "–",
                str(overall.n) if overall else "–",
                field.divergence_label,
            ]
        )
    document.table(
        ["Handlungsfeld", "Verwaltung", "Workshop: Median", "Workshop: häufigste",
         "Anteil wie Verwaltung", "n", "Bewertung"],
        rows,
    )  # fmt: skip
    strong = [f.title for f in report.fields if f.divergence == STRONG]
    split = [f.title for f in report.fields if f.divergence == SPLIT]
    if strong:
        document.facts([("Deutliche Abweichungen", ", ".join(strong))])
    else:
        document.paragraph("In keinem Handlungsfeld weicht der Workshop deutlich ab.")
    if split:
        document.facts([("Geteiltes Bild im Workshop", ", ".join(split))])
    _empty_parts(document, report)


def _development(
    document: _Writer, development: Development, charts: Sequence[RenderedChart]
) -> None:
    """The field categories now against every earlier Selbstcheck, the chart, the
    measures implemented since, and every question that makes a field not comparable."""
    document.heading(DEVELOPMENT_HEADING, 1, new_page=True)
    document.paragraph(
        "Je Handlungsfeld die Einstufung der Verwaltung in den früheren Selbstchecks der "
        "Kommune und heute, mit dem Punkteanteil in Klammern. Der Pfeil sagt, wie das "
        "heutige Ergebnis dagegen steht: ↑ besser, ↓ schlechter, → gleich (Kategorie 1 ist "
        "die beste)."
    )
    header = ["Handlungsfeld"] + [
        f"{a.title} ({date_de(a.date)}, Version {a.questionnaire_version})"
        for a in development.assessments
    ]
    rows = [[f.title, *(_point_cell(p) for p in f.points)] for f in development.fields]
    document.table(header, rows)
    for rendered in charts:
        document.picture(rendered)
    measures = development.implemented_measures
    if any(measures.values()):
        document.heading("Umgesetzte Maßnahmen seit dem letzten Selbstcheck", 2)
        for field in development.fields:
            if measures.get(field.field_id):
                document.facts([(field.title, "; ".join(measures[field.field_id]))])
    changed = [
        f"{f.title} gegenüber „{p.assessment}“: {'; '.join(p.not_comparable)}"
        for f in development.fields
        for p in f.points
        if p.not_comparable
    ]
    if changed:
        document.heading("Nicht vergleichbar: geänderte Fragen", 2)
        document.paragraph(
            "Der Fragebogen hat sich seitdem geändert. Diese Fragen wurden umformuliert, "
            "kamen neu hinzu oder entfielen; die Einstufung des Handlungsfelds beruht "
            "deshalb nicht auf denselben Fragen."
        )
        # Question ids with a non-breaking hyphen: "MS-07" never breaks after "MS-".
        document.bullets([line.replace("-", NON_BREAKING_HYPHEN) for line in changed])


def _point_cell(point: FieldPoint) -> str:
    text = (
        point.category_label
        if point.category is None
        else f"Kategorie {point.category} ({percent_de(point.share)})"
    )
    if point.trend in ("", Trend.NOT_COMPARABLE):
        return text  # "nicht bewertbar" says it already
    return f"{text}\n{point.arrow} heute {point.trend_label}"


def _empty_parts(document: _Writer, report: ReportData) -> None:
    """One short list instead of a sentence of "nothing here" in every field section."""
    lines = []
    for part in EMPTY_PARTS:
        fields = [field.title for field in report.fields if part.is_empty(field)]
        if fields:
            lines.append(f"{part.label}: {', '.join(fields)}")
    if not lines:
        return
    document.heading(EMPTY_PARTS_HEADING, 2)
    document.paragraph(
        "Die Abschnitte zu den Handlungsfeldern lassen aus, wozu es keine Einträge gibt:"
    )
    document.bullets(lines)


def _method_text(report: ReportData) -> str:
    worst = len(report.categories)
    return (
        f"Kategorie 1 ist die beste Einstufung, Kategorie {worst} die niedrigste. Wie die "
        "Verwaltung einstuft und wie der Workshop damit verglichen wird, steht im Abschnitt "
        f"„{METHOD_HEADING}“ am Ende des Berichts."
    )


def _peers_section(document: _Writer, peers: PeerSection) -> None:
    """Ihre Kommune im Vergleich: the own category beside the others' distribution."""
    document.heading("Ihre Kommune im Vergleich", 1, new_page=True)
    document.paragraph(
        "Anteil der anderen Kommunen je Kategorie (jeweils ihr zuletzt abgeschlossener "
        "Selbstcheck mit derselben Fragebogen-Version). Keine Kommune wird genannt; eine "
        "Verteilung erscheint erst ab fünf Kommunen."
    )
    admin = [[f.title, f.own_label, _peer_text(f.others)] for f in peers.fields]
    workshop = [
        [f.title, f.own_workshop_label, _peer_text(f.others_workshop)] for f in peers.fields
    ]
    for title, rows in (
        ("Selbsteinschätzung der Verwaltung", admin),
        ("Median im Workshop", workshop),
    ):
        document.heading(title, 2)
        document.table(["Handlungsfeld", "Ihre Kommune", "Andere Kommunen"], rows)


def _peer_text(distribution: PeerDistribution) -> str:
    if not distribution.shown:
        return distribution.message
    parts = [
        f"{'Kat. ' + str(c.number) if c.number is not None else c.label}: {percent_de(c.share)}"
        for c in distribution.categories
    ]
    return f"{'; '.join(parts)} ({distribution.municipalities} Kommunen)"


def _method(document: _Writer, report: ReportData) -> None:
    """Every rule behind the figures, in the same words as on the report page."""
    document.heading(METHOD_HEADING, 1, new_page=True)
    document.heading("Einstufung der Verwaltung", 2)
    document.bullets(report.scoring_rules)
    document.heading("Vergleich mit dem Workshop", 2)
    document.bullets(report.comparison_rules)


def _admin_text(field: FieldComparison) -> str:
    category = field.admin.category
    if category is None:
        return "nicht bewertbar"
    return (
        f"Kategorie {category} (vorläufig)" if field.admin.provisional else f"Kategorie {category}"
    )


def _median_text(overall: Distribution | None) -> str:
    if overall is None:
        return "nicht bewertet"
    if not overall.shown:
        return "zu wenige Stimmen"
    return f"Kategorie {overall.median}"


def _majority_text(overall: Distribution | None) -> str:
    if overall is None or not overall.shown:
        return "–"
    return ", ".join(f"Kategorie {m}" for m in overall.majority)


def _charts(document: _Writer, charts: Sequence[RenderedChart]) -> None:
    if not charts:
        return
    document.heading("Diagramme", 1)
    for rendered in charts:
        document.picture(rendered)


def _field_section(document: _Writer, report: ReportData, field: FieldComparison) -> None:
    document.heading(field.title, 1)
    # The field's introduction and the administration's figures start a page together.
    document.paragraph(field.description).paragraph_format.keep_with_next = True
    _admin_part(document, field)
    _workshop_part(document, report, field)
    if field.questions:
        _questions_part(document, field)
    if field.strengths or field.needs:
        _notes_part(document, field)
    if field.measures:
        _measures_part(document, field.measures)


def _admin_part(document: _Writer, field: FieldComparison) -> None:
    admin = field.admin
    document.heading("Selbsteinschätzung der Verwaltung", 2)
    label = (
        f"Kategorie {admin.category} – {admin.category_label}"
        + (" (vorläufig)" if admin.provisional else "")
        if admin.category is not None
        else "nicht bewertbar"
    )
    facts = [("Einstufung", label)]
    if admin.share is not None:  # a field that is "nicht bewertbar" has no share
        facts.append(("Punkteanteil", percent_de(admin.share)))
    answered = (
        f"{admin.answered} von {admin.questions} Fragen ({percent_de(admin.coverage)}), "
        f"„weiß nicht“: {admin.dont_know}, ohne Antwort: {admin.skipped}"
    )
    if admin.not_applicable:
        answered += f", nicht zutreffend: {len(admin.not_applicable)}"
    facts.append(("Beantwortet", answered))
    document.facts(facts)
    for text in admin.explanation:  # the core cap and "vorläufig" in words
        document.paragraph(text)
    document.paragraph(admin.category_description)
    _listed(
        document, "Ihre nächsten Schritte",
        [f"{step.text} ({step.question_id}{', Kernkriterium' if step.core else ''})"
         for step in admin.next_steps],
    )  # fmt: skip
    _listed(document, "Anregungen zur Weiterarbeit", admin.suggestions)
    if admin.topics:
        document.heading("Profil nach Themen", 3)
        document.table(
            ["Thema", "Punkteanteil"], [[t.topic, percent_de(t.share)] for t in admin.topics]
        )
    _listed(
        document, "Nicht zutreffend",
        [f"{item.question_id} {item.text} – Begründung: {item.reason or 'keine angegeben'}"
         for item in admin.not_applicable],
    )  # fmt: skip


def _listed(document: _Writer, title: str, items: Sequence[str]) -> None:
    """A titled list, left out when empty."""
    if items:
        document.heading(title, 3)
        document.bullets(items)


def _workshop_part(document: _Writer, report: ReportData, field: FieldComparison) -> None:
    workshop = field.workshop
    source = workshop.source
    if source is None:
        return  # not rated in the workshop: the summary lists the field among EMPTY_PARTS
    document.heading("Sicht des Workshops", 2)
    document.facts(
        [("Grundlage", f"{source.kind_label} „{source.round}“ im Workshop „{source.workshop}“,"
                       f" geschlossen am {datetime_de(source.closed_at)}"
                       f"{' (von der Moderation ausgewählt)' if source.chosen else ''}")]
    )  # fmt: skip
    overall = workshop.overall
    if workshop.message:
        document.paragraph(workshop.message)
    if overall is None or not overall.shown:
        return
    document.facts(
        [
            ("Stimmen", str(overall.n)),
            ("Median", _median_text(overall)),
            ("Häufigste Kategorie", _majority_text(overall)),
            ("Anteil wie die Verwaltung", percent_de(overall.agreement)),
            ("Abstand des Medians", _gap_text(overall.gap)),
            ("Abstand der häufigsten Kategorie", _majority_gap_text(overall)),
            ("Bewertung", overall.divergence_label),
        ]
    )
    document.table(
        ["Kategorie", "Stimmen", "Anteil"],
        [[f"{c.value} – {c.label}", str(c.count), percent_de(c.count / overall.n)]
         for c in overall.counts],
    )  # fmt: skip
    _groups_part(document, field)


def _gap_text(gap: int | None) -> str:
    if gap is None:
        return "–"
    if gap == 0:
        return "0 Kategorien"
    direction = "kritischer als" if gap > 0 else "positiver als"
    unit = "Kategorie" if abs(gap) == 1 else "Kategorien"
    return f"{signed_de(gap)} {unit}: Der Workshop sieht das Feld {direction} die Verwaltung"


def _majority_gap_text(overall: Distribution) -> str:
    if overall.majority_gap is not None:
        return _gap_text(overall.majority_gap)
    if overall.gap is not None and len(overall.majority) > 1:
        return "– (Gleichstand; es zählt der Abstand des Medians)"
    return "–"


def _groups_part(document: _Writer, field: FieldComparison) -> None:
    workshop = field.workshop
    if workshop.groups:
        document.heading("Nach Gruppen", 3)
        document.table(
            ["Gruppe", "n", "Median", "Häufigste", "Bewertung"],
            [[g.label, str(g.n), _median_text(g), _majority_text(g),
              g.divergence_label if g.divergence != NOT_COMPARABLE else "–"]
             for g in workshop.groups],
        )  # fmt: skip
    if workshop.groups_message:
        document.paragraph(workshop.groups_message)


def _questions_part(document: _Writer, field: FieldComparison) -> None:
    document.heading("Einzelfragen im Workshop", 2)
    rows = []
    for question in field.questions:
        if question.shown:
            # One answer a line: "Teilweise bzw. in Umsetzung: 11" is read at a glance.
            workshop = "\n".join(f"{c.label}: {c.count}" for c in question.counts if c.count)
            agreement = percent_de(question.agreement)
        else:
            workshop, agreement = question.message, "–"
        rows.append(
            [f"{question.question_id} {question.text}", question.admin_label, workshop, agreement]
        )
    document.table(["Frage", "Verwaltung", "Workshop (Stimmen)", "Wie Verwaltung"], rows)


def _notes_part(document: _Writer, field: FieldComparison) -> None:
    document.heading("Ergebnisse der Kleingruppen", 2)
    for title, notes in (("Stärken", field.strengths), ("Handlungsbedarf", field.needs)):
        if notes:
            document.heading(title, 3)
            document.bullets([note.text for note in notes])


def _measures_part(document: _Writer, measures: Sequence[NoteView]) -> None:
    document.heading(MEASURES_HEADING, 2)
    document.table(
        ["Maßnahme", "Verantwortlich", "Zeitrahmen"],
        [[m.text, m.responsible or "offen", m.timeframe or "offen"] for m in measures],
    )


def _action_plan(document: _Writer, report: ReportData) -> None:
    """ "Baustein Maßnahmenplan": one table per field; left out while the plan is empty."""
    if not report.action_plan:
        return
    document.heading(PLAN_BLOCK_TITLE, 1, new_page=True)
    document.paragraph(
        "Was sich die Kommune vorgenommen hat, wer zuständig ist, bis wann, und wie weit es "
        f"ist (Stand {date_de(report.generated_at)})."
    )
    for field in report.action_plan:
        document.heading(field.title, 2)
        document.table(
            ["Maßnahme", "Zuständig", "Frist", "Priorität", "Stand"],
            [
                [
                    m.title + (f" ({m.questions})" if m.questions else ""),
                    m.responsible or "offen",
                    (f"{m.deadline} – überfällig" if m.overdue else m.deadline) or "offen",
                    m.priority,
                    m.status,
                ]
                for m in field.measures
            ],
        )


def _annex(document: _Writer, report: ReportData) -> None:
    document.heading("Anhang: Fragen und Antworten der Verwaltung", 1, new_page=True)
    for field in report.annex:
        document.heading(field.title, 2)
        document.table(
            ["Nr.", "Frage", "Antwort", "Kommentar"],
            [[q.question_id, q.text, q.answer_label, q.comment] for q in field.questions],
        )
