"""Benchmark of the comparison report (not a test): `.venv/bin/python bench/report.py`.

Builds, in a scratch SQLite database, an assessment with all 105 questions answered, a
workshop with 200 participants, a closed Stimmungsbild with 200 votes per field and closed
question rounds on two fields (5 questions, 200 votes each). Then, seven times each:

- total:  read everything from the database, compare, render the charts as 200-dpi PNG
          and build the DOCX (what the "Word" download does),
- charts: the chart rendering inside that,
- bare:   the same figures drawn by a plain matplotlib script from precomputed lists.

The medians of wall-clock time are printed in the last line,
`report total_s=... charts_s=... bare_charts_s=... ratio=... docx_bytes=...`; the line
before gives the same in CPU time of this process, which other load on the machine
disturbs less.
matplotlib is imported and warmed up (font cache) before timing, as in a running server.
"""

from __future__ import annotations

import asyncio
import io
import math
import random
import statistics
import tempfile
import textwrap
import time
from pathlib import Path

from sqlalchemy import insert

from selfcheck import palette
from selfcheck.db.engine import Database
from selfcheck.db.migrate import upgrade
from selfcheck.db.models import (
    Answer,
    AnswerChange,
    Assessment,
    Municipality,
    Vote,
    utcnow,
)
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.charts import render, report_charts
from selfcheck.reporting.comparison import ReportData
from selfcheck.reporting.docx_report import RenderedChart, build_docx
from selfcheck.reporting.service import build_report_data
from selfcheck.settings import PROJECT_ROOT
from selfcheck.workshop import rounds, workshops
from selfcheck.workshop.groups import STAKEHOLDER_GROUPS

PARTICIPANTS = 200
QUESTION_ROUND_FIELDS = 2
QUESTIONS_PER_ROUND = 5
RUNS = 7
TEMPLATE = PROJECT_ROOT / "reports" / "template.docx"


async def seed(database: Database, questionnaire: Questionnaire) -> int:
    rng = random.Random(5)
    values = [o.value for o in questionnaire.scale.options]
    async with database.writing() as session:
        assessment = Assessment(
            municipality=Municipality(name="Benchstadt"),
            title="Selbstcheck 2026",
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
        )
        session.add(assessment)
        await session.flush()
        for field in questionnaire.fields:
            for question in field.questions:
                value = rng.choice(values)
                answer = Answer(
                    assessment_id=assessment.id, question_id=question.id, value=value,
                    comment=f"Kommentar zu {question.id}", updated_by="Bench",
                )  # fmt: skip
                session.add(answer)
                await session.flush()
                session.add(AnswerChange(answer_id=answer.id, version=1, value=value,
                                         comment=answer.comment, changed_by="Bench"))  # fmt: skip
        workshop = await workshops.create_workshop(session, assessment, "Großer Workshop")
        groups = [*STAKEHOLDER_GROUPS, None]
        people = [
            await workshops.join(session, workshop, groups[i % len(groups)])
            for i in range(PARTICIPANTS)
        ]
        mood = await rounds.create_round(session, workshop, questionnaire, "mood")
        planned = [(mood, [str(rng.randint(1, 4)) for _ in range(4)])]
        for field in questionnaire.fields[:QUESTION_ROUND_FIELDS]:
            ids = [q.id for q in field.questions[:QUESTIONS_PER_ROUND]]
            round_ = await rounds.create_round(
                session, workshop, questionnaire, "questions", field.id, ids
            )
            planned.append((round_, [*values, questionnaire.scale.dont_know.value]))
        for round_, choices in planned:
            await rounds.open_round(session, workshop, round_.id)
            await session.refresh(round_, ["items"])
            # Bulk insert: seeding is not what is measured.
            await session.execute(
                insert(Vote),
                [
                    {"round_item_id": item.id, "participant_id": person.id,
                     "value": rng.choice(choices), "cast_at": utcnow()}
                    for item in round_.items
                    for person in people
                ],
            )  # fmt: skip
            await rounds.close_round(session, workshop, round_.id)
        return assessment.id


Seconds = tuple[float, float]  # wall-clock, CPU time of this process


def _clock() -> Seconds:
    return time.perf_counter(), time.process_time()


def _since(start: Seconds) -> Seconds:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


