"""Cookies: HttpOnly, SameSite=Lax, Secure when SELFCHECK_SECURE_COOKIES is set.
Headers: a Content-Security-Policy without inline script on every response."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from httpx import Response
from litestar.testing import AsyncTestClient

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.settings import Settings
from tests.conftest import PASSWORD
from tests.helpers import Client, csrf_token, log_in, post_form
from tests.security.conftest import Towns

pytestmark = pytest.mark.usefixtures("sqlite_only")


@asynccontextmanager
async def _recording(settings: Settings, base_url: str) -> AsyncIterator[tuple[Client, list[str]]]:
    """A client that records every Set-Cookie header the app sends."""
    seen: list[str] = []

    async def record(response: Response) -> None:
        seen.extend(response.headers.get_list("set-cookie"))

    async with AsyncTestClient(app=create_app(settings), base_url=base_url) as client:
        client.event_hooks["response"].append(record)
        yield client, seen


async def _journey(client: Client, towns: Towns) -> None:
    """Everything that sets a cookie: CSRF, login session, flash message, participant."""
    await client.get("/")
    await log_in(client, "alice@aheim.example", PASSWORD)
    await post_form(client, "/abmelden")
    await post_form(client, f"/w/{towns.aheim.join_code}/beitreten", {"group": ""})


def _cookies(headers: list[str]) -> dict[str, list[SimpleCookie]]:
    by_name: dict[str, list[SimpleCookie]] = {}
    for header in headers:
        cookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            by_name.setdefault(name, []).append(cookie)
    return by_name


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
async def test_every_cookie_is_httponly_samesite_lax_and_secure_as_configured(
    settings: Settings, database: Database, towns: Towns, secure: bool
) -> None:
    base_url = "https://testserver.local" if secure else "http://testserver.local"
    async with _recording(replace(settings, secure_cookies=secure), base_url) as (client, seen):
        await _journey(client, towns)
    cookies = _cookies(seen)
    assert {"selfcheck_csrf", "selfcheck_session", f"selfcheck_p{towns.aheim.workshop_id}"} <= set(
        cookies
    )
    for name, sent in cookies.items():
        for cookie in sent:
            morsel = cookie[name]
            assert morsel["httponly"], f"{name} ohne HttpOnly"
            assert str(morsel["samesite"]).lower() == "lax", (
                f"{name}: SameSite={morsel['samesite']}"
            )
            assert bool(morsel["secure"]) is secure, f"{name}: Secure={morsel['secure']!r}"


def test_the_secure_cookies_setting_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SELFCHECK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SELFCHECK_SECURE_COOKIES", "true")
    assert Settings.from_env().secure_cookies is True
    monkeypatch.setenv("SELFCHECK_SECURE_COOKIES", "false")
    assert Settings.from_env().secure_cookies is False


def _policy(response: Response) -> dict[str, list[str]]:
    header = response.headers.get("content-security-policy", "")
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


async def _responses_of_every_kind(client: Client, towns: Towns) -> dict[str, Response]:
    staff = f"/s/{towns.aheim.staff_token}"
    return {
        "Seite": await client.get("/"),
        "Verwaltungsseite": await client.get(f"{staff}/felder/MS"),
        "JSON": await client.get(f"/api/staff/{towns.aheim.staff_token}/results"),
        "Datei": await client.get("/static/style.css"),
        "404": await client.get("/gibt-es-nicht"),
        "403": await client.post("/abmelden"),
        "Weiterleitung": await client.get("/moderation", follow_redirects=False),
        "htmx": await client.post(
            f"{staff}/antworten/MS-01",
            data={"value_MS-01": "ja", "version_MS-01": "0"},
            headers={"hx-request": "true", "x-csrftoken": await csrf_token(client)},
        ),
        "Schema": await client.get("/api/schema/openapi.json"),
    }


async def test_every_response_carries_a_policy_that_allows_no_inline_script(
    client: Client, towns: Towns
) -> None:
    for kind, response in (await _responses_of_every_kind(client, towns)).items():
        policy = _policy(response)
        assert policy.get("script-src") == ["'self'"], kind
        assert policy.get("style-src") == ["'self'"], kind
        assert policy.get("default-src") == ["'self'"], kind
        assert policy.get("frame-ancestors") == ["'none'"], kind
        assert policy.get("base-uri") == ["'self'"], kind
        assert policy.get("form-action") == ["'self'"], kind
        assert response.headers.get("x-content-type-options") == "nosniff", kind
        assert response.headers.get("x-frame-options") == "DENY", kind
        assert response.headers.get("referrer-policy") == "same-origin", kind


async def test_no_html_api_viewer_is_served_that_would_need_inline_script(client: Client) -> None:
    for viewer in ["swagger", "redoc", "elements", "rapidoc", "scalar"]:
        response = await client.get(f"/api/schema/{viewer}")
        assert response.status_code == 404, viewer
    assert (await client.get("/api/schema/openapi.json")).status_code == 200
