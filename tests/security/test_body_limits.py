"""Every request body is limited (SELFCHECK_MAX_BODY_BYTES): an oversized request gets a
German 413 and nothing is stored – on every state-changing route, with or without a
Content-Length, while the largest legitimate form still fits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from selfcheck.db.engine import Database
from selfcheck.db.models import Answer
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import DEFAULT_MAX_BODY_BYTES, Settings
from tests.conftest import PASSWORD
from tests.helpers import Client, csrf_token, log_in, post_form
from tests.live_server import ServerProcess
from tests.security.conftest import Towns
from tests.security.routes import snapshot, unsafe_routes

pytestmark = pytest.mark.usefixtures("sqlite_only")

TOO_LARGE = "Die gesendeten Daten sind zu groß."
# The widest character a comment may hold: 4 bytes of UTF-8, 12 bytes percent-encoded.
WIDEST = "\U0001f600"


def _largest_field_form(registry: QuestionnaireRegistry) -> tuple[str, bytes]:
    """The no-JavaScript form post of the biggest field, every comment at its maximum."""
    field = max(registry.latest().fields, key=lambda f: len(f.questions))
    form: dict[str, str] = {"_csrf_token": "x" * 100}
    for question in field.questions:
        form[f"value_{question.id}"] = "weiss_nicht"
        form[f"comment_{question.id}"] = WIDEST * 2000
        form[f"version_{question.id}"] = "0"
    return field.id, urlencode(form).encode()


def test_the_default_limit_fits_the_largest_field_with_maximal_comments_in_any_script(
    registry: QuestionnaireRegistry,
) -> None:
    _, body = _largest_field_form(registry)
    assert len(body) > 700_000  # 31 comments x 2,000 characters x 12 bytes: really the worst case
    assert len(body) <= DEFAULT_MAX_BODY_BYTES


async def test_the_largest_field_form_is_accepted_and_stored(
    client: Client, towns: Towns, registry: QuestionnaireRegistry, database: Database
) -> None:
    field_id, _ = _largest_field_form(registry)
    field = next(f for f in registry.latest().fields if f.id == field_id)
    form = {f"comment_{q.id}": WIDEST * 2000 for q in field.questions}
    form |= {f"value_{q.id}": "weiss_nicht" for q in field.questions}
    response = await post_form(client, f"/s/{towns.aheim.staff_token}/felder/{field_id}", form)
    assert response.status_code == 200, response.text[-500:]
    async with database.reading() as session:
        comments = (
            await session.scalars(
                select(Answer.comment).where(
                    Answer.assessment_id == towns.aheim.assessment_id,
                    Answer.question_id.in_([q.id for q in field.questions]),
                )
            )
        ).all()
    assert len(comments) == len(field.questions) and set(comments) == {WIDEST * 2000}


async def test_an_oversized_request_to_any_route_gets_413_in_german_and_stores_nothing(
    client: Client, towns: Towns, database: Database, settings: Settings
) -> None:
    await log_in(client, "admin@example.org", PASSWORD)
    token = await csrf_token(client)
    oversized = b"name=" + b"x" * settings.max_body_bytes
    before = await snapshot(database)
    routes = unsafe_routes(client.app)
    for route in routes:
        url = route.url(towns.aheim.values(route.token_kind))
        page = '{"' if url.startswith("/api/") else "<html"  # the API always answers JSON
        for headers, german in [
            ({"content-type": "application/x-www-form-urlencoded"}, page),
            ({"content-type": "application/x-www-form-urlencoded", "hx-request": "true"}, "<p"),
            ({"content-type": "application/json", "accept": "application/json"}, '{"'),
        ]:
            response = await client.request(
                route.method, url, content=oversized, headers={**headers, "x-csrftoken": token}
            )
            assert response.status_code == 413, f"{route.method} {url} -> {response.status_code}"
            assert TOO_LARGE in response.text and german in response.text[:200].lower()
    assert await snapshot(database) == before


def test_the_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SELFCHECK_DATA_DIR", str(tmp_path))
    assert Settings.from_env().max_body_bytes == DEFAULT_MAX_BODY_BYTES
    monkeypatch.setenv("SELFCHECK_MAX_BODY_BYTES", "2048")
    assert Settings.from_env().max_body_bytes == 2048
    monkeypatch.setenv("SELFCHECK_MAX_BODY_BYTES", "viel")
    with pytest.raises(ValueError, match="SELFCHECK_MAX_BODY_BYTES"):
        Settings.from_env()


# --- Against the real server: bodies without Content-Length (chunked) -------------------


async def _chunks(total: int, size: int = 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        chunk = b"x" * min(size, total - sent)
        sent += len(chunk)
        yield chunk


async def test_a_chunked_upload_is_cut_off_at_the_limit_and_one_within_it_works(
    live_server: ServerProcess, towns: Towns, database: Database
) -> None:
    staff = f"/s/{towns.aheim.staff_token}"
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=10) as browser:
        await browser.get("/")
        token = browser.cookies["selfcheck_csrf"]
        before = await snapshot(database)
        # Even routes that never read their body (submitting the questionnaire) refuse.
        for url in [f"{staff}/abschliessen", "/abmelden", f"{staff}/antworten/MS-01"]:
            response = await browser.post(
                url,
                content=_chunks(DEFAULT_MAX_BODY_BYTES + 100_000, size=64 * 1024),
                headers={"x-csrftoken": token, "content-type": "application/octet-stream"},
            )
            assert response.request.headers.get("transfer-encoding") == "chunked"
            assert response.status_code == 413, url
            assert TOO_LARGE in response.text
        assert await snapshot(database) == before

        async def small_body() -> AsyncIterator[bytes]:
            yield b"value_MS-03=ja&comment_MS-03=st%C3%BCckweise&"
            yield b"version_MS-03=0"

        response = await browser.post(
            f"{staff}/antworten/MS-03",
            content=small_body(),
            headers={
                "x-csrftoken": token,
                "content-type": "application/x-www-form-urlencoded",
                "hx-request": "true",
            },
        )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 200, response.text
    async with database.reading() as session:
        stored = await session.scalar(
            select(Answer.comment).where(
                Answer.assessment_id == towns.aheim.assessment_id, Answer.question_id == "MS-03"
            )
        )
    assert stored == "stückweise"
