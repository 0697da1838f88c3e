"""The comparison report as a Word document, built on the style template in `reports/`.

The template supplies page setup, header, footer and styles; its body is replaced. Only
style names Word itself defines are used (Title, Heading 1, Caption, Table Grid, ...), so
a municipality's own corporate template works too; a style it lacks falls back to the
document default instead of failing. Pictures are PNG (python-docx takes no SVG) with an
explicit width and their text alternative.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from selfcheck.reporting.charts import Chart
from selfcheck.reporting.comparison import (
    NOT_COMPARABLE,
    STRONG,
    Distribution,
    FieldComparison,
    NoteView,
    ReportData,
)
from selfcheck.reporting.formatting import (
    categories_de,
    date_de,
    datetime_de,
    percent_de,
    signed_de,
)

DOCX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE: Final = "Title"
SUBTITLE: Final = "Subtitle"
HEADING: Final = ("Heading 1", "Heading 2", "Heading 3")
CAPTION: Final = "Caption"
BULLET: Final = "List Bullet"
TABLE: Final = "Table Grid"
MEASURES_HEADING: Final = "Baustein für das Integrationskonzept: Maßnahmen"
PICTURE_WIDTH: Final = Cm(16.5)


@dataclass(frozen=True)
class RenderedChart:
    chart: Chart
    png: bytes


def build_docx(report: ReportData, charts: Sequence[RenderedChart], template: Path) -> bytes:
    document = _Writer(Document(str(template)))
    document.clear_body()
    _title_page(document, report)
    _summary(document, report)
    _charts(document, charts)
    for field in report.fields:
        _field_section(document, report, field)
    _annex(document, report)
    return document.save()


class _Writer:
    """Thin helpers over python-docx that tolerate styles missing from the template."""

    def __init__(self, document: Any) -> None:
        self.doc = document
        self._styles = {style.name for style in document.styles}
        self.figures = 0
        self.tables = 0

    def style(self, name: str) -> str | None:
        return name if name in self._styles else None

    def clear_body(self) -> None:
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):  # keep the page setup
                body.remove(child)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_paragraph(text, style=self.style(HEADING[level - 1]))

    def paragraph(self, text: str = "", style: str | None = None) -> Any:
        return self.doc.add_paragraph(text, style=self.style(style) if style else None)

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """ "Label: value" lines with the label in bold."""
        for label, value in pairs:
            paragraph = self.paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.paragraph(item, BULLET)

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        table = self.doc.add_table(rows=1, cols=len(header), style=self.style(TABLE))
        table.autofit = False
        _repeat_as_header(table.rows[0])
        for cell, text, width in zip(table.rows[0].cells, header, widths, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, text, width in zip(cells, row, widths, strict=True):
                cell.width = Cm(width)
                cell.paragraphs[0].text = text
        self.tables += 1
        self.paragraph()  # keeps the next table or heading from sticking to this one

    def picture(self, rendered: RenderedChart) -> None:
        run = self.paragraph().add_run()
        shape = run.add_picture(io.BytesIO(rendered.png), width=PICTURE_WIDTH)
        doc_properties = shape._inline.docPr
        doc_properties.set("descr", rendered.chart.alt)
        doc_properties.set("title", rendered.chart.title)
        self.figures += 1
        self.paragraph(f"Abbildung {self.figures}: {rendered.chart.title}", CAPTION)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _repeat_as_header(row: Any) -> None:
    """Repeat the first row on every page a table spans."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# --- Sections --------------------------------------------------------------------------


def _title_page(document: _Writer, report: ReportData) -> None:
    document.paragraph("Selbstcheck Weltoffene Kommune", TITLE)
    document.paragraph(
        "Vergleichsbericht: Selbsteinschätzung der Verwaltung und Sicht des Workshops", SUBTITLE
    )
    status = (
        f"abgeschlossen am {datetime_de(report.submitted_at)}"
        if report.assessment_status == "submitted"
        else "in Bearbeitung (noch nicht abgeschlossen)"
    )
    workshops = (
        "; ".join(f"{w.title} ({w.participants} Teilnehmende)" for w in report.workshops)
        or "noch kein Workshop"
    )
    document.facts(
        [
            ("Kommune", report.municipality),
            ("Selbstcheck", report.assessment_title),
            ("Stand", date_de(report.generated_at)),
            ("Fragebogen", f"{report.questionnaire_title}, Version {report.questionnaire_version}"),
            ("Fragebogen der Verwaltung", status),
            ("Workshops", workshops),
        ]
    )
    document.page_break()


def _summary(document: _Writer, report: ReportData) -> None:
    document.heading("Zusammenfassung", 1)
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
                str(overall.n) if overall else "–",
                field.divergence_label,
            ]
        )
    document.table(
        ["Handlungsfeld", "Verwaltung", "Workshop: Median", "Workshop: häufigste", "n",
         "Bewertung"],
        rows,
        [4.6, 2.6, 2.6, 2.6, 1.0, 3.6],
    )  # fmt: skip
    strong = [f.title for f in report.fields if f.divergence == STRONG]
    if strong:
        document.facts([("Deutliche Abweichungen", ", ".join(strong))])
    else:
        document.paragraph("In keinem Handlungsfeld weicht der Workshop deutlich ab.")


