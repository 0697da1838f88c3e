from __future__ import annotations

import re

from sqlalchemy import select

from selfcheck.db.engine import Database
from selfcheck.db.models import Participant, Vote, WorkshopNote
from tests.helpers import Client, post_form
from tests.workshop.conftest import (
    KK_QUESTION_ROUND,
    VOTE_SAVED,
    LiveWorkshop,
    close_round,
    join,
    open_round,
    prepare_round,
    start_round,
    start_round_and_join,
    vote,
)


async def _votes(database: Database) -> dict[str, str]:
    async with database.reading() as session:
        rows = await session.execute(select(Vote))
        return {v.participant_id: v.value for v in rows.scalars()}


async def test_the_control_view_shows_join_code_address_and_qr_code(
    client: Client, workshop: LiveWorkshop
) -> None:
    page = await client.get(f"/moderation/workshops/{workshop.id}")
    assert page.status_code == 200
    assert f"/w/{workshop.code}" in page.text
    assert len(workshop.code) == 6
    qr = await client.get(f"/moderation/workshops/{workshop.id}/qr.svg")
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.lstrip().startswith("<svg")


async def test_a_participant_joins_anonymously_with_an_optional_group(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
    database: Database,
) -> None:
    page = await second_client.get(f"/w/{workshop.code.lower()}")
    assert page.status_code == 200  # any case is accepted
    assert "Keine Angabe" in page.text
    await join(second_client, workshop, "zivilgesellschaft")
    async with database.reading() as session:
        participant = (await session.execute(select(Participant))).scalar_one()
    assert participant.stakeholder_group == "zivilgesellschaft"
    assert len(participant.id) == 32
    waiting = await second_client.get(f"/w/{workshop.code}")
    assert "Gerade läuft keine Abstimmung" in waiting.text


