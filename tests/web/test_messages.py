"""The one-time message after a form: shown on the page the redirect leads to, once, and as
text."""

from __future__ import annotations

from html import escape

from tests.assessments.conftest import StaffLinks
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form

SUBMITTED = "Der Fragebogen ist abgeschlossen. Vielen Dank!"


async def test_a_message_shows_once_on_the_page_after_the_redirect(
    client: Client, staff: StaffLinks
) -> None:
    sent = await post_form(client, f"{staff.anna}/abschliessen", follow_redirects=False)
    assert sent.status_code in {302, 303}
    next_page = await client.get(sent.headers["location"])
    assert next_page.text.count(SUBMITTED) == 1
    page_after = await client.get(sent.headers["location"])
    assert SUBMITTED not in page_after.text


async def test_a_page_without_messages_leaves_the_message_for_the_next_one(
    client: Client, staff: StaffLinks
) -> None:
    sent = await post_form(client, f"{staff.anna}/abschliessen", follow_redirects=False)
    results = await client.get(f"{staff.anna}/ergebnis")
    assert results.status_code == 200
    assert SUBMITTED not in results.text
    next_page = await client.get(sent.headers["location"])
    assert SUBMITTED in next_page.text


async def test_a_message_is_shown_as_text(client: Client, world: World) -> None:
    await log_in(client, "admin@example.org", PASSWORD)
    created = await post_form(client, "/moderation/kommunen", {"name": "<b>Cdorf</b>"})
    assert escape("Die Kommune „<b>Cdorf</b>“ ist angelegt.") in created.text
    assert "<b>Cdorf" not in created.text