def _method_text(report: ReportData) -> str:
    worst = len(report.categories)
    return (
        f"Kategorie 1 ist die beste Einstufung, Kategorie {worst} die niedrigste. Als Sicht des "
        "Workshops gilt je Handlungsfeld die zuletzt abgeschlossene Abstimmungsrunde, in der "
        "über das Feld abgestimmt wurde (Stimmungsbild oder Runde zum Handlungsfeld). Der "
        "Median ist die mittlere der abgegebenen Kategorien. Weicht er um mindestens "
        f"{categories_de(report.divergence_notable)} von der Einstufung der Verwaltung ab, gilt "
        f"das als Abweichung, ab {categories_de(report.divergence_strong)} als deutliche "
        "Abweichung. Ergebnisse mit weniger Stimmen als der im Workshop festgelegten "
        "Mindestzahl werden nicht ausgewiesen."
    )


def _admin_text(field: FieldComparison) -> str:
    category = field.admin.category
    return f"Kategorie {category}" if category is not None else "nicht bewertbar"


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
    document.page_break()
    document.heading(field.title, 1)
    document.paragraph(field.description)
    _admin_part(document, field)
    _workshop_part(document, report, field)
    if field.questions:
        _questions_part(document, field)
    _notes_part(document, field)
    _measures_part(document, field.measures)


def _admin_part(document: _Writer, field: FieldComparison) -> None:
    admin = field.admin
    document.heading("Selbsteinschätzung der Verwaltung", 2)
    label = (
        f"Kategorie {admin.category} – {admin.category_label}"
        if admin.category is not None
        else "nicht bewertbar"
    )
    document.facts(
        [
            ("Einstufung", label),
            ("Punkteanteil", percent_de(admin.share)),
            ("Beantwortet", f"{admin.answered} von {admin.questions} Fragen "
                            f"({percent_de(admin.coverage)}), „weiß nicht“: {admin.dont_know}, "
                            f"offen: {admin.skipped}"),
        ]
    )  # fmt: skip
    document.paragraph(admin.category_description)
    if admin.suggestions:
        document.heading("Anregungen zur Weiterarbeit", 3)
        document.bullets(admin.suggestions)


def _workshop_part(document: _Writer, report: ReportData, field: FieldComparison) -> None:
    workshop = field.workshop
    document.heading("Sicht des Workshops", 2)
    if workshop.source is not None:
        source = workshop.source
        document.facts(
            [("Grundlage", f"{source.kind_label} „{source.round}“ im Workshop „{source.workshop}“,"
                           f" geschlossen am {datetime_de(source.closed_at)}")]
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
            ("Abstand zur Verwaltung", _gap_text(overall.gap)),
            ("Bewertung", overall.divergence_label),
        ]
    )
    document.table(
        ["Kategorie", "Stimmen", "Anteil"],
        [[f"{c.value} – {c.label}", str(c.count), percent_de(c.count / overall.n)]
         for c in overall.counts],
        [9.0, 3.0, 3.0],
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


def _groups_part(document: _Writer, field: FieldComparison) -> None:
    workshop = field.workshop
    document.heading("Nach Gruppen", 3)
    if workshop.groups:
        document.table(
            ["Gruppe", "n", "Median", "Häufigste", "Bewertung"],
            [[g.label, str(g.n), _median_text(g), _majority_text(g),
              g.divergence_label if g.divergence != NOT_COMPARABLE else "–"]
             for g in workshop.groups],
            [5.0, 1.4, 2.8, 3.4, 4.4],
        )  # fmt: skip
    if workshop.groups_message:
        document.paragraph(workshop.groups_message)


def _questions_part(document: _Writer, field: FieldComparison) -> None:
    document.heading("Einzelfragen im Workshop", 2)
    rows = []
    for question in field.questions:
        if question.shown:
            workshop = ", ".join(f"{c.label}: {c.count}" for c in question.counts if c.count)
            agreement = percent_de(question.agreement)
        else:
            workshop, agreement = question.message, "–"
        rows.append(
            [f"{question.question_id} {question.text}", question.admin_label, workshop, agreement]
        )
    document.table(
        ["Frage", "Verwaltung", "Workshop (Stimmen)", "Wie Verwaltung"],
        rows,
        [7.0, 3.0, 5.0, 2.0],
    )


def _notes_part(document: _Writer, field: FieldComparison) -> None:
    document.heading("Ergebnisse der Kleingruppen", 2)
    if not field.strengths and not field.needs:
        document.paragraph("Für dieses Handlungsfeld wurden keine Stärken oder Bedarfe notiert.")
        return
    for title, notes in (("Stärken", field.strengths), ("Handlungsbedarf", field.needs)):
        if notes:
            document.heading(title, 3)
            document.bullets([note.text for note in notes])


def _measures_part(document: _Writer, measures: Sequence[NoteView]) -> None:
    document.heading(MEASURES_HEADING, 2)
    if not measures:
        document.paragraph(
            "Im Workshop wurden für dieses Handlungsfeld keine Maßnahmen festgehalten."
        )
        return
    document.table(
        ["Maßnahme", "Verantwortlich", "Zeitrahmen"],
        [[m.text, m.responsible or "offen", m.timeframe or "offen"] for m in measures],
        [9.0, 4.5, 3.5],
    )


def _annex(document: _Writer, report: ReportData) -> None:
    document.page_break()
    document.heading("Anhang: Fragen und Antworten der Verwaltung", 1)
    for field in report.annex:
        document.heading(field.title, 2)
        document.table(
            ["Nr.", "Frage", "Antwort", "Kommentar"],
            [[q.question_id, q.text, q.answer_label, q.comment] for q in field.questions],
            [1.6, 8.0, 3.2, 4.2],
        )
