"""Column widths for the report's tables, sized to their content.

A column is at least as wide as its longest word, so no word is ever split inside a cell
("Handlungsfel|d"); the room that is left goes to the columns whose text wants it, so a
number column stays narrow and a question column gets most of the page. Text widths come
from the metrics of Arial (identical to Helvetica and Liberation Sans), the font of
`reports/template.docx`; a template with a wider font gets the same widths plus the slack
below. Pure functions: no python-docx here, so the rule is easy to test.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

PT_PER_CM: Final = 72 / 2.54
# Table Grid's cell margins (0.19 cm left and right), the borders and some slack for fonts
# a little wider than Arial.
CELL_PADDING_CM: Final = 0.55
BOLD_FACTOR: Final = 1.1  # Arial Bold is up to a tenth wider than Arial

# Advance widths of Arial in thousandths of the font size, grouped by width.
_GROUPS: Final = {
    191: "'",
    222: "ijl",
    260: "|",
    278: " !,./:;I[\\]ft",
    333: "()-r`„“”‚‘’",
    389: "*",
    500: "Jckvsxyz",
    584: "+<=>~",
    611: "FTZß",
    667: "ABEKPSVXY&Ä",
    722: "CDHNRUwÜ",
    778: "GOQÖ",
    833: "Mm",
    889: "%",
    944: "W",
    1000: "…",
    1015: "@",
}
_ADVANCE: Final = {char: width for width, chars in _GROUPS.items() for char in chars}
_DEFAULT_ADVANCE: Final = 556  # digits, most lower-case letters, umlauts, the en dash


def text_width_cm(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of `text` on one line."""
    thousandths = sum(_ADVANCE.get(char, _DEFAULT_ADVANCE) for char in text)
    return thousandths / 1000 * size_pt * (BOLD_FACTOR if bold else 1) / PT_PER_CM


def _longest_word_cm(text: str, size_pt: float, bold: bool) -> float:
    return max((text_width_cm(word, size_pt, bold) for word in text.split()), default=0.0)


def _longest_line_cm(text: str, size_pt: float, bold: bool) -> float:
    return max((text_width_cm(line, size_pt, bold) for line in text.splitlines()), default=0.0)


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], available_cm: float, size_pt: float
) -> list[float]:
    """Widths in cm that add up to `available_cm` (the header is set in bold).

    Each column gets at least its longest word. If every cell fits on one line, each column
    gets its longest line and the widest column the rest; otherwise see `_share_out`.
    """
    cells = [[(text, True) for text in header], *[[(t, False) for t in row] for row in rows]]
    columns = list(zip(*cells, strict=True))
    least = [
        CELL_PADDING_CM + max(_longest_word_cm(text, size_pt, bold) for text, bold in column)
        for column in columns
    ]
    ideal = [
        CELL_PADDING_CM + max(_longest_line_cm(text, size_pt, bold) for text, bold in column)
        for column in columns
    ]
    if sum(ideal) <= available_cm:
        # All on one line: the widest column takes the rest, numbers stay narrow.
        widest = ideal.index(max(ideal))
        return _spread(ideal, [float(i == widest) for i in range(len(ideal))], available_cm)
    if sum(least) >= available_cm:
        # Too many long words for the page: the narrowest possible, scaled to fit.
        return _spread([0.0] * len(least), least, available_cm)
    amount = [sum(text_width_cm(text, size_pt, bold) for text, bold in c) for c in columns]
    return _share_out(least, ideal, amount, available_cm)


def _share_out(
    least: list[float], ideal: list[float], amount: list[float], total: float
) -> list[float]:
    """From the narrowest widths towards the ideal ones, the smallest wish first: a column
    that asks for at most half of what is left gets all of it (a short answer stays on one
    line); the columns with long texts share the rest in proportion to the amount of text
    they hold, so one long comment does not squeeze a column of long questions."""
    widths = list(least)
    rest = total - sum(least)
    wishes = sorted((i - m, column) for column, (i, m) in enumerate(zip(ideal, least, strict=True)))
    for position, (wish, column) in enumerate(wishes):
        if wish > rest / 2:
            long_texts = [column for _, column in wishes[position:]]
            held = sum(amount[c] for c in long_texts)
            for c in long_texts:
                widths[c] += rest * amount[c] / held
            break
        widths[column] += wish
        rest -= wish
    return [round(width, 2) for width in widths]


def _spread(base: Sequence[float], weights: Sequence[float], total: float) -> list[float]:
    """`base` plus the rest of `total`, shared in proportion to `weights`."""
    rest = total - sum(base)
    weight = sum(weights) or 1.0
    return [round(b + rest * w / weight, 2) for b, w in zip(base, weights, strict=True)]
