"""Group commit for votes: one writer per process stores the votes that arrived while the
previous batch was being written, in one short write transaction per batch.

A request hands its checked vote (`VoteTarget`) to `VoteWriter.submit` and gets its answer
only after the commit that holds the vote: "stored" still means "on disk". Per batch the
writer reads the state of the rounds concerned, then upserts the votes of the open ones in
one statement on (round item, participant); votes for a round that is not open (any more)
get the same refusal as a single vote would. If the batch transaction fails, its votes are
written one by one, so the bad vote fails alone and the others are stored; the writer goes
on with the next batch either way.

The queue and the batch are bounded: when the queue is full a vote is refused at once with
503 "busy" (the phone retries), never left waiting without end.

On SQLite the batch runs on a plain sqlite3 connection (no thread hop per statement as
through aiosqlite; see `SqliteBatchStore` and docs/benchmarks.md); on PostgreSQL on the
async engine, and the change notice (`pg_notify`) goes out inside the batch's own
transaction, delivered to every process at commit.

Statistics for monitoring are plain attributes of the writer (see `VoteWriter`).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from selfcheck.db.engine import Database, sqlite_writer_connection
from selfcheck.db.models import Vote
from selfcheck.errors import SelfcheckError
from selfcheck.observability import record_vote_stored, report_vote_writer
from selfcheck.workshop.live import NOTICE_CHANNEL, LiveHub
from selfcheck.workshop.vote_targets import VoteTarget
from selfcheck.workshop.votes import sort_out_votes, store_votes

logger = logging.getLogger("selfcheck.votes")

MAX_BATCH = 500  # votes per transaction: keeps each write lock short
MAX_QUEUE = 5000  # votes waiting; beyond that phones are asked to retry

BUSY = "Gerade gehen sehr viele Stimmen ein. Bitte versuchen Sie es gleich noch einmal."


class Busy(SelfcheckError):
    status_code = 503


Outcome = Exception | None  # None: stored
Announce = Callable[[set[int]], Awaitable[None]]


class BatchStore(Protocol):
    async def store(self, votes: Sequence[VoteTarget]) -> list[Outcome]:
        """Stores the votes of open rounds in one transaction; one outcome per vote.
        Raises if the transaction as a whole fails."""

    def close(self) -> None: ...


@dataclass
class _Pending:
    vote: VoteTarget
    answer: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class VoteWriter:
    """Read-only statistics for monitoring: `votes_stored`, `batches`, `last_batch_size`,
    `queue_length`."""

    def __init__(
        self,
        store: BatchStore,
        announce: Announce,
        *,
        max_batch: int = MAX_BATCH,
        max_queue: int = MAX_QUEUE,
    ) -> None:
        self._store = store
        self._announce = announce
        self._max_batch = max_batch
        self._max_queue = max_queue
        self._queue: list[_Pending] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.votes_stored = 0
        self.batches = 0
        self.last_batch_size = 0

    @property
    def queue_length(self) -> int:
        return len(self._queue)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="vote-writer")

    async def close(self) -> None:
        """Writes what is queued, then stops; later votes are refused as "busy"."""
        self._closed = True
        self._arrived.set()
        if self._task is not None:
            await self._task
        self._store.close()

    async def submit(self, vote: VoteTarget) -> None:
        """Returns once the vote is committed; raises its refusal otherwise."""
        if self._closed or len(self._queue) >= self._max_queue:
            raise Busy(BUSY)
        pending = _Pending(vote)
        self._queue.append(pending)
        self._arrived.set()
        # A phone that hangs up cancels only its wait: the vote stays in its batch.
        await pending.answer

    async def _run(self) -> None:
        while self._queue or not self._closed:
            await self._arrived.wait()
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
            if not self._queue and not self._closed:
                self._arrived.clear()
            try:
                await self._write(batch)
            except Exception as error:  # the writer must outlive any batch
                logger.exception("Stimmen nicht gespeichert")
                for pending in batch:
                    if not pending.answer.done():
                        pending.answer.set_exception(error)

    async def _write(self, batch: list[_Pending]) -> None:
        self.last_batch_size = len(batch)
        votes = [pending.vote for pending in batch]
        try:
            outcomes = await self._store.store(votes)
        except Exception:
            logger.exception(
                "Stapel von %s Stimmen gescheitert; einzeln nachgeschrieben", len(votes)
            )
            outcomes = [await self._store_alone(vote) for vote in votes]
        self.batches += 1
        stored = _workshops_stored(votes, outcomes)
        stored_now = sum(outcome is None for outcome in outcomes)
        self.votes_stored += stored_now
        record_vote_stored(stored_now)
        for pending, outcome in zip(batch, outcomes, strict=True):
            if pending.answer.done():
                continue
            if outcome is None:
                pending.answer.set_result(None)
            else:
                pending.answer.set_exception(outcome)
        if stored:
            await self._announce(stored)

    async def _store_alone(self, vote: VoteTarget) -> Outcome:
        try:
            [outcome] = await self._store.store([vote])
        except Exception as error:
            return error
        return outcome


def create_vote_writer(database: Database, hub: LiveHub) -> VoteWriter:
    """Started: the process's one vote writer, notifying `hub` once per batch."""
    store = batch_store(database)
    in_transaction = isinstance(store, AsyncEngineBatchStore)
    writer = VoteWriter(store, _notified_in_transaction if in_transaction else hub.changed_many)
    writer.start()
    report_vote_writer(lambda: writer.last_batch_size, lambda: writer.queue_length)
    return writer


def batch_store(database: Database) -> BatchStore:
    if database.engine.dialect.name == "sqlite":
        url = database.engine.url.render_as_string(hide_password=False)
        return SqliteBatchStore(database, sqlite_writer_connection(url))
    return AsyncEngineBatchStore(database.engine, NOTICE_CHANNEL)


