"""The server process is killed (SIGKILL: no shutdown, no flushing) in the middle of a burst
of autosaves and votes. After a restart every acknowledged write is there."""

from __future__ import annotations

from selfcheck.db.engine import Database
from tests.conftest import World
from tests.faults.conftest import OpenRound, editors, invite_staff
from tests.faults.writers import Burst, Writer
from tests.live_server import ServerProcess


async def test_every_acknowledged_answer_and_vote_survives_a_killed_server(
    server: ServerProcess,
    database: Database,
    world: World,
    open_round: OpenRound,
    question_ids: list[str],
) -> None:
    assessment_id = world.aheim_assessment.id
    tokens = await invite_staff(database, assessment_id, 8)
    writers: list[Writer] = [
        *editors(tokens, question_ids, per_editor=3, assessment_id=assessment_id),
        *open_round.participants(8),
    ]
    server.start()
    for writer in writers:
        await writer.prepare(server.base_url)
    burst = Burst(writers)
    burst.start()
    try:
        await burst.wait_for_acknowledged(150, within=30)
        server.kill()
        await burst.finish()
    finally:
        for writer in writers:
            await writer.close()
    assert burst.cut_off > 0, "der Server wurde nicht mitten im Schreiben beendet"
    assert burst.server_errors() == []

    server.start()  # the same database, after the crash
    problems = [p for writer in writers for p in await writer.problems(database)]
    assert problems == [], f"{len(problems)} bestätigte Schreibvorgänge fehlen"
    # And the restarted server works: it shows the answers and takes new ones.
    # On questions the burst never touched: a save the kill cut off after its commit was
    # never acknowledged, so going on from the acknowledged versions may rightly conflict.
    untouched = question_ids[len(tokens) * 3 :]
    after = editors(tokens[:1], untouched, per_editor=3, assessment_id=assessment_id)[0]
    await after.prepare(server.base_url)
    try:
        await after.write_once()
    finally:
        await after.close()
    assert after.responses[-1][0] == 200, after.responses[-1]
