"""One palette for every screen and every page: the CSS the browser gets, the projector,
and the charts of the report all use the colours of `selfcheck.palette`."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from selfcheck import palette
from selfcheck.reporting.charts import category_styles, render, report_charts, scale_styles
from selfcheck.reporting.comparison import ReportData, compare
from tests.helpers import Client
from tests.reporting.builders import RoundSpec, WorkshopSpec, answers_for, make_export
from tests.workshop.factories import QUESTIONNAIRE

STATIC = Path(palette.__file__).parent / "static"
VARIABLE = re.compile(r"--(?P<name>[\w-]+):\s*(?P<value>[^;]+);")


def _variables(css: str) -> dict[str, str]:
    return {m["name"]: m["value"].strip() for m in VARIABLE.finditer(css)}


def _report() -> ReportData:
    rounds = [
        RoundSpec("mood", {"MS": ["1", "2", "3", "4", "4"], "VW": ["1", "2", "3", "4", "2"]}),
        RoundSpec("questions", {"MS-01": ["ja", "teilweise", "nein", "weiss_nicht"] * 2}),
    ]
    answers = answers_for(QUESTIONNAIRE, {"MS": "ja", "VW": "teilweise", "TH": "nein"})
    export = make_export(QUESTIONNAIRE, answers, [WorkshopSpec(rounds)])
    return compare(QUESTIONNAIRE, export, datetime(2026, 11, 22, tzinfo=UTC))


def test_the_palette_css_file_is_written_from_the_palette_module() -> None:
    assert (STATIC / "palette.css").read_text(encoding="utf-8") == palette.css(), (
        "Run `python -m selfcheck.palette > selfcheck/static/palette.css`."
    )


def test_every_page_links_the_palette_before_the_stylesheet() -> None:
    templates = STATIC.parent / "templates"
    for page in (templates / "base.html", templates / "moderation" / "projector.html"):
        html = page.read_text(encoding="utf-8")
        assert 0 <= html.find("/static/palette.css") < html.find("/static/style.css"), page
    style = (STATIC / "style.css").read_text(encoding="utf-8")
    assert not re.search(r"--cat-\d:", style)  # no second definition that could drift


async def test_the_chart_colours_equal_the_css_variables_the_browser_gets(client: Client) -> None:
    response = await client.get("/static/palette.css")
    assert response.status_code == 200
    served = _variables(response.text)
    report = _report()

    chart_categories = [style.colour for style in category_styles(report)]
    assert chart_categories == [served[f"cat-{n}"] for n in range(1, 5)]
    question = next(f for f in report.fields if f.questions).questions[0]
    chart_answers = {
        c.value: s.colour
        for c, s in zip(question.counts, scale_styles(question.counts), strict=True)
    }
    assert chart_answers == {
        value: served[f"answer-{value.replace('_', '-')}"] for value in chart_answers
    }

    # And in the drawn picture itself: every category colour of the CSS fills a bar.
    distribution = next(c for c in report_charts(report) if c.name == "verteilung")
    svg = render(distribution, "svg").decode()
    fills = {colour.lower() for colour in re.findall(r"fill:\s*(#[0-9a-fA-F]{6})", svg)}
    assert {served[f"cat-{n}"] for n in range(1, 5)} <= fills


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_text_on_every_palette_colour_has_at_least_aa_contrast() -> None:
    for swatch in [*palette.CATEGORIES.values(), *palette.ANSWERS.values()]:
        light, dark = sorted([_luminance(swatch.fill), _luminance(swatch.ink)], reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, swatch


def test_categories_and_answers_each_carry_their_own_hatch_for_greyscale_print() -> None:
    assert len({s.hatch for s in palette.CATEGORIES.values()}) == len(palette.CATEGORIES)
    assert len({s.hatch for s in palette.ANSWERS.values()}) == len(palette.ANSWERS)
