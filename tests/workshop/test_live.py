"""Live updates against real server processes: what the projector and the phones see."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from selfcheck.db.engine import Database
from tests.conftest import PASSWORD, World
from tests.helpers import log_in
from tests.live_server import event_stream, running_server, wait_for
from tests.workshop.conftest import (
    LiveWorkshop,
    close_round,
    create_workshop_via_pages,
    join,
    open_mood_round,
    open_round,
    prepare_round,
    vote,
)


@pytest.fixture
def server(database_url: str, database: Database, world: World, tmp_path: Path) -> Iterator[str]:
    with running_server(database_url, tmp_path) as url:
        yield url


@pytest.fixture
async def moderator(server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server, follow_redirects=True) as client:
        await log_in(client, "alice@aheim.example", PASSWORD)  # type: ignore[arg-type]
        yield client


async def _participants(url: str, workshop: LiveWorkshop, count: int) -> list[httpx.AsyncClient]:
    phones = [httpx.AsyncClient(base_url=url, follow_redirects=True) for _ in range(count)]
    await asyncio.gather(*(join(phone, workshop) for phone in phones))  # type: ignore[arg-type]
    return phones


def _count(event: Any, item: str, value: str) -> int:
    round_ = event["round"]
    if round_ is None:
        return 0
    found = next(i for i in round_["items"] if i["key"] == item)
    return int(found["counts"].get(value, 0))


async def test_a_vote_appears_on_the_projector_stream_without_reload(
    server: str, moderator: httpx.AsyncClient, world: World
) -> None:
    workshop, round_id = await open_mood_round(moderator, world.aheim_assessment.id)  # type: ignore[arg-type]
    phones = await _participants(server, workshop, 2)
    async with event_stream(moderator, f"/moderation/workshops/{workshop.id}/live") as events:
        await wait_for(events, lambda e: e["joined"] == 2)
        for phone in phones:
            assert (await vote(phone, workshop, round_id, "AW", "3"))[0] == 200  # type: ignore[arg-type]
        event = await wait_for(events, lambda e: _count(e, "AW", "3") == 2)
        assert event["round"]["voters"] == 2
        assert all(not item["revealed"] for item in event["round"]["items"])
        await close_round(moderator, workshop, round_id)  # type: ignore[arg-type]
        closed = await wait_for(events, lambda e: e["round"]["status"] == "closed")
        assert all(item["revealed"] for item in closed["round"]["items"])
    for phone in phones:
        await phone.aclose()


async def test_a_burst_of_votes_is_coalesced_into_at_most_ten_updates_per_second(
    server: str, moderator: httpx.AsyncClient, world: World
) -> None:
    workshop, round_id = await open_mood_round(moderator, world.aheim_assessment.id)  # type: ignore[arg-type]
    phones = await _participants(server, workshop, 30)
    fields = ["MS", "IO", "FZ", "AW", "EB", "ZB", "KK"]
    async with event_stream(moderator, f"/moderation/workshops/{workshop.id}/live") as events:
        await wait_for(events, lambda e: e["joined"] == 30)
        before = len(events)
        started = time.monotonic()

        async def vote_everything(phone: httpx.AsyncClient) -> None:
            for field in fields:
                status, _ = await vote(phone, workshop, round_id, field, "2")  # type: ignore[arg-type]
                assert status == 200

        await asyncio.gather(*(vote_everything(phone) for phone in phones))
        final = await wait_for(
            events, lambda e: all(i["counts"].get("2") == 30 for i in e["round"]["items"])
        )
        elapsed = time.monotonic() - started
        updates = events.index(final) + 1 - before
    # 210 votes, but updates are coalesced: about ten per second at most.
    assert updates <= elapsed * 10 + 3, (updates, elapsed)
    assert final["round"]["voters"] == 30
    for phone in phones:
        await phone.aclose()


async def test_phones_follow_the_moderator_when_a_round_opens_and_closes(
    server: str, moderator: httpx.AsyncClient, world: World
) -> None:
    workshop = await create_workshop_via_pages(moderator, world.aheim_assessment.id)  # type: ignore[arg-type]
    [phone] = await _participants(server, workshop, 1)
    round_id = await prepare_round(moderator, workshop, {"kind": "mood"})  # type: ignore[arg-type]
    async with event_stream(phone, f"/w/{workshop.code}/live") as signals:
        await wait_for(signals, lambda s: s == {"round_id": None, "status": None})
        await open_round(moderator, workshop, round_id)  # type: ignore[arg-type]
        await wait_for(signals, lambda s: s == {"round_id": round_id, "status": "open"})
        await close_round(moderator, workshop, round_id)  # type: ignore[arg-type]
        await wait_for(signals, lambda s: s == {"round_id": round_id, "status": "closed"})
    # Phones get only the round's state, never the live distribution.
    assert all(set(s) == {"round_id", "status"} for s in signals)
    await phone.aclose()


async def test_two_server_processes_share_live_updates_through_postgresql(
    database_url: str, database: Database, world: World, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("mehrere Server-Prozesse gibt es nur mit PostgreSQL")
    with (
        running_server(database_url, tmp_path) as first,
        running_server(database_url, tmp_path) as second,
    ):
        async with (
            httpx.AsyncClient(base_url=first, follow_redirects=True) as on_first,
            httpx.AsyncClient(base_url=second, follow_redirects=True) as on_second,
        ):
            await log_in(on_first, "alice@aheim.example", PASSWORD)  # type: ignore[arg-type]
            await log_in(on_second, "alice@aheim.example", PASSWORD)  # type: ignore[arg-type]
            workshop, round_id = await open_mood_round(on_first, world.aheim_assessment.id)  # type: ignore[arg-type]
            phones = await _participants(first, workshop, 3)
            # The projector is connected to the second process, the phones to the first.
            async with event_stream(
                on_second, f"/moderation/workshops/{workshop.id}/live"
            ) as events:
                await wait_for(events, lambda e: e["joined"] == 3)
                for phone in phones:
                    assert (await vote(phone, workshop, round_id, "KK", "4"))[0] == 200  # type: ignore[arg-type]
                event = await wait_for(events, lambda e: _count(e, "KK", "4") == 3)
                assert event["round"]["voters"] == 3
            for phone in phones:
                await phone.aclose()
