"""Benchmark: a Stimmungsbild with many phones voting at once, and projectors watching.

Scenario mode (default): starts the real server (SQLite by default, pinned to core 0;
`--postgres` for PostgreSQL with two worker processes), joins N participants and opens
one event stream per participant plus two projector streams (as in a real room; or
`--streams P`), opens the round, lets every participant vote on all seven fields within the
voting window, changes a tenth of the votes once, then reads the votes back from the
database. `--burst`: every participant votes all seven fields within one second of the
round opening, without changes. Vote latency is reported as the client sees it and as the
server measured it (request start to commit, from the Server-Timing header).

Throughput mode (`--throughput`): Debian's wrk (pinned to the other core, one Lua script
carrying each participant's cookies and CSRF token) drives the vote endpoint, then, in the
same run with the same settings, a bare Litestar endpoint parsing the same form
(bench/bare_form.py). Last line: `vote_throughput vote_rps=... bare_rps=... ratio=... p99_ms=...`.

    python bench/live_vote.py [--participants 300] [--streams N] [--seconds 10] [--burst]
                              [--postgres] [--throughput [--connections 50]]

Only talks to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["MS", "IO", "FZ", "AW", "EB", "ZB", "KK"]
PASSWORD = "bench-passwort-123"
EMAIL = "bench@example.org"
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass
class Vote:
    participant: int
    field: str
    value: str
    sent_at: float
    acked_at: float | None = None
    status: int | None = None
    server_ms: float | None = None  # the server's own figure: request start to commit


@dataclass
class Results:
    votes: list[Vote] = field(default_factory=list)
    projector_events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    stream_errors: int = 0
    stream_error_kinds: set[str] = field(default_factory=set)
    resends: int = 0
    stream_reopens: int = 0
    server_cpu_s: float = 0.0  # during the voting window (plus one second)
    client_cpu_s: float = 0.0
    window_s: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def scratch_postgres(base_url: str) -> str:
    name = f"selfcheck_bench_{secrets.token_hex(4)}"
    engine = create_async_engine(base_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


async def drop_postgres(base_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_async_engine(base_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    subprocess.run(
        [sys.executable, "-m", "selfcheck", "user", "add", EMAIL, "--role", "admin"],
        input=(PASSWORD + "\n").encode(), env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    command = [sys.executable, "-m", "selfcheck", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    if os.cpu_count() and os.cpu_count() > 1 and workers == 1:
        command = ["taskset", "-c", "0", *command]  # the load generator gets the other core
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2),
        ):
            return process
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"Server startete nicht:\n{log.read_text()[-2000:]}")


async def form(client: httpx.AsyncClient, path: str, data: dict[str, str]) -> httpx.Response:
    if "selfcheck_csrf" not in client.cookies:
        await client.get("/teilnehmen")
    token = client.cookies["selfcheck_csrf"]
    return await client.post(path, data={"_csrf_token": token, **data})


async def set_up_workshop(moderator: httpx.AsyncClient) -> tuple[int, str, int]:
    await form(moderator, "/anmelden", {"email": EMAIL, "password": PASSWORD})
    created = await form(moderator, "/moderation/kommunen", {"name": "Benchstadt"})
    municipality = re.search(r"/moderation/kommunen/(\d+)", str(created.url))
    option = re.search(r'<option value="([^"]+)"', created.text)
    assert municipality and option, created.text[:300]
    assessment = await form(
        moderator,
        f"/moderation/kommunen/{municipality.group(1)}/selbstchecks",
        {"title": "Bench", "questionnaire": option.group(1)},
    )
    assessment_id = re.search(r"/moderation/selbstchecks/(\d+)", str(assessment.url))
    assert assessment_id
    workshop = await form(
        moderator,
        f"/moderation/selbstchecks/{assessment_id.group(1)}/workshops",
        {"title": "Bench"},
    )
    workshop_id = int(re.search(r"/moderation/workshops/(\d+)", str(workshop.url)).group(1))  # type: ignore[union-attr]
    code = re.search(r'class="join-code">([A-Z0-9\-]+)<', workshop.text).group(1).replace("-", "")  # type: ignore[union-attr]
    prepared = await form(
        moderator, f"/moderation/workshops/{workshop_id}/runden", {"kind": "mood"}
    )
    round_id = int(re.search(r"/runden/(\d+)/oeffnen", prepared.text).group(1))  # type: ignore[union-attr]
    return workshop_id, code, round_id


async def open_round(moderator: httpx.AsyncClient, workshop_id: int, round_id: int) -> None:
    await form(moderator, f"/moderation/workshops/{workshop_id}/runden/{round_id}/oeffnen", {})


async def read_stream(
    client: httpx.AsyncClient,
    path: str,
    sink: list[tuple[float, dict[str, Any]]] | None,
    results: Results,
    ready: asyncio.Event,
) -> None:
    """Like EventSource, reconnects once when opening fails on a kept-alive connection the
    server closed just then; an error after the stream was open counts as a stream error."""
    for attempt in range(2):
        opened = False
        try:
            async with client.stream("GET", path, timeout=None) as response:
                opened = True
                ready.set()
                async for line in response.aiter_lines():
                    if sink is not None and line.startswith("data:"):
                        sink.append((time.monotonic(), json.loads(line[5:])))
            return
        except (httpx.HTTPError, OSError) as error:
            if not opened and attempt == 0:
                results.stream_reopens += 1
                continue
            results.stream_errors += 1
            results.stream_error_kinds.add(
                f"{type(error).__name__}({'open' if opened else 'opening'})"
            )
            ready.set()
            return


class RawPhone:
    """One phone's HTTP/1.1 connections, written by hand on asyncio streams: httpx cost
    about 2.8 ms of CPU per vote here, so with 1,000 phones the load generator, not the
    server, set the pace (a 10-second plan took 72 s to send). This costs a few tens of
    microseconds per request. Votes go over kept-alive connections, one per vote in flight
    as a browser does; a connection the server closed meanwhile (its keep-alive timeout) is
    replaced and the vote resent, like vote.js does. The event stream has a connection of
    its own and is read and discarded."""

    # Below the server's keep-alive timeout (uvicorn: 5 s), as browsers and httpx keep
    # theirs, so a reused connection is rarely one the server is just closing.
    IDLE_SECONDS = 4.0

    def __init__(self, base: str, cookies: httpx.Cookies) -> None:
        url = httpx.URL(base)
        self.host, self.port = url.host, url.port or 80
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.csrf = cookies["selfcheck_csrf"]
        self._idle: list[tuple[float, asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._stream_writer: asyncio.StreamWriter | None = None

    def _request(self, method: str, path: str, body: bytes = b"", extra: str = "") -> bytes:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Cookie: {self.cookie}\r\nX-CSRFToken: {self.csrf}\r\n{extra}"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def post_vote(self, path: str, body: bytes, results: Results) -> tuple[int, str]:
        """Status and Server-Timing header of the answer."""
        request = self._request(
            "POST",
            path,
            body,
            "Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n",
        )
        for attempt in range(3):
            reader, writer = await self._connection()
            try:
                writer.write(request)
                status_line = await reader.readuntil(b"\r\n")
                head = await reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                writer.close()
                results.resends += 1
                if attempt == 2:
                    raise
                continue
            headers = _header_map(head)
            await reader.readexactly(int(headers.get("content-length", "0")))
            if headers.get("connection", "").lower() == "close":
                writer.close()
            else:
                self._idle.append((time.monotonic(), reader, writer))
            return int(status_line.split()[1]), headers.get("server-timing", "")
        raise AssertionError("unreachable")

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A kept-alive connection idle for less than `IDLE_SECONDS`, else a new one."""
        while self._idle:
            idle_since, reader, writer = self._idle.pop()
            if time.monotonic() - idle_since < self.IDLE_SECONDS:
                return reader, writer
            writer.close()
        return await asyncio.open_connection(self.host, self.port)

    async def read_stream(self, path: str, results: Results, ready: asyncio.Event) -> None:
        """Like EventSource: reopened once if it fails before the server answered."""
        for attempt in range(2):
            opened = False
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
                self._stream_writer = writer
                writer.write(self._request("GET", path, extra="Accept: text/event-stream\r\n"))
                status_line = await reader.readuntil(b"\r\n")
                opened = True
                if int(status_line.split()[1]) != 200:
                    raise ConnectionError(status_line.decode().strip())
                ready.set()
                while await reader.read(65536):
                    pass
                return
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                if not opened and attempt == 0:
                    results.stream_reopens += 1
                    continue
                results.stream_errors += 1
                kind = "open" if opened else "opening"
                results.stream_error_kinds.add(f"{type(error).__name__}({kind})")
                ready.set()
                return

    def close(self) -> None:
        for _, _, writer in self._idle:
            writer.close()
        if self._stream_writer is not None:
            self._stream_writer.close()


