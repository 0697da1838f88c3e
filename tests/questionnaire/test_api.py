from __future__ import annotations

from tests.helpers import Client


async def test_api_lists_both_installed_versions_of_the_questionnaire(
    client: Client,
) -> None:
    response = await client.get("/api/questionnaires")
    assert response.status_code == 200
    entries = [q for q in response.json() if q["id"] == "weltoffene-kommune"]
    assert sorted(e["version"] for e in entries) == ["2026.1", "2027.1"]
    assert all((e["fields"], e["questions"]) == (7, 105) for e in entries)


async def test_api_returns_the_structure_of_a_questionnaire_version(
    client: Client,
) -> None:
    listing = (await client.get("/api/questionnaires")).json()
    version = next(q["version"] for q in listing if q["id"] == "weltoffene-kommune")
    response = await client.get(f"/api/questionnaires/weltoffene-kommune/{version}")
    assert response.status_code == 200
    body = response.json()
    assert [f["id"] for f in body["fields"]] == ["MS", "IO", "FZ", "AW", "EB", "ZB", "KK"]
    assert len(body["categories"]) == 4


async def test_api_answers_404_in_german_for_an_unknown_version(client: Client) -> None:
    response = await client.get("/api/questionnaires/weltoffene-kommune/0.0-gibt-es-nicht")
    assert response.status_code == 404
    assert response.json()["detail"] == "Diesen Fragebogen gibt es in dieser Version nicht."


async def test_openapi_schema_is_served(client: Client) -> None:
    response = await client.get("/api/schema/openapi.json")
    assert response.status_code == 200
    assert "/api/questionnaires" in response.json()["paths"]
