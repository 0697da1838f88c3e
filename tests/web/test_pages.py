from __future__ import annotations

from dataclasses import replace

from litestar.testing import AsyncTestClient

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.demo import DEMO_MUNICIPALITY, seed_demo
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import Settings


async def test_start_page_explains_the_tool_and_lists_the_seven_fields(
    client: AsyncTestClient,  # type: ignore[type-arg]
    registry: QuestionnaireRegistry,
) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="de">' in response.text
    assert "Zum Inhalt springen" in response.text
    for field in registry.latest().fields:
        assert field.title in response.text
    assert "105 Fragen" in response.text


async def test_unknown_page_shows_a_german_404_page(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
    assert "Traceback" not in response.text


async def test_demo_page_is_not_served_without_demo_mode(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/demo")
    assert response.status_code == 404


async def test_demo_mode_shows_the_demo_municipalitys_results_per_field(
    settings: Settings, database: Database, registry: QuestionnaireRegistry
) -> None:
    await seed_demo(database, registry.latest())
    async with AsyncTestClient(app=create_app(replace(settings, demo=True))) as demo_client:
        start = await demo_client.get("/")
        assert DEMO_MUNICIPALITY in start.text
        response = await demo_client.get("/demo")
    assert response.status_code == 200
    assert DEMO_MUNICIPALITY in response.text
    for field in registry.latest().fields:
        assert f'id="feld-{field.id}"' in response.text
    assert "Anregungen zur Weiterarbeit" in response.text
    assert "Kategorie 1" in response.text  # the demo profile reaches the best category somewhere


async def test_seeding_the_demo_twice_creates_it_once(
    database: Database, registry: QuestionnaireRegistry
) -> None:
    first = await seed_demo(database, registry.latest())
    second = await seed_demo(database, registry.latest())
    assert first == second


async def test_health_reports_the_database(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
