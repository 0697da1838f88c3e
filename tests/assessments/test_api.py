from __future__ import annotations

from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Answer
from tests.assessments.conftest import StaffLinks
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_json


def _api(link: str) -> str:
    return link.replace("/s/", "/api/staff/")


async def test_staff_save_an_answer_through_the_api(client: Client, staff: StaffLinks) -> None:
    response = await post_json(
        client,
        f"{_api(staff.anna)}/answers/MS-01",
        {"value": "ja", "base_version": 0, "comment": "Ratsbeschluss 2024"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["value"], body["version"], body["updated_by"]) == ("ja", 1, "Anna Amt (Sozialamt)")


async def test_api_conflict_answers_409_with_the_other_answer(
    client: Client, staff: StaffLinks
) -> None:
    await post_json(client, f"{_api(staff.anna)}/answers/MS-01", {"value": "ja", "base_version": 0})
    response = await post_json(
        client, f"{_api(staff.bernd)}/answers/MS-01", {"value": "nein", "base_version": 0}
    )
    assert response.status_code == 409
    assert response.json()["theirs"]["value"] == "ja"


async def test_api_refuses_bad_input_with_422_and_stores_nothing(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    cases = [
        ("MS-01", {"value": "vielleicht", "base_version": 0}, "keine mögliche Antwort"),
        ("ZZ-01", {"value": "ja", "base_version": 0}, "gibt es in diesem Fragebogen nicht"),
        (
            "MS-01",
            {"value": "ja", "base_version": 0, "comment": "x" * 2001},
            "Kommentar ist zu lang",
        ),
    ]
    for question_id, payload, message in cases:
        response = await post_json(client, f"{_api(staff.anna)}/answers/{question_id}", payload)
        assert response.status_code == 422
        assert message in response.json()["detail"]
    malformed = await post_json(client, f"{_api(staff.anna)}/answers/MS-01", {"wert": "ja"})
    assert malformed.status_code == 400
    assert malformed.json()["detail"].startswith("Die Eingaben sind")
    async with database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_results_per_field_in_the_api_for_staff_and_moderator(
    client: Client, staff: StaffLinks, world: World
) -> None:
    for question_id, value in [("MS-01", "ja"), ("MS-02", "ja"), ("MS-03", "ja"),
                               ("MS-04", "weiss_nicht")]:  # fmt: skip
        await post_json(
            client, f"{_api(staff.anna)}/answers/{question_id}", {"value": value, "base_version": 0}
        )
    staff_view = (await client.get(f"{_api(staff.anna)}/results")).json()
    await log_in(client, "alice@aheim.example", PASSWORD)
    moderator_view = (
        await client.get(f"/api/assessments/{world.aheim_assessment.id}/results")
    ).json()
    assert staff_view == moderator_view
    fields = {f["field_id"]: f for f in staff_view["fields"]}
    assert len(fields) == 7
    assert fields["MS"]["answered"] == 3 and fields["MS"]["reached_points"] == 6
    assert fields["MS"]["category"] is None  # 3 of 14 answered: below the minimum coverage
    assert fields["MS"]["share"] is None  # "nicht bewertbar" has no share, not 0 %
    assert "MS-05" in fields["MS"]["open_questions"]
    assert "MS-04" not in fields["MS"]["open_questions"]  # "weiß nicht" is not "offen"
    assert fields["MS"]["dont_know_questions"] == ["MS-04"]


async def test_unknown_token_in_the_api_is_404(client: Client, world: World) -> None:
    response = await client.get("/api/staff/" + "B" * 32 + "/results")
    assert response.status_code == 404
