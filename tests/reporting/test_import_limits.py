"""Imports are bounded: by file size (refused unread) and by counts (refused after a
counting pass that builds no objects), with German messages and the database unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.db.engine import Database
from selfcheck.reporting.importing import (
    MAX_ANSWERS,
    MAX_NOTES,
    MAX_PARTICIPANTS,
    MAX_VOTES,
    ImportRefused,
    decode_export,
    read_export_file,
)
from selfcheck.settings import Settings
from tests.cli_runner import run_cli
from tests.conftest import World
from tests.reporting.hostile_exports import (
    HEAD,
    participants_export,
    write_participants_export,
)
from tests.security.routes import snapshot


async def test_a_50_mb_export_is_refused_unread_and_the_database_stays_unchanged(
    database: Database, world: World, settings: Settings, tmp_path: Path
) -> None:
    hostile = tmp_path / "riesig.json"
    write_participants_export(hostile, megabytes=50)
    before = await snapshot(database)
    env = {
        "SELFCHECK_DATABASE_URL": settings.database_url,
        "SELFCHECK_SECRET_KEY": settings.secret_key,
    }
    result = await run_cli("import", str(hostile), env=env)
    assert result.exit_code == 1
    assert re.search(r"Die Datei ist 5\d,\d MB groß; erlaubt sind höchstens 25,0 MB", result.output)
    assert "SELFCHECK_IMPORT_MAX_BYTES" in result.output
    assert "Traceback" not in result.output
    assert await snapshot(database) == before


async def test_above_a_raised_size_limit_the_counts_still_refuse_it_unchanged(
    database: Database, world: World, settings: Settings, tmp_path: Path
) -> None:
    hostile = tmp_path / "riesig.json"
    count = write_participants_export(hostile, megabytes=50)
    before = await snapshot(database)
    env = {
        "SELFCHECK_DATABASE_URL": settings.database_url,
        "SELFCHECK_SECRET_KEY": settings.secret_key,
        "SELFCHECK_IMPORT_MAX_BYTES": str(100_000_000),
    }
    result = await run_cli("import", str(hostile), env=env)
    assert result.exit_code == 1
    shown = f"{count:,}".replace(",", ".")
    assert f"Die Datei enthält {shown} Teilnehmende; erlaubt sind höchstens 10.000" in result.output
    assert await snapshot(database) == before


def _inflated(field: str, count: int) -> bytes:
    """An export whose list `field` has `count` (empty) entries: the counting pass refuses
    it before the entries are looked at."""
    empty = b",".join([b"{}"] * count)
    workshop = b'{"title": "W", "min_group_size": 3, "created_at": "2026-11-20T09:00:00Z"'
    if field == "answers":
        return HEAD.split(b'"answers": []')[0] + b'"answers": [' + empty + b'], "workshops": []}'
    lists = {"participants": b"[]", "rounds": b"[]", "notes": b"[]"}
    if field == "votes":
        lists["rounds"] = b'[{"votes": [' + empty + b"]}]"
    else:
        lists[field] = b"[" + empty + b"]"
    body = b", ".join(b'"%s": %s' % (name.encode(), value) for name, value in lists.items())
    head = HEAD.split(b'"workshops": [')[0]
    return head + b'"workshops": [' + workshop + b", " + body + b"}]}"


@pytest.mark.parametrize(
    ("field", "limit", "what"),
    [
        ("answers", MAX_ANSWERS, "Antworten"),
        ("participants", MAX_PARTICIPANTS, "Teilnehmende"),
        ("votes", MAX_VOTES, "Stimmen"),
        ("notes", MAX_NOTES, "Notizen"),
    ],
)
def test_each_count_has_a_limit_with_a_german_message(field: str, limit: int, what: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        decode_export(_inflated(field, limit + 1))
    shown = f"{limit + 1:,}".replace(",", ".")
    assert f"Die Datei enthält {shown} {what}; erlaubt sind höchstens" in refused.value.message


def test_a_file_at_the_limits_passes_the_counting() -> None:
    export = decode_export(participants_export(MAX_PARTICIPANTS))
    assert len(export.workshops[0].participants) == MAX_PARTICIPANTS


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(participants_export(100))
    assert read_export_file(path, max_bytes=path.stat().st_size) == path.read_bytes()
    with pytest.raises(ImportRefused, match="erlaubt sind höchstens"):
        read_export_file(path, max_bytes=path.stat().st_size - 1)
