"""Generate reports/template.docx, the Word style template of the comparison report.

Run once: `.venv/bin/python reports/make_template.py`. The report keeps this file's page
setup, header and footer, replaces its body and formats everything with its styles:
Title, Subtitle, Heading 1-3, Normal, List Bullet, Caption and the table style
Table Grid. A municipality can swap in its own corporate template instead, as long as it
contains these styles; Word only stores a style in a file once it was used, so the
template below uses each of them once (a style missing from a swapped-in template falls
back to the document default instead of failing).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATE = Path(__file__).resolve().parent / "template.docx"
FONT = "Arial"
ACCENT = RGBColor(0x0B, 0x4F, 0x8A)  # the web app's accent colour
INK = RGBColor(0x1A, 0x1A, 0x1A)


def main() -> None:
    document = Document()
    _page_setup(document)
    _language(document, "de-DE")
    _styles(document)
    _footer(document)
    _specimen(document)
    document.core_properties.title = "Vergleichsbericht Selbstcheck Weltoffene Kommune"
    document.core_properties.author = "Selbstcheck"
    document.core_properties.language = "de-DE"
    document.save(TEMPLATE)
    print(f"{TEMPLATE} geschrieben.", file=sys.stderr)


def _page_setup(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4, not Letter
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.footer_distance = Cm(1.0)


def _language(document: Document, language: str) -> None:
    """German spelling and hyphenation for all text (set on the document defaults)."""
    styles = document.styles.element
    run_defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _styles(document: Document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = FONT, Pt(10.5), INK
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 26), ("Subtitle", 14)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), ACCENT
    for level, size in ((1, 16), (2, 13), (3, 11)):
        heading = styles[f"Heading {level}"]
        heading.font.name, heading.font.size = FONT, Pt(size)
        heading.font.color.rgb, heading.font.bold = ACCENT, True
        heading.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    caption.font.name, caption.font.size, caption.font.italic = FONT, Pt(9), True
    caption.font.color.rgb = INK
    styles["List Bullet"].font.name = FONT
    styles["Table Grid"].font.name = FONT
    styles["Table Grid"].font.size = Pt(9)


def _footer(document: Document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Selbstcheck Weltoffene Kommune – Seite ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _specimen(document: Document) -> None:
    """Each style once, so Word keeps them all; the report replaces this body."""
    document.add_paragraph("Vergleichsbericht", style="Title")
    document.add_paragraph("Formatvorlagen des Berichts", style="Subtitle")
    document.add_paragraph(
        "Diese Datei legt nur das Aussehen des Vergleichsberichts fest: Seitenränder, "
        "Kopf- und Fußzeile und die Formatvorlagen. Ändern Sie die Formatvorlagen in Word "
        "oder ersetzen Sie die Datei durch Ihre eigene Vorlage; der Inhalt dieser Seite "
        "wird beim Erstellen des Berichts ersetzt.",
        style="Normal",
    )
    document.add_paragraph("Überschrift 1", style="Heading 1")
    document.add_paragraph("Überschrift 2", style="Heading 2")
    document.add_paragraph("Überschrift 3", style="Heading 3")
    document.add_paragraph("Aufzählung", style="List Bullet")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    for cell, text in zip(table.rows[0].cells, ("Spalte", "Wert"), strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("Beispiel", "1"), strict=True):
        cell.text = text
    document.add_paragraph("Tabelle 1: Beschriftung", style="Caption")


if __name__ == "__main__":
    main()
