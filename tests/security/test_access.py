"""Nobody reaches another municipality's data: not a moderator, not a staff or scribe link,
not a participant. Routes come from the app's own route table (see routes.py), so a new
route is covered the day it is added."""

from __future__ import annotations

import asyncio
from typing import Any

from httpx import Response
from sqlalchemy import select

from selfcheck.db.engine import Database
from selfcheck.db.models import (
    Answer,
    AnswerChange,
    Assessment,
    Measure,
    Round,
    RoundItem,
    StaffInvitation,
    Vote,
    Workshop,
    WorkshopNote,
)
from tests.conftest import PASSWORD, World
from tests.helpers import Client, csrf_token, log_in, post_form
from tests.security.conftest import Town, Towns
from tests.security.routes import Route, app_routes, snapshot

REQUEST_TIMEOUT = 10.0
# Form fields that make every form route do something if it is allowed to.
FORM = {
    "name": "Eindringling",
    "title": "Übernommen",
    "email": "alice@aheim.example",
    "value_MS-01": "ja",
    "comment_MS-01": "überschrieben",
    "version_MS-01": "1",
    "field_id": "MS",
    "kind": "strength",
    "text": "fremde Notiz",
    "round_id": "0",
    "item_key": "MS",
    "value": "1",
    "questionnaire": "weltoffene-kommune@1",
}


# A valid body for the JSON API's writing endpoints.
JSON_BODY = {"value": "ja", "base_version": 1, "comment": "überschrieben"}


async def _send(client: Client, route: Route, url: str) -> Response:
    body: dict[str, Any] = {}
    if route.method != "GET":
        body = {"json": JSON_BODY} if url.startswith("/api/") else {"data": FORM}
    request = client.request(
        route.method,
        url,
        headers={"x-csrftoken": await csrf_token(client)},
        follow_redirects=False,
        **body,
    )
    return await asyncio.wait_for(request, REQUEST_TIMEOUT)


async def _town_state(database: Database, town: Town) -> dict[str, Any]:
    """Everything of one town that a foreign request could change."""
    async with database.reading() as session:

        async def rows(statement: Any) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in await session.execute(statement)]

        return {
            "assessment": await rows(
                select(Assessment.status, Assessment.title).where(
                    Assessment.id == town.assessment_id
                )
            ),
            "answers": await rows(
                select(Answer.question_id, Answer.value, Answer.comment, Answer.version)
                .where(Answer.assessment_id == town.assessment_id)
                .order_by(Answer.question_id)
            ),
            "history": await rows(
                select(AnswerChange.id)
                .join(Answer)
                .where(Answer.assessment_id == town.assessment_id)
                .order_by(AnswerChange.id)
            ),
            "invitations": await rows(
                select(StaffInvitation.id, StaffInvitation.token_hash, StaffInvitation.revoked_at)
                .where(StaffInvitation.assessment_id == town.assessment_id)
                .order_by(StaffInvitation.id)
            ),
            "workshop": await rows(
                select(Workshop.title, Workshop.scribe_token_hash).where(
                    Workshop.id == town.workshop_id
                )
            ),
            "rounds": await rows(
                select(Round.id, Round.status)
                .where(Round.workshop_id == town.workshop_id)
                .order_by(Round.id)
            ),
            "votes": await rows(
                select(Vote.participant_id, Vote.value)
                .join(RoundItem, Vote.round_item_id == RoundItem.id)
                .join(Round, RoundItem.round_id == Round.id)
                .where(Round.workshop_id == town.workshop_id)
                .order_by(Vote.id)
            ),
            "measures": await rows(
                select(Measure.id, Measure.status, Measure.title, Measure.version)
                .where(Measure.assessment_id == town.assessment_id)
                .order_by(Measure.id)
            ),
            "notes": await rows(
                select(WorkshopNote.id, WorkshopNote.text)
                .where(WorkshopNote.workshop_id == town.workshop_id)
                .order_by(WorkshopNote.id)
            ),
        }


