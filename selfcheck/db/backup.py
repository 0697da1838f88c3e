"""`selfcheck backup PATH`: a consistent copy of a running SQLite database.

Uses SQLite's online backup API in a single step: the copy is taken inside one read
transaction, so it is a snapshot of one moment even while the server keeps writing (in WAL
mode readers do not block writers, and writers do not restart a one-step backup). The copy
is written beside the target, checked with `PRAGMA integrity_check`, switched to a
self-contained rollback journal (no -wal file needed) and only then renamed into place, so
PATH never holds a half-written backup.

PostgreSQL has its own tools for this (pg_dump / pg_restore); see the README.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

from selfcheck.errors import SelfcheckError

BUSY_TIMEOUT_SECONDS = 30


class BackupError(SelfcheckError):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "Die Datenbank ist PostgreSQL: Bitte sichern Sie sie mit pg_dump, z. B."
            " „pg_dump --format=custom --file=selfcheck.dump DATENBANK“, und stellen Sie sie"
            " mit pg_restore wieder her (siehe README, Abschnitt „Sicherung“)."
        )
    if not url.database or url.database == ":memory:":
        raise BackupError("Eine Datenbank im Arbeitsspeicher lässt sich nicht sichern.")
    return Path(url.database)


def backup_database(database_url: str, target: Path, *, overwrite: bool = False) -> BackupResult:
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"Die Datenbankdatei {source} gibt es nicht.")
    target = target.resolve()
    if target == source.resolve():
        raise BackupError("Die Sicherung kann nicht die Datenbank selbst überschreiben.")
    if target.exists() and not overwrite:
        raise BackupError(
            f"{target} gibt es schon. Wählen Sie einen anderen Namen oder ersetzen Sie die"
            " Datei mit --overwrite."
        )
    if not target.parent.is_dir():
        raise BackupError(f"Den Ordner {target.parent} gibt es nicht.")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        _copy(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size)


def _copy(source: Path, partial: Path) -> None:
    partial.unlink(missing_ok=True)
    try:
        # Not mode=ro: a reader of a WAL database may need to create the -shm file.
        reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            writer = sqlite3.connect(partial)
            try:
                reader.backup(writer)  # pages=-1: everything in one step, one snapshot
                writer.execute("PRAGMA journal_mode=DELETE")
                (result,) = writer.execute("PRAGMA integrity_check").fetchone()
            finally:
                writer.close()
        finally:
            reader.close()
    except sqlite3.Error as error:
        raise BackupError(f"Die Sicherung ist fehlgeschlagen: {error}") from error
    if result != "ok":
        raise BackupError(f"Die Sicherung ist beschädigt und wurde verworfen: {result}")
    with partial.open("rb+") as written:
        os.fsync(written.fileno())  # on disk before the rename makes it the backup
