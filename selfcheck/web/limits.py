"""A size limit on every request body, enforced before any handler runs.

Litestar's `request_max_body_size` only applies when a handler reads the body, so a request
to a route without form data (logout, submitting an assessment) would be carried out even
with an oversized body. This middleware refuses such requests up front: by the announced
`Content-Length`, or for a chunked body (no length announced) by reading it up to the limit
and handing the buffered body on. Either way the answer is 413 and nothing runs.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send


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
