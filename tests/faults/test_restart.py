"""Restarts happen during open workshops. On SIGTERM the server ends its open event streams
at once (browsers reconnect and poll meanwhile), exits without a traceback, and never
leaves a worker process behind – also when its supervisor is killed outright."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from selfcheck.db.engine import Database
from tests.conftest import World
from tests.faults.conftest import OpenRound
from tests.live_server import ServerProcess

# The goal is 2 s; the bound is generous so that a loaded test machine does not fail it.
# The measured time is printed (pytest -rP shows it).
STOP_BOUND_S = 5.0
STREAMS = 3
SHUTDOWN_MARKERS = ("Traceback", "CancelledError", "timeout graceful shutdown exceeded")


@pytest.fixture
def postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("mehrere Server-Prozesse gibt es nur mit PostgreSQL")


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(database_url, tmp_path, args=["--workers", "2"])
    yield process
    process.stop()


async def _stream_until_closed(client: httpx.AsyncClient, path: str, opened: asyncio.Event) -> str:
    """Reads a stream until the server ends it; says how it ended."""
    try:
        async with client.stream("GET", path, timeout=None) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    opened.set()
    except httpx.TransportError as error:
        return f"abgerissen: {error!r}"
    return "beendet"


async def _open_streams(
    base_url: str, join_code: str
) -> tuple[list[httpx.AsyncClient], list[asyncio.Task[str]]]:
    clients = [httpx.AsyncClient(base_url=base_url) for _ in range(STREAMS)]
    opened = [asyncio.Event() for _ in clients]
    tasks = [
        asyncio.create_task(_stream_until_closed(client, f"/w/{join_code}/live", event))
        for client, event in zip(clients, opened, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in opened)), timeout=15)
    return clients, tasks


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found |= {child, *_descendants(child)}
    return found


def _command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status  # a zombie has ended; only its exit code is left


def _still_running_after(pids: set[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if _running(pid)]


def _log_since_last_start(server: ServerProcess) -> str:
    return server.log().rsplit("--- Start", 1)[-1]


async def _stop_with_open_streams(server: ServerProcess, open_round: OpenRound) -> float:
    """SIGTERM while streams are open; returns the seconds until the process had exited."""
    clients, streams = await _open_streams(server.base_url, open_round.join_code)
    process = server.process
    assert process is not None
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.to_thread(process.wait, 3 * STOP_BOUND_S)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    finally:
        server.process = None
    seconds = time.monotonic() - started
    endings = await asyncio.wait_for(asyncio.gather(*streams), timeout=STOP_BOUND_S)
    for client in clients:
        await client.aclose()
    print(f"Beendet nach SIGTERM in {seconds:.2f} s mit {STREAMS} offenen Strömen")
    assert endings == ["beendet"] * STREAMS, "die Ströme wurden nicht sauber beendet"
    return seconds


async def test_sigterm_ends_open_streams_and_stops_at_once_without_traceback(
    server: ServerProcess, database: Database, world: World, open_round: OpenRound
) -> None:
    server.start()
    seconds = await _stop_with_open_streams(server, open_round)
    assert seconds < STOP_BOUND_S
    log = _log_since_last_start(server)
    assert "Finished server process" in log
    for marker in SHUTDOWN_MARKERS:
        assert marker not in log, f"„{marker}“ im Server-Log:\n{log}"


async def test_sigterm_with_two_workers_stops_them_all_with_open_streams(
    postgres_only: None,
    workers: ServerProcess,
    database: Database,
    world: World,
    open_round: OpenRound,
) -> None:
    workers.start()
    assert workers.process is not None
    children = _descendants(workers.process.pid)
    server_workers = {pid for pid in children if b"spawn_main" in _command_line(pid)}
    assert len(server_workers) == 2, {pid: _command_line(pid) for pid in children}
    seconds = await _stop_with_open_streams(workers, open_round)
    assert seconds < STOP_BOUND_S
    assert [pid for pid in server_workers if _running(pid)] == []
    # multiprocessing's resource tracker ends by itself once the last process is gone.
    helpers = children - server_workers
    assert await asyncio.to_thread(_still_running_after, helpers, STOP_BOUND_S) == []
    log = _log_since_last_start(workers)
    assert log.count("Finished server process") == 2, log
    for marker in SHUTDOWN_MARKERS:
        assert marker not in log, f"„{marker}“ im Server-Log:\n{log}"


async def test_workers_end_when_their_supervisor_is_killed(
    postgres_only: None, workers: ServerProcess, database: Database, world: World
) -> None:
    workers.start()
    assert workers.process is not None
    children = _descendants(workers.process.pid)
    assert len(children) >= 2, children
    workers.kill()  # SIGKILL: the supervisor cannot stop its workers itself
    left = await asyncio.to_thread(_still_running_after, children, 3 * STOP_BOUND_S)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [], "Worker-Prozesse laufen nach dem Tod des Supervisors weiter"
