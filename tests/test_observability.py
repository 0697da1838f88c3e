"""Log lines as JSON for log collectors (`SELFCHECK_LOG_FORMAT=json`), from the real server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.live_server import ServerProcess


def test_json_log_format_writes_one_json_object_per_line(database_url: str, tmp_path: Path) -> None:
    with ServerProcess(database_url, tmp_path, {"SELFCHECK_LOG_FORMAT": "json"}) as server:
        assert httpx.get(f"{server.base_url}/health").status_code == 200
    lines = [line for line in server.log().splitlines() if line and not line.startswith("---")]
    entries = [json.loads(line) for line in lines]  # fails on any line that is not JSON
    messages = [entry["message"] for entry in entries]
    assert any("Application startup complete" in m for m in messages), messages
    assert any("Finished server process" in m for m in messages), messages
    assert {"time", "level", "logger", "message"} <= set(entries[0])
