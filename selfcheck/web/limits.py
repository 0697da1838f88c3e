"""Limits on every request body, enforced before any handler runs: its size, and (for
handlers that read it) its media type and text (see `InputHygieneMiddleware` below).

Litestar's `request_max_body_size` only applies when a handler reads the body, so a request
to a route without form data (logout, submitting an assessment) would be carried out even
with an oversized body. This middleware refuses such requests up front: by the announced
`Content-Length`, or for a chunked body (no length announced) by reading it up to the limit
and handing the buffered body on. Either way the answer is 413 and nothing runs.
"""

from __future__ import annotations

from typing import Any

from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.status_codes import (
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
)
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from selfcheck.errors import SelfcheckError
from selfcheck.web.forms import check_json_body, normalized_form_body


class BodyTooLarge(HTTPException):
    status_code = HTTP_413_REQUEST_ENTITY_TOO_LARGE


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        announced = headers.get(b"content-length")
        if announced is not None:
            if not announced.isdigit() or int(announced) > self.max_bytes:
                raise BodyTooLarge()
            # The server stops at the announced length; Litestar checks the bytes it reads.
            await self.app(scope, receive, send)
            return
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            await self.app(scope, receive, send)  # no body at all
            return
        buffered = await self._read_chunked(receive)
        await self.app(scope, _replay(buffered, receive), send)

    async def _read_chunked(self, receive: Receive) -> list[ReceiveMessage]:
        messages: list[ReceiveMessage] = []
        total = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages  # the client went away; the app sees the disconnect
            total += len(message.get("body", b""))
            if total > self.max_bytes:
                raise BodyTooLarge()
            if not message.get("more_body", False):
                return messages


def _replay(buffered: list[ReceiveMessage], receive: Receive) -> Receive:
    pending = list(buffered)

    async def replay() -> ReceiveMessage:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def body_size_limit(max_bytes: int) -> DefineMiddleware:
    return DefineMiddleware(BodySizeLimitMiddleware, max_bytes=max_bytes)


# --- What a handler reads: the right media type, and text that can be stored ------------

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
JSON_MEDIA_TYPE = "application/json"
_EXPECTED_MESSAGES = {
    FORM_MEDIA_TYPE: (
        "Diese Adresse nimmt nur Formulardaten an (application/x-www-form-urlencoded, UTF-8). "
        "Es wurde nichts gespeichert."
    ),
    JSON_MEDIA_TYPE: (
        "Diese Adresse nimmt nur JSON an (application/json, UTF-8). Es wurde nichts gespeichert."
    ),
}


class UnsupportedMediaType(SelfcheckError):
    status_code = HTTP_415_UNSUPPORTED_MEDIA_TYPE


class InputHygieneMiddleware:
    """Checks the body of every request whose handler reads one (`data`), before it runs.

    A form handler gets only an URL-encoded form and a JSON handler only JSON (415
    otherwise: a JSON body on a form endpoint used to arrive as an empty form). All text
    must be UTF-8 without control characters (400 otherwise), checked here once for every
    handler and thus the same on SQLite and PostgreSQL. The checked form is handed on
    re-encoded as ASCII, so nothing downstream decodes raw bytes by guessing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] in _BODYLESS_METHODS:
            await self.app(scope, receive, send)
            return
        expected = expected_media_type(scope.get("route_handler"))
        if expected is None:
            await self.app(scope, receive, send)
            return
        media_type, charset = _content_type(scope)
        if media_type != expected or charset not in {None, "utf-8"}:
            raise UnsupportedMediaType(_EXPECTED_MESSAGES[expected])
        body = await _read_body(receive)
        if expected == FORM_MEDIA_TYPE:
            body = normalized_form_body(body)
        else:
            check_json_body(body)
        await self.app(_with_length(scope, len(body)), _replay_body(body, receive), send)


_BODYLESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def expected_media_type(handler: Any) -> str | None:
    """The media type the handler's `data` parameter reads; None: it reads no body."""
    if handler is None:
        return None
    field = handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return None
    media_type = getattr(field.kwarg_definition, "media_type", None)
    if media_type == RequestEncodingType.URL_ENCODED:
        return FORM_MEDIA_TYPE
    if media_type in {None, RequestEncodingType.JSON}:
        return JSON_MEDIA_TYPE
    return None  # multipart: no handler reads it today


def _content_type(scope: Scope) -> tuple[str, str | None]:
    raw = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1")
    media_type, *parameters = (part.strip().lower() for part in raw.split(";"))
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset":
            charset = value.strip().strip('"')
    return media_type, charset


async def _read_body(receive: Receive) -> bytes:
    """The whole body; its size is already bounded by `BodySizeLimitMiddleware`."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _with_length(scope: Scope, length: int) -> Scope:
    framing = {b"content-length", b"transfer-encoding"}
    headers = [(k, v) for k, v in scope["headers"] if k not in framing]
    headers.append((b"content-length", str(length).encode("ascii")))
    return {**scope, "headers": headers}  # type: ignore[return-value]


def _replay_body(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> ReceiveMessage:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def input_hygiene() -> DefineMiddleware:
    return DefineMiddleware(InputHygieneMiddleware)
