"""Live updates for the projector, the control view and participants' phones.

A batch of votes or a round change sends a tiny "workshop N changed" notice: within the
process for one SQLite process; with PostgreSQL as NOTIFY on one channel, which every
worker process LISTENs to on one long-lived connection of its own (reconnected by itself
after a database restart). The vote writer sends its notice inside the batch's transaction,
one per batch and workshop, never one per vote.

In every process, one feed per watched workshop turns those notices into at most one
snapshot per `interval` (coalescing: 10 per second by default, however many votes arrive)
and reads the totals once per snapshot, however many streams are open. Each view of the
snapshot (the projector's whole state, a phone's round signal) is encoded once per snapshot
and handed only to the streams of that view, and only when it changed: phones are not woken
by totals they do not show. Streams keep only the newest update; nothing queues up behind
a slow phone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.answers import answer_values
from selfcheck.db.engine import Database
from selfcheck.db.models import Participant, Round, Workshop
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.workshop.rounds import current_round
from selfcheck.workshop.totals import (
    admin_categories,
    admin_comparison,
    median_category,
    public_totals,
)
from selfcheck.workshop.votes import round_totals

logger = logging.getLogger("selfcheck.live")
DEFAULT_INTERVAL = 0.1


class ItemView(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    label: str
    n: int
    counts: dict[str, int]
    suppressed: bool
    revealed: bool
    median: int | None = None  # field and mood rounds, when the counts are shown
    admin_category: int | None = None
    admin_value: str | None = None


class RoundView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    title: str
    status: str
    voters: int
    items: list[ItemView]
    trial: bool = False  # a Probelauf (the round or its whole workshop): it never counts


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    workshop_id: int
    joined: int
    min_group_size: int
    round: RoundView | None  # the open round, else the most recently closed one
    results_hidden: bool = False  # the moderator keeps the projector's distributions back
    seq: int = 0  # per process and workshop; lets clients and benchmarks count broadcasts


NOTICE_CHANNEL = "selfcheck_live"  # PostgreSQL NOTIFY channel; the payload is the workshop id
LISTENER_CHECK_SECONDS = 15.0  # how often an idle listener connection is probed
View = Callable[[Snapshot], object]


async def displayed_round(session: AsyncSession, workshop: Workshop) -> Round | None:
    running = await current_round(session, workshop)
    if running is not None:
        return running
    return await session.scalar(
        select(Round)
        .where(Round.workshop_id == workshop.id, Round.status == "closed")
        .order_by(Round.closed_at.desc(), Round.id.desc())
        .limit(1)
    )


async def build_snapshot(
    session: AsyncSession, registry: QuestionnaireRegistry, workshop_id: int
) -> Snapshot:
    workshop = await session.get(Workshop, workshop_id, populate_existing=True)
    if workshop is None:
        return Snapshot(workshop_id=workshop_id, joined=0, min_group_size=3, round=None)
    await session.refresh(workshop, ["assessment"])
    round_ = await displayed_round(session, workshop)
    joined = await session.scalar(
        select(func.count()).select_from(Participant).where(Participant.workshop_id == workshop_id)
    )
    view = None
    if round_ is not None:
        assessment = workshop.assessment
        questionnaire = registry.get(assessment.questionnaire_id, assessment.questionnaire_version)
        view = await _round_view(session, questionnaire, workshop, round_)
    return Snapshot(
        workshop_id=workshop_id,
        joined=joined or 0,
        min_group_size=workshop.min_group_size,
        round=view,
        results_hidden=workshop.results_hidden,
    )


async def _round_view(
    session: AsyncSession, questionnaire: Questionnaire, workshop: Workshop, round_: Round
) -> RoundView:
    totals = public_totals(await round_totals(session, round_.id), workshop.min_group_size)
    revealed = workshop.reveal_admin_immediately or totals.status == "closed"
    answers = await answer_values(session, workshop.assessment_id) if revealed else {}
    comparison = admin_comparison(
        totals,
        admin_categories(questionnaire, answers),
        answers=answers,
        reveal_immediately=workshop.reveal_admin_immediately,
    )
    labels = item_labels(questionnaire)
    items = [
        ItemView(
            key=item.item_key,
            label=labels.get(item.item_key, item.item_key),
            n=item.n,
            counts=item.counts,
            suppressed=item.suppressed,
            revealed=admin.revealed,
            median=None
            if totals.kind == "questions" or item.suppressed
            else median_category(item.counts),
            admin_category=admin.admin_category,
            admin_value=admin.admin_value,
        )
        for item, admin in zip(totals.items, comparison, strict=True)
    ]
    return RoundView(
        id=round_.id,
        kind=round_.kind,
        title=round_.title,
        status=totals.status,
        voters=totals.voters,
        items=items,
        trial=workshop.trial or round_.trial,
    )


def item_labels(questionnaire: Questionnaire) -> dict[str, str]:
    """Field id -> field title, question id -> question text."""
    labels = {field.id: field.title for field in questionnaire.fields}
    labels.update({q.id: q.text for field in questionnaire.fields for q in field.questions})
    return labels


@dataclass(frozen=True)
class Update:
    """One view of one snapshot, encoded once for all streams that show it."""

    seq: int
    payload: bytes


class _ViewWatchers:
    def __init__(self) -> None:
        self.latest: Update | None = None
        self.queues: set[asyncio.Queue[Update]] = set()


class _Feed:
    """One workshop's snapshots in this process, shared by all local streams."""

    def __init__(self, hub: LiveHub, workshop_id: int) -> None:
        self.hub = hub
        self.workshop_id = workshop_id
        self.views: dict[View, _ViewWatchers] = {}
        self.seq = 0
        self.broadcasts = 0
        self.dirty = asyncio.Event()
        self.dirty.set()  # the first watcher needs a snapshot at once
        self._task = asyncio.create_task(self._flush_forever(), name=f"live-feed-{workshop_id}")

    @property
    def watchers(self) -> int:
        return sum(len(watchers.queues) for watchers in self.views.values())

    async def _flush_forever(self) -> None:
        loop = asyncio.get_running_loop()
        last = 0.0
        while True:
            await self.dirty.wait()
            delay = last + self.hub.interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.dirty.clear()  # changes during the read below trigger the next flush
            last = loop.time()
            try:
                snapshot = await self.hub.read_snapshot(self.workshop_id)
            except Exception:
                logger.exception("Live-Stand für Workshop %s nicht lesbar", self.workshop_id)
                self.dirty.set()
                await asyncio.sleep(1)  # e.g. the database restarts; try again shortly
                continue
            self.seq += 1
            self.broadcasts += 1
            self._hand_out(msgspec.structs.replace(snapshot, seq=self.seq))

    def _hand_out(self, snapshot: Snapshot) -> None:
        for view, watchers in self.views.items():
            payload = msgspec.json.encode(view(snapshot))
            if watchers.latest is not None and watchers.latest.payload == payload:
                continue  # e.g. only totals changed: a phone's round signal stays the same
            watchers.latest = Update(snapshot.seq, payload)
            for queue in watchers.queues:
                _put_newest(queue, watchers.latest)

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


