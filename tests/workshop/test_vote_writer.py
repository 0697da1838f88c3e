"""The vote writer: group commit, each vote with its own answer, acknowledged after commit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from selfcheck.db.engine import Database
from selfcheck.db.models import Round, RoundItem, Vote, Workshop
from selfcheck.errors import NotAllowed
from selfcheck.workshop import rounds, votes
from selfcheck.workshop.live import NOTICE_CHANNEL
from selfcheck.workshop.vote_targets import VoteTarget
from selfcheck.workshop.vote_writer import BUSY, Busy, VoteWriter, batch_store
from tests.helpers import Client, post_form
from tests.workshop.conftest import VOTE_SAVED, LiveWorkshop, start_round_and_join, vote
from tests.workshop.factories import (
    QUESTIONNAIRE,
    close,
    join_many,
    make_workshop,
    open_new_round,
)


class Announcements:
    def __init__(self) -> None:
        self.calls: list[set[int]] = []

    async def __call__(self, workshop_ids: set[int]) -> None:
        self.calls.append(workshop_ids)


@pytest.fixture
async def writer(database: Database) -> AsyncIterator[tuple[VoteWriter, Announcements]]:
    """Not started: a test queues votes first, so that they make one batch."""
    announcements = Announcements()
    writer = VoteWriter(batch_store(database), announcements)
    yield writer, announcements
    writer.start()  # close() waits for the writer's task
    await writer.close()


async def _items(database: Database, round_id: int) -> dict[str, int]:
    async with database.reading() as session:
        rows = await session.execute(
            select(RoundItem.item_key, RoundItem.id).where(RoundItem.round_id == round_id)
        )
        return {key: item_id for key, item_id in rows}


async def _stored(database: Database) -> dict[tuple[str, int], str]:
    async with database.reading() as session:
        rows = await session.execute(select(Vote.participant_id, Vote.round_item_id, Vote.value))
        return {(p, item): value for p, item, value in rows}


def _target(
    workshop: Workshop, participant: str, round_: Round, item: int, value: str
) -> VoteTarget:
    return VoteTarget(workshop.id, workshop.join_code, participant, round_.id, item, value)


async def test_a_batch_mixing_valid_votes_closed_rounds_and_bad_values_answers_each_vote_alone(
    database: Database, writer: tuple[VoteWriter, Announcements]
) -> None:
    vote_writer, announcements = writer
    workshop = await make_workshop(database)
    anna, ben = await join_many(database, workshop, [None, None])
    closed = await open_new_round(database, workshop, "mood", None)
    await close(database, workshop, closed.id)
    async with database.writing() as session:
        draft = await rounds.create_round(session, workshop, QUESTIONNAIRE, "mood", None, ())
    open_ = await open_new_round(database, workshop, "mood", None)
    items = await _items(database, open_.id)
    closed_items = await _items(database, closed.id)
    draft_items = await _items(database, draft.id)

    batch = {
        "anna": _target(workshop, anna.id, open_, items["MS"], "1"),
        "ben": _target(workshop, ben.id, open_, items["MS"], "2"),
        "closed": _target(workshop, anna.id, closed, closed_items["VW"], "3"),
        "draft": _target(workshop, ben.id, draft, draft_items["VW"], "3"),
        # No such participant: the database refuses the row (foreign key).
        "stranger": _target(workshop, "x" * 32, open_, items["TH"], "4"),
        # A value the database cannot store (PostgreSQL: longer than the column).
        "anna again": _target(workshop, anna.id, open_, items["VW"], "9" * 60),
    }
    answers = [asyncio.create_task(vote_writer.submit(v)) for v in batch.values()]
    await asyncio.sleep(0)  # all queued before the writer starts: one batch
    assert vote_writer.queue_length == len(batch)
    vote_writer.start()
    outcomes = dict(zip(batch, await asyncio.gather(*answers, return_exceptions=True), strict=True))

    assert outcomes["anna"] is None and outcomes["ben"] is None
    assert isinstance(outcomes["closed"], NotAllowed)
    assert outcomes["closed"].message == votes.ROUND_CLOSED
    assert isinstance(outcomes["draft"], NotAllowed)
    assert outcomes["draft"].message == votes.ROUND_NOT_OPEN
    assert isinstance(outcomes["stranger"], DBAPIError)
    stored = await _stored(database)
    assert stored[(anna.id, items["MS"])] == "1" and stored[(ben.id, items["MS"])] == "2"
    if database.engine.dialect.name == "postgresql":
        assert isinstance(outcomes["anna again"], DBAPIError)
        assert len(stored) == 2
    # The writer goes on after a failed batch.
    await vote_writer.submit(_target(workshop, ben.id, open_, items["TH"], "4"))
    assert (await _stored(database))[(ben.id, items["TH"])] == "4"
    assert all(calls == {workshop.id} for calls in announcements.calls)


async def test_a_vote_is_acknowledged_only_after_the_commit_that_holds_it(
    database: Database, writer: tuple[VoteWriter, Announcements]
) -> None:
    vote_writer, _ = writer
    vote_writer.start()
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop, "mood", None)
    items = await _items(database, round_.id)

    async with database.writing() as blocker:
        # Another transaction holds the round (PostgreSQL: the row; SQLite: the database):
        # the writer's batch cannot commit until it ends.
        await blocker.execute(select(Round.id).where(Round.id == round_.id).with_for_update())
        answer = asyncio.create_task(
            vote_writer.submit(_target(workshop, anna.id, round_, items["MS"], "2"))
        )
        while vote_writer.queue_length or not vote_writer.last_batch_size:  # noqa: ASYNC110
            await asyncio.sleep(0.01)  # until the batch has left the queue
        await asyncio.sleep(0.3)
        assert not answer.done(), "acknowledged before its commit"
    await answer
    assert await _stored(database) == {(anna.id, items["MS"]): "2"}


async def test_a_full_queue_asks_the_phone_to_retry(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop, "mood", None)
    items = await _items(database, round_.id)
    small = VoteWriter(batch_store(database), Announcements(), max_queue=2)
    waiting = [
        asyncio.create_task(small.submit(_target(workshop, anna.id, round_, items[key], "1")))
        for key in ("MS", "VW")
    ]
    await asyncio.sleep(0)
    with pytest.raises(Busy) as refused:
        await small.submit(_target(workshop, anna.id, round_, items["TH"], "1"))
    assert refused.value.status_code == 503 and refused.value.message == BUSY
    small.start()
    await asyncio.gather(*waiting)
    await small.close()


async def test_one_change_notice_per_batch_and_workshop_on_postgresql(
    database: Database, writer: tuple[VoteWriter, Announcements]
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("NOTIFY gibt es nur mit PostgreSQL")
    vote_writer, _ = writer
    workshops = [await make_workshop(database) for _ in range(2)]
    votes: list[VoteTarget] = []
    for workshop in workshops:
        people = await join_many(database, workshop, [None] * 10)
        round_ = await open_new_round(database, workshop, "mood", None)
        items = await _items(database, round_.id)
        votes += [_target(workshop, p.id, round_, i, "2") for p in people for i in items.values()]
    dsn = database.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    listener = await asyncpg.connect(dsn)
    notices: list[str] = []
    end = asyncio.Event()

    def heard(_c: object, _pid: int, _channel: str, payload: str) -> None:
        notices.append(payload)
        if payload == "end":
            end.set()

    # PostgreSQL delivers identical notices of one transaction once, so what is sent is
    # counted too: one pg_notify per workshop, not per vote.
    sent: list[str] = []

    def count_notices(_c: object, _cursor: object, statement: str, *_rest: object) -> None:
        if "pg_notify" in statement:
            sent.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count_notices)
    try:
        await listener.add_listener(NOTICE_CHANNEL, heard)
        answers = [asyncio.create_task(vote_writer.submit(v)) for v in votes]
        await asyncio.sleep(0)
        vote_writer.start()
        await asyncio.gather(*answers)
        event.remove(database.engine.sync_engine, "before_cursor_execute", count_notices)
        assert len(sent) == len(workshops)
        async with database.engine.begin() as connection:
            await connection.execute(text("SELECT pg_notify(:c, 'end')"), {"c": NOTICE_CHANNEL})
        await asyncio.wait_for(end.wait(), 10)
    finally:
        if event.contains(database.engine.sync_engine, "before_cursor_execute", count_notices):
            event.remove(database.engine.sync_engine, "before_cursor_execute", count_notices)
        await listener.close()
    assert vote_writer.batches == 1 and vote_writer.votes_stored == len(votes) == 60
    assert sorted(notices) == sorted([str(w.id) for w in workshops] + ["end"])


async def test_the_vote_response_reports_the_writers_answer(
    client: Client, second_client: Client, workshop: LiveWorkshop, database: Database
) -> None:
    """Through the web: votes sent at once get their own answers, and each stored one is
    acknowledged with the server's own time to commit."""
    first = await start_round_and_join(client, second_client, workshop)
    answers = await asyncio.gather(
        vote(second_client, workshop, first, "MS", "1"),
        vote(second_client, workshop, first, "IO", "7"),
        vote(second_client, workshop, first, "AW", "2"),
        vote(second_client, workshop, first + 999, "AW", "2"),
    )
    assert answers[0] == VOTE_SAVED
    assert answers[1] == (422, "Bitte wählen Sie eine der angebotenen Antworten.")
    assert answers[2] == VOTE_SAVED
    assert answers[3] == (404, votes.ROUND_UNKNOWN)
    assert sorted((await _stored(database)).values()) == ["1", "2"]
    response = await post_form(
        second_client,
        f"/w/{workshop.code}/stimme",
        {"round_id": str(first), "item_key": "MS", "value": "3"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.headers["server-timing"].startswith("vote;dur=")
