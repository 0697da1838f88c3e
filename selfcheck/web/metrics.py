"""`/metrics` for Prometheus (only with `SELFCHECK_METRICS=true`) and the request counts.

prometheus-client directly rather than Litestar's Prometheus plugin: the plugin labels
requests by path (or path template), while we count by route name, which is stable and
short; it has no bearer-token check of its own; and the domain counters (votes, answer
saves, conflicts) need prometheus-client's objects anyway (selfcheck/observability.py).
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CONTENT_TYPE_LATEST

from selfcheck.observability import exposition, record_request
from selfcheck.settings import Settings

UNKNOWN_ROUTE = "unbekannt"  # 404s and other requests that match no route


@get("/metrics", name="metrics", include_in_schema=False, sync_to_thread=False)
def metrics(
    request: Request[Any, Any, Any], settings: NamedDependency[Settings]
) -> Response[bytes]:
    if settings.metrics_token and not _has_token(request, settings.metrics_token):
        return Response(
            "Für die Kennzahlen ist ein gültiger Zugangsschlüssel (Bearer-Token) nötig.\n".encode(),
            status_code=401,
            media_type="text/plain; charset=utf-8",
            headers={"WWW-Authenticate": 'Bearer realm="selfcheck-metrics"'},
        )
    return Response(
        exposition(),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )


def _has_token(request: Request[Any, Any, Any], token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # Constant time: the comparison must not tell how much of a guess was right.
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8"), token.encode("utf-8")
    )


def count_requests(app: ASGIApp) -> ASGIApp:
    """Wraps the whole app (404s included): count and time every HTTP request by the name
    of the route it reached, up to the start of the response."""

    async def counted(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                record_request(
                    _route_name(scope),
                    scope["method"],
                    message["status"],
                    time.perf_counter() - started,
                )
            await send(message)

        await app(scope, receive, send_counted)

    return counted


def _route_name(scope: Scope) -> str:
    """The route's name; the path template (never the concrete path) for unnamed routes."""
    handler = scope.get("route_handler")
    if handler is None:
        return UNKNOWN_ROUTE
    return str(handler.name or scope.get("path_template") or UNKNOWN_ROUTE)
