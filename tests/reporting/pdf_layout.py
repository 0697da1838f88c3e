"""Reading a Word document the way people see it: LibreOffice converts it to PDF, poppler
gives every word on every page with its position (`pdftotext -bbox`), and the checks below
look at lines, pages and table cells from those positions.

A split word is found without a dictionary: the document's own words are known, so a
line inside a cell that ends in something that is no word of the document, while it
and the start of the next line of the same cell are one ("Handlungsfel" + "d"), is a
word broken inside the cell.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

OFFICE_TIMEOUT = 240  # seconds; a cold LibreOffice profile on a busy machine is slow
LINE_TOLERANCE = 2.0  # points: words whose tops differ by less sit on one line
WORD_GAP = 6.0  # points: a wider gap on one line separates table cells
MARGIN = 50.0  # points at the top and bottom of a page that hold header and footer

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
_XML_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|<w:p[ >]|<w:tab/>|<w:br/>")


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    def body_lines(self) -> list[list[Word]]:
        """The lines of text between header and footer, each sorted left to right."""
        body = [w for w in self.words if w.top > MARGIN and w.bottom < self.height - MARGIN]
        lines: list[list[Word]] = []
        for word in sorted(body, key=lambda w: (w.top, w.left)):
            if lines and abs(lines[-1][0].top - word.top) < LINE_TOLERANCE:
                lines[-1].append(word)
            else:
                lines.append([word])
        return [sorted(line, key=lambda w: w.left) for line in lines]


@dataclass(frozen=True)
class SplitWord:
    page: int
    first: str
    second: str

    def __str__(self) -> str:
        return f"Seite {self.page}: „{self.first}|{self.second}“"


def convert_to_pdf(office: str, docx: Path) -> Path:
    """LibreOffice with its own profile next to the file, so parallel runs never share one."""
    profile = docx.parent / "libreoffice-profil"
    result = subprocess.run(
        [office, "--headless", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        capture_output=True, text=True, timeout=OFFICE_TIMEOUT, check=False,
    )  # fmt: skip
    pdf = docx.with_suffix(".pdf")
    if result.returncode != 0 or not pdf.is_file():
        raise AssertionError(f"LibreOffice konnte nicht umwandeln: {result.stderr}")
    return pdf


def read_pages(pdf: Path) -> list[Page]:
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return [
        Page(
            number,
            float(width),
            float(height),
            [
                Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
                for x0, y0, x1, y1, text in _WORD.findall(content)
            ],
        )
        for number, (width, height, content) in enumerate(_PAGE.findall(bbox), start=1)
    ]


def pages_with_pictures(pdf: Path) -> set[int]:
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return {int(line.split()[0]) for line in listing.splitlines()[2:] if line.strip()}


def render_pages(pdf: Path, folder: Path, resolution: int = 60) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("seite-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(folder / "seite")],
        check=True, timeout=120,
    )  # fmt: skip
    return sorted(folder.glob("seite-*.png"))


def document_words(docx: bytes) -> set[str]:
    """Every word of the document's text, headers and footers included, as a PDF shows it
    (a non-breaking space separates words there too)."""
    words: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                text = _paragraph_text(archive.read(name).decode())
                words.update(text.replace("\u00a0", " ").split())
    return words


def _paragraph_text(xml: str) -> str:
    """The text with a line break between paragraphs, so no two paragraphs' words join."""
    return "".join(
        html.unescape(match.group(1)) if match.group(1) is not None else "\n"
        for match in _XML_TEXT.finditer(xml)
    )


def split_words(pages: list[Page], vocabulary: set[str]) -> list[SplitWord]:
    """Words broken across two lines of one table cell (or one paragraph).

    A line is cut into segments at gaps wider than `WORD_GAP` (table cells side by side);
    a segment continues in the segment on the next line that starts at the same left
    edge. If the last word of a segment is no word of the document but it and the first
    word of the continuation are (with or without a hyphen between them), the word was
    split."""
    found = []
    for page in pages:
        lines = [_segments(line) for line in page.body_lines()]
        for above, below in itertools.pairwise(lines):
            for segment in above:
                continuation = next(
                    (s for s in below if abs(s[0].left - segment[0].left) < 1.0), None
                )
                if continuation is None:
                    continue
                first, second = segment[-1].text, continuation[0].text
                if first in vocabulary:
                    continue
                if first + second in vocabulary or (
                    first.endswith("-") and first[:-1] + second in vocabulary
                ):
                    found.append(SplitWord(page.number, first, second))
    return found


def _segments(line: list[Word]) -> list[list[Word]]:
    segments = [[line[0]]]
    for word in line[1:]:
        if word.left - segments[-1][-1].right > WORD_GAP:
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments
