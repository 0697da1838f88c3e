"""The action plan's pages, driven like a browser."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from selfcheck.actionplan import services
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.assessments.answers import save_answer
from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Measure, MeasureStatusChange, Workshop, WorkshopNote
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.settings import Settings
from selfcheck.vocabulary import MeasureStatus
from selfcheck.workshop.notes import add_note
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form


@pytest.fixture
def no_cyclic_gc() -> Iterator[None]:
    """Without the cyclic garbage collector a transaction left open stays open: a test then
    sees it instead of racing the collector (as in tests/web/test_transactions.py)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def _measure(
    database: Database,
    world: World,
    questionnaire: Questionnaire,
    *,
    assessment_id: int | None = None,
    **values: object,
) -> int:
    """A measure in Aheim's assessment unless another is named."""
    async with database.writing() as session:
        assessment = await session.get(Assessment, assessment_id or world.aheim_assessment.id)
        assert assessment is not None
        entry = MeasureInput(**{"field_id": "MS", "title": "Leitbild", **values})  # type: ignore[arg-type]
        measure = await services.create_measure(session, assessment, questionnaire, entry, by="M")
        return measure.id


async def _invitation(database: Database, world: World, *, allowed: bool) -> str:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        invitation, token = await invite(session, assessment, "Sara Sommer", "Sozialamt")
        invitation.may_update_measures = allowed
        return token


