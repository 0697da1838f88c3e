"""A moderator never sees or changes a municipality that is not assigned to them."""

from __future__ import annotations

import re

from litestar import Litestar

from selfcheck.actionplan import services as actionplan
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Round, WorkshopNote
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.workshop import services as workshops
from tests.conftest import PASSWORD, World
from tests.helpers import Client, csrf_token, log_in

PARAMETER = re.compile(r"\{(\w+):\w+\}")


def _protected_routes(app: Litestar) -> list[tuple[str, str]]:
    """Every (method, path) of the moderator area and the moderator API that takes an id."""
    routes: list[tuple[str, str]] = []
    for route in app.routes:
        if not route.path.startswith(("/moderation", "/api/assessments")):
            continue
        if not PARAMETER.search(route.path):
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            routes.append((str(method), route.path))
    return routes


async def test_every_moderator_route_answers_404_for_another_municipality(
    client: Client, world: World, database: Database, registry: QuestionnaireRegistry
) -> None:
    async with database.writing() as session:
        assessment = await session.get(Assessment, world.bstadt_assessment.id)
        assert assessment is not None
        bobs_invitation, _ = await invite(session, assessment, "Berta Bstadt")
        bobs_workshop = await workshops.create_workshop(session, assessment, "Workshop Bstadt")
        bobs_round = await workshops.create_round(session, bobs_workshop, registry.latest(), "mood")
        bobs_note = await workshops.add_note(
            session, bobs_workshop, registry.latest(), "MS", "strength", "Gute Vernetzung"
        )
        bobs_measure = await actionplan.create_measure(
            session, assessment, registry.latest(), MeasureInput(field_id="MS", title="Plan"),
            by="Bob",
        )  # fmt: skip
    ids = {
        "municipality_id": world.bstadt.id,
        "assessment_id": world.bstadt_assessment.id,
        "invitation_id": bobs_invitation.id,
        "workshop_id": bobs_workshop.id,
        "round_id": bobs_round.id,
        "note_id": bobs_note.id,
        "measure_id": bobs_measure.id,
        "question_id": "MS-01",
    }
    app = client.app
    routes = _protected_routes(app)
    assert len(routes) >= 10
    await log_in(client, "alice@aheim.example", PASSWORD)
    headers = {"x-csrftoken": await csrf_token(client)}
    for method, path in routes:
        url = PARAMETER.sub(lambda m: str(ids[m.group(1)]), path)
        response = await client.request(method, url, headers=headers, data={"name": "x"})
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
    # And nothing of Bstadt was changed on the way.
    async with database.reading() as session:
        unchanged = await session.get(Assessment, world.bstadt_assessment.id)
        assert unchanged is not None and unchanged.status == "open"
        assert (await session.get(Round, bobs_round.id)).status == "draft"  # type: ignore[union-attr]
        assert await session.get(WorkshopNote, bobs_note.id) is not None


async def test_the_same_routes_work_for_the_assigned_moderator(
    client: Client, world: World
) -> None:
    await log_in(client, "bob@bstadt.example", PASSWORD)
    response = await client.get(f"/moderation/selbstchecks/{world.bstadt_assessment.id}")
    assert response.status_code == 200
    api = await client.get(f"/api/assessments/{world.bstadt_assessment.id}/results")
    assert api.status_code == 200


async def test_the_dashboard_lists_only_assigned_municipalities(
    client: Client, world: World
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get("/moderation")
    assert "Aheim" in page.text
    assert "Bstadt" not in page.text


async def test_admin_sees_every_municipality(client: Client, world: World) -> None:
    await log_in(client, "admin@example.org", PASSWORD)
    page = await client.get("/moderation")
    assert "Aheim" in page.text and "Bstadt" in page.text


async def test_api_without_login_answers_401_in_json(client: Client, world: World) -> None:
    response = await client.get(f"/api/assessments/{world.aheim_assessment.id}/results")
    assert response.status_code == 401
    assert response.json()["detail"] == "Bitte melden Sie sich an."


async def test_only_admins_may_assign_moderators(client: Client, world: World) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    headers = {"x-csrftoken": await csrf_token(client)}
    response = await client.post(
        f"/moderation/kommunen/{world.aheim.id}/moderation",
        data={"email": "bob@bstadt.example"},
        headers=headers,
    )
    assert response.status_code == 404
