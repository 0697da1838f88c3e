"""'So machen es andere' beside the next steps on the results page and in the report."""

from __future__ import annotations

from selfcheck.db.engine import Database
from selfcheck.questionnaire.schema import Questionnaire
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in
from tests.reporting.builders import answers_for, write_answers


async def _answered_no(database: Database, world: World, questionnaire: Questionnaire) -> None:
    """Every MS question answered "nein", so MS gets next steps (MS-06 among them)."""
    answers = answers_for(questionnaire, {"MS": "nein", "IO": "ja"})
    await write_answers(database, world.aheim_assessment, questionnaire, answers)


async def test_the_results_page_shows_matching_examples_beside_next_steps(
    client: Client, world: World, database: Database, world_questionnaire: Questionnaire
) -> None:
    await _answered_no(database, world, world_questionnaire)
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/ergebnis")
    assert page.status_code == 200
    field_ms = page.text.split('id="feld-MS"')[1].split('id="feld-IO"')[0]
    assert "So machen es andere" in field_ms
    assert "<summary>" in field_ms.split("So machen es andere")[1]
    assert "Zentrale Koordination für Geflüchtete als Stabsstelle" in field_ms
    assert "Leitung der Stabsstelle Flüchtlingskoordination" in field_ms
    # IO is fully met: no next steps, so no examples either.
    field_io = page.text.split('id="feld-IO"')[1].split('id="feld-FZ"')[0]
    assert "So machen es andere" not in field_io


async def test_the_report_shows_matching_examples_beside_next_steps(
    client: Client, world: World, database: Database, world_questionnaire: Questionnaire
) -> None:
    await _answered_no(database, world, world_questionnaire)
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}/bericht")
    field_ms = page.text.split('id="feld-MS"')[1].split('id="feld-IO"')[0]
    assert "So machen es andere" in field_ms
    assert "Ein Kommunales Integrationszentrum bündelt Integration und Bildung" in field_ms
