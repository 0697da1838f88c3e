"""`selfcheck backup PATH` copies a running SQLite database consistently, while the server
keeps writing; PostgreSQL is referred to pg_dump."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from selfcheck.assessments.answers import answer_sheet
from selfcheck.db.engine import Database
from tests.cli_runner import CliResult, run_cli
from tests.conftest import World
from tests.faults.conftest import editors, invite_staff
from tests.faults.writers import Burst
from tests.live_server import ServerProcess


async def _backup(database_url: str, target: Path, *options: str) -> CliResult:
    env = {"SELFCHECK_DATABASE_URL": database_url, "SELFCHECK_DATA_DIR": str(target.parent)}
    async with asyncio.timeout(60):
        return await run_cli("backup", str(target), *options, env=env)


def _check_copy(path: Path) -> dict[str, int]:
    """Integrity, a self-contained file, and the invariant every committed save keeps:
    an answer at version n has exactly n entries in its history."""
    assert not Path(f"{path}-wal").exists()
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        torn = copy.execute(
            "SELECT a.question_id, a.version, COUNT(c.id), MAX(c.version) FROM answers a"
            " LEFT JOIN answer_changes c ON c.answer_id = a.id GROUP BY a.id"
            " HAVING COUNT(c.id) != a.version OR MAX(c.version) != a.version"
        ).fetchall()
        assert torn == [], f"halbe Speicherungen in der Sicherung: {torn}"
        rows = copy.execute("SELECT question_id, version FROM answers").fetchall()
    return dict(rows)


async def test_a_backup_taken_while_the_server_writes_is_consistent_and_complete(
    sqlite_only: None,
    server: ServerProcess,
    database: Database,
    database_url: str,
    world: World,
    question_ids: list[str],
    tmp_path: Path,
) -> None:
    assessment_id = world.aheim_assessment.id
    tokens = await invite_staff(database, assessment_id, 5)
    people = editors(tokens, question_ids, per_editor=4, assessment_id=assessment_id)
    server.start()
    for person in people:
        await person.prepare(server.base_url)
    burst = Burst(people)
    burst.start()
    try:
        for n in range(2):
            await burst.wait_for_acknowledged(20 * (n + 1), within=30)
            acked_before = {q: v for p in people for q, (_, _, v) in p.acked.items()}
            count_before = burst.acknowledged
            target = tmp_path / f"sicherung-{n}.db"
            result = await _backup(database_url, target)
            assert result.exit_code == 0, result.output
            assert "Sicherung geschrieben" in result.output
            assert burst.acknowledged > count_before, "während der Sicherung ruhte das Schreiben"
            versions = _check_copy(target)
            missing = {q: v for q, v in acked_before.items() if versions.get(q, 0) < v}
            assert missing == {}, "vor der Sicherung bestätigte Antworten fehlen"
        await burst.finish()
    finally:
        burst.stopped.set()
        for person in people:
            await person.close()
    assert burst.server_errors() == []
    # The copy is a working Selbstcheck database.
    restored = Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'sicherung-1.db'}")
    try:
        async with restored.reading() as session:
            assert len(await answer_sheet(session, assessment_id)) > 0
    finally:
        await restored.dispose()


async def test_a_backup_never_overwrites_a_file_unless_asked(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'selfcheck.db'}"
    sqlite3.connect(tmp_path / "selfcheck.db").close()
    target = tmp_path / "sicherung.db"
    target.write_text("wertvoll", encoding="utf-8")
    refused = await _backup(url, target)
    assert refused.exit_code == 1
    assert "gibt es schon" in refused.output and "--overwrite" in refused.output
    assert target.read_text(encoding="utf-8") == "wertvoll"
    replaced = await _backup(url, target, "--overwrite")
    assert replaced.exit_code == 0, replaced.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


async def test_a_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    result = await _backup("postgresql+asyncpg://postgres@127.0.0.1/selfcheck", tmp_path / "x")
    assert result.exit_code == 1
    assert "pg_dump" in result.output and "pg_restore" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()
