"""Live updates for the projector, the control view and participants' phones.

A vote or a round change publishes a tiny "workshop N changed" message on the channels
backend (in memory for one SQLite process; PostgreSQL LISTEN/NOTIFY across worker
processes). In every process, one feed per watched workshop turns those messages into at
most one snapshot per `interval` (coalescing: 10 per second by default, however many
votes arrive), reads the totals once from the database, and hands the snapshot to every
local watcher. Watchers keep only the newest snapshot; nothing queues up behind a slow phone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import msgspec
from litestar.channels import ChannelsPlugin
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.answers import answer_values
from selfcheck.db.engine import Database
from selfcheck.db.models import Participant, Round, Workshop
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.workshop.services import current_round, round_totals
from selfcheck.workshop.totals import (
    admin_categories,
    admin_comparison,
    median_category,
    public_totals,
)

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


def channel_name(workshop_id: int) -> str:
    return f"workshop-{workshop_id}"


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


class _Feed:
    """One workshop's snapshots in this process, shared by all local watchers."""

    def __init__(self, hub: LiveHub, workshop_id: int) -> None:
        self.hub = hub
        self.workshop_id = workshop_id
        self.watchers: set[asyncio.Queue[Snapshot]] = set()
        self.latest: Snapshot | None = None
        self.seq = 0
        self.broadcasts = 0
        self._dirty = asyncio.Event()
        self._dirty.set()  # the first watcher needs a snapshot at once
        self._task = asyncio.create_task(self._run(), name=f"live-feed-{workshop_id}")

    async def _run(self) -> None:
        channels = self.hub.channels
        async with channels.start_subscription([channel_name(self.workshop_id)]) as subscriber:
            listener = asyncio.create_task(self._listen(subscriber.iter_events()))
            try:
                await self._flush_forever()
            finally:
                listener.cancel()

    async def _listen(self, events: AsyncIterator[bytes]) -> None:
        async for _ in events:
            self._dirty.set()

    async def _flush_forever(self) -> None:
        loop = asyncio.get_running_loop()
        last = 0.0
        while True:
            await self._dirty.wait()
            delay = last + self.hub.interval - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._dirty.clear()  # changes during the read below trigger the next flush
            last = loop.time()
            try:
                snapshot = await self.hub.read_snapshot(self.workshop_id)
            except Exception:
                logger.exception("Live-Stand für Workshop %s nicht lesbar", self.workshop_id)
                self._dirty.set()
                await asyncio.sleep(1)  # e.g. the database restarts; try again shortly
                continue
            self.seq += 1
            self.broadcasts += 1
            self.latest = msgspec.structs.replace(snapshot, seq=self.seq)
            for queue in self.watchers:
                _put_newest(queue, self.latest)

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


def _put_newest(queue: asyncio.Queue[Snapshot], snapshot: Snapshot) -> None:
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(snapshot)


class LiveHub:
    def __init__(
        self,
        database: Database,
        registry: QuestionnaireRegistry,
        channels: ChannelsPlugin,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self.database = database
        self.registry = registry
        self.channels = channels
        self.interval = interval
        self._feeds: dict[int, _Feed] = {}

    def changed(self, workshop_id: int) -> None:
        """Tell every process that this workshop changed. Call after the commit."""
        try:
            self.channels.publish(b"1", [channel_name(workshop_id)])
        except Exception:
            # A failing backend must not fail the vote that was already stored.
            logger.exception("Live-Benachrichtigung für Workshop %s gescheitert", workshop_id)

    async def read_snapshot(self, workshop_id: int) -> Snapshot:
        async with self.database.reading() as session:
            return await build_snapshot(session, self.registry, workshop_id)

    @asynccontextmanager
    async def watch(self, workshop_id: int) -> AsyncIterator[asyncio.Queue[Snapshot]]:
        """A queue that always holds the newest snapshot not yet taken."""
        feed = self._feeds.get(workshop_id)
        if feed is None:
            feed = self._feeds[workshop_id] = _Feed(self, workshop_id)
        queue: asyncio.Queue[Snapshot] = asyncio.Queue(maxsize=1)
        if feed.latest is not None:
            queue.put_nowait(feed.latest)
        feed.watchers.add(queue)
        try:
            yield queue
        finally:
            feed.watchers.discard(queue)
            if not feed.watchers and self._feeds.get(workshop_id) is feed:
                del self._feeds[workshop_id]
                await feed.stop()

    def broadcasts(self, workshop_id: int) -> int:
        feed = self._feeds.get(workshop_id)
        return feed.broadcasts if feed else 0

    async def close(self) -> None:
        for feed in list(self._feeds.values()):
            await feed.stop()
        self._feeds.clear()
