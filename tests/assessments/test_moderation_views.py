from __future__ import annotations

import re

from httpx import Response
from sqlalchemy import select

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Municipality, StaffInvitation
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form

LINK = re.compile(r'value="(http://[^"]+/s/([A-Za-z0-9_\-]+))"')


async def _alice_invites(client: Client, world: World, form: dict[str, str]) -> Response:
    """Alice logs in and sends the invitation form of Aheim's assessment."""
    await log_in(client, "alice@aheim.example", PASSWORD)
    url = f"/moderation/selbstchecks/{world.aheim_assessment.id}/einladungen"
    return await post_form(client, url, form)


async def test_moderator_creates_a_municipality_and_is_assigned_to_it(
    client: Client, world: World, database: Database
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    response = await post_form(
        client,
        "/moderation/kommunen",
        {"name": "Cdorf", "official_key": "09162000", "population": "1.500"},
    )
    assert response.status_code == 200
    assert "Die Kommune „Cdorf“ ist angelegt." in response.text
    async with database.reading() as session:
        cdorf = (
            await session.execute(select(Municipality).where(Municipality.name == "Cdorf"))
        ).scalar_one()
        await session.refresh(cdorf, ["moderators"])
    assert (cdorf.official_key, cdorf.population) == ("09162000", 1500)
    assert [m.email for m in cdorf.moderators] == ["alice@aheim.example"]


async def test_a_bad_official_key_is_explained_and_the_form_keeps_the_input(
    client: Client, world: World
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    response = await post_form(
        client, "/moderation/kommunen", {"name": "Cdorf", "official_key": "12AB"}
    )
    assert response.status_code == 422
    assert "Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern." in response.text
    assert 'value="Cdorf"' in response.text


async def test_moderator_creates_an_assessment_pinned_to_the_questionnaire_version(
    client: Client, world: World, database: Database
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/kommunen/{world.aheim.id}")
    option = re.search(r'<option value="([^"]+)"', page.text)
    assert option is not None
    response = await post_form(
        client,
        f"/moderation/kommunen/{world.aheim.id}/selbstchecks",
        {"title": "Selbstcheck 2027", "questionnaire": option.group(1)},
    )
    assert response.status_code == 200
    assert "Selbstcheck 2027" in response.text
    async with database.reading() as session:
        newest = (
            await session.execute(select(Assessment).where(Assessment.title == "Selbstcheck 2027"))
        ).scalar_one()
    assert f"{newest.questionnaire_id}@{newest.questionnaire_version}" == option.group(1)


async def test_a_new_assessment_offers_the_newest_questionnaire_version_preselected(
    client: Client, world: World, registry: QuestionnaireRegistry
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/kommunen/{world.aheim.id}")
    options = re.findall(r'<option value="([^"]+)"( selected)?', page.text)
    newest = registry.latest()
    assert options[0] == (f"{newest.id}@{newest.version}", " selected")
    assert len(options) == len(registry.all())  # older versions stay selectable
    assert [selected for _, selected in options].count(" selected") == 1


async def test_the_newest_assessment_is_listed_first_as_current(
    client: Client, world: World
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/kommunen/{world.aheim.id}")
    assert "aktuell" in page.text


async def test_an_invitation_shows_its_link_once_and_the_link_opens_the_assessment(
    client: Client, world: World, database: Database
) -> None:
    response = await _alice_invites(client, world, {"name": "Anna Amt", "department": "Sozialamt"})
    match = LINK.search(response.text)
    assert match is not None
    token = match.group(2)
    assert len(token) >= 22  # at least 128 bits in URL-safe base64
    async with database.reading() as session:
        stored = (await session.execute(select(StaffInvitation))).scalar_one()
    assert token not in stored.token_hash  # only a hash is stored
    page = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}")
    assert token not in page.text
    staff = await client.get(f"/s/{token}")
    assert staff.status_code == 200
    assert "Willkommen, Anna Amt" in staff.text


async def test_revoking_a_link_stops_it_at_once_and_reissuing_gives_a_new_one(
    client: Client, world: World
) -> None:
    created = await _alice_invites(client, world, {"name": "Anna Amt"})
    old = LINK.search(created.text)
    assert old is not None
    invitation_id = re.search(r"/moderation/einladungen/(\d+)/widerrufen", created.text)
    assert invitation_id is not None
    await post_form(client, f"/moderation/einladungen/{invitation_id.group(1)}/widerrufen")
    assert (await client.get(f"/s/{old.group(2)}")).status_code == 404
    reissued = await post_form(client, f"/moderation/einladungen/{invitation_id.group(1)}/neu")
    new = LINK.search(reissued.text)
    assert new is not None and new.group(2) != old.group(2)
    assert (await client.get(f"/s/{new.group(2)}")).status_code == 200
    assert (await client.get(f"/s/{old.group(2)}")).status_code == 404


async def test_an_expiry_date_in_the_past_is_refused(client: Client, world: World) -> None:
    response = await _alice_invites(client, world, {"name": "Anna Amt", "expires_on": "2001-01-01"})
    assert response.status_code == 422
    assert "Das Ablaufdatum muss in der Zukunft liegen." in response.text


async def test_moderator_submits_and_reopens_the_questionnaire(
    client: Client, world: World, database: Database
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    url = f"/moderation/selbstchecks/{world.aheim_assessment.id}"
    submitted = await post_form(client, f"{url}/abschliessen")
    assert "Der Fragebogen ist abgeschlossen" in submitted.text
    again = await post_form(client, f"{url}/abschliessen")
    assert again.status_code == 409
    reopened = await post_form(client, f"{url}/wieder-oeffnen")
    assert reopened.url.path == submitted.url.path == url
    assert "Der Fragebogen ist wieder geöffnet." in reopened.text
    async with database.reading() as session:
        assessment = await world.aheim_assessment_in(session)
    assert assessment.status == "open"


async def test_admin_assigns_a_moderator_to_a_municipality(client: Client, world: World) -> None:
    await log_in(client, "admin@example.org", PASSWORD)
    assigned = await post_form(
        client,
        f"/moderation/kommunen/{world.bstadt.id}/moderation",
        {"email": "alice@aheim.example"},
    )
    assert assigned.url.path == f"/moderation/kommunen/{world.bstadt.id}"
    assert f"alice@aheim.example betreut jetzt „{world.bstadt.name}“." in assigned.text
    await post_form(client, "/abmelden")
    await log_in(client, "alice@aheim.example", PASSWORD)
    assert (await client.get(f"/moderation/kommunen/{world.bstadt.id}")).status_code == 200


async def test_moderator_result_page_shows_all_seven_fields(client: Client, world: World) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    response = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/ergebnis")
    assert response.status_code == 200
    assert response.text.count('class="field-result"') == 7
