"""The view across municipalities: page, JSON API and "Ihre Kommune im Vergleich"."""

from __future__ import annotations

import io
import zipfile

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form
from tests.peers.conftest import MOOD_ROOM, AddMunicipality

TOO_FEW = "Noch zu wenige Kommunen für einen Vergleich (mindestens 5)"
NAMES = [f"Geheimstadt {n}" for n in range(1, 7)]


async def _five_for_alice(world: World, add_municipality: AddMunicipality) -> list[Assessment]:
    return [await add_municipality(world.alice, name, workshop=MOOD_ROOM) for name in NAMES[:5]]


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


async def test_four_municipalities_are_too_few(
    client: Client, world: World, add_municipality: AddMunicipality
) -> None:
    for name in NAMES[:4]:
        await add_municipality(world.alice, name)
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get("/moderation/vergleich")
    assert page.status_code == 200
    assert page.text.count(TOO_FEW) == 14  # seven fields, administration and workshop
    api = (await client.get("/api/peers")).json()
    assert all(not f["administration"]["shown"] for f in api["fields"])
    assert all(f["administration"]["municipalities"] is None for f in api["fields"])


async def test_five_municipalities_show_the_distribution_without_naming_one(
    client: Client, world: World, add_municipality: AddMunicipality
) -> None:
    await _five_for_alice(world, add_municipality)
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get("/moderation/vergleich")
    assert page.text.count(TOO_FEW) == 5  # the workshops voted on MS and IO only
    api = (await client.get("/api/peers")).json()
    ms = next(f for f in api["fields"] if f["field_id"] == "MS")
    assert ms["administration"]["municipalities"] == 5
    assert [c["count"] for c in ms["administration"]["categories"]] == [0, 0, 0, 5, 0]
    assert [c["count"] for c in ms["workshop"]["categories"]] == [0, 5, 0, 0]
    for name in [*NAMES, "Aheim", "Bstadt"]:
        assert name not in page.text
        assert name not in str(api)
    assert "municipality_id" not in str(api)


async def test_open_assessments_other_versions_and_other_moderators_do_not_count(
    client: Client,
    world: World,
    registry: QuestionnaireRegistry,
    add_municipality: AddMunicipality,
) -> None:
    for name in NAMES[:4]:
        await add_municipality(world.alice, name)
    await add_municipality(world.alice, "Offenstadt", submitted=False)
    await add_municipality(
        world.alice, "Altstadt", questionnaire=registry.get("weltoffene-kommune", "2026.1")
    )
    for name in ["B1", "B2", "B3"]:
        await add_municipality(world.bob, name)
    await log_in(client, world.alice.email, PASSWORD)
    api = (await client.get("/api/peers")).json()
    assert not any(f["administration"]["shown"] for f in api["fields"])


async def test_an_admin_sees_every_municipality(
    client: Client, second_client: Client, world: World, add_municipality: AddMunicipality
) -> None:
    for name in NAMES[:3]:
        await add_municipality(world.alice, name)
    for name in NAMES[3:5]:
        await add_municipality(world.bob, name)
    await log_in(client, world.alice.email, PASSWORD)
    alice_view = (await client.get("/api/peers")).json()
    assert not alice_view["fields"][0]["administration"]["shown"]
    await log_in(second_client, world.admin.email, PASSWORD)
    admin_view = (await second_client.get("/api/peers")).json()
    assert admin_view["fields"][0]["administration"]["municipalities"] == 5


async def test_the_version_is_chosen_with_a_selector_and_an_unknown_one_is_refused(
    client: Client, world: World
) -> None:
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get("/moderation/vergleich", params={"version": "2026.1"})
    assert '<option value="2026.1" selected>' in page.text
    api = await client.get("/api/peers", params={"version": "2026.1"})
    assert api.json()["questionnaire_version"] == "2026.1"
    refused = await client.get("/moderation/vergleich", params={"version": "1999.9"})
    assert refused.status_code == 422
    assert "Die Fragebogen-Version „1999.9“ ist nicht installiert" in refused.text


async def test_the_start_page_links_the_comparison_for_admins(client: Client, world: World) -> None:
    await log_in(client, world.admin.email, PASSWORD)
    dashboard = await client.get("/moderation")
    assert 'href="/moderation/vergleich"' in dashboard.text


async def test_the_report_comparison_is_off_by_default(
    client: Client, world: World, database: Database, add_municipality: AddMunicipality
) -> None:
    await _five_for_alice(world, add_municipality)
    await log_in(client, world.alice.email, PASSWORD)
    report = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/bericht")
    assert "Vergleich in den Bericht aufnehmen" in report.text
    assert "Anteil der anderen Kommunen je Kategorie" not in report.text
    docx = await client.get(
        f"/moderation/selbstchecks/{world.aheim_assessment.id}/bericht/vergleichsbericht.docx"
    )
    assert "Ihre Kommune im Vergleich" not in _docx_text(docx.content)
    async with database.reading() as session:
        stored = await world.aheim_assessment_in(session)
        assert stored.peer_comparison_in_report is False


async def test_switched_on_the_report_shows_the_own_category_beside_the_others(
    client: Client, world: World, add_municipality: AddMunicipality
) -> None:
    own, *_ = await _five_for_alice(world, add_municipality)
    await add_municipality(world.alice, NAMES[5], workshop=MOOD_ROOM)
    await log_in(client, world.alice.email, PASSWORD)
    base = f"/moderation/selbstchecks/{own.id}/bericht"
    switched = await post_form(
        client,
        f"/moderation/vergleich/selbstchecks/{own.id}/im-bericht",
        {"enabled": "1"},
        follow_redirects=False,
    )
    assert switched.status_code in (302, 303)
    assert switched.headers["location"] == f"{base}#vergleich"
    report = await client.get(base)
    assert "Ihre Kommune im Vergleich" in report.text
    assert "Der Bericht zeigt jetzt" in report.text
    # The own category is marked in every administration row and in the workshop rows
    # of the two fields the rooms voted on.
    assert report.text.count("Kategorie Ihrer Kommune</span>") == 7 + 2
    docx = _docx_text((await client.get(f"{base}/vergleichsbericht.docx")).content)
    assert "Ihre Kommune im Vergleich" in docx
    assert "(5 Kommunen)" in docx  # the other five, itself excluded
    for name in NAMES[1:]:
        assert name not in report.text
        assert name not in docx
    switched_off = await post_form(
        client, f"/moderation/vergleich/selbstchecks/{own.id}/im-bericht"
    )
    assert switched_off.status_code == 200
    assert "Anteil der anderen Kommunen" not in (await client.get(base)).text


async def test_the_own_municipality_does_not_count_among_the_others(
    client: Client, world: World, add_municipality: AddMunicipality
) -> None:
    own, *_ = await _five_for_alice(world, add_municipality)
    await log_in(client, world.alice.email, PASSWORD)
    await post_form(
        client, f"/moderation/vergleich/selbstchecks/{own.id}/im-bericht", {"enabled": "1"}
    )
    report = await client.get(f"/moderation/selbstchecks/{own.id}/bericht")
    assert TOO_FEW in report.text  # four others


async def test_another_moderator_cannot_switch_a_report(client: Client, world: World) -> None:
    await log_in(client, world.bob.email, PASSWORD)
    response = await post_form(
        client,
        f"/moderation/vergleich/selbstchecks/{world.aheim_assessment.id}/im-bericht",
        {"enabled": "1"},
    )
    assert response.status_code == 404
