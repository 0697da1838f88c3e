"""Generate reports/template.docx, the Word style template of the comparison report.

Run once: `.venv/bin/python reports/make_template.py [--logo wappen.png]`. The report keeps
this file's page setup, headers and footers, replaces its body and formats everything with
its styles: Title, Subtitle, Heading 1-3, Normal, List Bullet, Caption, TOC Heading,
toc 1 and the table style Table Grid. The cover page (page 1) has a header of its own,
the logo slot: `--logo` puts a picture there (PNG or JPEG, 2.5 cm high, right-aligned);
in Word the same is done by double-clicking the top of page 1 and inserting a picture.
A municipality can swap in its own corporate template instead, as long as it contains
these styles; Word only stores a style in a file once it was used, so the
template below uses each of them once (a style missing from a swapped-in template falls
back to the document default instead of failing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATE = Path(__file__).resolve().parent / "template.docx"
FONT = "Arial"
ACCENT = RGBColor(0x0B, 0x4F, 0x8A)  # the web app's accent colour
INK = RGBColor(0x1A, 0x1A, 0x1A)
LOGO_HEIGHT = Cm(2.5)
TEXT_WIDTH = Cm(17.0)  # A4 less the margins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logo", type=Path, help="Logo für das Deckblatt (PNG oder JPEG)")
    logo = parser.parse_args().logo
    document = Document()
    _page_setup(document)
    _language(document, "de-DE")
    _styles(document)
    _footer(document)
    _cover_header(document, logo)
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
        _drop_theme_fonts(style)
    for level, size in ((1, 16), (2, 13), (3, 11)):
        heading = styles[f"Heading {level}"]
        _drop_theme_fonts(heading)
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
    toc_heading = styles["TOC Heading"]
    toc_heading.font.name, toc_heading.font.size = FONT, Pt(16)
    _drop_theme_fonts(toc_heading)
    toc_entry = styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)  # Word's built-in name
    toc_entry.style_id, toc_entry.base_style = "TOC1", normal
    toc_entry.paragraph_format.space_after = Pt(4)
    toc_entry.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )


def _drop_theme_fonts(style: object) -> None:
    """Word prefers a style's theme font (Calibri Light) to its named font: keep only the
    name, so headings are set in Arial like the text."""
    fonts = style.element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)


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


def _cover_header(document: Document, logo: Path | None) -> None:
    """Page 1 gets its own header and no page number: the logo slot of the cover page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.first_page_header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if logo is not None:
        paragraph.add_run().add_picture(str(logo), height=LOGO_HEIGHT)
    section.first_page_footer.paragraphs[0].text = ""


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
    document.add_paragraph("Inhalt", style="TOC Heading")
    document.add_paragraph("Überschrift 1", style="toc 1")
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
