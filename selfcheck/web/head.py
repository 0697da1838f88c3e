"""HEAD answers like GET without a body, on every route (uptime monitors probe with HEAD).

It wraps the whole app rather than being a Litestar middleware: Litestar's middleware runs
after routing, which already refuses HEAD on a GET route with 405. Handlers therefore
never see HEAD; an event stream asked with HEAD is ended as soon as its headers are out.
"""

from __future__ import annotations

import asyncio

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

_END_OF_BODY: Message = {"type": "http.response.body", "body": b"", "more_body": False}


def answer_head_like_get(app: ASGIApp) -> ASGIApp:
    async def head_or_other(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return
        answered = asyncio.Event()
        received_request = False

        async def receive_then_hang_up() -> ReceiveMessage:
            nonlocal received_request
            if not received_request:
                received_request = True
                return await receive()
            await answered.wait()
            return {"type": "http.disconnect"}

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send(message)
            elif not answered.is_set():
                answered.set()
                await send(_END_OF_BODY)

        # A copy: the server keeps seeing HEAD (and sends no body); the app routes as GET.
        as_get: Scope = {**scope, "method": "GET"}
        await app(as_get, receive_then_hang_up, send_without_body)

    return head_or_other
