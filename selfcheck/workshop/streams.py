"""Server-sent event streams over the live hub. A stream must not use the request's
database session (it is closed before the body streams): the hub reads with its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable

import msgspec
from litestar.response import ServerSentEvent, ServerSentEventMessage

from selfcheck.observability import event_stream_closed, event_stream_opened
from selfcheck.web.shutdown import stop_requested
from selfcheck.workshop.live import LiveHub, Snapshot

KEEP_ALIVE_SECONDS = 15.0  # proxies close idle connections; a comment line keeps it open
RECONNECT_MS = 2000


def snapshot_stream(
    hub: LiveHub, workshop_id: int, view: Callable[[Snapshot], object]
) -> ServerSentEvent:
    """Sends `view(snapshot)` as JSON whenever it differs from the last one sent."""
    return ServerSentEvent(
        _events(hub, workshop_id, view),
        retry_duration=RECONNECT_MS,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    hub: LiveHub, workshop_id: int, view: Callable[[Snapshot], object]
) -> AsyncGenerator[ServerSentEventMessage, None]:
    last: bytes | None = None
    async with hub.watch(workshop_id) as queue:  # closed when the client goes away
        next_snapshot = asyncio.ensure_future(queue.get())
        # When the server is asked to stop, the stream ends at once (the browser reconnects).
        stop = asyncio.ensure_future(stop_requested().wait())
        event_stream_opened()
        try:
            while True:
                done, _ = await asyncio.wait(
                    {next_snapshot, stop},
                    timeout=KEEP_ALIVE_SECONDS,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if stop in done:
                    return
                if next_snapshot not in done:
                    yield ServerSentEventMessage(comment="keep-alive")
                    continue
                snapshot = next_snapshot.result()
                next_snapshot = asyncio.ensure_future(queue.get())
                payload = msgspec.json.encode(view(snapshot))
                if payload != last:
                    last = payload
                    yield ServerSentEventMessage(
                        event="update", data=payload.decode(), id=snapshot.seq
                    )
        finally:
            event_stream_closed()
            next_snapshot.cancel()
            stop.cancel()
