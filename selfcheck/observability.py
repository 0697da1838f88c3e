"""What the server counts for monitoring, and how it logs.

The metric objects live here, in one registry of this process; domains call the small
`record_*` functions and never touch prometheus-client themselves. `/metrics`
(selfcheck/web/metrics.py) renders the registry when `SELFCHECK_METRICS=true`.

With several worker processes (PostgreSQL, `serve --workers N`) `serve` points
prometheus-client's multiprocess mode at a shared folder (PROMETHEUS_MULTIPROC_DIR): every
worker writes its values there and a scrape of any worker adds them all up.
"""

from __future__ import annotations

import copy
import json
import logging
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from litestar.logging.config import LoggingConfig
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

disable_created_metrics()  # type: ignore[no-untyped-call]  # the *_created series only double every counter
REGISTRY = CollectorRegistry()

HTTP_REQUESTS = Counter(
    "selfcheck_http_requests",
    "Beantwortete HTTP-Anfragen nach Routenname, Methode und Status",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "selfcheck_http_request_duration_seconds",
    "Zeit bis zum Beginn der Antwort (bei Ereignisströmen: bis der Strom steht)",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
VOTES_STORED = Counter("selfcheck_votes_stored", "Gespeicherte Workshop-Stimmen", registry=REGISTRY)
EVENT_STREAMS_OPEN = Gauge(
    "selfcheck_event_streams_open",
    "Offene Server-Sent-Event-Ströme (Projektor, Steuerung, Telefone)",
    multiprocess_mode="livesum",  # summed over the running workers
    registry=REGISTRY,
)
ANSWER_SAVES = Counter(
    "selfcheck_answer_saves", "Gespeicherte Antworten im Fragebogen", registry=REGISTRY
)
CONFLICTS = Counter(
    "selfcheck_conflicts",
    "Speicherkonflikte: jemand anderes hat dieselbe Antwort zuvor geändert",
    registry=REGISTRY,
)
DATABASE_ERRORS = Counter(
    "selfcheck_database_errors",
    "Datenbankfehler bei Anfragen, nach Art (unavailable, bad_value, other)",
    ["kind"],
    registry=REGISTRY,
)


class _ReadAtScrape(Collector):
    """Gauges whose value another part reads out when scraped: the vote writer's batch
    size and queue length (0 until a writer reports them). In multiprocess mode they show
    the scraped worker's writer."""

    def __init__(self) -> None:
        self.sources: dict[str, tuple[str, Callable[[], float]]] = {
            "selfcheck_vote_batch_size": (
                "Stimmen im zuletzt geschriebenen Stapel des Stimmen-Schreibers",
                lambda: 0.0,
            ),
            "selfcheck_vote_queue_length": (
                "Stimmen, die auf das Schreiben warten",
                lambda: 0.0,
            ),
        }

    def collect(self) -> Iterator[Metric]:
        for name, (documentation, read) in self.sources.items():
            yield GaugeMetricFamily(name, documentation, value=read())


_READ_AT_SCRAPE = _ReadAtScrape()
REGISTRY.register(_READ_AT_SCRAPE)
if MULTIPROCESS_DIR_VARIABLE not in os.environ:
    ProcessCollector(registry=REGISTRY)  # memory, CPU time, open files of this process
    PlatformCollector(registry=REGISTRY)


def record_request(route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    HTTP_DURATION.labels(route, method).observe(seconds)


def record_vote_stored(count: int = 1) -> None:
    VOTES_STORED.inc(count)


def record_answer_saved() -> None:
    ANSWER_SAVES.inc()


def record_conflict() -> None:
    CONFLICTS.inc()


def record_database_error(kind: str) -> None:
    DATABASE_ERRORS.labels(kind).inc()


def event_stream_opened() -> None:
    EVENT_STREAMS_OPEN.inc()


def event_stream_closed() -> None:
    EVENT_STREAMS_OPEN.dec()


def report_vote_writer(batch_size: Callable[[], float], queue_length: Callable[[], float]) -> None:
    """The vote writer hands over how to read its current batch size and queue length;
    they are read at every scrape."""
    sources = _READ_AT_SCRAPE.sources
    sources["selfcheck_vote_batch_size"] = (sources["selfcheck_vote_batch_size"][0], batch_size)
    sources["selfcheck_vote_queue_length"] = (
        sources["selfcheck_vote_queue_length"][0],
        queue_length,
    )


def exposition() -> bytes:
    """The Prometheus text: this process's registry, or with several workers the values
    all of them wrote into the shared folder."""
    if MULTIPROCESS_DIR_VARIABLE not in os.environ:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(_READ_AT_SCRAPE)
    return generate_latest(registry)


def process_exiting() -> None:
    """A worker that ends takes its share out of the "live" gauges (open streams)."""
    if MULTIPROCESS_DIR_VARIABLE in os.environ:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line (`SELFCHECK_LOG_FORMAT=json`), for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def uvicorn_log_config(log_format: str) -> dict[str, Any]:
    """Uvicorn's own logging, with its lines as JSON when asked for."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    if log_format == "json":
        config["formatters"] = {name: {"()": JsonLogFormatter} for name in config["formatters"]}
    return config


def app_logging(log_format: str) -> LoggingConfig:
    """Litestar configures the root logger (and so the `selfcheck` loggers) from this."""
    if log_format == "json":
        return LoggingConfig(formatters={"standard": {"()": JsonLogFormatter}})
    return LoggingConfig()