def _assert_reveals_nothing(route: Route, url: str, response: Response, other: Town) -> None:
    assert other.marker not in response.text, f"{route.method} {url} zeigt Daten von {other.name}"
    assert other.name not in response.text, f"{route.method} {url} nennt {other.name}"
    assert "Traceback" not in response.text


async def test_a_moderator_gets_404_on_every_route_with_an_id_of_another_municipality(
    client: Client, towns: Towns, database: Database
) -> None:
    routes = [r for r in app_routes(client.app) if r.is_moderated]
    assert len(routes) >= 20, "die Routentabelle sieht unvollständig aus"
    await log_in(client, "alice@aheim.example", PASSWORD)
    before = await snapshot(database)
    for route in routes:
        url = route.url(towns.bstadt.values())
        response = await _send(client, route, url)
        assert response.status_code == 404, f"{route.method} {url} -> {response.status_code}"
        _assert_reveals_nothing(route, url, response, towns.bstadt)
        if url.startswith("/api/"):
            assert response.json()["detail"].startswith("Diese Seite gibt es nicht")
    assert await snapshot(database) == before, "eine fremde Anfrage hat Daten verändert"


async def test_the_municipalitys_own_moderator_opens_the_same_pages(
    client: Client, towns: Towns
) -> None:
    """The counter-check: the 404s above come from the access rule, not from broken links."""
    await log_in(client, "bob@bstadt.example", PASSWORD)
    for route in app_routes(client.app):
        if route.method != "GET" or not route.is_moderated or route.is_stream:
            continue
        url = route.url(towns.bstadt.values())
        response = await _send(client, route, url)
        assert response.status_code == 200, f"{route.method} {url} -> {response.status_code}"


