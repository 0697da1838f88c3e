"""The one colour palette of Selbstcheck: categories 1–4 and the answer scale.

The web pages (through `static/palette.css`, written from this module), the projector,
the matplotlib charts and the DOCX all take their colours from here, so a colour means
the same on every screen and on paper.

- Categories run from a dark bluish green (1, the best) over a mid green (2) and a light
  amber (3) to a dark red (4). The hues keep a blue–yellow difference that survives the
  common red–green colour blindness, the lightness alternates between neighbours, and
  every category carries its own hatch so greyscale prints stay readable.
- The answer scale (Ja / Teilweise / Nein / Weiß nicht / Nicht zutreffend) uses blue and
  orange instead, so an answer colour is never mistaken for a category.

`ink` is the text colour on the fill (contrast at least 4.5 : 1). Run
`python -m selfcheck.palette > selfcheck/static/palette.css` after a change; a test
checks that the file matches.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Final

WHITE: Final = "#ffffff"
BLACK: Final = "#000000"
OUTLINE: Final = "#333333"  # edges of bars and cards, so light fills stand out from paper


@dataclass(frozen=True)
class Swatch:
    fill: str  # "#rrggbb"
    ink: str  # text on the fill
    hatch: str  # matplotlib hatch; "" is solid

    @property
    def rgb(self) -> tuple[int, int, int]:
        return _rgb(self.fill)


CATEGORIES: Final[dict[int, Swatch]] = {
    1: Swatch("#0b6e4f", WHITE, ""),
    2: Swatch("#3f9a66", BLACK, "///"),
    3: Swatch("#f7c16b", BLACK, "..."),
    4: Swatch("#b2182b", WHITE, "xx"),
}
# By the answer values of the questionnaire scale (and "weiß nicht", "nicht zutreffend").
ANSWERS: Final[dict[str, Swatch]] = {
    "ja": Swatch("#1f5fa8", WHITE, ""),
    "teilweise": Swatch("#8fb8e0", BLACK, "//"),
    "nein": Swatch("#a6501a", WHITE, "xx"),
    "weiss_nicht": Swatch("#c4c4c4", BLACK, ".."),
    "nicht_zutreffend": Swatch("#ececec", BLACK, "--"),
}
ADMIN_LINE: Final = "#1f5fa8"  # the administration in the radar chart (answer blue)
WORKSHOP_LINE: Final = "#a6501a"  # the workshop in the radar chart (answer orange)

# CSS versions of the hatches: a translucent pattern over the fill colour.
_CSS_PATTERNS: Final[dict[str, str]] = {
    "": "none",
    "/": "repeating-linear-gradient(45deg, rgba(0,0,0,.28) 0 2px, transparent 2px 9px)",
    "//": "repeating-linear-gradient(45deg, rgba(0,0,0,.28) 0 2px, transparent 2px 9px)",
    "///": "repeating-linear-gradient(45deg, rgba(0,0,0,.28) 0 2px, transparent 2px 7px)",
    "..": "radial-gradient(rgba(0,0,0,.35) 1.5px, transparent 2px) 0 0 / 8px 8px",
    "...": "radial-gradient(rgba(0,0,0,.35) 1.5px, transparent 2px) 0 0 / 6px 6px",
    "xx": "repeating-linear-gradient(45deg, rgba(255,255,255,.35) 0 2px, transparent 2px 9px),"
    " repeating-linear-gradient(-45deg, rgba(255,255,255,.35) 0 2px, transparent 2px 9px)",
    "--": "repeating-linear-gradient(0deg, rgba(0,0,0,.22) 0 2px, transparent 2px 8px)",
}


def category(number: int) -> Swatch:
    """The swatch of a category number; numbers beyond 4 reuse the scale cyclically."""
    return CATEGORIES[(number - 1) % len(CATEGORIES) + 1]


def answer(value: str) -> Swatch:
    return ANSWERS.get(value, ANSWERS["weiss_nicht"])


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _css_name(key: str) -> str:
    return key.replace("_", "-")


def css() -> str:
    """The palette as CSS custom properties on :root."""
    lines = [
        "/* Written by `python -m selfcheck.palette` from selfcheck/palette.py – do not edit. */",
        ":root {",
    ]
    for number, swatch in CATEGORIES.items():
        lines += _swatch_lines(f"cat-{number}", swatch)
    for value, swatch in ANSWERS.items():
        lines += _swatch_lines(f"answer-{_css_name(value)}", swatch)
    lines += [
        f"  --admin-line: {ADMIN_LINE};",
        f"  --workshop-line: {WORKSHOP_LINE};",
        f"  --palette-outline: {OUTLINE};",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _swatch_lines(name: str, swatch: Swatch) -> list[str]:
    return [
        f"  --{name}: {swatch.fill};",
        f"  --{name}-ink: {swatch.ink};",
        f"  --{name}-pattern: {_CSS_PATTERNS[swatch.hatch]};",
    ]


if __name__ == "__main__":
    sys.stdout.write(css())
