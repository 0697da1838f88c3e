"""The phone's steps without JavaScript: one field or question per page (`?schritt=N`),
"Weiter" saves and moves on, and a summary at the end."""

from __future__ import annotations

import re

import pytest
from httpx import Response

from selfcheck.workshop.steps import current_step, first_sentence
from tests.helpers import Client, post_form
from tests.workshop.conftest import KK_QUESTION_ROUND, LiveWorkshop, start_round_and_join


def _shown_steps(html: str) -> list[str]:
    """The steps of the page that are not hidden."""
    return re.findall(r'<section class="step[^"]*" data-step="(\w+)">', html)


async def _weiter(
    phone: Client, workshop: LiveWorkshop, round_id: int, item: str, step: str, value: str = ""
) -> Response:
    """The form of one step sent with its "Weiter" button, as a browser without JS does."""
    form = {"round_id": str(round_id), "item_key": item, "weiter": step}
    if value:
        form["value"] = value
    return await post_form(phone, f"/w/{workshop.code}/stimme", form)


async def test_a_new_participant_starts_at_field_1_of_7(
    client: Client, second_client: Client, workshop: LiveWorkshop
) -> None:
    await start_round_and_join(client, second_client, workshop)
    page = await second_client.get(f"/w/{workshop.code}")
    assert _shown_steps(page.text) == ["1"]
    assert "Feld 1 von 7" in page.text


async def test_weiter_saves_the_vote_and_shows_the_next_field(
    client: Client, second_client: Client, workshop: LiveWorkshop
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    response = await _weiter(second_client, workshop, round_id, "MS", "2", value="2")
    assert str(response.url).endswith("?schritt=2")
    assert _shown_steps(response.text) == ["2"]
    assert "Ihre Stimme ist gespeichert." in response.text
    summary = await second_client.get(f"/w/{workshop.code}?schritt=fertig")
    assert _shown_steps(summary.text) == ["fertig"]
    assert "Fertig – danke!" in summary.text
    ms = re.search(r'data-summary="MS">.*?<strong[^>]*>([^<]+)<', summary.text, re.DOTALL)
    assert ms and ms.group(1).startswith("2 – ")


async def test_weiter_without_a_choice_skips_the_field_and_counts_nothing(
    client: Client, second_client: Client, workshop: LiveWorkshop
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    response = await _weiter(second_client, workshop, round_id, "MS", "2")
    assert _shown_steps(response.text) == ["2"]
    assert "Nicht gezählt" not in response.text
    state = await client.get(f"/moderation/workshops/{workshop.id}/stand")
    assert state.json()["round"]["voters"] == 0


async def test_a_question_round_goes_question_by_question_on_the_answer_scale(
    client: Client, second_client: Client, workshop: LiveWorkshop
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop, KK_QUESTION_ROUND)
    page = await second_client.get(f"/w/{workshop.code}")
    assert "Frage 1 von 2" in page.text and 'class="choice choice-answer-ja"' in page.text
    response = await _weiter(second_client, workshop, round_id, "KK-01", "2", value="weiss_nicht")
    assert "Frage 2 von 2" in response.text
    assert "Zur Übersicht" in response.text


@pytest.mark.parametrize(
    ("requested", "votes", "expected"),
    [
        (None, {}, "1"),
        (None, {"MS": "1"}, "2"),
        (None, {"MS": "1", "IO": "2"}, "fertig"),
        ("2", {"MS": "1", "IO": "2"}, "2"),
        ("9", {}, "1"),  # no such step: where the participant would be anyway
        ("fertig", {}, "fertig"),
    ],
)
def test_the_step_shown_is_the_one_asked_for_else_the_first_without_a_vote(
    requested: str | None, votes: dict[str, str], expected: str
) -> None:
    assert current_step(requested, ["MS", "IO"], votes) == expected


def test_a_card_shows_the_first_sentence_of_the_category_description() -> None:
    assert first_sentence("Vieles ist da. Nun geht es weiter.") == "Vieles ist da."
    assert first_sentence("Ohne Punkt") == "Ohne Punkt"