def _put_newest(queue: asyncio.Queue[Update], update: Update) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(update)


class LiveHub:
    def __init__(
        self,
        database: Database,
        registry: QuestionnaireRegistry,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self.database = database
        self.registry = registry
        self.interval = interval
        self._feeds: dict[int, _Feed] = {}
        url = database.engine.url
        self._listener = (
            _PostgresListener(
                url.set(drivername="postgresql").render_as_string(hide_password=False), self
            )
            if url.get_backend_name() == "postgresql"
            else None
        )
        self._reader = (
            _SnapshotReader(url.render_as_string(hide_password=False))
            if url.get_backend_name() == "sqlite"
            else None
        )

    @property
    def notices_in_database(self) -> bool:
        """True when change notices travel through PostgreSQL (to every process)."""
        return self._listener is not None

    def start(self) -> None:
        if self._listener is not None:
            self._listener.start()

    async def changed(self, workshop_id: int) -> None:
        """Tell every process that this workshop changed. Call after the commit."""
        await self.changed_many({workshop_id})

    async def changed_many(self, workshop_ids: Iterable[int]) -> None:
        if self._listener is None:
            self.mark_changed(workshop_ids)
            return
        try:
            async with self.database.engine.begin() as connection:
                for workshop_id in sorted(workshop_ids):
                    await connection.execute(
                        select(func.pg_notify(NOTICE_CHANNEL, str(workshop_id)))
                    )
        except Exception:
            # A failing notice must not fail the change that was already stored.
            logger.exception("Live-Benachrichtigung für Workshops %s gescheitert", workshop_ids)

    def mark_changed(self, workshop_ids: Iterable[int]) -> None:
        """This process's feeds of these workshops read a new snapshot soon."""
        for workshop_id in workshop_ids:
            feed = self._feeds.get(workshop_id)
            if feed is not None:
                feed.dirty.set()

    def mark_all_changed(self) -> None:
        self.mark_changed(list(self._feeds))

    async def read_snapshot(self, workshop_id: int) -> Snapshot:
        if self._reader is not None:
            return await self._reader.read(self.registry, workshop_id)
        return await _read_snapshot(self.database, self.registry, workshop_id)

    @asynccontextmanager
    async def watch(self, workshop_id: int, view: View) -> AsyncIterator[asyncio.Queue[Update]]:
        """A queue that always holds the newest update of `view` not yet taken."""
        feed = self._feeds.get(workshop_id)
        if feed is None:
            feed = self._feeds[workshop_id] = _Feed(self, workshop_id)
        watchers = feed.views.setdefault(view, _ViewWatchers())
        queue: asyncio.Queue[Update] = asyncio.Queue(maxsize=1)
        if watchers.latest is not None:
            queue.put_nowait(watchers.latest)
        else:  # a view this feed has not shown yet (e.g. the projector beside the console)
            feed.dirty.set()
        watchers.queues.add(queue)
        try:
            yield queue
        finally:
            watchers.queues.discard(queue)
            if not feed.watchers and self._feeds.get(workshop_id) is feed:
                del self._feeds[workshop_id]
                await feed.stop()

    def broadcasts(self, workshop_id: int) -> int:
        feed = self._feeds.get(workshop_id)
        return feed.broadcasts if feed else 0

    async def close(self) -> None:
        if self._listener is not None:
            await self._listener.stop()
        for feed in list(self._feeds.values()):
            await feed.stop()
        self._feeds.clear()
        if self._reader is not None:
            await self._reader.close()


async def _read_snapshot(
    database: Database, registry: QuestionnaireRegistry, workshop_id: int
) -> Snapshot:
    async with database.reading() as session:
        return await build_snapshot(session, registry, workshop_id)


class _SnapshotReader:
    """SQLite: snapshots are read on an event loop of their own, in one thread.

    A snapshot takes nine statements, and through aiosqlite each costs about four hand-offs
    to its worker thread and back (37 per snapshot, measured). On the server's loop every
    hand-off waits for a whole loop iteration, which with 1,000 phones voting is long: the
    projector fell seconds behind. On this quiet loop a hand-off takes microseconds; the
    server's loop waits once per snapshot."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._loop: asyncio.AbstractEventLoop | None = None
        self._database: Database | None = None
        self._thread: threading.Thread | None = None

    def _started(self) -> tuple[asyncio.AbstractEventLoop, Database]:
        if self._loop is None or self._database is None:
            self._loop = asyncio.new_event_loop()
            self._database = Database.connect(self._url)
            self._thread = threading.Thread(
                target=self._loop.run_forever, name="live-reader", daemon=True
            )
            self._thread.start()
        return self._loop, self._database

    async def read(self, registry: QuestionnaireRegistry, workshop_id: int) -> Snapshot:
        loop, database = self._started()
        reading = asyncio.run_coroutine_threadsafe(
            _read_snapshot(database, registry, workshop_id), loop
        )
        return await asyncio.wrap_future(reading)

    async def close(self) -> None:
        loop, database, thread = self._loop, self._database, self._thread
        if loop is None or database is None or thread is None:
            return
        self._loop = self._database = self._thread = None
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(database.dispose(), loop))
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join, 5)
        loop.close()


class _PostgresListener:
    """LISTEN on one long-lived connection; reconnects by itself when it is lost (a
    PostgreSQL restart), and then refreshes every feed, since notices sent meanwhile are gone."""

    def __init__(self, dsn: str, hub: LiveHub) -> None:
        self._dsn = dsn
        self._hub = hub
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever(), name="live-listener")

    async def _listen_forever(self) -> None:
        pause = 0.5
        while True:
            try:
                await self._listen_once()
                pause = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("Live-Verbindung zu PostgreSQL verloren: %s", error)
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)

    async def _listen_once(self) -> None:
        connection = await asyncpg.connect(self._dsn)
        lost = asyncio.Event()
        try:
            connection.add_termination_listener(lambda _connection: lost.set())
            await connection.add_listener(NOTICE_CHANNEL, self._on_notice)
            self._hub.mark_all_changed()
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), LISTENER_CHECK_SECONDS)
                if not lost.is_set():
                    await connection.fetchval("SELECT 1")  # raises if the server is gone
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), 2)

    def _on_notice(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        if payload.isdigit():
            self._hub.mark_changed([int(payload)])

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
