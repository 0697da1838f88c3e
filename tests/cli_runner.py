"""Runs the real `selfcheck` command in a subprocess, as a user would."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    output: str


async def run_cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> CliResult:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "selfcheck",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    output, _ = await process.communicate(stdin.encode("utf-8"))
    assert process.returncode is not None
    return CliResult(process.returncode, output.decode("utf-8"))
