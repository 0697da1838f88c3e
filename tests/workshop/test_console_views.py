"""The moderator's console and projector: public address, reopening, hiding results."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.settings import Settings
from selfcheck.workshop.moderation_views import qr_svg
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form
from tests.workshop.conftest import (
    VOTE_SAVED,
    LiveWorkshop,
    close_round,
    join,
    log_in_and_create_workshop,
    open_round,
    prepare_round,
    start_round,
    start_round_and_join,
    vote,
)

PUBLIC_URL = "https://selbstcheck.aheim.example"


@pytest.fixture
async def public_client(settings: Settings, database: Database) -> AsyncIterator[Client]:
    """A server configured with SELFCHECK_PUBLIC_URL, reached under another address."""
    configured = dataclasses.replace(settings, public_url=PUBLIC_URL)
    async with AsyncTestClient(
        app=create_app(configured), base_url="http://127.0.0.1:8000"
    ) as client:
        yield client


@pytest.fixture
async def loopback_client(settings: Settings, database: Database) -> AsyncIterator[Client]:
    """A moderator who opened the server at 127.0.0.1, as after `make run`."""
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1:8000") as c:
        yield c


async def test_join_link_qr_code_and_scribe_link_use_the_public_address(
    public_client: Client, world: World
) -> None:
    workshop = await log_in_and_create_workshop(public_client, world.aheim_assessment.id)
    page = await public_client.get(f"/moderation/workshops/{workshop.id}")
    assert f'value="{PUBLIC_URL}/w/{workshop.code}"' in page.text
    assert "127.0.0.1" not in page.text
    assert "Handys erreichen diese Adresse nicht" not in page.text
    projector = await public_client.get(f"/moderation/workshops/{workshop.id}/leinwand")
    assert "selbstcheck.aheim.example</strong>" in projector.text
    qr = await public_client.get(f"/moderation/workshops/{workshop.id}/qr.svg")
    assert qr.content == qr_svg(f"{PUBLIC_URL}/w/{workshop.code}")
    scribe = await post_form(public_client, f"/moderation/workshops/{workshop.id}/protokoll-link")
    assert re.search(rf'value="{re.escape(PUBLIC_URL)}/protokoll/[\w-]+"', scribe.text)


async def test_invitation_links_use_the_public_address(public_client: Client, world: World) -> None:
    await log_in(public_client, "alice@aheim.example", PASSWORD)
    page = await post_form(
        public_client,
        f"/moderation/selbstchecks/{world.aheim_assessment.id}/einladungen",
        {"name": "Anna Amt"},
    )
    assert re.search(rf'value="{re.escape(PUBLIC_URL)}/s/[\w-]+"', page.text)
    assert "mailto:?subject=" in page.text


async def test_without_a_public_address_a_loopback_address_is_warned_about(
    loopback_client: Client, world: World
) -> None:
    workshop = await log_in_and_create_workshop(loopback_client, world.aheim_assessment.id)
    page = await loopback_client.get(f"/moderation/workshops/{workshop.id}")
    assert "Handys erreichen diese Adresse nicht" in page.text
    assert "SELFCHECK_PUBLIC_URL" in page.text


async def test_a_reachable_address_gets_no_warning(client: Client, workshop: LiveWorkshop) -> None:
    page = await client.get(f"/moderation/workshops/{workshop.id}")
    assert "Handys erreichen diese Adresse nicht" not in page.text


async def test_a_closed_round_is_reopened_with_its_votes_and_the_reopening_is_listed(
    client: Client, second_client: Client, workshop: LiveWorkshop
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    await vote(second_client, workshop, round_id, "MS", "3")
    await close_round(client, workshop, round_id)
    page = await post_form(
        client, f"/moderation/workshops/{workshop.id}/runden/{round_id}/wieder-oeffnen"
    )
    assert "ist wieder geöffnet; die bisherigen Stimmen zählen" in page.text
    assert "Wieder geöffnete Runden" in page.text
    assert "von alice@aheim.example" in page.text
    state = (await client.get(f"/moderation/workshops/{workshop.id}/stand")).json()
    assert state["round"]["status"] == "open"
    assert state["round"]["voters"] == 1
    assert await vote(second_client, workshop, round_id, "MS", "2") == VOTE_SAVED


async def test_the_console_bar_offers_what_fits_the_round(
    client: Client, workshop: LiveWorkshop
) -> None:
    first = await prepare_round(client, workshop, {"kind": "mood"})
    second = await prepare_round(client, workshop, {"kind": "field", "field_id": "ZB"})
    bar = _console(await client.get(f"/moderation/workshops/{workshop.id}"))
    assert f"/runden/{first}/oeffnen" in bar and f"/runden/{first}/schliessen" not in bar
    await open_round(client, workshop, first)
    bar = _console(await client.get(f"/moderation/workshops/{workshop.id}"))
    assert f"/runden/{first}/schliessen" in bar and "Ja, schließen" in bar
    assert f"/runden/{second}/oeffnen" not in bar
    await close_round(client, workshop, first)
    bar = _console(await client.get(f"/moderation/workshops/{workshop.id}"))
    assert f"/runden/{second}/oeffnen" in bar and "Nächste Runde" in bar
    assert f"/runden/{first}/wieder-oeffnen" in bar
    assert 'data-shortcut="n"' in bar and 'aria-keyshortcuts="W"' in bar


def _console(page: object) -> str:
    text: str = page.text  # type: ignore[attr-defined]
    start = text.index('<section class="console"')
    return text[start : text.index("</section>", start)]


async def test_hidden_results_leave_only_the_vote_count_on_the_projector(
    client: Client, second_client: Client, workshop: LiveWorkshop
) -> None:
    round_id = await start_round(client, workshop)
    for phone in (client, second_client):  # two votes: the workshop's minimum
        await join(phone, workshop)
        await vote(phone, workshop, round_id, "MS", "3")
    projector_state = f"/moderation/workshops/{workshop.id}/leinwand/stand"
    control_state = f"/moderation/workshops/{workshop.id}/stand"
    hide = await post_form(
        client, f"/moderation/workshops/{workshop.id}/leinwand/ergebnisse", {"hidden": "1"}
    )
    assert "Ergebnisse zeigen" in hide.text
    hidden = (await client.get(projector_state)).json()
    assert hidden["results_hidden"] is True
    ms = hidden["round"]["items"][0]
    assert (ms["n"], ms["counts"], ms["median"]) == (2, {}, None)
    # The moderator still sees everything.
    assert (await client.get(control_state)).json()["round"]["items"][0]["counts"] == {"3": 2}
    await post_form(
        client, f"/moderation/workshops/{workshop.id}/leinwand/ergebnisse", {"hidden": "0"}
    )
    shown = (await client.get(projector_state)).json()
    assert shown["results_hidden"] is False
    assert shown["round"]["items"][0]["counts"] == {"3": 2}


async def test_hiding_results_needs_a_clear_choice(client: Client, workshop: LiveWorkshop) -> None:
    response = await post_form(
        client, f"/moderation/workshops/{workshop.id}/leinwand/ergebnisse", {"hidden": "vielleicht"}
    )
    assert response.status_code == 422
    assert "Ergebnisse verbergen" in response.text
