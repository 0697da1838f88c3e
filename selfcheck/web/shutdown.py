"""Stopping quickly: when the process is asked to stop, open event streams end at once.

Uvicorn waits for open connections before it shuts the app down, and an event stream never
finishes by itself: a restart during a workshop used to wait for the graceful timeout and
then cancel the streams with a traceback. Here the stop signal (SIGTERM, SIGINT) also sets
the server loop's `stop_requested()` event, which every stream loop watches; the browsers
reconnect by themselves and poll meanwhile. One event per event loop: an asyncio.Event
belongs to the loop that first waits on it (tests run apps in several loops).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import weakref
from collections.abc import Iterator
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_PR_SET_PDEATHSIG = 1

_stop_events: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Event] = (
    weakref.WeakKeyDictionary()
)


def stop_requested() -> asyncio.Event:
    """Set when the process running this event loop is asked to stop."""
    loop = asyncio.get_running_loop()
    event = _stop_events.get(loop)
    if event is None:
        event = _stop_events[loop] = asyncio.Event()
    return event


def _request_stop() -> None:
    stop_requested().set()


@contextlib.contextmanager
def stop_streams_on_signal() -> Iterator[None]:
    """While the server runs: chain our flag in front of the server's own signal handlers
    (uvicorn installs them with `signal.signal` before the app starts)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # e.g. an in-process test client: no signals to watch
        return
    loop = asyncio.get_running_loop()
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}

    def handle(sig: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(_request_stop)
        handler: Any = previous[signal.Signals(sig)]
        if callable(handler):
            handler(sig, frame)

    for sig in STOP_SIGNALS:
        signal.signal(sig, handle)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def exit_with_supervisor() -> None:
    """A worker process of `serve --workers N` ends when its supervisor dies, even by
    SIGKILL, instead of running on orphaned (Linux: PR_SET_PDEATHSIG)."""
    parent = multiprocessing.parent_process()
    if parent is None or not hasattr(ctypes, "CDLL"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent.pid:  # the supervisor died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)
