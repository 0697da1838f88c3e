"""Engine and session factories.

SQLite needs care under concurrent writes: the sqlite3/aiosqlite driver opens transactions
lazily, so a transaction that reads first and writes later fails at once with "database is
locked" in WAL mode instead of waiting. We therefore take over transaction control and begin
every write transaction with BEGIN IMMEDIATE: writers then queue on the busy timeout.
Within one process they take turns in order before that (`Database.write_turn`), since
SQLite's busy handler is not fair.
Read-only transactions (`Database.reading()`) use a plain deferred BEGIN and never block.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

_IMMEDIATE = "selfcheck_begin_immediate"

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # NORMAL loses at most the last transactions on power loss, never on a process crash.
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy's "begin" event emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _replace_dead_connections(engine: Engine) -> None:
    """A pooled PostgreSQL connection whose server side has gone (a restart, an
    administrator's `pg_terminate_backend`) is replaced at checkout by a fresh one, so the
    request does not fail on it. Instead of `pool_pre_ping`, which costs a round trip on
    every checkout, the check asks asyncpg whether it has seen the socket close: no round
    trip. The pool retries the checkout once with a new connection (SQLAlchemy's
    "DisconnectionError" on checkout). A connection that dies unnoticed (no close seen yet)
    fails its statement instead; SQLAlchemy then discards the pool's older connections, and
    the next request gets fresh ones."""

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        driver_connection = getattr(dbapi_connection, "driver_connection", None)
        is_closed = getattr(driver_connection, "is_closed", None)
        if is_closed is not None and is_closed():
            raise DisconnectionError("Verbindung zu PostgreSQL wurde geschlossen")


def create_engine(database_url: str) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, connect_args={"timeout": 5})
        _configure_sqlite(engine.sync_engine)
        return engine
    engine = create_async_engine(database_url, pool_size=10, max_overflow=10)
    _replace_dead_connections(engine.sync_engine)
    return engine


def sqlite_writer_connection(database_url: str) -> sqlite3.Connection:
    """A plain sqlite3 connection on the same file, for one dedicated writer thread (the
    vote writer): it saves aiosqlite's thread hop and SQLAlchemy's work per statement.
    The caller begins its transactions with BEGIN IMMEDIATE itself."""
    path = make_url(database_url).database or ""
    connection = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)
    return connection


@dataclass(frozen=True)
class Database:
    """The engine plus one session factory for writes and one for reads."""

    engine: AsyncEngine
    _writer: async_sessionmaker[AsyncSession]
    _reader: async_sessionmaker[AsyncSession]
    # SQLite only: this process's write transactions take turns, first come first served.
    _write_turns: asyncio.Lock | None = None

    @classmethod
    def connect(cls, database_url: str) -> Database:
        engine = create_engine(database_url)
        writer_bind = engine.execution_options(**{_IMMEDIATE: True})
        return cls(
            engine=engine,
            _writer=async_sessionmaker(writer_bind, expire_on_commit=False),
            _reader=async_sessionmaker(engine, expire_on_commit=False),
            _write_turns=asyncio.Lock() if database_url.startswith("sqlite") else None,
        )

    def session(self, *, write: bool) -> AsyncSession:
        return (self._writer if write else self._reader)()

    def write_turn_taken(self) -> bool:
        """Whether a write transaction of this process holds the turn right now."""
        return self._write_turns is not None and self._write_turns.locked()

    @asynccontextmanager
    async def write_turn(self) -> AsyncIterator[None]:
        """Hold around a write transaction. On SQLite, waiting writers of one process queue
        here in order: SQLite's busy handler lets them poll instead, and a writer that has
        just finished can take the lock again before them – under 50 concurrent editors
        single saves waited for seconds, close to the busy timeout ("database is locked").
        Other processes (the command line) still wait on the busy timeout. PostgreSQL locks
        rows itself: nothing to do there."""
        if self._write_turns is None:
            yield
            return
        async with self._write_turns:
            yield

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back on error."""
        async with self.write_turn(), self.session(write=True) as session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        async with self.session(write=False) as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
