"""An administrator deletes a municipality with everything in it, after typing its name.
Checked against every table of the schema, so a table added later is covered too."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from selfcheck.actionplan import services as actionplan
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.assessments.invitations import invite
from selfcheck.assessments.setup import create_assessment, create_municipality
from selfcheck.db.engine import Database
from selfcheck.db.models import (
    Assessment,
    FieldRoundChoice,
    Municipality,
    Round,
    RoundReopening,
    User,
    Workshop,
    utcnow,
)
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.retention.purge import purge
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form
from tests.reporting.builders import (
    RoundSpec,
    WorkshopSpec,
    answers_for,
    seed_workshop,
    write_answers,
)
from tests.security.routes import snapshot

WORKSHOP = WorkshopSpec(
    [RoundSpec("mood", {"MS": ["1", "2", "3"], "IO": ["2", "2", "4"]})],
    groups=["politik", "politik", None],
    notes=[("MS", "measure", "Ziele festlegen", "Steuerungsgruppe", "2027")],
)


async def _cstadt_with_a_row_in_every_table(
    database: Database, registry: QuestionnaireRegistry, moderator: User
) -> Municipality:
    """Two assessments: an old one, submitted and purged (so only counts remain of its
    workshop), and a current one with answers, an invitation and a running workshop."""
    questionnaire = registry.latest()
    async with database.writing() as session:
        alice = await session.get(User, moderator.id)
        assert alice is not None
        cstadt = await create_municipality(session, alice, "Cstadt")
        old = await create_assessment(session, cstadt, questionnaire, "Selbstcheck 2025")
        current = await create_assessment(session, cstadt, questionnaire, "Selbstcheck 2026")
        await invite(session, current, "Clara Cordes", "Bauamt")
    await write_answers(database, current, questionnaire, answers_for(questionnaire, {"MS": "ja"}))
    await seed_workshop(database, old, questionnaire, WORKSHOP)
    await seed_workshop(database, current, questionnaire, WORKSHOP)
    async with database.writing() as session:
        long_ago = utcnow() - timedelta(days=400)
        await session.execute(
            update(Assessment)
            .where(Assessment.id == old.id)
            .values(status="submitted", submitted_at=long_ago)
        )
        await purge(session, now=utcnow(), workshop_days=90, invitation_days=90)
        # The moderator picked the current workshop's round for MS explicitly.
        current_round = await session.scalar(
            select(Round.id).join(Workshop).where(Workshop.assessment_id == current.id)
        )
        assert current_round is not None
        session.add(
            FieldRoundChoice(assessment_id=current.id, field_id="MS", round_id=current_round)
        )
        session.add(RoundReopening(round_id=current_round, reopened_by=alice.email))
        # An action plan carried over from the old assessment into the current one.
        await actionplan.create_measure(
            session, old, questionnaire, MeasureInput(field_id="MS", title="Ziele"), by="Alice"
        )
        await actionplan.carry_over_open_measures(session, old, current)
    return cstadt


async def test_deleting_a_municipality_leaves_no_row_of_it_in_any_table(
    client: Client, database: Database, world: World, registry: QuestionnaireRegistry
) -> None:
    without_cstadt = await snapshot(database)
    cstadt = await _cstadt_with_a_row_in_every_table(database, registry, world.alice)
    with_cstadt = await snapshot(database)
    unfilled = [t for t, rows in with_cstadt.items() if rows == without_cstadt[t]]
    assert unfilled == ["users"], "Cstadt soll in jeder Tabelle Zeilen haben"

    await log_in(client, world.admin.email, PASSWORD)
    page = await client.get(f"/moderation/kommunen/{cstadt.id}")
    assert "Kommune endgültig löschen" in page.text
    deleted = await post_form(
        client, f"/moderation/kommunen/{cstadt.id}/loeschen", {"confirm_name": "Cstadt"}
    )
    assert deleted.status_code == 200  # after the redirect
    assert "„Cstadt“ ist mit allen zugehörigen Daten gelöscht" in deleted.text
    assert await snapshot(database) == without_cstadt


async def test_a_mistyped_name_deletes_nothing_and_says_so(
    client: Client, database: Database, world: World
) -> None:
    before = await snapshot(database)
    await log_in(client, world.admin.email, PASSWORD)
    response = await post_form(
        client, f"/moderation/kommunen/{world.aheim.id}/loeschen", {"confirm_name": "aheim"}
    )
    assert response.status_code == 422
    assert "Es wurde nichts gelöscht" in response.text
    assert await snapshot(database) == before


async def test_only_an_administrator_may_delete_a_municipality(
    client: Client, database: Database, world: World
) -> None:
    before = await snapshot(database)
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get(f"/moderation/kommunen/{world.aheim.id}")
    assert "Kommune endgültig löschen" not in page.text
    response = await post_form(
        client, f"/moderation/kommunen/{world.aheim.id}/loeschen", {"confirm_name": "Aheim"}
    )
    assert response.status_code == 404
    assert await snapshot(database) == before
