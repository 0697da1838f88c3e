"""Rendered charts, cached by the content of the report: the images of a report page are
not drawn again while nothing changed. Rendering runs in a worker thread (matplotlib is
CPU-bound)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import UTC, datetime
from threading import Lock
from typing import NamedTuple

import anyio.to_thread
import msgspec

from selfcheck.errors import NotFound
from selfcheck.reporting.charts import MEDIA_TYPES, Format, find_chart, render
from selfcheck.reporting.comparison import ReportData


class ChartCache:
    """A small LRU of rendered charts keyed by report content, chart and format."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: tuple[str, str, str], data: bytes) -> None:
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


CHARTS = ChartCache()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def content_key(report: ReportData) -> str:
    """Changes with the data, not with the time the report was read."""
    stable = msgspec.structs.replace(report, generated_at=_EPOCH)
    return hashlib.sha256(msgspec.msgpack.encode(stable)).hexdigest()


class ChartFile(NamedTuple):
    data: bytes
    media_type: str


async def rendered_chart(report: ReportData, name: str, fmt: str) -> ChartFile:
    chart = find_chart(report, name)
    if chart is None or fmt not in MEDIA_TYPES:
        raise NotFound("Dieses Diagramm gibt es in diesem Bericht nicht.")
    key = (content_key(report), name, fmt)
    data = CHARTS.get(key)
    if data is None:
        data = await anyio.to_thread.run_sync(render, chart, _format(fmt))
        CHARTS.put(key, data)
    return ChartFile(data, MEDIA_TYPES[fmt])


def _format(fmt: str) -> Format:
    return "svg" if fmt == "svg" else "png"
