"""Error responses: a German HTML page for browsers, JSON for the API. Never a traceback."""

from __future__ import annotations

import logging
import socket
from html import escape
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from sqlalchemy import exc as sa_exc

from selfcheck.errors import SelfcheckError
from selfcheck.observability import record_database_error

logger = logging.getLogger("selfcheck")

DEFAULT_MESSAGES = {
    400: "Die Anfrage konnte nicht verarbeitet werden.",
    401: "Bitte melden Sie sich an.",
    403: "Dafür fehlt Ihnen die Berechtigung.",
    404: "Diese Seite gibt es nicht (mehr). Bitte prüfen Sie die Adresse.",
    405: "Diese Aktion ist hier nicht möglich.",
    410: "Dieser Link ist nicht mehr gültig.",
    413: "Die gesendeten Daten sind zu groß.",
    422: "Die Eingaben sind ungültig.",
    429: "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
    500: "Ein unerwarteter Fehler ist aufgetreten. Ihre bisherigen Eingaben sind gespeichert.",
    503: "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
}


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def error_response(
    request: Request[Any, Any, Any], status_code: int, message: str
) -> Response[Any]:
    if request.headers.get("hx-request"):
        # An htmx request swaps the answer into a small status area: send just the message.
        return Response(
            f'<p class="status-error" role="alert">{escape(message)}</p>',
            status_code=status_code,
            media_type=MediaType.HTML,
        )
    if wants_json(request):
        return Response(
            {"status_code": status_code, "detail": message},
            status_code=status_code,
            media_type=MediaType.JSON,
        )
    return Template(
        template_name="error.html",
        context={"status_code": status_code, "message": message},
        status_code=status_code,
    )


def handle_selfcheck_error(request: Request[Any, Any, Any], exc: SelfcheckError) -> Response[Any]:
    return error_response(request, exc.status_code, exc.message)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    # Litestar's own messages are English and technical; show a German one per status.
    message = DEFAULT_MESSAGES.get(exc.status_code, DEFAULT_MESSAGES[400])
    if isinstance(exc, ValidationException):
        message = "Die Eingaben sind unvollständig oder haben das falsche Format."
    return error_response(request, exc.status_code, message)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    logger.exception("Unerwarteter Fehler bei %s %s", request.method, request.url.path)
    return error_response(
        request, HTTP_500_INTERNAL_SERVER_ERROR, DEFAULT_MESSAGES[HTTP_500_INTERNAL_SERVER_ERROR]
    )


# Exceptions from the database layer that are not programming errors. Asyncpg's own
# exceptions arrive wrapped by SQLAlchemy (InterfaceError, OperationalError or a plain
# DBAPIError) or, while connecting, as OSError (connection refused, timeout).
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    sa_exc.DBAPIError,
    sa_exc.TimeoutError,  # no free connection in the pool
    OSError,
    OverflowError,  # sqlite3: an integer beyond 64 bits, e.g. an id typed into a URL
)
# SQLSTATE classes that mean "the server is not there right now": 08 connection exception,
# 53 insufficient resources (too many connections), 57 operator intervention (shutdown,
# "the database system is starting up").
_UNAVAILABLE_SQLSTATE_CLASSES = frozenset({"08", "53", "57"})
# Class 22, data exception: a value the database cannot store (a number out of range, a NUL
# character in text) – the request's fault, not the server's.
_BAD_VALUE_SQLSTATE_CLASS = "22"
BAD_VALUE_MESSAGE = "Die Eingaben enthalten Werte, die nicht gespeichert werden können."


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = getattr(current, "orig", None) or current.__cause__
    return chain


def is_bad_value(exc: BaseException) -> bool:
    for cause in _causes(exc):
        if isinstance(cause, OverflowError):
            return True
        # asyncpg checks arguments before sending them: "value out of int32 range".
        if type(cause).__module__.startswith("asyncpg") and isinstance(cause, ValueError):
            return True
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_BAD_VALUE_SQLSTATE_CLASS):
            return True
    return False


def _is_network_error(exc: BaseException | None) -> bool:
    # asyncio raises a plain OSError ("Multiple exceptions: ... Connect call failed") when
    # every address of the host refuses; missing files and the like stay programming errors.
    return isinstance(exc, ConnectionError | TimeoutError | socket.gaierror) or (
        type(exc) is OSError
    )


def is_database_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.TimeoutError) or _is_network_error(exc):
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(
        exc, sa_exc.OperationalError | sa_exc.InterfaceError
    ):
        return True
    if _is_network_error(exc.orig):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES


def handle_database_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """400 for values the database refuses; 503 while the database is away (the engine's
    pre-ping reconnects by itself once it is back); anything else stays a 500."""
    if is_bad_value(exc):
        record_database_error("bad_value")
        logger.info("Ungültiger Wert bei %s %s: %s", request.method, request.url.path, exc)
        return error_response(request, HTTP_400_BAD_REQUEST, BAD_VALUE_MESSAGE)
    if not is_database_unavailable(exc):
        record_database_error("other")
        return handle_unexpected(request, exc)
    record_database_error("unavailable")
    logger.warning(
        "Datenbank nicht erreichbar bei %s %s: %s", request.method, request.url.path, exc
    )
    return error_response(
        request, HTTP_503_SERVICE_UNAVAILABLE, DEFAULT_MESSAGES[HTTP_503_SERVICE_UNAVAILABLE]
    )
