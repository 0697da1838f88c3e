"""Charts: PNG at 200 dpi and SVG, German labels, a text alternative, no pyplot."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from xml.etree import ElementTree

import pytest
from matplotlib.text import Text

from selfcheck import palette
from selfcheck.reporting.charts import (
    Chart,
    render,
    report_charts,
    scale_styles,
)
from selfcheck.reporting.comparison import ReportData, ValueCount, compare
from selfcheck.reporting.docx_report import PICTURE_WIDTH
from tests.reporting.builders import RoundSpec, WorkshopSpec, answers_for, make_export
from tests.workshop.factories import QUESTIONNAIRE

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def sample_report() -> ReportData:
    rounds = [
        RoundSpec("mood", {"MS": ["3"] * 5, "VW": ["1", "2", "2", "2", "4"], "TH": ["2", "1"]}),
        RoundSpec("questions", {"MS-01": ["nein"] * 4, "MS-02": ["ja", "ja", "nein"]}),
    ]
    answers = answers_for(QUESTIONNAIRE, {"MS": "ja", "VW": "teilweise", "TH": "nein"})
    return compare(QUESTIONNAIRE, make_export(QUESTIONNAIRE, answers, [WorkshopSpec(rounds)]), NOW)


@pytest.fixture(scope="module")
def report() -> ReportData:
    return sample_report()


def _chart(report: ReportData, name: str) -> Chart:
    return next(c for c in report_charts(report) if c.name == name)


def _png_dpi(data: bytes) -> float:
    """Pixels per inch from the PNG's pHYs chunk."""
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"pHYs":
            per_metre, _, _ = struct.unpack(">IIB", data[position + 8 : position + 17])
            return float(per_metre) * 0.0254
        position += 12 + length
    raise AssertionError("no pHYs chunk")


def test_a_report_has_a_radar_a_distribution_and_one_chart_per_field_with_question_rounds(
    report: ReportData,
) -> None:
    assert [c.name for c in report_charts(report)] == ["radar", "verteilung", "fragen-MS"]


def test_charts_render_as_png_at_200_dpi_and_as_svg(report: ReportData) -> None:
    chart = _chart(report, "verteilung")
    png = render(chart, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert _png_dpi(png) == pytest.approx(200, abs=0.5)
    width, _ = struct.unpack(">II", png[16:24])
    assert width == 8 * 200  # 8 inches wide
    svg = render(chart, "svg")
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_labels_are_german_and_the_svg_carries_title_and_text_alternative(
    report: ReportData,
) -> None:
    svg = render(_chart(report, "verteilung"), "svg").decode()
    assert "Anteil der Stimmen in Prozent" in svg
    assert "Einstufung der Verwaltung" in svg
    assert "Verteilung der Stimmen im Workshop je Handlungsfeld" in svg  # <title>
    assert "Gestapelte Balken" in svg  # <desc>


def test_the_text_alternative_names_every_field_with_both_views(report: ReportData) -> None:
    radar = _chart(report, "radar").alt
    assert (
        "Mehrsprachigkeit: Verwaltung Kategorie 1, Workshop Median Kategorie 3 (n\u00a0=\u00a05)"
        in radar
    )
    assert "Teilhabe: Verwaltung Kategorie 4, Workshop zu wenige Stimmen (n\u00a0=\u00a02)" in radar
    bars = _chart(report, "verteilung").alt
    assert (
        "Verwaltung (n\u00a0=\u00a05): Weit: 1, Gut: 3, Anfang: 0, Offen: 1; Verwaltung: Gut."
        in bars
    )
    assert "zu wenige Stimmen (mindestens 3 nötig)" in bars
    questions = _chart(report, "fragen-MS").alt
    assert "Ja: 0, Teilweise: 0, Nein: 4, Weiß nicht: 0; Verwaltung: Ja." in questions


def test_a_report_without_any_workshop_still_draws_every_chart() -> None:
    empty = compare(QUESTIONNAIRE, make_export(QUESTIONNAIRE, {}), NOW)
    for chart in report_charts(empty):
        assert render(chart, "png").startswith(b"\x89PNG")
    assert "nicht in einer abgeschlossenen Runde bewertet" in _chart(empty, "verteilung").alt


def test_scale_answers_have_their_own_palette_colours_apart_from_the_categories() -> None:
    values = ["ja", "teilweise", "nein", "weiss_nicht"]
    styles = scale_styles([ValueCount(value=v, label=v, count=1) for v in values])
    assert [s.colour for s in styles] == [palette.ANSWERS[v].fill for v in values]
    category_fills = {swatch.fill for swatch in palette.CATEGORIES.values()}
    assert not category_fills & {s.colour for s in styles}
    assert len({s.hatch for s in styles}) == 4  # told apart in black and white too


def test_every_category_has_its_own_hatch_and_neighbours_differ_in_greyscale() -> None:
    def grey(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    swatches = [palette.category(n) for n in range(1, 5)]
    assert len({s.hatch for s in swatches}) == 4
    greys = [grey(s.fill) for s in swatches]
    assert min(abs(b - a) for a, b in pairwise(greys)) > 30


# In a fresh interpreter: in this one, any other test may have imported pyplot already.
_RENDER_AND_LIST_MODULES = """
import sys
from selfcheck.reporting.charts import render, report_charts
from tests.reporting.test_charts import sample_report
chart = report_charts(sample_report())[0]
render(chart, "png")
render(chart, "svg")
print("matplotlib.pyplot" in sys.modules)
"""


def test_rendering_never_touches_pyplot(project_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _RENDER_AND_LIST_MODULES],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", "pyplot wurde importiert"


def test_rendering_uses_a_writable_config_folder(report: ReportData) -> None:
    render(_chart(report, "radar"), "png")
    config = os.environ["MPLCONFIGDIR"]
    assert os.access(config, os.W_OK)


def test_the_same_data_gives_the_same_svg(report: ReportData) -> None:
    chart = _chart(report, "radar")
    first, second = render(chart, "svg"), render(chart, "svg")
    assert zlib.crc32(first) == zlib.crc32(second)


def test_every_chart_text_prints_at_9_pt_or_more_at_the_width_of_the_docx_picture(
    report: ReportData,
) -> None:
    """Printed size = size in the figure x picture width in the DOCX / figure width."""
    picture_width_in = PICTURE_WIDTH.inches
    for chart in report_charts(report):
        figure = chart.draw()
        figure.draw_without_rendering()  # creates the tick labels
        scale = picture_width_in / figure.get_figwidth()
        printed = {
            text.get_text(): round(text.get_fontsize() * scale, 1)
            for text in figure.findobj(Text)
            if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
        }
        assert len(printed) > 5
        assert {text: size for text, size in printed.items() if size < 9} == {}, chart.name