def _header_map(head: bytes) -> dict[str, str]:
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if value:
            headers[name.strip().lower()] = value.strip()
    return headers


async def cast(phone: RawPhone, code: str, round_id: int, vote: Vote, results: Results) -> None:
    """Send one vote (resent by `RawPhone` after a dropped connection; resending is safe:
    votes are upserts)."""
    body = f"round_id={round_id}&item_key={vote.field}&value={vote.value}".encode()
    vote.sent_at = time.monotonic()
    status, server_timing = await phone.post_vote(f"/w/{code}/stimme", body, results)
    vote.acked_at, vote.status = time.monotonic(), status
    timing = re.match(r"vote;dur=([0-9.]+)", server_timing)
    vote.server_ms = float(timing.group(1)) if timing else None
    results.votes.append(vote)


async def cast_after(
    before: asyncio.Task[None] | None,
    phone: RawPhone,
    code: str,
    round_id: int,
    vote: Vote,
    results: Results,
) -> None:
    if before is not None:
        await before
    await cast(phone, code, round_id, vote, results)


def schedule(
    participants: int, seconds: float, rng: random.Random, burst: bool = False
) -> list[tuple[float, Vote]]:
    """Every participant votes on every field at a random moment; a tenth change once.
    In a burst, all votes fall within the first second and nobody changes."""
    plan: list[tuple[float, Vote]] = []
    for p in range(participants):
        for f in FIELDS:
            at = rng.uniform(0, 1.0 if burst else seconds * 0.8)
            plan.append((at, Vote(p, f, str(rng.randint(1, 4)), 0.0)))
    if burst:
        return sorted(plan, key=lambda item: item[0])
    for at, vote in rng.sample(plan, len(plan) // 10):
        changed = str(int(vote.value) % 4 + 1)
        plan.append(
            (rng.uniform(at + 0.05, seconds), Vote(vote.participant, vote.field, changed, 0.0))
        )
    return sorted(plan, key=lambda item: item[0])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def push_latencies(results: Results) -> list[float]:
    """For each acknowledged first vote on a field: the time until a projector event whose
    vote count for that field reaches the vote's rank among acknowledged first votes."""
    seen: set[tuple[int, str]] = set()
    rank: dict[str, int] = dict.fromkeys(FIELDS, 0)
    latencies = []
    events = results.projector_events
    for vote in sorted(
        (v for v in results.votes if v.status == 200), key=lambda v: v.acked_at or 0
    ):
        if (vote.participant, vote.field) in seen:
            continue
        seen.add((vote.participant, vote.field))
        rank[vote.field] += 1
        needed, acked = rank[vote.field], vote.acked_at or 0
        for arrived, snapshot in events:
            if arrived < acked or not snapshot.get("round"):
                continue
            item = next(i for i in snapshot["round"]["items"] if i["key"] == vote.field)
            if item["n"] >= needed:
                latencies.append(arrived - acked)
                break
    return latencies


async def check_database(
    url: str, round_id: int, expected: dict[tuple[int, str], str], ids: list[str]
) -> tuple[int, int]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT v.participant_id, i.item_key, v.value FROM votes v"
                " JOIN round_items i ON i.id = v.round_item_id WHERE i.round_id = :r"
            ),
            {"r": round_id},
        )
        stored = {(pid, key): value for pid, key, value in rows}
    await engine.dispose()
    counted = sum(1 for (p, f), value in expected.items() if stored.get((ids[p], f)) == value)
    return len(stored), counted


