from __future__ import annotations

from selfcheck.db.engine import Database
from selfcheck.db.models import User
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form


async def test_moderator_pages_send_anonymous_visitors_to_the_login(client: Client) -> None:
    response = await client.get("/moderation", follow_redirects=False)
    assert response.status_code in {302, 303}
    assert response.headers["location"].startswith("/anmelden?weiter=")


async def test_login_with_the_right_password_opens_the_dashboard(
    client: Client, world: World
) -> None:
    response = await log_in(client, "Alice@Aheim.example ", PASSWORD)
    assert response.status_code == 200
    assert "Ihre Kommunen" in response.text
    assert "Aheim" in response.text


async def test_login_with_a_wrong_password_says_so_in_german(client: Client, world: World) -> None:
    response = await log_in(client, "alice@aheim.example", "falsch-falsch")
    assert response.status_code == 400
    assert "E-Mail-Adresse oder Passwort sind nicht korrekt." in response.text
    assert (await client.get("/moderation", follow_redirects=False)).status_code in {302, 303}


async def test_login_redirects_only_to_local_paths(client: Client, world: World) -> None:
    response = await post_form(
        client,
        "/anmelden",
        {"email": "alice@aheim.example", "password": PASSWORD, "weiter": "//evil.example/x"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/moderation"


async def test_logout_ends_the_session(client: Client, world: World) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    await post_form(client, "/abmelden")
    assert (await client.get("/moderation", follow_redirects=False)).status_code in {302, 303}


async def test_repeated_login_guessing_is_rate_limited(client: Client, world: World) -> None:
    statuses = [
        (await log_in(client, "bob@bstadt.example", f"falsch-{attempt}")).status_code
        for attempt in range(12)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]
    # Even the right password is refused while the limit holds.
    assert (await log_in(client, "bob@bstadt.example", PASSWORD)).status_code == 429


async def test_a_post_without_csrf_token_is_refused(client: Client, world: World) -> None:
    response = await client.post(
        "/anmelden", data={"email": "alice@aheim.example", "password": PASSWORD}
    )
    assert response.status_code == 403


async def test_session_cookie_is_httponly_and_samesite_lax(client: Client, world: World) -> None:
    response = await log_in(client, "alice@aheim.example", PASSWORD)
    cookies = (
        [h for h in response.history[0].headers.get_list("set-cookie")] if response.history else []
    )
    session_cookie = next(c for c in cookies if c.startswith("selfcheck_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie or "SameSite=Lax" in session_cookie


async def test_colleagues_behind_one_office_address_are_not_limited_by_their_logins(
    client: Client, database: Database, world: World, password_hash: str
) -> None:
    """Forty successful logins from one address (a town hall's proxy): the per-client limit
    of 30 counts only failed attempts."""
    emails = [f"kollegin-{n}@rathaus.example" for n in range(4)]
    async with database.writing() as session:
        session.add_all(
            User(email=e, password_hash=password_hash, role="moderator") for e in emails
        )
    statuses = [(await log_in(client, email, PASSWORD)).status_code for email in emails * 10]
    assert statuses == [200] * 40
