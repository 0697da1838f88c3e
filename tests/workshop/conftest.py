from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form

VOTE_SAVED = (200, "Ihre Stimme ist gespeichert.")  # what `vote` answers for a stored vote
# The form for a question round on two of field KK's questions, KK-01 and KK-03.
KK_QUESTION_ROUND = {"kind": "questions", "field_id": "KK", "q_KK-01": "on", "q_KK-03": "on"}


@dataclass(frozen=True)
class LiveWorkshop:
    id: int
    code: str


async def create_workshop_via_pages(
    client: Client, assessment_id: int, min_group_size: int = 2
) -> LiveWorkshop:
    response = await post_form(
        client,
        f"/moderation/selbstchecks/{assessment_id}/workshops",
        {"title": "Workshop Aheim", "min_group_size": str(min_group_size)},
    )
    workshop_id = re.search(r"/moderation/workshops/(\d+)", str(response.url))
    code = re.search(r'class="join-code">([A-Z0-9\-]+)<', response.text)
    assert workshop_id and code, response.text[:500]
    return LiveWorkshop(int(workshop_id.group(1)), code.group(1).replace("-", ""))


async def log_in_and_create_workshop(client: Client, assessment_id: int) -> LiveWorkshop:
    """Alice, Aheim's moderator, logged in on `client` and with a new workshop."""
    await log_in(client, "alice@aheim.example", PASSWORD)
    return await create_workshop_via_pages(client, assessment_id)


async def prepare_round(client: Client, workshop: LiveWorkshop, data: dict[str, str]) -> int:
    before = set(
        re.findall(
            r"/runden/(\d+)/oeffnen",
            (await client.get(f"/moderation/workshops/{workshop.id}")).text,
        )
    )
    response = await post_form(client, f"/moderation/workshops/{workshop.id}/runden", data)
    assert response.status_code == 200, response.text[:500]
    after = set(re.findall(r"/runden/(\d+)/oeffnen", response.text))
    [round_id] = after - before
    return int(round_id)


async def open_round(client: Client, workshop: LiveWorkshop, round_id: int) -> None:
    response = await post_form(
        client, f"/moderation/workshops/{workshop.id}/runden/{round_id}/oeffnen"
    )
    assert response.status_code == 200


async def start_round(
    client: Client, workshop: LiveWorkshop, data: dict[str, str] | None = None
) -> int:
    """A round (a mood round unless `data` says otherwise) prepared and opened."""
    round_id = await prepare_round(client, workshop, data or {"kind": "mood"})
    await open_round(client, workshop, round_id)
    return round_id


async def start_round_and_join(
    client: Client, phone: Client, workshop: LiveWorkshop, data: dict[str, str] | None = None
) -> int:
    """A round opened by the moderator's `client`, with `phone` joined as a participant."""
    round_id = await start_round(client, workshop, data)
    await join(phone, workshop)
    return round_id


async def open_mood_round(client: Client, assessment_id: int) -> tuple[LiveWorkshop, int]:
    """A new workshop with an open mood round, set up through the moderator's pages."""
    workshop = await create_workshop_via_pages(client, assessment_id)
    return workshop, await start_round(client, workshop)


async def close_round(client: Client, workshop: LiveWorkshop, round_id: int) -> None:
    response = await post_form(
        client, f"/moderation/workshops/{workshop.id}/runden/{round_id}/schliessen"
    )
    assert response.status_code == 200


async def join(client: Client, workshop: LiveWorkshop, group: str = "") -> None:
    response = await post_form(client, f"/w/{workshop.code}/beitreten", {"group": group})
    assert response.status_code == 200


async def vote(
    client: Client, workshop: LiveWorkshop, round_id: int, item: str, value: str
) -> tuple[int, str]:
    response = await post_form(
        client,
        f"/w/{workshop.code}/stimme",
        {"round_id": str(round_id), "item_key": item, "value": value},
        headers={"accept": "application/json"},
    )
    return response.status_code, response.json()["detail"]


@pytest.fixture
async def workshop(client: Client, world: World) -> LiveWorkshop:
    return await log_in_and_create_workshop(client, world.aheim_assessment.id)