async def test_a_participant_votes_in_a_mood_round_and_may_change_the_vote(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
    database: Database,
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    page = await second_client.get(f"/w/{workshop.code}")
    for field in ["Management und Steuerung", "Kommunikation und Konfliktmanagement"]:
        assert field in page.text
    for value in ("3", "2", "2"):  # changed, then sent again unchanged
        assert await vote(second_client, workshop, round_id, "MS", value) == VOTE_SAVED
    assert list((await _votes(database)).values()) == ["2"]
    again = await second_client.get(f"/w/{workshop.code}")
    assert 'value="2" checked' in again.text


async def test_a_field_round_shows_each_category_with_its_description(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
) -> None:
    await start_round_and_join(client, second_client, workshop, {"kind": "field", "field_id": "IO"})
    page = await second_client.get(f"/w/{workshop.code}")
    assert "Interkulturelle Öffnung und Antirassismus" in page.text
    assert page.text.count('class="choice-text"') == 4


async def test_a_question_round_uses_the_questionnaire_scale(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
    database: Database,
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop, KK_QUESTION_ROUND)
    page = await second_client.get(f"/w/{workshop.code}")
    assert "Ja, umgesetzt" in page.text and "Weiß nicht" in page.text
    assert await vote(second_client, workshop, round_id, "KK-03", "weiss_nicht") == VOTE_SAVED
    status, message = await vote(second_client, workshop, round_id, "KK-02", "ja")
    assert status == 422
    assert message == "Darüber wird in dieser Runde nicht abgestimmt."


async def test_votes_after_closing_are_refused_with_a_message_and_not_counted(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
    database: Database,
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    await vote(second_client, workshop, round_id, "MS", "1")
    await close_round(client, workshop, round_id)
    status, message = await vote(second_client, workshop, round_id, "MS", "4")
    assert status == 409
    assert message == "Diese Runde ist bereits geschlossen – Ihre Stimme wurde nicht gezählt."
    assert list((await _votes(database)).values()) == ["1"]


async def test_a_value_off_the_scale_is_refused(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
    database: Database,
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    assert (await vote(second_client, workshop, round_id, "MS", "7"))[0] == 422
    assert (await vote(second_client, workshop, 999_999, "MS", "1"))[0] == 404
    assert await _votes(database) == {}


async def test_voting_without_javascript_is_a_form_post_with_a_confirmation(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
    database: Database,
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    response = await post_form(
        second_client,
        f"/w/{workshop.code}/stimme",
        {"round_id": str(round_id), "item_key": "ZB", "value": "4"},
    )
    assert response.status_code == 200
    assert "Ihre Stimme ist gespeichert." in response.text
    assert list((await _votes(database)).values()) == ["4"]


async def test_a_vote_without_joining_first_is_refused(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
) -> None:
    round_id = await start_round(client, workshop)
    await second_client.get(f"/w/{workshop.code}")
    assert await vote(second_client, workshop, round_id, "MS", "1") == (
        404,
        "Bitte treten Sie dem Workshop zuerst bei.",
    )


async def test_a_wrong_join_code_gets_a_friendly_message(second_client: Client) -> None:
    response = await post_form(second_client, "/teilnehmen", {"code": "ZZZ-ZZZ"})
    assert response.status_code == 404
    assert "Zu diesem Code gibt es keinen Workshop." in response.text


async def test_totals_below_the_minimum_are_withheld_on_the_projector(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
) -> None:
    round_id = await start_round_and_join(client, second_client, workshop)
    await vote(second_client, workshop, round_id, "MS", "2")
    snapshot = (await client.get(f"/moderation/workshops/{workshop.id}/stand")).json()
    ms = next(item for item in snapshot["round"]["items"] if item["key"] == "MS")
    assert (ms["n"], ms["counts"], ms["suppressed"]) == (1, {}, True)  # minimum is 2 here
    assert ms["revealed"] is False  # the administration's view only after closing


async def test_the_phone_learns_about_round_changes_by_polling_too(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
) -> None:
    await join(second_client, workshop)
    assert (await second_client.get(f"/w/{workshop.code}/stand")).json() == {
        "round_id": None,
        "status": None,
    }
    round_id = await start_round(client, workshop)
    assert (await second_client.get(f"/w/{workshop.code}/stand")).json() == {
        "round_id": round_id,
        "status": "open",
    }
    fragment = await second_client.get(f"/w/{workshop.code}/runde")
    assert f'data-round="{round_id}"' in fragment.text


async def test_only_one_round_can_be_open(client: Client, workshop: LiveWorkshop) -> None:
    first = await prepare_round(client, workshop, {"kind": "mood"})
    second = await prepare_round(client, workshop, {"kind": "field", "field_id": "MS"})
    await open_round(client, workshop, first)
    response = await post_form(
        client, f"/moderation/workshops/{workshop.id}/runden/{second}/oeffnen"
    )
    assert response.status_code == 409
    assert "läuft noch" in response.text


async def test_small_group_notes_by_moderator_and_by_scribe_link(
    client: Client,
    second_client: Client,
    workshop: LiveWorkshop,
    database: Database,
) -> None:
    await post_form(
        client,
        f"/moderation/workshops/{workshop.id}/notizen",
        {"field_id": "EB", "kind": "strength", "text": "Aktiver Integrationsrat"},
    )
    issued = await post_form(client, f"/moderation/workshops/{workshop.id}/protokoll-link")
    scribe = re.search(
        r'id="scribe-link" class="copy-field" value="http://[^/]+(/protokoll/[^"]+)"', issued.text
    )
    assert scribe is not None
    page = await second_client.get(scribe.group(1))
    assert "Aktiver Integrationsrat" in page.text
    await post_form(
        second_client,
        scribe.group(1),
        {
            "field_id": "EB",
            "kind": "measure",
            "text": "Sprechstunde im Rathaus",
            "responsible": "Integrationsbüro",
            "timeframe": "2027",
        },
    )
    refused = await post_form(
        second_client, scribe.group(1), {"field_id": "EB", "kind": "need", "text": ""}
    )
    assert refused.status_code == 422
    async with database.reading() as session:
        notes = {
            (n.kind, n.text, n.responsible)
            for n in (await session.execute(select(WorkshopNote))).scalars()
        }
    assert notes == {
        ("strength", "Aktiver Integrationsrat", ""),
        ("measure", "Sprechstunde im Rathaus", "Integrationsbüro"),
    }
    assert (await second_client.get("/protokoll/" + "x" * 32)).status_code == 404


async def test_a_note_is_deleted_from_the_page_it_is_listed_on(
    client: Client, second_client: Client, workshop: LiveWorkshop, database: Database
) -> None:
    control = f"/moderation/workshops/{workshop.id}"
    issued = await post_form(client, f"{control}/protokoll-link")
    found = re.search(
        r'id="scribe-link" class="copy-field" value="http://[^/]+([^"]+)"', issued.text
    )
    assert found is not None
    scribe = found.group(1)
    note = {"field_id": "EB", "kind": "strength", "text": "Aktiver Integrationsrat"}
    for note_client, page, add in (
        (client, control, f"{control}/notizen"),
        (second_client, scribe, scribe),
    ):
        listed = await post_form(note_client, add, note)
        delete = re.search(rf'action="({re.escape(page)}[^"]*/loeschen)"', listed.text)
        assert delete is not None, listed.text[:500]
        back = await post_form(note_client, delete.group(1))
        assert back.url.path == page
        assert "Die Notiz ist gelöscht." in back.text
    async with database.reading() as session:
        assert (await session.execute(select(WorkshopNote))).first() is None


async def test_the_start_page_leads_into_the_workshop_with_the_code_in_any_form(
    client: Client, second_client: Client, workshop: LiveWorkshop
) -> None:
    start = await second_client.get("/")
    assert 'action="/teilnehmen"' in start.text and 'name="code"' in start.text
    assert "sechsstellig" not in start.text
    shown = f"{workshop.code[:3]}-{workshop.code[3:]}"
    for typed in (shown, shown.lower(), workshop.code.lower(), f" {shown} "):
        response = await second_client.get(
            "/teilnehmen", params={"code": typed}, follow_redirects=False
        )
        assert response.status_code in (302, 303), typed
        assert response.headers["location"] == f"/w/{workshop.code}"


async def test_the_start_page_code_field_explains_a_wrong_or_empty_code(
    second_client: Client,
) -> None:
    wrong = await second_client.get("/teilnehmen", params={"code": "ZZZ-ZZZ"})
    assert wrong.status_code == 404
    assert "Zu diesem Code gibt es keinen Workshop." in wrong.text
    assert 'value="ZZZ-ZZZ"' in wrong.text
    empty = await second_client.get("/teilnehmen", params={"code": " "})
    assert empty.status_code == 422
    assert "Bitte geben Sie den Code von der Leinwand ein." in empty.text