def server_pids(pid: int) -> list[int]:
    pids = [pid]
    with contextlib.suppress(FileNotFoundError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes (all their threads) so far."""
    ticks = 0
    for one in pids:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{one}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """VmHWM of the server and its worker processes, summed."""
    total_kb = 0
    for one in server_pids(pid):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


@dataclass
class Setup:
    url: str
    base: str
    server: subprocess.Popen[bytes]


@contextlib.asynccontextmanager
async def bench_server(args: argparse.Namespace, tmp: str) -> AsyncIterator[Setup]:
    """A fresh database (SQLite file or scratch PostgreSQL database) and a server on it."""
    base_pg = os.environ.get("SELFCHECK_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    sqlite = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
    url = await scratch_postgres(base_pg) if args.postgres else sqlite
    env = {
        **os.environ,
        "SELFCHECK_DATABASE_URL": url,
        "SELFCHECK_DATA_DIR": tmp,
        "SELFCHECK_SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
    }
    port = free_port()
    server = start_server(env, port, 2 if args.postgres else 1, Path(tmp) / "server.log")
    try:
        yield Setup(url, f"http://127.0.0.1:{port}", server)
    except BaseException:
        log = (Path(tmp) / "server.log").read_text(errors="replace")
        print("--- server log (end) ---\n" + log[-4000:], file=sys.stderr)
        raise
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        if server.poll() is None:
            server.kill()
        if args.server_log:
            shutil.copyfile(Path(tmp) / "server.log", args.server_log)
        if args.postgres:
            await drop_postgres(base_pg, url)


async def join_all(phones: list[httpx.AsyncClient], code: str, rng: random.Random) -> None:
    for start in range(0, len(phones), 50):
        await asyncio.gather(
            *(
                form(
                    p, f"/w/{code}/beitreten", {"group": rng.choice(["politik", "verwaltung", ""])}
                )
                for p in phones[start : start + 50]
            )
        )


async def open_streams(
    args: argparse.Namespace,
    moderator: httpx.AsyncClient,
    phones: list[RawPhone],
    workshop_id: int,
    code: str,
    results: Results,
) -> list[asyncio.Task[None]]:
    """By default two projectors (the first one is measured) and one stream per phone;
    with `--streams P` a fifth projectors, the rest participant pages."""
    projectors = 2 if args.streams is None else max(1, args.streams // 5)
    total = len(phones) + 2 if args.streams is None else args.streams
    tasks, readies = [], []
    for index in range(total):
        ready = asyncio.Event()
        readies.append(ready)
        if index < projectors:
            sink = results.projector_events if index == 0 else None
            path = f"/moderation/workshops/{workshop_id}/live"
            tasks.append(asyncio.create_task(read_stream(moderator, path, sink, results, ready)))
        else:
            phone = phones[(index - projectors) % len(phones)]
            path = f"/w/{code}/live"
            tasks.append(asyncio.create_task(phone.read_stream(path, results, ready)))
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=120)
    return tasks


async def vote_by_plan(
    plan: list[tuple[float, Vote]],
    phones: list[RawPhone],
    code: str,
    round_id: int,
    results: Results,
    seconds: float,
) -> float:
    """Send the planned votes on time; returns the start time of the voting window.

    Like vote.js, a phone sends a changed vote only after the previous one on the same
    item was answered, so the last vote sent is the last one stored."""
    started = time.monotonic()
    sends = []
    previous: dict[tuple[int, str], asyncio.Task[None]] = {}
    for at, vote in plan:
        delay = started + at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        key = (vote.participant, vote.field)
        phone = phones[vote.participant]
        task = asyncio.create_task(
            cast_after(previous.get(key), phone, code, round_id, vote, results)
        )
        previous[key] = task
        sends.append(task)
    await asyncio.wait_for(asyncio.gather(*sends), timeout=seconds + 60)
    return started


def expected_final_votes(results: Results) -> dict[tuple[int, str], str]:
    expected: dict[tuple[int, str], str] = {}
    for vote in sorted(results.votes, key=lambda v: v.sent_at):
        if vote.status == 200:
            expected[(vote.participant, vote.field)] = vote.value
    return expected


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    results = Results()
    streams = args.participants + 2 if args.streams is None else args.streams
    limits = httpx.Limits(max_connections=streams + 20, max_keepalive_connections=streams + 20)
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            bench_server(args, tmp) as setup,
            httpx.AsyncClient(
                base_url=setup.base, follow_redirects=True, limits=limits, timeout=30
            ) as moderator,
        ):
            workshop_id, code, round_id = await set_up_workshop(moderator)
            phones = [
                httpx.AsyncClient(base_url=setup.base, follow_redirects=True, timeout=30)
                for _ in range(args.participants)
            ]
            await join_all(phones, code, rng)
            ids = [p.cookies[f"selfcheck_p{workshop_id}"] for p in phones]
            raw_phones = [RawPhone(setup.base, phone.cookies) for phone in phones]
            for phone in phones:
                await phone.aclose()
            readers = await open_streams(args, moderator, raw_phones, workshop_id, code, results)
            plan = schedule(args.participants, args.seconds, rng, args.burst)
            await open_round(moderator, workshop_id, round_id)
            cpu_before = cpu_seconds(server_pids(setup.server.pid)), time.process_time()
            with profiled(setup.server.pid, args.profile):
                started = await vote_by_plan(
                    plan, raw_phones, code, round_id, results, args.seconds
                )
            await asyncio.sleep(1.0)  # let the last updates arrive
            window = time.monotonic() - started
            results.server_cpu_s = cpu_seconds(server_pids(setup.server.pid)) - cpu_before[0]
            results.client_cpu_s = time.process_time() - cpu_before[1]
            results.window_s = window
            rss = peak_rss_mb(setup.server.pid)
            for reader in readers:
                reader.cancel()
            for raw_phone in raw_phones:
                raw_phone.close()
            stored, counted = await check_database(
                setup.url, round_id, expected_final_votes(results), ids
            )
    report(args, results, plan, started, window, stored, counted, rss)


def report(
    args: argparse.Namespace,
    results: Results,
    plan: list[tuple[float, Vote]],
    started: float,
    window: float,
    stored: int,
    counted: int,
    rss: float,
) -> None:
    distinct = args.participants * len(FIELDS)
    latencies_ms = [(v.acked_at - v.sent_at) * 1000 for v in results.votes if v.acked_at]
    server_ms = [v.server_ms for v in results.votes if v.server_ms is not None]
    streams = args.participants + 2 if args.streams is None else args.streams
    push_ms = [p * 1000 for p in push_latencies(results)]
    in_window = [t for t, _ in results.projector_events if started <= t <= started + window]
    backend = "postgresql x2 workers" if args.postgres else "sqlite x1"
    failed = sum(1 for v in results.votes if v.status != 200)
    print(
        f"# backend={backend} requests={len(results.votes)} failed_requests={failed}"
        f" stored_rows={stored} stream_errors={results.stream_errors}"
        f"{sorted(results.stream_error_kinds) if results.stream_errors else ''}"
        f" resends={results.resends} stream_reopens={results.stream_reopens}"
        f" vote_p50_ms={percentile(latencies_ms, 0.5):.1f}"
        f" push_p50_ms={percentile(push_ms, 0.5):.1f}"
        f" server_vote_p50_ms={percentile(server_ms, 0.5):.1f}"
        f" burst={args.burst} load={os.getloadavg()[0]:.1f}"
    )
    print(
        f"# window_s={results.window_s:.1f} server_cpu_s={results.server_cpu_s:.1f}"
        f" load_generator_cpu_s={results.client_cpu_s:.1f}"
        f" server_vote_p90_ms={percentile(server_ms, 0.9):.1f}"
        f" push_p90_ms={percentile(push_ms, 0.9):.1f}"
    )
    print(
        f"live_vote participants={args.participants} streams={streams} votes={distinct}"
        f" changes={len(plan) - distinct} counted={counted} lost={distinct - counted}"
        f" vote_p99_ms={percentile(latencies_ms, 0.99):.1f}"
        f" server_vote_p99_ms={percentile(server_ms, 0.99):.1f}"
        f" push_p99_ms={percentile(push_ms, 0.99):.1f}"
        f" broadcasts_per_s={len(in_window) / window:.1f} rss_mb={rss:.0f}"
    )


def raise_open_files_limit(wanted: int) -> None:
    """Every stream is a socket in the server and in this process (inherited by both)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


# --- Throughput mode: wrk against the vote endpoint and the bare endpoint ------------------

WRK_SCRIPT = """
local people = {%(people)s}
local fields = {%(fields)s}
local path = "/w/%(code)s/stimme"
local n = 0
request = function()
  n = n + 1
  local person = people[(n %% #people) + 1]
  local item = fields[(math.floor(n / #people) %% #fields) + 1]
  local body = "round_id=%(round_id)s&item_key=" .. item .. "&value=" .. tostring(n %% 4 + 1)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Cookie"] = person[1],
    ["X-CSRFToken"] = person[2],
  }, body)
end
"""


def wrk_script(phones: list[httpx.AsyncClient], code: str, round_id: int) -> str:
    def person(phone: httpx.AsyncClient) -> str:
        cookie = "; ".join(f"{name}={value}" for name, value in phone.cookies.items())
        return "{" + json.dumps(cookie) + "," + json.dumps(phone.cookies["selfcheck_csrf"]) + "}"

    people = ",".join(person(phone) for phone in phones)
    fields = ",".join(json.dumps(f) for f in FIELDS)
    return WRK_SCRIPT % {"people": people, "fields": fields, "code": code, "round_id": round_id}


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p99_ms: float
    non_2xx: int
    socket_errors: str


def run_wrk(base: str, script: Path, args: argparse.Namespace, seconds: float) -> WrkResult:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{round(seconds)}s", "--latency"]
    command += ["-s", str(script), base]
    if os.cpu_count() and os.cpu_count() > 1:
        command = ["taskset", "-c", "1", *command]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    output = done.stdout
    if done.returncode != 0:
        raise SystemExit(f"wrk scheiterte:\n{done.stdout}\n{done.stderr}")
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s)\b", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if not rps or not p99:
        raise SystemExit(f"wrk-Ausgabe unerwartet:\n{output}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return WrkResult(
        rps=float(rps.group(1)),
        p99_ms=float(p99.group(1)) * scale,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=errors.group(1).replace(" ", "") if errors else "none",
    )


