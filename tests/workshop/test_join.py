from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, inspect, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Participant, Workshop
from selfcheck.errors import InvalidInput, NotFound
from selfcheck.tokens import hash_token
from selfcheck.workshop import workshops
from selfcheck.workshop.groups import STAKEHOLDER_GROUPS
from tests.workshop.factories import join_many, make_assessment, make_workshop


async def test_a_new_workshop_gets_a_join_code_and_its_settings(database: Database) -> None:
    workshop = await make_workshop(database, min_group_size=5, reveal_admin_immediately=True)
    async with database.reading() as session:
        stored = await session.get_one(Workshop, workshop.id)
    assert re.fullmatch(r"[A-Z0-9]{6}", stored.join_code)
    assert stored.min_group_size == 5
    assert stored.reveal_admin_immediately is True
    assert stored.scribe_token_hash is None


async def test_a_code_collision_draws_a_new_code(database: Database) -> None:
    first = await make_workshop(database)
    assessment = await make_assessment(database, "Nachbarstadt")
    codes: Iterator[str] = iter([first.join_code, first.join_code, "ACK479"])
    async with database.writing() as session:
        second = await workshops.create_workshop(
            session, assessment, "Zweiter Workshop", new_code=lambda: next(codes)
        )
    assert second.join_code == "ACK479"
    async with database.reading() as session:
        assert await session.scalar(select(func.count(Workshop.id))) == 2


@pytest.mark.parametrize(
    ("title", "min_group_size", "message"),
    [
        ("  ", 3, "Titel"),
        ("x" * 201, 3, r"Der Titel ist zu lang \(201 Zeichen, höchstens 200\)"),
        ("Workshop", 1, "zwischen 2 und 100"),
        ("Workshop", 101, "zwischen 2 und 100"),
    ],
)
async def test_a_workshop_needs_a_title_and_a_sensible_minimum(
    database: Database, title: str, min_group_size: int, message: str
) -> None:
    assessment = await make_assessment(database)
    async with database.writing() as session:
        with pytest.raises(InvalidInput, match=message):
            await workshops.create_workshop(session, assessment, title, min_group_size)


async def test_a_workshop_is_found_by_its_code_however_it_is_typed(database: Database) -> None:
    workshop = await make_workshop(database)
    typed = f" {workshop.join_code[:3].lower()} - {workshop.join_code[3:]} "
    async with database.reading() as session:
        found = await workshops.workshop_by_code(session, typed)
    assert found.id == workshop.id


@pytest.mark.parametrize("typed", ["ACK479", "ACK47", "", "ÄÖÜ-ÄÖÜ"])
async def test_a_wrong_code_is_refused_with_a_friendly_message(
    database: Database, typed: str
) -> None:
    await make_workshop(database)
    async with database.reading() as session:
        with pytest.raises(NotFound, match="Zu diesem Code gibt es keinen Workshop"):
            await workshops.workshop_by_code(session, typed)


async def test_joining_creates_an_anonymous_participant_with_a_random_id(
    database: Database,
) -> None:
    workshop = await make_workshop(database)
    first, second = await join_many(database, workshop, [None, "politik"])
    assert re.fullmatch(r"[0-9a-f]{32}", first.id)
    assert first.id != second.id
    assert first.workshop_id == second.workshop_id == workshop.id


async def test_a_participant_record_holds_nothing_but_id_workshop_group_and_time(
    database: Database,
) -> None:
    columns = {column.key for column in inspect(Participant).columns}
    assert columns == {"id", "workshop_id", "stakeholder_group", "joined_at"}
    workshop = await make_workshop(database)
    [participant] = await join_many(database, workshop, ["zivilgesellschaft"])
    async with database.reading() as session:
        stored = await session.get_one(Participant, participant.id)
    assert stored.stakeholder_group == "zivilgesellschaft"


def test_the_six_stakeholder_groups_have_german_labels() -> None:
    assert list(STAKEHOLDER_GROUPS.values()) == [
        "Verwaltung",
        "Politik",
        "Zivilgesellschaft",
        "Wirtschaft",
        "Migrantenorganisationen / Integrationsrat",
        "Sonstige",
    ]


@pytest.mark.parametrize("group", [None, ""])
async def test_no_group_means_no_answer(database: Database, group: str | None) -> None:
    workshop = await make_workshop(database)
    [participant] = await join_many(database, workshop, [group])
    assert participant.stakeholder_group is None


@pytest.mark.parametrize("group", ["Verwaltung", "presse", "sonstige "])
async def test_an_unknown_group_is_refused_and_nothing_is_stored(
    database: Database, group: str
) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        with pytest.raises(InvalidInput, match="angebotenen Gruppen"):
            await workshops.join(session, workshop, group)
    async with database.reading() as session:
        assert await session.scalar(select(func.count(Participant.id))) == 0


async def test_a_participant_is_found_only_in_their_own_workshop(database: Database) -> None:
    ours = await make_workshop(database)
    theirs = await make_workshop(database, "Anderer Workshop")
    [participant] = await join_many(database, ours, ["wirtschaft"])
    async with database.reading() as session:
        found = await workshops.find_participant(session, ours, participant.id)
        assert found is not None and found.id == participant.id
        assert await workshops.find_participant(session, theirs, participant.id) is None
        assert await workshops.find_participant(session, ours, "0" * 32) is None


async def test_the_scribe_token_is_stored_only_as_its_hash(database: Database) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        token = await workshops.issue_scribe_token(session, workshop)
    async with database.reading() as session:
        stored = await session.get_one(Workshop, workshop.id)
        found = await workshops.workshop_by_scribe_token(session, token)
    assert stored.scribe_token_hash == hash_token(token) != token
    assert found.id == workshop.id


async def test_a_new_scribe_token_replaces_the_old_one(database: Database) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        old = await workshops.issue_scribe_token(session, workshop)
    async with database.writing() as session:
        new = await workshops.issue_scribe_token(session, workshop)
    async with database.reading() as session:
        assert (await workshops.workshop_by_scribe_token(session, new)).id == workshop.id
        with pytest.raises(NotFound, match="Protokoll-Link"):
            await workshops.workshop_by_scribe_token(session, old)
