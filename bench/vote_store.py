"""Benchmark: how fast the vote writer stores votes on SQLite, by way of writing.

Compares, on one scratch SQLite file, three ways the vote writer could write a batch:
a plain sqlite3 connection on the event loop (`SqliteBatchStore`, what the server uses),
the same connection in one dedicated writer thread (`inline=False`, one thread hop per
batch) and the async engine through aiosqlite (`AsyncEngineBatchStore`, one thread hop per
statement). Each is measured with batches of one vote (one transaction per vote,
as before group commit) and with `--concurrency` submitters at once (group commit).

    python bench/vote_store.py [--votes 5000] [--concurrency 50]

Last line: `vote_store inline_single_us=... inline_rps=... thread_single_us=... ...`
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from pathlib import Path

from selfcheck.db.engine import Database, sqlite_writer_connection
from selfcheck.db.migrate import upgrade
from selfcheck.db.models import Assessment, Municipality, Participant, Round, RoundItem, Workshop
from selfcheck.workshop.vote_targets import VoteTarget
from selfcheck.workshop.vote_writer import (
    AsyncEngineBatchStore,
    BatchStore,
    SqliteBatchStore,
    VoteWriter,
)

ITEMS = ["MS", "IO", "FZ", "AW", "EB", "ZB", "KK"]


async def set_up(database: Database, participants: int) -> list[VoteTarget]:
    async with database.writing() as session:
        workshop = Workshop(
            assessment=Assessment(
                municipality=Municipality(name="Bankstadt"),
                title="Bench",
                questionnaire_id="bench",
                questionnaire_version="1",
            ),
            title="Bench",
            join_code="BENCH1",
        )
        session.add(workshop)
        await session.flush()
        round_ = Round(workshop_id=workshop.id, kind="mood", title="Bild", status="open")
        session.add(round_)
        await session.flush()
        items = [
            RoundItem(round_id=round_.id, item_key=key, position=n) for n, key in enumerate(ITEMS)
        ]
        people = [
            Participant(id=secrets.token_hex(16), workshop_id=workshop.id)
            for _ in range(participants)
        ]
        session.add_all([*items, *people])
        await session.flush()
        return [
            VoteTarget(workshop.id, "BENCH1", person.id, round_.id, item.id, "2")
            for person in people
            for item in items
        ]


async def _ignore(_workshops: set[int]) -> None:
    return None


async def measure(store: BatchStore, votes: list[VoteTarget], concurrency: int) -> float:
    """Seconds for all votes, `concurrency` submitters at a time."""
    writer = VoteWriter(store, _ignore)
    writer.start()
    queue = list(votes)

    async def submitter() -> None:
        while queue:
            await writer.submit(queue.pop())

    started = time.perf_counter()
    await asyncio.gather(*(submitter() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await writer.close()
    return elapsed


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        database = Database.connect(url)
        votes = await set_up(database, args.votes // len(ITEMS) + 1)
        votes = votes[: args.votes]
        immediate = database.engine.execution_options(selfcheck_begin_immediate=True)

        def inline_store() -> BatchStore:
            return SqliteBatchStore(database, sqlite_writer_connection(url))

        def thread_store() -> BatchStore:
            return SqliteBatchStore(database, sqlite_writer_connection(url), inline=False)

        def aiosqlite_store() -> BatchStore:
            return AsyncEngineBatchStore(immediate, None)  # type: ignore[arg-type]

        single = args.votes // 5
        results: dict[str, float] = {}
        stores = (
            ("inline", inline_store),
            ("thread", thread_store),
            ("aiosqlite", aiosqlite_store),
        )
        for name, make in stores:
            one = await measure(make(), votes[:single], 1)
            many = await measure(make(), votes, args.concurrency)
            results[f"{name}_single_us"] = one / single * 1e6
            results[f"{name}_rps"] = len(votes) / many
            print(
                f"{name}: {one / single * 1e6:.0f} µs per vote alone,"
                f" {len(votes) / many:.0f} votes/s with {args.concurrency} submitters"
            )
        await database.dispose()
    summary = " ".join(f"{key}={value:.0f}" for key, value in results.items())
    print(f"vote_store {summary}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--votes", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
