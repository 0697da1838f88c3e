"""A real `selfcheck serve` process on a free port of 127.0.0.1, for tests that need what
only a running server shows: event streams, several processes, restarts, a real browser.

One module for every such test (workshop live updates, browser journeys, fault and security
tests): `ServerProcess` starts the server as an operator would (`python -m selfcheck serve`,
migrations included), stops, kills (SIGKILL) and starts it again on the same port and
database; its output goes to a log file whose end a failing test shows (see the
`pytest_runtest_makereport` hook in tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from selfcheck.settings import PROJECT_ROOT

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 60.0  # several workers on a loaded 2-core machine take a while
STOP_TIMEOUT_S = 10.0
LOG_TAIL_LINES = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """One `selfcheck serve` process. Port and secret key are chosen once, so a restart
    serves the same address and keeps sessions valid."""

    def __init__(
        self,
        database_url: str,
        data_dir: Path,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
    ) -> None:
        self.database_url = database_url
        self.data_dir = data_dir
        self.extra_env = dict(env or {})
        self.extra_args = list(args)  # e.g. ["--workers", "2"]
        self.port = free_port()
        self.secret_key = secrets.token_urlsafe(32)
        self.log_path = data_dir / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def environment(self) -> dict[str, str]:
        """The caller's environment, made independent of a developer's SELFCHECK_ settings."""
        return {
            **os.environ,
            "SELFCHECK_DATABASE_URL": self.database_url,
            "SELFCHECK_DATA_DIR": str(self.data_dir),
            "SELFCHECK_SECRET_KEY": self.secret_key,
            "SELFCHECK_SECURE_COOKIES": "false",  # plain http on 127.0.0.1
            "SELFCHECK_DEMO": "false",
            "SELFCHECK_DEBUG": "false",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def start(self) -> None:
        """Start and wait until /health answers; fails with the end of the log otherwise."""
        assert self.process is None, "der Server läuft schon"
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"\n--- Start {self.starts} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "selfcheck",
                    "serve",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    *self.extra_args,
                ],
                cwd=PROJECT_ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"Der Server hat sich beim Start beendet:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(
            f"Der Server antwortet nach {STARTUP_TIMEOUT_S} s nicht auf /health:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM: a clean shutdown, as systemd does it."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)
        self.process = None

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing – like a crash or the OOM killer."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_S)
        self.process = None

    def add_user(self, email: str, password: str, role: str = "moderator") -> None:
        """`selfcheck user add`, with the password on standard input, as an operator does."""
        result = subprocess.run(
            [sys.executable, "-m", "selfcheck", "user", "add", email, "--role", role],
            cwd=PROJECT_ROOT,
            env=self.environment,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"selfcheck user add ist fehlgeschlagen:\n{result.stdout}{result.stderr}"
            )

    def log(self) -> str:
        """Everything the server wrote, over all its starts."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return "\n".join(self.log().splitlines()[-lines:]) or "(kein Server-Log)"

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


@contextmanager
def running_server(
    database_url: str, data_dir: Path, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Start a server, wait for /health, yield its base URL, stop it at the end."""
    with ServerProcess(database_url, data_dir, env) as server:
        yield server.base_url


async def stream_events(
    client: httpx.AsyncClient, path: str, events: list[Any], ready: asyncio.Event
) -> None:
    """Collect the JSON data of every event of a server-sent event stream into `events`."""
    async with client.stream("GET", path, timeout=None) as response:
        assert response.status_code == 200, response.status_code
        ready.set()
        async for line in response.aiter_lines():
            if line.startswith("data:"):
                events.append(json.loads(line.removeprefix("data:")))


async def wait_for(events: list[Any], condition: Callable[[Any], bool], within: float = 5.0) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for event in reversed(events):
            if condition(event):
                return event
        await asyncio.sleep(0.02)
    raise AssertionError(f"kein passendes Ereignis in {within} s; zuletzt: {events[-1:]}")


@asynccontextmanager
async def event_stream(client: httpx.AsyncClient, path: str) -> AsyncIterator[list[Any]]:
    """The events of a stream, collected in the background while the block runs."""
    events: list[Any] = []
    ready = asyncio.Event()
    task = asyncio.create_task(stream_events(client, path, events, ready))
    await asyncio.wait_for(ready.wait(), timeout=5)
    try:
        yield events
    finally:
        task.cancel()
