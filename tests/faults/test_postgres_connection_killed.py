"""PostgreSQL ends one of the server's connections (an administrator's
`pg_terminate_backend`, a connection limit, a failover): the next requests still succeed.
The server does not ping a pooled connection before each use (`pool_pre_ping` cost a round
trip per checkout); the pool replaces a connection it has seen closed (selfcheck/db/engine.py)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tests.live_server import ServerProcess

pytestmark = pytest.mark.postgres


async def _terminate_other_connections(database_url: str) -> int:
    """Ends every connection to the database but this one; waits until they are gone."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            ended = await connection.scalars(
                text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            return sum(1 for done in ended if done)
    finally:
        await engine.dispose()


async def test_requests_after_postgresql_ended_the_servers_connections_succeed(
    database_url: str, tmp_path: Path
) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("nur PostgreSQL")
    with ServerProcess(database_url, tmp_path) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
            for _ in range(3):  # the pool now holds a connection that worked
                assert (await client.get("/health")).status_code == 200

            assert await _terminate_other_connections(database_url) >= 1

            statuses = [(await client.get("/health")).status_code for _ in range(5)]
            assert statuses == [200] * 5
            page = await client.get("/teilnehmen")
            assert page.status_code == 200
