"""Who is signed in: the `current_user` provider and the guard that carries the login
requirement for every moderation route at once (see `selfcheck/app.py`)."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import User
from selfcheck.errors import SelfcheckError


class LoginRequired(SelfcheckError):
    """Pages answer it with a redirect to the login page, the API with 401."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("Bitte melden Sie sich an.")


def signed_in_user_id(connection: ASGIConnection[Any, Any, Any, Any]) -> int | None:
    user_id = connection.session.get("user_id") if "session" in connection.scope else None
    return user_id if isinstance(user_id, int) else None


def require_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: no moderation handler runs, and no body is read, without a session."""
    if signed_in_user_id(connection) is None:
        raise LoginRequired()


async def provide_current_user(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> User:
    """The signed-in account; an account deleted since signing in counts as signed out."""
    user_id = signed_in_user_id(request)
    user = await db_session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise LoginRequired()
    return user
