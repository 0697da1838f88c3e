"""Request-scoped dependencies shared by all controllers."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import nullcontext

from litestar import Request
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def provide_db_session(
    state: State, request: Request[object, object, State]
) -> AsyncGenerator[AsyncSession, None]:
    """One transaction per request, committed before the response is sent, so that an
    acknowledged write is on disk. Unsafe methods take the write lock up front."""
    database: Database = state.database
    write = request.method not in SAFE_METHODS
    turn = database.write_turn() if write else nullcontext()
    async with turn, database.session(write=write) as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        await session.commit()


def provide_database(state: State) -> Database:
    """For the few handlers that manage their own, shorter transactions (workshop votes)."""
    database: Database = state.database
    return database


def provide_registry(state: State) -> QuestionnaireRegistry:
    registry: QuestionnaireRegistry = state.registry
    return registry


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings
