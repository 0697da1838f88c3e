"""Server-sent event streams over the live hub. A stream must not use the request's
database session (it is closed before the body streams): the hub reads with its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from functools import lru_cache

from litestar.response import ServerSentEvent, ServerSentEventMessage

from selfcheck.workshop.live import LiveHub, Update, View

KEEP_ALIVE_SECONDS = 15.0  # proxies close idle connections; a comment line keeps it open
RECONNECT_MS = 2000


def snapshot_stream(hub: LiveHub, workshop_id: int, view: View) -> ServerSentEvent:
    """Sends `view(snapshot)` as JSON whenever it changes. The hub encodes each view once
    per snapshot for all streams; `view` must be one module-level function per kind."""
    return ServerSentEvent(
        _events(hub, workshop_id, view),
        retry_duration=RECONNECT_MS,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    hub: LiveHub, workshop_id: int, view: View
) -> AsyncGenerator[ServerSentEventMessage, None]:
    async with hub.watch(workshop_id, view) as queue:  # closed when the client goes away
        while True:
            try:
                update = await asyncio.wait_for(queue.get(), timeout=KEEP_ALIVE_SECONDS)
            except TimeoutError:
                yield ServerSentEventMessage(comment="keep-alive")
                continue
            yield _Framed(_frame(update))


class _Framed(ServerSentEventMessage):
    """An event framed once for all the streams that send it."""

    def __init__(self, frame: bytes) -> None:
        super().__init__()
        self.frame = frame

    def encode(self) -> bytes:
        return self.frame


@lru_cache(maxsize=256)
def _frame(update: Update) -> bytes:
    return ServerSentEventMessage(event="update", data=update.payload, id=update.seq).encode()
