"""The live hub's fan-out: each view encoded once per snapshot, phones woken only when the
round they follow changes, not by totals."""

from __future__ import annotations

import asyncio
import threading

import msgspec

from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.workshop.live import LiveHub, Snapshot, Update
from selfcheck.workshop.participant_views import round_signal
from tests.workshop.factories import (
    QUESTIONNAIRE,
    close,
    join_many,
    make_workshop,
    open_new_round,
    vote,
)


def whole(snapshot: Snapshot) -> Snapshot:
    return msgspec.structs.replace(snapshot, seq=0)


async def _next(queue: asyncio.Queue[Update]) -> dict[str, object]:
    update = await asyncio.wait_for(queue.get(), 10)
    decoded = msgspec.json.decode(update.payload)
    assert isinstance(decoded, dict)
    return decoded


async def test_votes_wake_the_projector_but_not_the_phones_which_follow_only_the_round(
    database: Database,
) -> None:
    hub = LiveHub(database, QuestionnaireRegistry([QUESTIONNAIRE]), interval=0.01)
    hub.start()  # PostgreSQL: listens for the notices
    workshop = await make_workshop(database, min_group_size=2)
    anna, ben = await join_many(database, workshop, [None, None])
    round_ = await open_new_round(database, workshop, "mood", None)
    try:
        async with (
            hub.watch(workshop.id, whole) as projector,
            hub.watch(workshop.id, round_signal) as phone,
            hub.watch(workshop.id, round_signal) as other_phone,
        ):
            assert (await _next(phone))["status"] == "open"
            await _next(other_phone)
            await _next(projector)
            for voters, participant in enumerate((anna, ben), start=1):
                await vote(database, participant, round_.id, "MS", "2")
                await hub.changed(workshop.id)
                while (await _next(projector))["round"]["voters"] < voters:  # type: ignore[index]
                    pass
            assert phone.empty() and other_phone.empty(), "a phone was woken by totals"
            await close(database, workshop, round_.id)
            await hub.changed(workshop.id)
            assert (await _next(phone))["status"] == "closed"
            assert (await _next(other_phone))["status"] == "closed"
    finally:
        await hub.close()


async def test_a_view_opened_beside_a_running_one_gets_the_current_state_at_once(
    database: Database,
) -> None:
    """The projector opened while the console already watches: nothing changes in the
    room, yet the projector must show the round now, not at the next vote."""
    hub = LiveHub(database, QuestionnaireRegistry([QUESTIONNAIRE]), interval=0.01)
    hub.start()
    workshop = await make_workshop(database, min_group_size=2)
    await open_new_round(database, workshop, "mood", None)
    try:
        async with hub.watch(workshop.id, whole) as console:
            await _next(console)
            async with hub.watch(workshop.id, round_signal) as projector:
                assert (await _next(projector))["status"] == "open"
    finally:
        await hub.close()


def _reader_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == "live-reader")


async def test_snapshots_are_read_off_the_servers_loop_on_sqlite_and_the_reader_ends_with_the_hub(
    database: Database,
) -> None:
    hub = LiveHub(database, QuestionnaireRegistry([QUESTIONNAIRE]), interval=0.01)
    workshop = await make_workshop(database, min_group_size=2)
    await join_many(database, workshop, [None, None])
    before = _reader_threads()
    try:
        snapshot = await hub.read_snapshot(workshop.id)
        assert snapshot.workshop_id == workshop.id and snapshot.joined == 2
        sqlite = database.engine.dialect.name == "sqlite"
        assert _reader_threads() == before + (1 if sqlite else 0)
    finally:
        await hub.close()
    assert _reader_threads() == before
