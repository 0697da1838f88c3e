"""Uptime monitors probe with HEAD: every GET route answers HEAD with the same status and
headers as GET, and without a body – event streams included, which end right away."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.settings import Settings
from tests.conftest import PASSWORD
from tests.helpers import Client, log_in
from tests.security.conftest import Towns
from tests.security.routes import app_routes

pytestmark = pytest.mark.usefixtures("sqlite_only")

REQUEST_TIMEOUT = 10.0
SAME_HEADERS = ("content-type", "content-length", "location", "cache-control")
# Answers whose length may differ between two requests: /metrics counts this very request,
# and an XLSX workbook records the second it was written (openpyxl sets "modified" when it
# saves), which its compressed size can follow.
CHANGING_CONTENT = {"/metrics", "/moderation/selbstchecks/{assessment_id:int}/bericht/daten.xlsx"}


async def test_every_get_route_answers_head_like_get_without_a_body(
    settings: Settings, database: Database, towns: Towns
) -> None:
    # With the metrics switched on, so that /metrics is in the route table as well.
    app = create_app(replace(settings, metrics=True))
    async with AsyncTestClient(app=app) as client:
        await log_in(client, "alice@aheim.example", PASSWORD)
        answered = []
        for route in app_routes(app):
            if route.method != "GET":
                continue
            url = route.url(towns.aheim.values(route.token_kind))
            head = await asyncio.wait_for(client.head(url), REQUEST_TIMEOUT)
            assert head.content == b"", f"HEAD {url} hat einen Inhalt"
            if route.is_stream:
                assert head.status_code == 200, f"HEAD {url} -> {head.status_code}"
                assert head.headers["content-type"].startswith("text/event-stream")
                continue
            get = await client.get(url)
            assert head.status_code == get.status_code, f"HEAD {url}"
            for name in SAME_HEADERS:
                if name == "content-length" and route.path in CHANGING_CONTENT:
                    continue
                assert head.headers.get(name) == get.headers.get(name), f"HEAD {url}: {name}"
            answered.append((url, head.status_code))
    assert ("/health", 200) in answered and ("/", 200) in answered
    assert sum(status == 200 for _, status in answered) >= 30, answered


async def test_an_unknown_path_answers_head_with_404(client: Client) -> None:
    response = await client.head("/gibt-es-nicht")
    assert (response.status_code, response.content) == (404, b"")
