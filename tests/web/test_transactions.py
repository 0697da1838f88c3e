"""One transaction per request: it ends with the request, also when a provider refused."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form


@pytest.fixture
def no_cyclic_gc() -> Iterator[None]:
    """Without the cyclic garbage collector a transaction left open stays open, as it can
    in a busy server for seconds: the test then sees it instead of racing the collector."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def test_a_write_refused_by_a_provider_does_not_hold_up_the_next_write(
    client: Client, world: World, no_cyclic_gc: None
) -> None:
    await log_in(client, world.alice.email, PASSWORD)
    for _ in range(3):  # each refusal started a write transaction before the provider refused
        foreign = await post_form(
            client, f"/moderation/selbstchecks/{world.bstadt_assessment.id}/wieder-oeffnen"
        )
        assert foreign.status_code == 404
        # Released by the time the answer is out, not whenever a collector gets to it.
        assert not client.app.state.database.write_turn_taken()
    own = post_form(client, f"/moderation/selbstchecks/{world.aheim_assessment.id}/abschliessen")
    response = await asyncio.wait_for(own, timeout=5)
    assert response.status_code in {200, 302, 303, 422}
