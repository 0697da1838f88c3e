"""Charts of the comparison report, drawn with matplotlib's Figure API (never pyplot, which
keeps every figure alive in global state).

- a radar chart: the administration's category and the workshop's median per field,
- stacked bars: the workshop's votes per field over the four categories, the
  administration's category marked,
- per field with question rounds: the workshop's answers per question on the scale, the
  administration's answer marked.

Colours come from `selfcheck.palette`, the same as on the projector and the web pages.
Readable in black and white and for colour-blind readers: every category and answer
carries its own hatching; the two radar lines differ in dash pattern and marker. Every
chart comes with a German text alternative.

matplotlib is imported once, here, and is not thread-safe: rendering holds a lock, and
the web layer calls `render` in a worker thread so the event loop stays free.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import textwrap
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

# Before the first import of matplotlib: a writable folder for its font cache, built once.
os.environ.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "selfcheck-matplotlib"))

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.projections.polar import PolarAxes

from selfcheck import palette
from selfcheck.assessments.development import (
    Development,
    FieldDevelopment,
    development_chart_text,
)
from selfcheck.reporting.comparison import (
    FieldComparison,
    QuestionComparison,
    ReportData,
    ValueCount,
)

Format = Literal["png", "svg"]
MEDIA_TYPES: Final[dict[str, str]] = {"png": "image/png", "svg": "image/svg+xml"}
DPI: Final = 200

MARKER_COLOUR: Final = "#000000"
PRINT_WIDTH_CM: Final = 16.5  # a chart's width in the DOCX, where it is read on paper
MIN_PRINT_PT: Final = 9  # the smallest text on paper
RADAR_WIDTH_IN: Final = 7.0
BARS_WIDTH_IN: Final = 8.0

_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """A chart ready to render: `draw` builds a fresh Figure each time."""

    name: str  # file name stem, e.g. "radar" or "fragen-MS"
    title: str
    alt: str  # text alternative, German
    draw: Callable[[], Figure]


def render(chart: Chart, fmt: Format) -> bytes:
    """The chart as PNG (200 dpi, for the DOCX) or SVG (for download and the web page)."""
    # A fixed salt makes the SVG's element ids, and so the file, the same for the same data.
    with _RENDER_LOCK, rc_context({"svg.hashsalt": "selfcheck"}):
        figure = chart.draw()
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_metadata(chart, fmt))
    return buffer.getvalue()


def font_size(figure_width_in: float, print_pt: float = MIN_PRINT_PT) -> float:
    """The size in the figure that prints at `print_pt` once the DOCX scales the figure to
    `PRINT_WIDTH_CM`: printed size = size x print width / figure width."""
    return print_pt * figure_width_in / (PRINT_WIDTH_CM / 2.54)


def _metadata(chart: Chart, fmt: Format) -> dict[str, str | None]:
    if fmt == "svg":
        # No creation date, so the same data gives the same file.
        return {"Title": chart.title, "Description": chart.alt, "Date": None}
    return {"Title": chart.title, "Description": chart.alt}


def report_charts(report: ReportData) -> list[Chart]:
    """All charts of a report, in the order the report shows them."""
    charts = [radar_chart(report), distribution_chart(report)]
    charts.extend(question_chart(report, field) for field in report.fields if field.questions)
    if report.development is not None and len(report.development.assessments) > 1:
        charts.append(development_chart(report.development))
    return charts


def find_chart(report: ReportData, name: str) -> Chart | None:
    return next((chart for chart in report_charts(report) if chart.name == name), None)


# --- Radar -----------------------------------------------------------------------------


def radar_chart(report: ReportData) -> Chart:
    title = "Einstufung der Verwaltung und Sicht des Workshops je Handlungsfeld"
    lines = [
        f"{f.title}: Verwaltung {_category_text(f.admin.category)}, "
        f"Workshop {_workshop_median_text(f)}."
        for f in report.fields
    ]
    alt = (
        f"Netzdiagramm. {title}; außen liegt Kategorie 1 (die beste), innen Kategorie "
        f"{len(report.categories)}. " + " ".join(lines)
    )
    return Chart("radar", title, alt, lambda: _draw_radar(report))


def _category_text(category: int | None) -> str:
    return f"Kategorie {category}" if category is not None else "nicht bewertbar"


def _workshop_median_text(field: FieldComparison) -> str:
    overall = field.workshop.overall
    if overall is None:
        return "nicht bewertet"
    if not overall.shown or overall.median is None:
        return f"zu wenige Stimmen (n\u00a0=\u00a0{overall.n})"
    return f"Median Kategorie {overall.median} (n\u00a0=\u00a0{overall.n})"


def _draw_radar(report: ReportData) -> Figure:
    count = len(report.categories)
    fields = report.fields
    angles = [2 * math.pi * i / len(fields) for i in range(len(fields))]

    def radius(category: int | None) -> float:
        # Category 1 outside: "further along" reads as "bigger".
        return count + 1 - category if category is not None else math.nan

    admin = [radius(f.admin.category) for f in fields]
    workshop = [radius(f.workshop.overall.median if f.workshop.overall else None) for f in fields]
    figure = Figure(figsize=(RADAR_WIDTH_IN, 6.4))
    small, large = font_size(RADAR_WIDTH_IN), font_size(RADAR_WIDTH_IN, MIN_PRINT_PT + 0.5)
    axes = figure.add_subplot(projection="polar")
    assert isinstance(axes, PolarAxes)
    axes.set_theta_offset(math.pi / 2)  # first field at the top, then clockwise
    axes.set_theta_direction(-1)
    closed = [*angles, angles[0]]
    axes.plot(closed, [*admin, admin[0]], color=palette.ADMIN_LINE, linewidth=2.2, linestyle="-",
              marker="o", markersize=8, label="Verwaltung: Kategorie")  # fmt: skip
    axes.plot(closed, [*workshop, workshop[0]], color=palette.WORKSHOP_LINE, linewidth=2,
              linestyle=(0, (4, 3)), marker="s", markersize=6,
              label="Workshop: Median")  # fmt: skip
    axes.set_ylim(0, count + 0.2)
    axes.set_yticks(range(1, count + 1))
    axes.set_yticklabels([f"Kat. {count + 1 - r}" for r in range(1, count + 1)],
                         fontsize=small, color="#333333")  # fmt: skip
    axes.set_rlabel_position(180 / len(fields))  # between the first two axes
    axes.set_xticks(angles)
    labels = axes.set_xticklabels([textwrap.fill(f.title, 18) for f in fields], fontsize=large)
    for label, angle in zip(labels, angles, strict=True):
        # Away from the circle: left-aligned on the right side, right-aligned on the left.
        side = math.sin(angle)
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    axes.tick_params(axis="x", pad=10)
    axes.grid(color="#999999", linewidth=0.6)
    figure.legend(loc="lower center", ncols=2, frameon=False, fontsize=large)
    figure.subplots_adjust(left=0.25, right=0.75, top=0.87, bottom=0.13)
    return figure


# --- Stacked bars ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Bar:
    label: str
    counts: list[ValueCount]  # empty: nothing to show
    marked: str | None  # the value the administration chose
    empty_text: str


@dataclass(frozen=True)
class _Style:
    label: str
    swatch: palette.Swatch

    @property
    def colour(self) -> str:
        return self.swatch.fill

    @property
    def hatch(self) -> str:
        return self.swatch.hatch


def category_styles(report: ReportData) -> list[_Style]:
    return [
        _Style(f"{c.number} – {c.label}", palette.category(c.number)) for c in report.categories
    ]


def scale_styles(counts: Sequence[ValueCount]) -> list[_Style]:
    """The answer scale in its own palette colours, by answer value."""
    return [_Style(c.label, palette.answer(c.value)) for c in counts]


def distribution_chart(report: ReportData) -> Chart:
    title = "Verteilung der Stimmen im Workshop je Handlungsfeld"
    bars = [_field_bar(f) for f in report.fields]
    alt = f"Gestapelte Balken. {title}, die Einstufung der Verwaltung als Dreieck. " + " ".join(
        _bar_text(bar) for bar in bars
    )
    styles = category_styles(report)
    return Chart(
        "verteilung", title, alt, lambda: _draw_bars(bars, styles, "Einstufung der Verwaltung")
    )


def _field_bar(field: FieldComparison) -> _Bar:
    overall = field.workshop.overall
    admin = str(field.admin.category) if field.admin.category is not None else None
    if overall is None:
        return _Bar(_wrap(field.title), [], admin, "nicht in einer abgeschlossenen Runde bewertet")
    label = _wrap(f"{field.title} (n\u00a0=\u00a0{overall.n})")
    if not overall.shown:
        return _Bar(label, [], admin,
                    f"zu wenige Stimmen (mindestens {field.workshop.min_n} nötig)")  # fmt: skip
    return _Bar(label, overall.counts, admin, "")


def question_chart(report: ReportData, field: FieldComparison) -> Chart:
    title = f"Einzelfragen im Workshop: {field.title}"
    bars = [_question_bar(q) for q in field.questions]
    alt = (
        f"Gestapelte Balken. {title}: Antworten des Workshops je Frage, die Antwort der "
        "Verwaltung als Dreieck. " + " ".join(_bar_text(bar) for bar in bars)
    )
    shown = next((q for q in field.questions if q.shown), None)
    styles = scale_styles(shown.counts) if shown else []
    return Chart(
        f"fragen-{field.field_id}",
        title,
        alt,
        lambda: _draw_bars(bars, styles, "Antwort der Verwaltung"),
    )


def _question_bar(question: QuestionComparison) -> _Bar:
    text = textwrap.shorten(question.text, 64, placeholder=" …")
    label = _wrap(f"{question.question_id} {text} (n\u00a0=\u00a0{question.n})")
    if not question.shown:
        return _Bar(label, [], question.admin_value,
                    f"zu wenige Stimmen (mindestens {question.min_n} nötig)")  # fmt: skip
    return _Bar(label, question.counts, question.admin_value, "")


def _wrap(label: str) -> str:
    return textwrap.fill(label, 36, break_on_hyphens=False)


def _bar_text(bar: _Bar) -> str:
    if not bar.counts:
        return f"{bar.label.replace(chr(10), ' ')}: {bar.empty_text}."
    counts = ", ".join(f"{c.label}: {c.count}" for c in bar.counts)
    marked = next((c.label for c in bar.counts if c.value == bar.marked), "keine Angabe")
    return f"{bar.label.replace(chr(10), ' ')}: {counts}; Verwaltung: {marked}."


def _draw_bars(bars: Sequence[_Bar], styles: Sequence[_Style], marker_label: str) -> Figure:
    height = 1.6 + 0.7 * len(bars)  # inches: legend and axis below, one row per bar
    figure = Figure(figsize=(BARS_WIDTH_IN, height))
    size = font_size(BARS_WIDTH_IN)
    axes = figure.add_subplot()
    _draw_segments(axes, bars, styles, size)
    axes.set_yticks(range(len(bars)))
    axes.set_yticklabels([bar.label for bar in bars], fontsize=size)
    axes.set_ylim(len(bars) - 0.45, -0.8)
    axes.set_xlim(0, 100)
    axes.set_xlabel("Anteil der Stimmen in Prozent", fontsize=size)
    axes.tick_params(axis="x", labelsize=size)
    axes.spines[["top", "right"]].set_visible(False)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=s.colour, hatch=s.hatch, edgecolor=palette.OUTLINE, label=s.label)
        for s in styles
    ]
    handles.append(Line2D([], [], color=MARKER_COLOUR, marker="v", linestyle="none",
                          markersize=8, label=marker_label))  # fmt: skip
    figure.legend(handles=handles, loc="lower center", ncols=3, frameon=False,
                  fontsize=size)  # fmt: skip
    figure.subplots_adjust(left=0.43, right=0.97, top=1 - 0.15 / height, bottom=1.25 / height)
    return figure


def _draw_segments(axes: Axes, bars: Sequence[_Bar], styles: Sequence[_Style], size: float) -> None:
    """One barh call per value over all rows (not per segment), then labels and markers."""
    rows = [row for row, bar in enumerate(bars) if sum(c.count for c in bar.counts)]
    lefts = dict.fromkeys(rows, 0.0)
    marks: list[tuple[float, float]] = []
    for index, style in enumerate(styles):
        widths = [_share(bars[row], index) for row in rows]
        starts = [lefts[row] for row in rows]
        axes.barh(rows, widths, left=starts, height=0.55, color=style.colour,
                  hatch=style.hatch, edgecolor=palette.OUTLINE, linewidth=0.6)  # fmt: skip
        for row, width in zip(rows, widths, strict=True):
            centre = lefts[row] + width / 2
            if width >= 7:
                # A label box in the segment's colour keeps the number legible over hatching.
                axes.text(centre, row, str(bars[row].counts[index].count), ha="center",
                          va="center", fontsize=size, color=style.swatch.ink,
                          bbox={"boxstyle": "round,pad=0.15", "facecolor": style.colour,
                                "edgecolor": "none"})  # fmt: skip
            if bars[row].counts[index].value == bars[row].marked:
                marks.append((centre, row - 0.42))
            lefts[row] += width
    if marks:
        axes.plot(*zip(*marks, strict=True), marker="v", markersize=8, color=MARKER_COLOUR,
                  linestyle="none", clip_on=False)  # fmt: skip
    for row, bar in enumerate(bars):
        if row not in lefts:
            axes.text(1, row, bar.empty_text, va="center", fontsize=size, style="italic",
                      color="#333333")  # fmt: skip


def _share(bar: _Bar, index: int) -> float:
    return 100 * bar.counts[index].count / sum(c.count for c in bar.counts)


# --- Development over the years --------------------------------------------------------

DEVELOPMENT_CHART: Final = "entwicklung"
DEVELOPMENT_WIDTH_IN: Final = 8.0


def development_chart(development: Development) -> Chart:
    """Small multiples, one panel per field: the share of points per Selbstcheck as a line
    over the category bands (category 1 on top)."""
    title, alt = development_chart_text(development)
    return Chart(DEVELOPMENT_CHART, title, alt, lambda: _draw_development(development))


def _draw_development(development: Development) -> Figure:
    fields = development.fields
    columns = 2
    rows = math.ceil(len(fields) / columns)
    height = 1.2 + 1.8 * rows  # inches: the legend below, then one row of panels per two fields
    figure = Figure(figsize=(DEVELOPMENT_WIDTH_IN, height))
    size = font_size(DEVELOPMENT_WIDTH_IN)
    labels = [textwrap.fill(a.title, 16) for a in development.assessments]
    floors = development.category_floors
    thresholds = sorted((share * 100, number) for number, share in floors.items())
    for index, field in enumerate(fields):
        axes = figure.add_subplot(rows, columns, index + 1)
        _category_bands(axes, thresholds)
        _development_line(axes, field)
        axes.set_title(textwrap.shorten(field.title, 48, placeholder=" …"), fontsize=size,
                       loc="left")  # fmt: skip
        axes.set_xticks(range(len(labels)))
        axes.set_xticklabels(labels, fontsize=size)
        axes.set_xlim(-0.3, len(labels) - 0.7)
        axes.set_ylim(0, 100)
        axes.set_yticks([0, 25, 50, 75, 100])
        axes.tick_params(axis="y", labelsize=size)
        axes.spines[["top", "right"]].set_visible(False)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=palette.category(number).fill, alpha=0.35,
              hatch=palette.category(number).hatch, edgecolor=palette.OUTLINE,
              label=f"Kategorie {number}")
        for _, number in sorted(thresholds, key=lambda t: t[1])
    ]  # fmt: skip
    handles.append(Line2D([], [], color=palette.ADMIN_LINE, marker="o", linewidth=2,
                          label="Punkteanteil der Verwaltung in %"))  # fmt: skip
    figure.legend(handles=handles, loc="lower center", ncols=3, frameon=False, fontsize=size)
    figure.subplots_adjust(left=0.08, right=0.98, top=1 - 0.3 / height, bottom=1.15 / height,
                           hspace=0.85, wspace=0.2)  # fmt: skip
    return figure


def _category_bands(axes: Axes, thresholds: Sequence[tuple[float, int]]) -> None:
    """Each category's range of shares as a pale, hatched band, so the line reads as a
    category at a glance, also in greyscale."""
    tops = [*(low for low, _ in thresholds[1:]), 100.0]
    for (low, number), top in zip(thresholds, tops, strict=True):
        swatch = palette.category(number)
        axes.axhspan(low, top, facecolor=swatch.fill, alpha=0.18, hatch=swatch.hatch,
                     edgecolor="#bbbbbb", linewidth=0)  # fmt: skip


def _development_line(axes: Axes, field: FieldDevelopment) -> None:
    xs = [i for i, p in enumerate(field.points) if p.share is not None]
    ys = [100 * p.share for p in field.points if p.share is not None]
    axes.plot(xs, ys, color=palette.ADMIN_LINE, marker="o", linewidth=2, markersize=6)
    for x, point in enumerate(field.points):
        if point.share is None:
            axes.text(x, 50, "nicht\nbewertbar", ha="center", va="center", fontsize=8,
                      style="italic", color="#333333")  # fmt: skip