async def build_once(
    database: Database, registry: QuestionnaireRegistry, assessment_id: int
) -> tuple[Seconds, Seconds, int, ReportData]:
    start = _clock()
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        report = await build_report_data(session, registry, assessment)
    charts_start = _clock()
    rendered = [RenderedChart(c, render(c, "png")) for c in report_charts(report)]
    charts = _since(charts_start)
    data = build_docx(report, rendered, TEMPLATE)
    return _since(start), charts, len(data), report


# --- The same figures, drawn by a plain script ------------------------------------------


def bare_figures(report: ReportData) -> Seconds:
    """Draw and save the report's figures as a plain script would: straight from lists of
    labels and numbers, same sizes, colours, hatching, labels and legends. Returns seconds."""
    titles = [f.title for f in report.fields]
    admin = [f.admin.category for f in report.fields]
    median = [f.workshop.overall.median if f.workshop.overall else None for f in report.fields]
    # (row labels, counts per row, the administration's value per row, legend, column values)
    bar_sets: list[tuple[list[str], list[list[int]], list[str | None], list[str], list[str]]] = [
        (
            [_wrap(f"{f.title} (n = {f.workshop.overall.n if f.workshop.overall else 0})")
             for f in report.fields],
            [[c.count for c in f.workshop.overall.counts] if f.workshop.overall else []
             for f in report.fields],
            [str(a) for a in admin],
            [f"{c.number} – {c.label}" for c in report.categories],
            ["1", "2", "3", "4"],
        )
    ]  # fmt: skip
    for f in report.fields:
        if f.questions:
            bar_sets.append(
                (
                    [_wrap(f"{q.question_id} {textwrap.shorten(q.text, 80, placeholder=' …')} "
                           f"(n = {q.n})") for q in f.questions],
                    [[c.count for c in q.counts] for q in f.questions],
                    [q.admin_value for q in f.questions],
                    [c.label for c in f.questions[0].counts],
                    [c.value for c in f.questions[0].counts],
                )
            )  # fmt: skip
    start = _clock()
    _bare_radar(titles, admin, median)
    for labels, counts, marked, legend, values in bar_sets:
        _bare_bars(labels, counts, marked, legend, values)
    return _since(start)


def _wrap(label: str) -> str:
    return textwrap.fill(label, 38, break_on_hyphens=False)


def _bare_radar(titles: list[str], admin: list[int | None], median: list[int | None]) -> None:
    from matplotlib.figure import Figure
    from matplotlib.projections.polar import PolarAxes

    figure = Figure(figsize=(7.0, 6.4))
    axes = figure.add_subplot(projection="polar")
    assert isinstance(axes, PolarAxes)
    angles = [2 * math.pi * i / len(titles) for i in range(len(titles))]
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    for series, colour, style, marker, label in (
        (admin, "#0072b2", "-", "o", "Verwaltung: Kategorie"),
        (median, "#d55e00", (0, (4, 3)), "s", "Workshop: Median"),
    ):
        radii = [5 - v if v else math.nan for v in series]
        axes.plot([*angles, angles[0]], [*radii, radii[0]], color=colour, linewidth=2,
                  linestyle=style, marker=marker, markersize=7, label=label)  # fmt: skip
    axes.set_ylim(0, 4.2)
    axes.set_yticks([1, 2, 3, 4])
    axes.set_yticklabels(["Kat. 4", "Kat. 3", "Kat. 2", "Kat. 1"], fontsize=8, color="#333333")
    axes.set_rlabel_position(180 / len(titles))
    axes.set_xticks(angles)
    axes.set_xticklabels([textwrap.fill(t, 22) for t in titles], fontsize=9)
    axes.tick_params(axis="x", pad=16)
    axes.grid(color="#999999", linewidth=0.6)
    figure.legend(loc="lower center", ncols=2, frameon=False, fontsize=9)
    figure.subplots_adjust(left=0.17, right=0.83, top=0.85, bottom=0.13)
    figure.savefig(io.BytesIO(), format="png", dpi=200)


