"""Trial runs (Probelauf) and deleting rounds and workshops, driven through the web pages
as a moderator and from phones."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.db.models import Round, Vote, Workshop
from selfcheck.settings import Settings
from tests.conftest import World
from tests.helpers import Client, post_form
from tests.workshop.conftest import VOTE_SAVED, LiveWorkshop, close_round, join, start_round, vote


@pytest.fixture
async def phone(settings: Settings, database: Database) -> Any:
    """One browser that becomes a new participant after `phone.cookies.clear()`."""
    async with AsyncTestClient(app=create_app(settings)) as other:
        yield other


async def _mood_round(
    client: Client, phone: Client, workshop: LiveWorkshop, ms_votes: list[str]
) -> int:
    """A Stimmungsbild in which each new participant rates MS with one of `ms_votes`."""
    round_id = await start_round(client, workshop)
    for value in ms_votes:
        phone.cookies.clear()
        await join(phone, workshop)
        assert await vote(phone, workshop, round_id, "MS", value) == VOTE_SAVED
    await close_round(client, workshop, round_id)
    return round_id


async def _mark_as_trial(
    client: Client, workshop: LiveWorkshop, round_id: int, trial: bool = True
) -> Response:
    """The moderator's "Probelauf" switch of one round, set or taken back."""
    return await post_form(
        client,
        f"/moderation/workshops/{workshop.id}/runden/{round_id}/probelauf",
        {"trial": "1" if trial else "0"},
    )


async def _workshop_views(client: Client, assessment_id: int) -> list[Any]:
    response = await client.get(f"/api/assessments/{assessment_id}/comparison")
    assert response.status_code == 200
    return [field["workshop"] for field in response.json()["fields"]]


async def test_a_trial_round_after_the_real_one_never_changes_the_comparison(
    client: Client, phone: Client, workshop: LiveWorkshop, world: World
) -> None:
    assessment_id = world.aheim_assessment.id
    await _mood_round(client, phone, workshop, ["3", "3", "3"])
    real = await _workshop_views(client, assessment_id)
    assert real[0]["overall"]["median"] == 3 and real[0]["overall"]["n"] == 3

    trial_id = await _mood_round(client, phone, workshop, ["1", "1"])
    assert (await _workshop_views(client, assessment_id))[0]["overall"]["n"] == 2  # counts now
    response = await _mark_as_trial(client, workshop, trial_id)
    assert response.status_code == 200
    assert "als Probelauf markiert" in response.text
    assert await _workshop_views(client, assessment_id) == real

    report = await client.get(f"/moderation/selbstchecks/{assessment_id}/bericht/")
    assert "1 Runde als Probelauf nicht gezählt" in report.text


async def test_a_trial_mark_set_by_mistake_can_be_taken_back(
    client: Client, phone: Client, workshop: LiveWorkshop, world: World
) -> None:
    round_id = await _mood_round(client, phone, workshop, ["2", "2"])
    await _mark_as_trial(client, workshop, round_id)
    assert (await _workshop_views(client, world.aheim_assessment.id))[0]["overall"] is None
    page = await _mark_as_trial(client, workshop, round_id, trial=False)
    assert "kein Probelauf mehr" in page.text
    assert (await _workshop_views(client, world.aheim_assessment.id))[0]["overall"]["n"] == 2


async def test_a_whole_trial_workshop_never_counts_and_the_pages_say_probelauf(
    client: Client, phone: Client, workshop: LiveWorkshop, world: World
) -> None:
    await _mood_round(client, phone, workshop, ["4", "4"])
    page = await post_form(client, f"/moderation/workshops/{workshop.id}/probelauf", {"trial": "1"})
    assert "Der ganze Workshop ist ein Probelauf" in page.text
    assert all(
        view["overall"] is None for view in await _workshop_views(client, world.aheim_assessment.id)
    )
    state = await client.get(f"/moderation/workshops/{workshop.id}/stand")
    assert state.json()["round"]["trial"] is True
    report = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/bericht/")
    assert "Probelauf, zählt nicht" in report.text


