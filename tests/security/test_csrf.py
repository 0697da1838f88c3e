"""Every state-changing route refuses a request without the CSRF token – forms, htmx and
JSON alike – and changes nothing. The routes come from the app's route table."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpx import Response

from selfcheck.db.engine import Database
from selfcheck.web.limits import FORM_MEDIA_TYPE, JSON_MEDIA_TYPE
from tests.conftest import PASSWORD
from tests.helpers import Client, csrf_token, log_in
from tests.security.conftest import Towns
from tests.security.routes import Route, snapshot, unsafe_routes

pytestmark = pytest.mark.usefixtures("sqlite_only")

REFUSED = "Dafür fehlt Ihnen die Berechtigung."
NOT_SAVED = "Es wurde nichts gespeichert."
FORM = {"name": "Neu", "title": "Neu", "value_MS-01": "ja", "text": "Notiz", "field_id": "MS"}


def _url(route: Route, towns: Towns) -> str:
    return route.url(towns.aheim.values(route.token_kind))


async def _request(client: Client, route: Route, url: str, **kwargs: Any) -> Response:
    return await asyncio.wait_for(
        client.request(route.method, url, follow_redirects=False, **kwargs), 10
    )


async def test_every_state_changing_route_refuses_requests_without_the_csrf_token(
    client: Client, second_client: Client, towns: Towns, database: Database
) -> None:
    routes = unsafe_routes(client.app)
    assert len(routes) >= 25, "die Routentabelle sieht unvollständig aus"
    await log_in(client, "admin@example.org", PASSWORD)
    foreign_token = await csrf_token(second_client)  # valid, but another browser's
    before = await snapshot(database)
    for route in routes:
        url = _url(route, towns)
        attempts = {
            "Formular": await _request(client, route, url, data=FORM),
            "htmx": await _request(client, route, url, data=FORM, headers={"hx-request": "true"}),
            "JSON": await _request(client, route, url, json={"value": "ja", "base_version": 0}),
            "fremdes Token": await _request(
                client, route, url, data={**FORM, "_csrf_token": foreign_token}
            ),
        }
        for kind, response in attempts.items():
            # A body of the wrong media type is refused (415) before the token is looked at.
            sent = JSON_MEDIA_TYPE if kind == "JSON" else FORM_MEDIA_TYPE
            wrong_type = route.reads not in {None, sent}
            expected, message = (415, NOT_SAVED) if wrong_type else (403, REFUSED)
            assert response.status_code == expected, f"{kind}: {route.method} {url}"
            assert message in response.text, f"{kind}: {route.method} {url}: {response.text}"
        assert attempts["htmx"].text.startswith('<p class="status-error" role="alert">')
    assert await snapshot(database) == before, "eine Anfrage ohne Token hat Daten verändert"


async def test_with_the_csrf_token_the_same_requests_get_through(
    client: Client, towns: Towns
) -> None:
    """The counter-check: the 403s above come from the missing token, not from elsewhere."""
    await log_in(client, "admin@example.org", PASSWORD)
    token = await csrf_token(client)
    # Logging out and submitting last, so the other routes still find a session and open forms.
    ordered = sorted(
        unsafe_routes(client.app), key=lambda r: ("abmelden" in r.path, "abschliessen" in r.path)
    )
    for route in ordered:
        url = _url(route, towns)
        if url.startswith("/api/"):
            response = await _request(
                client,
                route,
                url,
                json={"value": "ja", "base_version": 1},
                headers={"x-csrftoken": token},
            )
        else:
            response = await _request(client, route, url, data={**FORM, "_csrf_token": token})
        assert response.status_code != 403, f"{route.method} {url}: {response.text[:300]}"


async def test_the_csrf_cookie_is_not_readable_by_scripts_but_pages_carry_the_token(
    client: Client, towns: Towns
) -> None:
    page = await client.get(f"/s/{towns.aheim.staff_token}/felder/MS")
    cookie = next(c for c in page.headers.get_list("set-cookie") if c.startswith("selfcheck_csrf="))
    assert "httponly" in cookie.lower()
    # htmx sends the token from the form (hx-params includes _csrf_token).
    assert f'name="_csrf_token" value="{client.cookies["selfcheck_csrf"]}"' in page.text