def _bare_bars(
    labels: list[str],
    counts: list[list[int]],
    marked: list[str | None],
    legend: list[str],
    values: list[str],
) -> None:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    height = 1.6 + 0.62 * len(labels)
    figure = Figure(figsize=(8.0, height))
    axes = figure.add_subplot()
    category_colours = [palette.category(n).fill for n in range(1, 5)]
    category_hatches = [palette.category(n).hatch for n in range(1, 5)]
    if len(values) == 4 and values[0] == "1":
        colours, hatches = list(category_colours), list(category_hatches)
    else:
        colours = [category_colours[0], category_colours[2], category_colours[3], "#bdbdbd"]
        hatches = [category_hatches[0], category_hatches[2], category_hatches[3], "--"]
    rows = [r for r, row in enumerate(counts) if sum(row)]
    lefts = [0.0] * len(counts)
    for i, colour in enumerate(colours):
        widths = [100 * counts[r][i] / sum(counts[r]) for r in rows]
        axes.barh(rows, widths, left=[lefts[r] for r in rows], height=0.55, color=colour,
                  hatch=hatches[i], edgecolor="#333333", linewidth=0.6)  # fmt: skip
        for r, width in zip(rows, widths, strict=True):
            if width >= 7:
                axes.text(lefts[r] + width / 2, r, str(counts[r][i]), ha="center", va="center",
                          fontsize=8, color="white" if i < 2 else "black",
                          bbox={"boxstyle": "round,pad=0.15", "facecolor": colour,
                                "edgecolor": "none"})  # fmt: skip
            if values[i] == marked[r]:
                axes.plot(lefts[r] + width / 2, r - 0.42, marker="v", markersize=8,
                          color="black", linestyle="none", clip_on=False)  # fmt: skip
            lefts[r] += width
    axes.set_yticks(range(len(labels)))
    axes.set_yticklabels(labels, fontsize=8.5)
    axes.set_ylim(len(labels) - 0.45, -0.8)
    axes.set_xlim(0, 100)
    axes.set_xlabel("Anteil der Stimmen in Prozent", fontsize=9)
    axes.tick_params(axis="x", labelsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=c, hatch=h, edgecolor="#333333", label=label)
        for c, h, label in zip(colours, hatches, legend, strict=False)
    ]
    handles.append(Line2D([], [], color="black", marker="v", linestyle="none", markersize=8,
                          label="Verwaltung"))  # fmt: skip
    figure.legend(handles=handles, loc="lower center", ncols=3, frameon=False, fontsize=8)
    figure.subplots_adjust(left=0.38, right=0.97, top=1 - 0.15 / height, bottom=1.25 / height)
    figure.savefig(io.BytesIO(), format="png", dpi=200)


async def main(url: str) -> None:
    registry = QuestionnaireRegistry.load_dir(PROJECT_ROOT / "questionnaires")
    database = Database.connect(url)
    try:
        assessment_id = await seed(database, registry.latest())
        _, _, _, report = await build_once(database, registry, assessment_id)  # warm-up
        bare_figures(report)
        totals, charts, bares = [], [], []
        docx_bytes = 0
        for run in range(1, RUNS + 1):
            # Alternate the order, so that neither side always runs on a warmer cache.
            bare = bare_figures(report) if run % 2 == 0 else None
            total, chart, docx_bytes, report = await build_once(database, registry, assessment_id)
            bare = bare or bare_figures(report)
            totals.append(total)
            charts.append(chart)
            bares.append(bare)
            print(f"run {run}: total {total[0]:.3f} s (CPU {total[1]:.3f} s), charts "
                  f"{chart[0]:.3f} s (CPU {chart[1]:.3f} s), bare charts {bare[0]:.3f} s "
                  f"(CPU {bare[1]:.3f} s)")  # fmt: skip
    finally:
        await database.dispose()
    n_votes = sum(
        (f.workshop.overall.n if f.workshop.overall else 0) + sum(q.n for q in f.questions)
        for f in report.fields
    )
    questions = sum(len(a.questions) for a in report.annex)
    print(
        f"{questions} Fragen beantwortet, {n_votes} Stimmen, {len(report_charts(report))} "
        f"Diagramme; Median aus {RUNS} Läufen"
    )
    for kind, index in (("cpu", 1), ("report", 0)):
        total_s, chart_s, bare_s = (statistics.median(x[index] for x in runs)
                                    for runs in (totals, charts, bares))  # fmt: skip
        print(
            f"{kind} total_s={total_s:.3f} charts_s={chart_s:.3f} bare_charts_s={bare_s:.3f} "
            f"ratio={chart_s / bare_s:.2f}" + (f" docx_bytes={docx_bytes}" if index == 0 else "")
        )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        database_url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.db'}"
        upgrade(database_url)  # runs its own event loop: before ours
        asyncio.run(main(database_url))