async def test_the_moderator_adopts_a_workshop_measure_with_one_click(
    client: Client, world: World, measure_note: int, database: Database
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    url = (
        f"/moderation/selbstchecks/{world.aheim_assessment.id}/massnahmen/aus-notiz/{measure_note}"
    )
    page = await post_form(client, url)
    assert page.status_code == 200
    assert "in den Maßnahmenplan übernommen" in page.text
    plan = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/massnahmen")
    assert "Leitbild im Rat beschließen." in plan.text and "im Plan" in plan.text


async def test_the_moderator_adopts_a_next_step_from_the_results_page(
    client: Client, world: World, database: Database, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        await save_answer(
            session, assessment, questionnaire, question_id="MS-01", value="teilweise",
            comment="", base_version=0, editor="Hauptamt",
        )  # fmt: skip
    await log_in(client, "alice@aheim.example", PASSWORD)
    assessment_id = world.aheim_assessment.id
    results = await client.get(f"/moderation/selbstchecks/{assessment_id}/ergebnis")
    action = f"/moderation/selbstchecks/{assessment_id}/massnahmen/aus-frage/MS-01"
    assert action in results.text
    page = await post_form(client, action)
    assert page.status_code == 200 and "Legen Sie dem Rat" in page.text
    unknown = await post_form(
        client, f"/moderation/selbstchecks/{assessment_id}/massnahmen/aus-frage/XX-99"
    )
    assert unknown.status_code == 422 and "Frage „XX-99“ gibt es" in unknown.text


async def test_a_new_measure_for_an_unknown_field_gets_a_german_message_and_keeps_the_input(
    client: Client, world: World
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await post_form(
        client,
        f"/moderation/selbstchecks/{world.aheim_assessment.id}/massnahmen",
        {"field_id": "XX", "title": "Mein Titel", "deadline": "2027-02"},
    )
    assert page.status_code == 422
    assert "Handlungsfeld „XX“ gibt es" in page.text and "Mein Titel" in page.text


async def test_an_overdue_measure_is_marked_on_the_plan(
    client: Client, world: World, database: Database, questionnaire: Questionnaire
) -> None:
    await _measure(database, world, questionnaire, title="Alt", deadline=date(2020, 1, 1))
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/massnahmen")
    assert "überfällig" in page.text and "Januar 2020" in page.text


async def test_a_status_change_with_reason_shows_in_the_history(
    client: Client, world: World, database: Database, questionnaire: Questionnaire
) -> None:
    measure_id = await _measure(database, world, questionnaire)
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await post_form(
        client,
        f"/moderation/massnahmen/{measure_id}/stand",
        {"status": "in_progress", "reason": "Auftrag erteilt", "version": "1"},
    )
    assert page.status_code == 200
    assert "Auftrag erteilt" in page.text and "Moderation (alice@aheim.example)" in page.text
    filtered = await client.get(
        f"/moderation/selbstchecks/{world.aheim_assessment.id}/massnahmen?stand=done"
    )
    assert "Keine Maßnahme hat den Stand „umgesetzt“" in filtered.text


async def test_staff_update_their_departments_measures_when_allowed(
    client: Client, world: World, database: Database, questionnaire: Questionnaire
) -> None:
    mine = await _measure(database, world, questionnaire, title="Beratung", responsible="sozialamt")
    other = await _measure(database, world, questionnaire, title="Leitbild", responsible="Hauptamt")
    token = await _invitation(database, world, allowed=True)
    page = await client.get(f"/s/{token}/massnahmen")
    assert "Maßnahmen Ihres Bereichs" in page.text
    assert f"/s/{token}/massnahmen/{mine}/stand" in page.text
    assert f"/s/{token}/massnahmen/{other}/stand" not in page.text
    saved = await post_form(
        client, f"/s/{token}/massnahmen/{mine}/stand",
        {"status": "done", "reason": "Läuft seit März", "version": "1"},
    )  # fmt: skip
    assert saved.status_code == 200 and "ist gespeichert" in saved.text
    refused = await post_form(
        client, f"/s/{token}/massnahmen/{other}/stand", {"status": "done", "version": "1"}
    )
    assert refused.status_code == 403 and "nicht Ihrem Bereich zugeordnet" in refused.text
    async with database.reading() as session:
        changes = await session.scalars(
            select(MeasureStatusChange.changed_by).where(MeasureStatusChange.measure_id == mine)
        )
        assert "Sara Sommer (Sozialamt)" in list(changes)
        assert (await session.get(Measure, other)).status == MeasureStatus.PLANNED  # type: ignore[union-attr]


async def test_staff_without_permission_are_refused_clearly(
    client: Client, world: World, database: Database, questionnaire: Questionnaire
) -> None:
    mine = await _measure(database, world, questionnaire, responsible="Sozialamt")
    token = await _invitation(database, world, allowed=False)
    page = await client.get(f"/s/{token}/massnahmen")
    assert page.status_code == 200 and "nicht für Änderungen am Maßnahmenplan" in page.text
    refused = await post_form(
        client, f"/s/{token}/massnahmen/{mine}/stand", {"status": "done", "version": "1"}
    )
    assert refused.status_code == 403 and "nicht für Änderungen" in refused.text


async def test_staff_are_refused_other_measures_and_the_refusal_frees_the_write_turn(
    client: Client,
    world: World,
    database: Database,
    questionnaire: Questionnaire,
    no_cyclic_gc: None,
) -> None:
    mine = await _measure(database, world, questionnaire, responsible="Sozialamt")
    other_department = await _measure(database, world, questionnaire, responsible="Hauptamt")
    other_assessment = await _measure(
        database, world, questionnaire, assessment_id=world.bstadt_assessment.id,
        responsible="Sozialamt",
    )  # fmt: skip
    token = await _invitation(database, world, allowed=True)
    refusals = {
        other_department: (403, "nicht Ihrem Bereich zugeordnet"),
        other_assessment: (404, "Diese Maßnahme gibt es (nicht mehr) im Maßnahmenplan."),
        999_999: (404, "Diese Maßnahme gibt es (nicht mehr) im Maßnahmenplan."),
    }
    for measure_id, (status_code, message) in refusals.items():
        refused = await post_form(
            client, f"/s/{token}/massnahmen/{measure_id}/stand", {"status": "done", "version": "1"}
        )
        assert refused.status_code == status_code and message in refused.text
        # The provider refused after the write transaction began; it ended with the request.
        assert not client.app.state.database.write_turn_taken()
    own = post_form(client, f"/s/{token}/massnahmen/{mine}/stand", {"status": "done"})
    saved = await asyncio.wait_for(own, timeout=5)
    assert saved.status_code == 200 and "ist gespeichert" in saved.text
    async with database.reading() as session:
        untouched = [await session.get(Measure, m) for m in (other_department, other_assessment)]
        assert [m.status for m in untouched if m] == [MeasureStatus.PLANNED] * 2


async def test_pseudonymous_history_names_only_the_department(
    settings: Settings, database: Database, world: World, questionnaire: Questionnaire
) -> None:
    from dataclasses import replace

    from litestar.testing import AsyncTestClient

    from selfcheck.app import create_app

    mine = await _measure(database, world, questionnaire, responsible="Sozialamt")
    token = await _invitation(database, world, allowed=True)
    app = create_app(replace(settings, pseudonymous_history=True))
    async with AsyncTestClient(app=app) as client:
        await post_form(client, f"/s/{token}/massnahmen/{mine}/stand", {"status": "done"})
    async with database.reading() as session:
        changes = list(
            await session.scalars(
                select(MeasureStatusChange.changed_by).where(MeasureStatusChange.measure_id == mine)
            )
        )
    assert changes[-1] == "Sozialamt"


async def test_the_moderator_allows_an_invitation_to_update_measures(
    client: Client, world: World, database: Database
) -> None:
    await _invitation(database, world, allowed=False)
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}")
    assert "Maßnahmen des Bereichs freigeben" in page.text
    from selfcheck.db.models import StaffInvitation

    async with database.reading() as session:
        invitation_id = await session.scalar(select(StaffInvitation.id))
    allowed = await post_form(
        client, f"/moderation/einladungen/{invitation_id}/massnahmen-freigabe", {"allow": "1"}
    )
    assert "darf jetzt den Stand" in allowed.text and "Maßnahmen-Freigabe entziehen" in allowed.text


async def test_the_workshop_page_offers_adopting_only_notes_of_kind_measure(
    client: Client,
    world: World,
    database: Database,
    measure_note: int,
    questionnaire: Questionnaire,
) -> None:
    async with database.writing() as session:
        note = await session.get(WorkshopNote, measure_note)
        assert note is not None
        workshop = await session.get(Workshop, note.workshop_id)
        assert workshop is not None
        await add_note(session, workshop, questionnaire, "MS", "strength", "Gute Beratung")
        workshop_id = workshop.id
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/workshops/{workshop_id}")
    action = f"/moderation/selbstchecks/{world.aheim_assessment.id}/massnahmen/aus-notiz/"
    assert page.text.count(action) == 1
    assert f"{action}{measure_note}" in page.text


async def test_a_measure_shows_how_other_municipalities_did_it(
    client: Client, database: Database, world: World, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        measure = await services.create_measure(
            session, assessment, questionnaire,
            MeasureInput(field_id="MS", title="Koordination bündeln", question_ids=("MS-06",)),
            by="Moderation",
        )  # fmt: skip
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get(f"/moderation/massnahmen/{measure.id}")
    assert page.status_code == 200
    assert "So machen es andere" in page.text
    assert "Zentrale Koordination für Geflüchtete als Stabsstelle" in page.text
