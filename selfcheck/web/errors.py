"""Error responses: a German HTML page for browsers, JSON for the API. Never a traceback."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from selfcheck.errors import SelfcheckError

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