async def test_deleting_a_round_asks_once_and_then_removes_it_with_its_votes(
    client: Client, phone: Client, workshop: LiveWorkshop, database: Database
) -> None:
    round_id = await _mood_round(client, phone, workshop, ["1", "2"])
    url = f"/moderation/workshops/{workshop.id}/runden/{round_id}/loeschen"
    control = await client.get(f"/moderation/workshops/{workshop.id}")
    assert f'href="{url}"' in control.text  # a link to the question, no deletion yet
    question = await client.get(url)
    assert "ihre 2 abgegebenen Stimmen" in question.text
    assert f'action="{url}"' in question.text
    async with database.reading() as session:
        assert await session.get(Round, round_id) is not None
    done = await post_form(client, url)
    assert "ist gelöscht" in done.text
    async with database.reading() as session:
        assert await session.get(Round, round_id) is None
        assert await session.scalar(select(func.count(Vote.id))) == 0


async def test_an_open_round_cannot_be_deleted(
    client: Client, workshop: LiveWorkshop, database: Database
) -> None:
    round_id = await start_round(client, workshop)
    url = f"/moderation/workshops/{workshop.id}/runden/{round_id}/loeschen"
    assert "Bitte schließen Sie sie zuerst" in (await client.get(url)).text
    refused = await post_form(client, url)
    assert refused.status_code == 409
    async with database.reading() as session:
        assert await session.get(Round, round_id) is not None


async def test_deleting_a_workshop_asks_once_and_leads_back_to_the_assessment(
    client: Client, workshop: LiveWorkshop, database: Database, world: World
) -> None:
    url = f"/moderation/workshops/{workshop.id}/loeschen"
    assert "endgültig gelöscht" in (await client.get(url)).text
    done = await post_form(client, url)
    assert str(done.url).endswith(f"/moderation/selbstchecks/{world.aheim_assessment.id}")
    assert "Workshop Aheim“ ist gelöscht" in done.text
    async with database.reading() as session:
        assert await session.get(Workshop, workshop.id) is None


async def test_the_moderator_picks_which_closed_round_counts_for_a_field(
    client: Client, phone: Client, workshop: LiveWorkshop, world: World
) -> None:
    assessment_id = world.aheim_assessment.id
    first = await _mood_round(client, phone, workshop, ["3", "3"])
    await _mood_round(client, phone, workshop, ["1", "1", "1"])
    report_url = f"/moderation/selbstchecks/{assessment_id}/bericht/"
    assert 'name="round_id"' in (await client.get(report_url)).text  # two rounds to pick from

    picked = await post_form(
        client, f"{report_url}runde", {"field_id": "MS", "round_id": str(first)}
    )
    assert "zählt jetzt für dieses Handlungsfeld" in picked.text
    assert "(von der Moderation ausgewählt)" in picked.text
    views = await _workshop_views(client, assessment_id)
    assert (views[0]["overall"]["n"], views[0]["source"]["chosen"]) == (2, True)

    await post_form(client, f"{report_url}runde", {"field_id": "MS", "round_id": ""})
    assert (await _workshop_views(client, assessment_id))[0]["overall"]["n"] == 3


async def test_only_a_closed_round_that_is_no_trial_can_be_picked(
    client: Client, phone: Client, workshop: LiveWorkshop, world: World
) -> None:
    round_id = await _mood_round(client, phone, workshop, ["3", "3"])
    await _mark_as_trial(client, workshop, round_id)
    refused = await post_form(
        client,
        f"/moderation/selbstchecks/{world.aheim_assessment.id}/bericht/runde",
        {"field_id": "MS", "round_id": str(round_id)},
    )
    assert refused.status_code == 422
    assert "Es zählen nur geschlossene Runden ohne Probelauf" in refused.text
