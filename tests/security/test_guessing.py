"""Guessing is impractical: passwords and join codes are rate-limited, secret links and
participant ids carry at least 128 random bits, and only hashes of links are stored."""

from __future__ import annotations

import base64
import re

import pytest

from selfcheck.db.engine import Database
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form
from tests.security.conftest import Towns
from tests.security.routes import snapshot

pytestmark = pytest.mark.usefixtures("sqlite_only")

MIN_BYTES = 16  # 128 bits


def _bytes_of_urlsafe(token: str) -> int:
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token), token
    return len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


async def test_login_guessing_across_many_accounts_is_limited_per_client(
    client: Client, world: World
) -> None:
    """Trying one password on many accounts: the per-client limit (30 in 5 minutes)."""
    statuses = [
        (await log_in(client, f"rate-{n}@example.org", "falsch-falsch")).status_code
        for n in range(30)
    ]
    assert statuses == [400] * 30
    blocked = await log_in(client, "alice@aheim.example", PASSWORD)
    assert blocked.status_code == 429
    assert "Zu viele Anmeldeversuche" in blocked.text
    assert (await client.get("/moderation", follow_redirects=False)).status_code in {302, 303}


async def test_join_code_guessing_is_limited_and_then_even_the_right_code_waits(
    client: Client, towns: Towns
) -> None:
    wrong = [
        (await post_form(client, "/teilnehmen", {"code": f"AAA{n:03d}"})).status_code
        for n in range(15)
    ]
    wrong += [(await client.get(f"/w/XYZ{n:03d}")).status_code for n in range(15)]
    assert wrong == [404] * 30
    right = await post_form(client, "/teilnehmen", {"code": towns.aheim.join_code})
    assert right.status_code == 429
    assert "Zu viele falsche Codes" in right.text
    assert (await client.get(f"/w/{towns.aheim.join_code}")).status_code == 429


async def test_a_right_join_code_is_never_limited_and_never_counts(
    client: Client, towns: Towns
) -> None:
    """A whole town hall may share one address: only wrong codes count."""
    for _ in range(40):
        assert (await client.get(f"/w/{towns.aheim.join_code}")).status_code == 200
    wrong = [
        (await post_form(client, "/teilnehmen", {"code": f"AAA{n:03d}"})).status_code
        for n in range(31)
    ]
    assert wrong == [404] * 30 + [429]  # the limit of 30 wrong codes is still whole


async def test_links_and_participant_ids_carry_at_least_128_random_bits(
    client: Client, towns: Towns, database: Database
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    staff, scribe = [], []
    for n in range(3):
        page = await post_form(
            client,
            f"/moderation/selbstchecks/{towns.aheim.assessment_id}/einladungen",
            {"name": f"Person {n}"},
        )
        staff += re.findall(r"/s/([A-Za-z0-9_-]{6,})", page.text)
        page = await post_form(
            client, f"/moderation/workshops/{towns.aheim.workshop_id}/protokoll-link"
        )
        scribe += re.findall(r"/protokoll/([A-Za-z0-9_-]{6,})", page.text)
    participants = []
    for _ in range(3):
        client.cookies.clear()
        await post_form(client, f"/w/{towns.aheim.join_code}/beitreten", {"group": ""})
        participants.append(client.cookies[f"selfcheck_p{towns.aheim.workshop_id}"])
    assert len(set(staff)) == len(set(scribe)) == len(set(participants)) == 3
    for token in staff + scribe:
        assert _bytes_of_urlsafe(token) >= MIN_BYTES, (
            f"{token}: nur {_bytes_of_urlsafe(token)} Bytes"
        )
    for participant_id in participants:
        assert re.fullmatch(r"[0-9a-f]+", participant_id)
        assert len(participant_id) // 2 >= MIN_BYTES
    # Only hashes of the links are stored: a copy of the database opens no link.
    stored = repr(await snapshot(database))
    for token in staff + scribe:
        assert token not in stored
