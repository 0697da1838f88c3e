"""50 staff members autosaving at the same moment on SQLite, against the real server
process – while a second process (like `selfcheck import` beside the running server) writes
too: nobody ever sees "database is locked" or any other server error.

Within the server, writers take turns in order (`Database.write_turn`); between processes,
BEGIN IMMEDIATE makes them queue on SQLite's busy timeout instead of failing at once. How
long the saves wait meanwhile is measured by `bench/autosave.py`, not here: on a shared
machine a time limit in a test fails with the load, not with the code."""

from __future__ import annotations

import asyncio

from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from tests.conftest import World
from tests.faults.conftest import editors, invite_staff
from tests.faults.writers import AutosavingEditor, write_answers_from_another_process
from tests.live_server import ServerProcess

EDITORS = 50
SAVES_PER_EDITOR = 6
OTHER_PROCESS_WRITES = 40


async def test_fifty_editors_autosaving_at_once_never_see_a_locked_database(
    sqlite_only: None,
    server: ServerProcess,
    database: Database,
    registry: QuestionnaireRegistry,
    world: World,
    question_ids: list[str],
) -> None:
    assessment_id = world.aheim_assessment.id
    tokens = await invite_staff(database, assessment_id, EDITORS)
    people = editors(tokens, question_ids, per_editor=2, assessment_id=assessment_id)
    server.start()
    try:
        await asyncio.gather(*(person.prepare(server.base_url) for person in people))
        start = asyncio.Event()

        async def type_and_save(person: AutosavingEditor) -> None:
            await start.wait()
            for _ in range(SAVES_PER_EDITOR):
                await person.write_once()

        tasks = [asyncio.create_task(type_and_save(person)) for person in people]
        other = asyncio.create_task(
            write_answers_from_another_process(
                database, registry.latest(), assessment_id, question_ids[-5:], OTHER_PROCESS_WRITES
            )
        )
        start.set()
        async with asyncio.timeout(60):
            await asyncio.gather(*tasks)
            assert await other == OTHER_PROCESS_WRITES
    finally:
        for person in people:
            await person.close()

    answers = [(status, body) for person in people for status, body in person.responses]
    assert len(answers) == EDITORS * SAVES_PER_EDITOR
    assert [a for a in answers if a[0] != 200] == []
    assert not any("locked" in body for _, body in answers)
    log = server.log()
    assert "database is locked" not in log and "Traceback" not in log
    problems = [p for person in people for p in await person.problems(database)]
    assert problems == []
