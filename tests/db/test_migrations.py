from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from selfcheck.db.engine import Database, create_engine
from selfcheck.db.migrate import alembic_config, upgrade
from selfcheck.db.models import Base
from tests.conftest import POSTGRES_URL, _scratch_postgres_database


def _differences_from_the_models(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_create_exactly_the_schema_of_the_models(database: Database) -> None:
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(_differences_from_the_models)
    assert differences == []


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own that no migration has touched yet."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'selfcheck.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("SELFCHECK_TEST_POSTGRES_URL ist nicht gesetzt")
    with _scratch_postgres_database(POSTGRES_URL) as url:
        yield url


def _tables_and_differences(database_url: str) -> tuple[set[str], list[object]]:
    def read(connection: Connection) -> tuple[set[str], list[object]]:
        return set(inspect(connection).get_table_names()), _differences_from_the_models(connection)

    async def run() -> tuple[set[str], list[object]]:
        engine = create_engine(database_url)
        async with engine.connect() as connection:
            result = await connection.run_sync(read)
        await engine.dispose()
        return result

    return asyncio.run(run())


def test_a_downgrade_to_base_removes_every_table_and_an_upgrade_builds_them_again(
    empty_database_url: str,
) -> None:
    every_table = {*Base.metadata.tables, "alembic_version"}
    upgrade(empty_database_url)
    assert _tables_and_differences(empty_database_url) == (every_table, [])

    command.downgrade(alembic_config(empty_database_url), "base")
    assert _tables_and_differences(empty_database_url)[0] == {"alembic_version"}

    upgrade(empty_database_url)
    assert _tables_and_differences(empty_database_url) == (every_table, [])
