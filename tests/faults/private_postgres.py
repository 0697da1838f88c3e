"""A throw-away PostgreSQL instance of its own (initdb in a temporary folder, own port), so
that stopping and starting it disturbs no other test run using the shared test cluster.

Needs the PostgreSQL server programs (Debian: /usr/lib/postgresql/<version>/bin). As root,
they run as the `postgres` system user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import tempfile
from pathlib import Path

from tests.live_server import free_port


def server_programs() -> Path | None:
    """The bin folder with initdb and pg_ctl, newest version first; None if missing."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def can_run() -> str | None:
    """Why a private instance cannot run here, or None if it can."""
    if server_programs() is None:
        return "die PostgreSQL-Serverprogramme (initdb, pg_ctl) fehlen"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "als root braucht es den Systembenutzer postgres"
        if shutil.which("runuser") is None:
            return "als root braucht es runuser"
    return None


class PrivatePostgres:
    def __init__(self) -> None:
        programs = server_programs()
        assert programs is not None
        self.programs = programs
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="selfcheck-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    async def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.programs / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        async with asyncio.timeout(60):
            output, _ = await process.communicate()
        assert process.returncode == 0, f"{program}: {output.decode(errors='replace')}"

    async def create(self) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        # --no-sync only speeds up creating the instance; the server itself syncs as usual.
        await self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync"
        )
        await self.start()

    async def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        await self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )

    async def stop(self) -> None:
        """A fast shutdown, as a restart or an update of PostgreSQL does it."""
        await self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    async def destroy(self) -> None:
        with contextlib.suppress(AssertionError):  # not running
            await self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