async def _notified_in_transaction(_workshop_ids: set[int]) -> None:
    """PostgreSQL: the batch's transaction has sent the notices already."""


def _workshops_stored(votes: Sequence[VoteTarget], outcomes: Sequence[Outcome]) -> set[int]:
    return {vote.workshop_id for vote, out in zip(votes, outcomes, strict=True) if out is None}


class SqliteBatchStore:
    """A plain sqlite3 connection, without SQLAlchemy's work per statement: per batch four
    statements (BEGIN IMMEDIATE, the rounds' state, the upsert as executemany, COMMIT).

    A batch takes a fraction of a millisecond, so it runs right on the event loop: handing
    it to a thread cost more (the two threads hand the GIL back and forth; measured in
    docs/benchmarks.md). Only when another process holds SQLite's write lock (busy timeout
    0 on the loop) does the batch wait in the writer's own thread, so the loop never blocks.
    Checkpoints of the write-ahead log also run in that thread, not inside a commit on the
    loop. The batch still takes its turn with the process's other writers
    (`Database.write_turn`), which are served in order."""

    _UPSERT = (
        "INSERT INTO votes (round_item_id, participant_id, value, cast_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (round_item_id, participant_id)"
        " DO UPDATE SET value = excluded.value, cast_at = excluded.cast_at"
    )
    CHECKPOINT_EVERY = 2000  # votes; about what SQLite's automatic checkpoint would do

    def __init__(
        self, database: Database, connection: sqlite3.Connection, *, inline: bool = True
    ) -> None:
        self._database = database
        self._connection = connection
        self._inline = inline
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vote-writer")
        self._since_checkpoint = 0
        connection.execute("PRAGMA wal_autocheckpoint=0")
        connection.execute("PRAGMA busy_timeout=0")
        # Timestamps stored exactly as SQLAlchemy stores them (UTCDateTime on SQLite).
        cast_at_type = Vote.__table__.c.cast_at.type
        self._timestamp: Callable[[datetime], Any] = cast_at_type.bind_processor(
            sqlite.dialect()
        ) or (lambda value: value)

    async def store(self, votes: Sequence[VoteTarget]) -> list[Outcome]:
        loop = asyncio.get_running_loop()
        async with self._database.write_turn():
            try:
                if not self._inline:
                    raise _LockedElsewhere
                outcomes = self._store(votes)
            except _LockedElsewhere:
                outcomes = await loop.run_in_executor(self._thread, self._store_waiting, votes)
            self._since_checkpoint += len(votes)
            if self._since_checkpoint >= self.CHECKPOINT_EVERY:
                self._since_checkpoint = 0
                await loop.run_in_executor(self._thread, self._checkpoint)
        return outcomes

    def _store_waiting(self, votes: Sequence[VoteTarget]) -> list[Outcome]:
        self._connection.execute("PRAGMA busy_timeout=5000")
        try:
            return self._store(votes)
        finally:
            self._connection.execute("PRAGMA busy_timeout=0")

    def _checkpoint(self) -> None:
        self._connection.execute("PRAGMA busy_timeout=5000")
        try:
            self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self._connection.execute("PRAGMA busy_timeout=0")

    def _store(self, votes: Sequence[VoteTarget]) -> list[Outcome]:
        connection = self._connection
        round_ids = sorted({vote.round_id for vote in votes})
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode == sqlite3.SQLITE_BUSY:
                raise _LockedElsewhere from error
            raise
        try:
            marks = ", ".join("?" * len(round_ids))
            query = f"SELECT id, status FROM rounds WHERE id IN ({marks})"
            states = dict(connection.execute(query, round_ids).fetchall())
            rows, outcomes = sort_out_votes(votes, states)
            if rows:
                cast_at = self._timestamp(rows[0]["cast_at"])
                connection.executemany(
                    self._UPSERT,
                    [(r["round_item_id"], r["participant_id"], r["value"], cast_at) for r in rows],
                )
            connection.execute("COMMIT")
        except BaseException as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                # The same exception types as every other database access: the web layer
                # answers "database busy/unavailable" (503) or "bad value" from them.
                raise DBAPIError.instance("vote batch", None, error, sqlite3.Error) from error
            raise
        return list(outcomes)

    def close(self) -> None:
        self._thread.submit(self._connection.close).result()
        self._thread.shutdown(wait=True)


class _LockedElsewhere(Exception):
    """Another process holds SQLite's write lock: wait for it off the event loop."""


class AsyncEngineBatchStore:
    """The batch on the async engine (PostgreSQL), with one change notice per workshop
    inside the same transaction: PostgreSQL delivers it to every listening process at
    commit. Without a notice channel it serves the SQLite comparison in bench/vote_store.py."""

    def __init__(self, engine: AsyncEngine, notice_channel: str | None) -> None:
        self._engine = engine
        self._channel = notice_channel

    async def store(self, votes: Sequence[VoteTarget]) -> list[Outcome]:
        async with self._engine.begin() as connection:
            outcomes: list[Outcome] = list(await connection.run_sync(store_votes, votes))
            if self._channel is not None:
                await self._notify(connection, self._channel, votes, outcomes)
            return outcomes

    @staticmethod
    async def _notify(
        connection: AsyncConnection,
        channel: str,
        votes: Sequence[VoteTarget],
        outcomes: list[Outcome],
    ) -> None:
        for workshop_id in sorted(_workshops_stored(votes, outcomes)):
            await connection.execute(select(func.pg_notify(channel, str(workshop_id))))

    def close(self) -> None:
        """The engine belongs to the `Database`."""
