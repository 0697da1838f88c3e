"""PostgreSQL goes away while the server runs (stopped, then started again): requests fail
cleanly – a German 503, never a traceback – and work again by themselves afterwards; no
acknowledged write is lost.

The test restarts a PostgreSQL instance of its own (see private_postgres.py), never the
shared test cluster: stopping that would break every other test run using it at the time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from selfcheck.accounts.services import create_user
from selfcheck.assessments.invitations import invite
from selfcheck.assessments.setup import create_assessment, create_municipality
from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.web.errors import DEFAULT_MESSAGES
from tests.conftest import PASSWORD, POSTGRES_URL
from tests.faults.conftest import editors
from tests.faults.private_postgres import PrivatePostgres, can_run
from tests.faults.writers import AutosavingEditor
from tests.live_server import ServerProcess

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES_URL, reason="SELFCHECK_TEST_POSTGRES_URL ist nicht gesetzt"),
    pytest.mark.skipif(can_run() is not None, reason=str(can_run())),
]

UNAVAILABLE = DEFAULT_MESSAGES[503]
RECOVERY_SECONDS = 30.0


@pytest.fixture
async def postgres() -> AsyncIterator[PrivatePostgres]:
    instance = PrivatePostgres()
    await instance.create()
    try:
        yield instance
    finally:
        await instance.destroy()


async def _seed(url: str, registry: QuestionnaireRegistry, editors: int) -> tuple[int, list[str]]:
    database = Database.connect(url)
    try:
        async with database.writing() as session:
            moderator = await create_user(session, "moderation@example.org", PASSWORD, "moderator")
            town = await create_municipality(session, moderator, "Cstadt")
            assessment = await create_assessment(session, town, registry.latest(), "Selbstcheck")
            tokens = [(await invite(session, assessment, f"Person {n}"))[1] for n in range(editors)]
        return assessment.id, tokens
    finally:
        await database.dispose()


async def _keep_saving(people: list[AutosavingEditor], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for person in people:
            await person.write_once()
        await asyncio.sleep(0.05)


async def _wait_until(condition: Callable[[], Awaitable[bool]], failure: str) -> None:
    for _ in range(int(RECOVERY_SECONDS / 0.1)):
        if await condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{failure} (nach {RECOVERY_SECONDS} s)")


def _assert_clean_failure(response: httpx.Response, kind: str) -> None:
    assert response.status_code == 503, f"{kind}: {response.status_code} {response.text[:300]}"
    assert UNAVAILABLE in response.text, kind
    assert "Traceback" not in response.text and "asyncpg" not in response.text, kind


async def test_a_postgresql_restart_fails_requests_cleanly_and_the_server_recovers_by_itself(
    postgres: PrivatePostgres,
    registry: QuestionnaireRegistry,
    question_ids: list[str],
    tmp_path: Path,
) -> None:
    server = ServerProcess(postgres.url, tmp_path)
    probe = httpx.AsyncClient(base_url=server.base_url, timeout=10)
    stop = asyncio.Event()
    people: list[AutosavingEditor] = []
    try:
        server.start()  # applies the migrations to the new instance
        assessment_id, tokens = await _seed(postgres.url, registry, 3)
        people = editors(tokens, question_ids, per_editor=2, assessment_id=assessment_id)
        for person in people:
            await person.prepare(server.base_url)
        saving = asyncio.create_task(_keep_saving(people, stop))
        await asyncio.sleep(0.5)
        before = sum(p.acknowledged for p in people)
        assert before > 0

        await postgres.stop()
        try:
            staff = f"/s/{tokens[0]}"
            _assert_clean_failure(await probe.get(staff), "Seite")
            _assert_clean_failure(await probe.get(f"/api/staff/{tokens[0]}/results"), "JSON")
            assert (await probe.get(f"/api/staff/{tokens[0]}/results")).json()["detail"]
            await probe.get("/")
            autosave = await probe.post(
                f"{staff}/antworten/MS-01",
                data={"value_MS-01": "ja", "version_MS-01": "0"},
                headers={"hx-request": "true", "x-csrftoken": probe.cookies["selfcheck_csrf"]},
            )
            _assert_clean_failure(autosave, "htmx")
            assert autosave.text.startswith('<p class="status-error" role="alert">')
            _assert_clean_failure(await probe.get("/health"), "health")
        finally:
            await postgres.start()

        # Back by itself: no restart of the server, no manual step.
        async def healthy() -> bool:
            return (await probe.get("/health")).status_code == 200

        await _wait_until(healthy, "der Server meldet sich nicht zurück")
        during_outage = sum(p.acknowledged for p in people)

        async def saving_again() -> bool:
            return sum(p.acknowledged for p in people) >= during_outage + 3 * len(people)

        await _wait_until(saving_again, "nach dem Neustart wird nichts mehr gespeichert")
        stop.set()
        await asyncio.wait_for(saving, 30)
    finally:
        stop.set()
        await probe.aclose()
        for person in people:
            await person.close()
        server.stop()

    statuses = {status for person in people for status, _ in person.responses}
    assert statuses <= {200, 503}, statuses
    assert 503 in statuses, "der Ausfall war für die Schreibenden nicht zu sehen"
    failures = [body for p in people for status, body in p.responses if status == 503]
    assert all(UNAVAILABLE in body for body in failures)
    database = Database.connect(postgres.url)
    try:
        problems = [p for person in people for p in await person.problems(database)]
    finally:
        await database.dispose()
    assert problems == []