@contextlib.contextmanager
def profiled(pid: int, output: str | None) -> Iterator[None]:
    """py-spy (from PyPI) samples the server while the block runs: collapsed stacks."""
    if output is None:
        yield
        return
    command = ["py-spy", "record", "-p", str(pid), "--subprocesses", "-f", "raw", "-o", output]
    command += ["-r", "250", "--nonblocking"]
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        recorder.wait(timeout=30)


@contextlib.contextmanager
def bare_server(tmp: str) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "bare_form:create_app"]
    command += ["--app-dir", str(ROOT / "bench"), "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    if os.cpu_count() and os.cpu_count() > 1:
        command = ["taskset", "-c", "0", *command]
    log = Path(tmp) / "bare.log"
    process = subprocess.Popen(command, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def throughput(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            bench_server(args, tmp) as setup,
            httpx.AsyncClient(base_url=setup.base, follow_redirects=True, timeout=30) as moderator,
        ):
            workshop_id, code, round_id = await set_up_workshop(moderator)
            await open_round(moderator, workshop_id, round_id)
            phones = [
                httpx.AsyncClient(base_url=setup.base, follow_redirects=True, timeout=30)
                for _ in range(args.participants)
            ]
            await join_all(phones, code, rng)
            script = Path(tmp) / "votes.lua"
            script.write_text(wrk_script(phones, code, round_id))
            for phone in phones:
                await phone.aclose()
            run_wrk(setup.base, script, args, 2)  # warm-up
            with profiled(setup.server.pid, args.profile):
                vote = run_wrk(setup.base, script, args, args.seconds)
            stored, _ = await check_database(setup.url, round_id, {}, [])
        with bare_server(tmp) as bare_base:
            run_wrk(bare_base, script, args, 2)
            bare = run_wrk(bare_base, script, args, args.seconds)
    print(
        f"# backend={'postgresql x2 workers' if args.postgres else 'sqlite x1'}"
        f" connections={args.connections} participants={args.participants}"
        f" vote_non_2xx={vote.non_2xx} vote_socket_errors={vote.socket_errors}"
        f" bare_non_2xx={bare.non_2xx} bare_p99_ms={bare.p99_ms:.1f}"
        f" stored_rows={stored} load={os.getloadavg()[0]:.1f}"
    )
    print(
        f"vote_throughput vote_rps={vote.rps:.0f} bare_rps={bare.rps:.0f}"
        f" ratio={vote.rps / bare.rps:.2f} p99_ms={vote.p99_ms:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument(
        "--streams", type=int, default=None, help="default: one per participant plus two"
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", action="store_true", help="all votes within one second")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL with two worker processes"
    )
    parser.add_argument("--throughput", action="store_true", help="wrk: vote vs bare endpoint")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections")
    parser.add_argument("--profile", help="py-spy's collapsed stacks of the server to this file")
    parser.add_argument("--server-log", help="keep the server's log in this file")
    args = parser.parse_args()
    if not 1 <= args.participants <= 2500 or not 1 <= (args.streams or 1) <= 2500:
        raise SystemExit("participants: 1..2500, streams: 1..2500")
    if not 1 <= args.connections <= 500 or not 1 <= args.seconds <= 60:
        raise SystemExit("connections: 1..500, seconds: 1..60")
    raise_open_files_limit(args.participants * 2 + 200)
    if os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(0, {1})  # the server runs on core 0
    asyncio.run(throughput(args) if args.throughput else run(args))


if __name__ == "__main__":
    main()
