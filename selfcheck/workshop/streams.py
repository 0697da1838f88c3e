"""Server-sent event streams over the live hub. A stream must not use the request's
database session (it is closed before the body streams): the hub reads with its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from functools import lru_cache

from litestar.response import ServerSentEvent, ServerSentEventMessage

from selfcheck.observability import event_stream_closed, event_stream_opened
from selfcheck.web.shutdown import stop_requested
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
        next_update = asyncio.ensure_future(queue.get())
        # When the server is asked to stop, the stream ends at once (the browser reconnects).
        stop = asyncio.ensure_future(stop_requested().wait())
        event_stream_opened()
        try:
            while True:
                done, _ = await asyncio.wait(
                    {next_update, stop},
                    timeout=KEEP_ALIVE_SECONDS,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if stop in done:
                    return
                if next_update not in done:
                    yield ServerSentEventMessage(comment="keep-alive")
                    continue
                update = next_update.result()
                next_update = asyncio.ensure_future(queue.get())
                yield _Framed(_frame(update))
        finally:
            event_stream_closed()
            next_update.cancel()
            stop.cancel()


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
