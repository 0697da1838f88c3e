"""Request-scoped dependencies shared by all controllers."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import AsyncExitStack

from litestar import Request
from litestar.datastructures import State
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Where a request's open transaction waits to be closed (see `close_open_transaction`).
OPEN_TRANSACTION = "selfcheck_open_transaction"


async def provide_db_session(
    state: State, request: Request[object, object, State]
) -> AsyncGenerator[AsyncSession, None]:
    """One transaction per request, committed before the response is sent, so that an
    acknowledged write is on disk. Unsafe methods take the write lock up front.

    Litestar (2.25) runs a generator dependency's cleanup only if every other dependency
    of the handler resolved: when a later provider refuses ("nicht gefunden"), this
    generator is never resumed, and the transaction with the write lock would stay open
    until garbage collection. So the transaction lives in an exit stack that
    `close_open_transaction` closes after every request that left it open."""
    database: Database = state.database
    write = request.method not in SAFE_METHODS
    async with AsyncExitStack() as transaction:
        request.state[OPEN_TRANSACTION] = transaction
        if write:
            await transaction.enter_async_context(database.write_turn())
        session = await transaction.enter_async_context(database.session(write=write))
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        await session.commit()
    del request.state[OPEN_TRANSACTION]


class TransactionCloser:
    """ASGI middleware: after the request, roll back and release a transaction whose
    dependency cleanup never ran (see `provide_db_session`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            left_open = scope.get("state", {}).pop(OPEN_TRANSACTION, None)
            if left_open is not None:
                await left_open.aclose()


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