async def test_the_dashboard_lists_only_assigned_municipalities(
    client: Client, world: World
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get("/moderation")
    assert "Aheim" in page.text
    assert "Bstadt" not in page.text


async def test_an_admin_sees_every_municipality(client: Client, world: World) -> None:
    await log_in(client, "admin@example.org", PASSWORD)
    page = await client.get("/moderation")
    assert "Aheim" in page.text and "Bstadt" in page.text


async def test_only_admins_may_assign_moderators_even_in_their_own_municipality(
    client: Client, world: World
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    response = await post_form(
        client, f"/moderation/kommunen/{world.aheim.id}/moderation", {"email": "bob@bstadt.example"}
    )
    assert response.status_code == 404


async def test_the_api_answers_401_in_german_json_without_login(
    client: Client, world: World
) -> None:
    response = await client.get(f"/api/assessments/{world.aheim_assessment.id}/results")
    assert response.status_code == 401
    assert response.json()["detail"] == "Bitte melden Sie sich an."


async def test_anonymous_visitors_are_sent_to_the_login_on_every_route_with_an_id(
    client: Client, towns: Towns, database: Database
) -> None:
    before = await snapshot(database)
    for route in app_routes(client.app):
        if not route.is_moderated:
            continue
        url = route.url(towns.aheim.values())
        response = await _send(client, route, url)
        if url.startswith("/api/"):
            assert response.status_code == 401, f"{route.method} {url}"
        else:
            assert response.status_code in {302, 303, 401}, f"{route.method} {url}"
            assert response.status_code == 401 or response.headers["location"].startswith(
                "/anmelden"
            )
    assert await snapshot(database) == before


async def test_a_secret_link_of_one_municipality_never_reaches_the_other(
    client: Client, towns: Towns, database: Database
) -> None:
    """Aheim's staff and scribe links on every link route – also with Bstadt's ids in the
    rest of the path – show only Aheim's data and change nothing of Bstadt."""
    routes = [r for r in app_routes(client.app) if r.token_kind is not None]
    assert {r.token_kind for r in routes} >= {"staff", "scribe"}
    bstadt_before = await _town_state(database, towns.bstadt)
    # Reading first, then the writes, then the coordinator's "submit" last.
    for route in sorted(routes, key=lambda r: (r.method != "GET", "abschliessen" in r.path)):
        assert route.token_kind is not None
        values = {
            **towns.bstadt.values(),
            "token": towns.aheim.values(route.token_kind)["token"],
        }
        url = route.url(values)
        response = await _send(client, route, url)
        if route.owned_ids:
            assert response.status_code == 404, f"{route.method} {url} -> {response.status_code}"
        else:
            assert response.status_code < 500, f"{route.method} {url} -> {response.status_code}"
        _assert_reveals_nothing(route, url, response, towns.bstadt)
        if route.method == "GET" and not route.owned_ids:
            assert response.status_code == 200, f"{route.method} {url}"
        if route.is_html_page and not route.owned_ids:
            assert towns.aheim.name in response.text, f"{url} zeigt nicht die eigenen Daten"
    assert await _town_state(database, towns.bstadt) == bstadt_before


async def _link_routes(client: Client, kind: str) -> list[Route]:
    routes = [r for r in app_routes(client.app) if r.token_kind == kind]
    assert routes, f"keine Routen für {kind}-Links gefunden"
    return routes


async def _assert_link_is_dead(
    client: Client, town: Town, kind: str, token: str, database: Database
) -> None:
    before = await _town_state(database, town)
    for route in await _link_routes(client, kind):
        url = route.url({**town.values(), "token": token})
        response = await _send(client, route, url)
        assert response.status_code == 404, f"{route.method} {url} -> {response.status_code}"
        assert "Traceback" not in response.text
    assert await _town_state(database, town) == before


async def test_a_revoked_staff_link_stops_working_at_once_on_every_staff_route(
    client: Client, second_client: Client, towns: Towns, database: Database
) -> None:
    aheim = towns.aheim
    assert (await second_client.get(f"/s/{aheim.staff_token}")).status_code == 200
    await log_in(client, "alice@aheim.example", PASSWORD)
    revoked = await post_form(client, f"/moderation/einladungen/{aheim.invitation_id}/widerrufen")
    assert revoked.status_code == 200 and "widerrufen" in revoked.text
    # The staff member's browser, one request later:
    await _assert_link_is_dead(second_client, aheim, "staff", aheim.staff_token, database)


async def test_a_reissued_staff_link_replaces_the_old_one_on_every_staff_route(
    client: Client, second_client: Client, towns: Towns, database: Database
) -> None:
    aheim = towns.aheim
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await post_form(client, f"/moderation/einladungen/{aheim.invitation_id}/neu")
    assert page.status_code == 200
    await _assert_link_is_dead(second_client, aheim, "staff", aheim.staff_token, database)


async def test_a_replaced_scribe_link_stops_working_at_once_on_every_scribe_route(
    client: Client, second_client: Client, towns: Towns, database: Database
) -> None:
    aheim = towns.aheim
    assert (await second_client.get(f"/protokoll/{aheim.scribe_token}")).status_code == 200
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await post_form(client, f"/moderation/workshops/{aheim.workshop_id}/protokoll-link")
    assert page.status_code == 200 and "/protokoll/" in page.text
    await _assert_link_is_dead(second_client, aheim, "scribe", aheim.scribe_token, database)


async def test_a_participant_of_one_workshop_cannot_vote_in_another_with_its_id(
    client: Client, towns: Towns, database: Database
) -> None:
    aheim, bstadt = towns.aheim, towns.bstadt
    before = await _town_state(database, bstadt)
    # Aheim's participant id, presented under Bstadt's participant cookie.
    client.cookies.set(f"selfcheck_p{bstadt.workshop_id}", aheim.participant_id)
    page = await client.get(f"/w/{bstadt.join_code}")
    assert page.status_code == 200 and "beitreten" in page.text.lower()
    vote = await post_form(
        client,
        f"/w/{bstadt.join_code}/stimme",
        {"round_id": str(bstadt.round_id), "item_key": "MS", "value": "4"},
        headers={"accept": "application/json"},
    )
    assert vote.status_code == 404
    assert await _town_state(database, bstadt) == before
