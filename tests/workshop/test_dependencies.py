"""The providers of selfcheck/workshop/dependencies.py: a handler gets only a round or note
of the workshop it was reached through, and every handler parameter is marked for
Litestar 3."""

from __future__ import annotations

import re
import warnings

from litestar.exceptions import LitestarDeprecationWarning
from litestar.handlers import HTTPRouteHandler
from sqlalchemy import func, select

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.db.models import WorkshopNote
from selfcheck.settings import Settings
from selfcheck.workshop.moderation_views import WorkshopModerationController
from selfcheck.workshop.notes_views import ScribeNotesController
from selfcheck.workshop.participant_views import ParticipantController
from selfcheck.workshop.trial_views import TrialController
from tests.conftest import World
from tests.helpers import Client, post_form
from tests.workshop.conftest import LiveWorkshop, create_workshop_via_pages, prepare_round

WORKSHOP_CONTROLLERS = (
    WorkshopModerationController,
    TrialController,
    ParticipantController,
    ScribeNotesController,
)


async def _note_count(database: Database) -> int:
    async with database.reading() as session:
        return await session.scalar(select(func.count(WorkshopNote.id))) or 0


async def _note_id(client: Client, workshop: LiveWorkshop) -> int:
    page = await post_form(
        client,
        f"/moderation/workshops/{workshop.id}/notizen",
        {"field_id": "EB", "kind": "strength", "text": "Aktiver Integrationsrat"},
    )
    found = re.search(rf"/moderation/workshops/{workshop.id}/notizen/(\d+)/loeschen", page.text)
    assert found, page.text[:500]
    return int(found.group(1))


async def test_a_note_of_another_workshop_is_not_found_through_this_workshop(
    client: Client, workshop: LiveWorkshop, world: World, database: Database
) -> None:
    other = await create_workshop_via_pages(client, world.aheim_assessment.id)
    note_id = await _note_id(client, other)
    wrong = await post_form(
        client, f"/moderation/workshops/{workshop.id}/notizen/{note_id}/loeschen"
    )
    assert wrong.status_code == 404
    assert await _note_count(database) == 1


async def test_a_round_of_another_workshop_is_not_opened_through_this_workshop(
    client: Client, workshop: LiveWorkshop, world: World
) -> None:
    other = await create_workshop_via_pages(client, world.aheim_assessment.id)
    round_id = await prepare_round(client, other, {"kind": "mood"})
    wrong = await post_form(
        client, f"/moderation/workshops/{workshop.id}/runden/{round_id}/oeffnen"
    )
    assert wrong.status_code == 404
    page = await client.get(f"/moderation/workshops/{other.id}")
    assert "vorbereitet" in page.text


async def test_a_scribe_link_deletes_only_notes_of_its_own_workshop(
    client: Client, second_client: Client, workshop: LiveWorkshop, world: World, database: Database
) -> None:
    other = await create_workshop_via_pages(client, world.aheim_assessment.id)
    note_id = await _note_id(client, other)
    issued = await post_form(client, f"/moderation/workshops/{workshop.id}/protokoll-link")
    scribe = re.search(r'value="http://[^/]+(/protokoll/[^"]+)"', issued.text)
    assert scribe is not None
    wrong = await post_form(second_client, f"{scribe.group(1)}/{note_id}/loeschen")
    assert wrong.status_code == 404
    assert await _note_count(database) == 1


def test_no_workshop_handler_relies_on_inferred_parameters(settings: Settings) -> None:
    names = {
        route.name
        for controller in WORKSHOP_CONTROLLERS
        for route in vars(controller).values()
        if isinstance(route, HTTPRouteHandler)
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        create_app(settings)
    ours = [
        str(w.message)
        for w in caught
        if issubclass(w.category, LitestarDeprecationWarning)
        and any(f"handler='{name}'" in str(w.message) for name in names)
        # `current_user` is provided by selfcheck.accounts, marked on its own branch.
        and "dependencies='current_user" not in str(w.message)
    ]
    assert ours == []
