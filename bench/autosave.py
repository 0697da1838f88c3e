"""How long staff wait for an autosave when 50 of them save at once on SQLite, while a
second process (like `selfcheck import` beside the server) writes too.

The real server (`python -m selfcheck serve`) runs on a scratch SQLite file. Reference in
the same run: one editor saving alone, 30 times in a row. Then 50 editors save 6 times
each at the same moment (300 saves; every other one through the JSON API), and this
process writes 40 answers of its own meanwhile. Reported: the lone save's median, the
crowd's median and slowest save, the slowest save as a multiple of the lone median and of
the crowd's median (taking turns in order keeps the slowest near the median; unfair
waiting shows as a long tail), and as a share of SQLite's busy timeout (5 s), after which
a waiting writer would fail with "database is locked". Writers in the server take turns
in order (`Database.write_turn`), so the slowest save should stay far below that timeout;
before the turns, unfair polling brought single saves within 0.6 s of it.

`tests/faults/test_concurrent_editors.py` checks the same crowd for correctness (no error,
nothing lost); this script measures it.

Prints one summary line at the end. Run: .venv/bin/python bench/autosave.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selfcheck.assessments.invitations import invite  # noqa: E402
from selfcheck.assessments.setup import create_assessment  # noqa: E402
from selfcheck.db.engine import SQLITE_PRAGMAS, Database  # noqa: E402
from selfcheck.db.migrate import upgrade  # noqa: E402
from selfcheck.db.models import Municipality  # noqa: E402
from selfcheck.questionnaire.registry import QuestionnaireRegistry  # noqa: E402
from selfcheck.settings import PROJECT_ROOT  # noqa: E402
from tests.faults.writers import (  # noqa: E402
    AutosavingEditor,
    write_answers_from_another_process,
)
from tests.live_server import ServerProcess  # noqa: E402

EDITORS = 50
SAVES_PER_EDITOR = 6
LONE_SAVES = 30
OTHER_PROCESS_WRITES = 40
BUSY_TIMEOUT_S = next(
    int(p.rsplit("=", 1)[1]) / 1000 for p in SQLITE_PRAGMAS if "busy_timeout" in p
)


async def _seed(database: Database, registry: QuestionnaireRegistry) -> tuple[int, list[str]]:
    """An assessment and one staff link per editor, plus one for the lone editor."""
    async with database.writing() as session:
        municipality = Municipality(name="Benchheim")
        session.add(municipality)
        await session.flush()
        assessment = await create_assessment(
            session, municipality, registry.latest(), "Autosave-Messung"
        )
        tokens = [(await invite(session, assessment, f"Person {n}"))[1] for n in range(EDITORS + 1)]
        return assessment.id, tokens


def _editor(n: int, token: str, assessment_id: int, questions: list[str]) -> AutosavingEditor:
    return AutosavingEditor(
        name=f"Person {n}",
        token=token,
        assessment_id=assessment_id,
        question_ids=questions,
        use_api=n % 2 == 1,
    )


async def _timed_saves(editor: AutosavingEditor, count: int, start: asyncio.Event) -> list[float]:
    await start.wait()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        await editor.write_once()
        times.append(time.perf_counter() - began)
    return times


async def _measure(folder: Path, url: str) -> dict[str, float]:
    registry = QuestionnaireRegistry.load_dir(PROJECT_ROOT / "questionnaires")
    questions = [q.id for q in registry.latest().questions()]
    database = Database.connect(url)
    assessment_id, tokens = await _seed(database, registry)
    server = ServerProcess(url, folder)
    server.start()
    lone = _editor(EDITORS, tokens[-1], assessment_id, questions[100:102])
    crowd = [
        _editor(n, token, assessment_id, questions[2 * n : 2 * n + 2])
        for n, token in enumerate(tokens[:EDITORS])
    ]
    try:
        for editor in [lone, *crowd]:
            await editor.prepare(server.base_url)
        started = asyncio.Event()
        started.set()
        lone_times = await _timed_saves(lone, LONE_SAVES, started)
        start = asyncio.Event()
        tasks = [asyncio.create_task(_timed_saves(e, SAVES_PER_EDITOR, start)) for e in crowd]
        other = asyncio.create_task(
            write_answers_from_another_process(
                database, registry.latest(), assessment_id, questions[102:], OTHER_PROCESS_WRITES
            )
        )
        start.set()
        crowd_times = [t for times in await asyncio.gather(*tasks) for t in times]
        await other
    finally:
        for editor in [lone, *crowd]:
            await editor.close()
        server.stop()
        await database.dispose()
    failed = [s for e in [lone, *crowd] for s, _ in e.responses if s != 200]
    assert failed == [], f"{len(failed)} Speicherungen ohne 200: {sorted(set(failed))}"
    lone_p50, crowd_p50 = statistics.median(lone_times), statistics.median(crowd_times)
    slowest = max(crowd_times)
    return {
        "lone_p50_ms": lone_p50 * 1000,
        "crowd_p50_ms": crowd_p50 * 1000,
        "crowd_max_ms": slowest * 1000,
        "max_over_lone": slowest / lone_p50,
        "max_over_crowd_p50": slowest / crowd_p50,
        "max_of_busy_timeout": slowest / BUSY_TIMEOUT_S,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)  # runs its own event loop
        figures = asyncio.run(_measure(Path(folder), url))
    print(
        f"autosave editors={EDITORS} saves={EDITORS * SAVES_PER_EDITOR} "
        f"other_process_writes={OTHER_PROCESS_WRITES} errors=0 "
        + " ".join(f"{name}={value:.2f}" for name, value in figures.items())
    )


if __name__ == "__main__":
    main()
