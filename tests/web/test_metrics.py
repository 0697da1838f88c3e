"""`/metrics` in Prometheus' text format: off unless switched on, behind a bearer token when
one is set, and counting what happened on the real server – requests per route name, votes,
answer saves, conflicts, open event streams and database errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from tests.conftest import PASSWORD, World
from tests.helpers import Client, csrf_token, log_in
from tests.live_server import ServerProcess
from tests.workshop.conftest import join, open_mood_round, vote

TOKEN = "kennzahlen-schluessel-123"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def server(database_url: str, database: Database, world: World, tmp_path: Path) -> Iterator[str]:
    env = {"SELFCHECK_METRICS": "true", "SELFCHECK_METRICS_TOKEN": TOKEN}
    with ServerProcess(database_url, tmp_path, env) as process:
        yield process.base_url


@pytest.fixture
async def moderator(server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server, follow_redirects=True) as client:
        await log_in(client, "alice@aheim.example", PASSWORD)  # type: ignore[arg-type]
        yield client


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def _staff_token(database: Database, world: World) -> str:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        return (await invite(session, assessment, "Frau Kennzahl"))[1]


async def _save(client: httpx.AsyncClient, token: str, value: str, version: int) -> int:
    response = await client.post(
        f"/api/staff/{token}/answers/MS-01",
        json={"value": value, "comment": "", "base_version": version},
        headers={"x-csrftoken": await csrf_token(client)},  # type: ignore[arg-type]
    )
    return response.status_code


async def test_metrics_count_requests_votes_answers_conflicts_and_streams(
    server: str, moderator: httpx.AsyncClient, database: Database, world: World
) -> None:
    before = await scrape(moderator)
    workshop, round_id = await open_mood_round(moderator, world.aheim_assessment.id)  # type: ignore[arg-type]
    async with httpx.AsyncClient(base_url=server, follow_redirects=True) as phone:
        await join(phone, workshop)  # type: ignore[arg-type]
        for item, choice in (("AW", "3"), ("MS", "1")):
            assert (await vote(phone, workshop, round_id, item, choice))[0] == 200  # type: ignore[arg-type]
        token = await _staff_token(database, world)
        assert await _save(phone, token, "ja", 0) == 200
        assert await _save(phone, token, "nein", 1) == 200
        assert await _save(phone, token, "teilweise", 1) == 409  # someone saved version 2
        too_big = "9" * 30  # an id beyond 64 bits: the database refuses the value
        assert (await moderator.get(f"/moderation/workshops/{too_big}")).status_code in {400, 404}
        async with phone.stream("GET", f"/w/{workshop.code}/live", timeout=None) as stream:
            assert stream.status_code == 200
            async for line in stream.aiter_lines():
                if line.startswith("data:"):
                    break  # the stream is running
            during = await scrape(moderator)
    after = await _scrape_when(moderator, "selfcheck_event_streams_open", 0.0)

    assert value(during, "selfcheck_event_streams_open") == 1.0
    assert (
        value(after, "selfcheck_votes_stored_total") - value(before, "selfcheck_votes_stored_total")
        == 2.0
    )
    saves = "selfcheck_answer_saves_total"
    assert value(after, saves) - value(before, saves) == 2.0
    conflicts = "selfcheck_conflicts_total"
    assert value(after, conflicts) - value(before, conflicts) == 1.0
    votes = {"route": "workshop_vote", "method": "POST", "status": "200"}
    assert value(after, "selfcheck_http_requests_total", **votes) >= 2.0
    joined = {"route": "workshop_join", "method": "POST"}
    assert value(after, "selfcheck_http_request_duration_seconds_count", **joined) >= 1.0
    unnamed = "/api/staff/{token}/answers/{question_id}"  # the path template, not the path
    conflict = {"route": unnamed, "method": "POST", "status": "409"}
    assert value(after, "selfcheck_http_requests_total", **conflict) == 1.0, sorted(
        str(dict(labels)) for name, labels in after if name == "selfcheck_http_requests_total"
    )
    bad = "selfcheck_database_errors_total"
    assert value(after, bad, kind="bad_value") - value(before, bad, kind="bad_value") == 1.0


async def _scrape_when(client: httpx.AsyncClient, name: str, expected: float) -> Samples:
    """The server notices a closed stream shortly after the client has gone."""
    for _ in range(100):
        samples = await scrape(client)
        if value(samples, name) == expected:
            return samples
        await asyncio.sleep(0.05)
    raise AssertionError(f"{name} ist nicht {expected}: {value(samples, name)}")


async def test_metrics_need_the_bearer_token(server: str) -> None:
    async with httpx.AsyncClient(base_url=server) as client:
        missing = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"authorization": "Bearer falsch"})
        right = await client.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert missing.status_code == wrong.status_code == 401
    assert "Zugangsschlüssel" in missing.text and "selfcheck_" not in wrong.text
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert right.status_code == 200 and "selfcheck_http_requests_total" in right.text


async def test_with_two_workers_every_scrape_shows_the_sum_of_both(
    database_url: str, database: Database, world: World, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("mehrere Server-Prozesse gibt es nur mit PostgreSQL")
    env = {"SELFCHECK_METRICS": "true", "SELFCHECK_METRICS_TOKEN": TOKEN}
    with ServerProcess(database_url, tmp_path, env, args=["--workers", "2"]) as server:
        async with httpx.AsyncClient(base_url=server.base_url, follow_redirects=True) as mod:
            await log_in(mod, "alice@aheim.example", PASSWORD)  # type: ignore[arg-type]
            workshop, round_id = await open_mood_round(mod, world.aheim_assessment.id)  # type: ignore[arg-type]
        phones = 8  # each on a connection of its own, taken by either worker
        for _ in range(phones):
            async with httpx.AsyncClient(base_url=server.base_url, follow_redirects=True) as phone:
                await join(phone, workshop)  # type: ignore[arg-type]
                assert (await vote(phone, workshop, round_id, "AW", "2"))[0] == 200  # type: ignore[arg-type]
        seen = []
        for _ in range(6):
            async with httpx.AsyncClient(base_url=server.base_url) as monitor:
                seen.append(value(await scrape(monitor), "selfcheck_votes_stored_total"))
        log = server.log()
    assert seen == [float(phones)] * len(seen)
    assert "Traceback" not in log, log


async def test_metrics_are_off_unless_switched_on(client: Client) -> None:
    assert (await client.get("/metrics")).status_code == 404
