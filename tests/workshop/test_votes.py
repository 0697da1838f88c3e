from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Vote
from selfcheck.errors import InvalidInput, NotAllowed, NotFound
from selfcheck.workshop import rounds, votes
from tests.workshop.factories import (
    QUESTIONNAIRE,
    close,
    join_many,
    make_workshop,
    open_new_round,
    vote,
)


async def _stored_votes(database: Database) -> list[tuple[str, str]]:
    async with database.reading() as session:
        rows = await session.execute(select(Vote.participant_id, Vote.value).order_by(Vote.id))
        return [(participant_id, value) for participant_id, value in rows]


async def _counts(database: Database, round_id: int) -> dict[str, dict[str, int]]:
    async with database.reading() as session:
        totals = await votes.round_totals(session, round_id)
    return {item.item_key: item.counts for item in totals.items}


async def test_a_vote_is_counted(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, ["politik"])
    round_ = await open_new_round(database, workshop, "field", "MS")
    stored = await vote(database, anna, round_.id, "MS", "2")
    assert (stored.participant_id, stored.value) == (anna.id, "2")
    assert await _counts(database, round_.id) == {"MS": {"2": 1}}


async def test_resending_the_same_vote_counts_it_once(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop)
    first = await vote(database, anna, round_.id, "MS", "3")
    again = await vote(database, anna, round_.id, "MS", "3")
    assert again.id == first.id
    assert await _stored_votes(database) == [(anna.id, "3")]


async def test_a_changed_vote_replaces_the_old_one(database: Database) -> None:
    workshop = await make_workshop(database)
    anna, ben = await join_many(database, workshop, [None, None])
    round_ = await open_new_round(database, workshop)
    await vote(database, anna, round_.id, "MS", "3")
    await vote(database, ben, round_.id, "MS", "3")
    changed = await vote(database, anna, round_.id, "MS", "1")
    assert changed.value == "1"
    assert await _counts(database, round_.id) == {"MS": {"1": 1, "3": 1}}


async def test_votes_after_closing_are_refused_and_not_counted(database: Database) -> None:
    workshop = await make_workshop(database)
    anna, ben = await join_many(database, workshop, [None, None])
    round_ = await open_new_round(database, workshop)
    await vote(database, anna, round_.id, "MS", "2")
    await close(database, workshop, round_.id)
    message = "Diese Runde ist bereits geschlossen – Ihre Stimme wurde nicht gezählt."
    with pytest.raises(NotAllowed) as refused:
        await vote(database, ben, round_.id, "MS", "4")
    assert refused.value.message == message
    with pytest.raises(NotAllowed, match="bereits geschlossen"):
        await vote(database, anna, round_.id, "MS", "4")  # nor may a vote be changed
    assert await _stored_votes(database) == [(anna.id, "2")]


async def test_votes_in_a_round_not_yet_opened_are_refused(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    async with database.writing() as session:
        draft = await rounds.create_round(session, workshop, QUESTIONNAIRE, "mood")
    with pytest.raises(NotAllowed, match="noch nicht geöffnet"):
        await vote(database, anna, draft.id, "MS", "1")
    assert await _stored_votes(database) == []


async def test_a_vote_in_another_workshops_round_is_refused(database: Database) -> None:
    ours = await make_workshop(database)
    theirs = await make_workshop(database, "Anderer Workshop")
    [anna] = await join_many(database, ours, [None])
    foreign = await open_new_round(database, theirs)
    with pytest.raises(NotAllowed, match="anderen Workshop"):
        await vote(database, anna, foreign.id, "MS", "1")
    assert await _stored_votes(database) == []


async def test_a_vote_in_an_unknown_round_is_not_found(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    with pytest.raises(NotFound):
        await vote(database, anna, 999_999, "MS", "1")


async def test_a_vote_on_an_item_outside_the_round_is_refused(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop, "questions", "MS", ["MS-01"])
    for item_key in ["MS-02", "MS", "VW-01"]:
        with pytest.raises(InvalidInput, match="nicht abgestimmt"):
            await vote(database, anna, round_.id, item_key, "ja")
    assert await _stored_votes(database) == []


@pytest.mark.parametrize("kind", ["field", "mood"])
async def test_category_rounds_take_only_category_numbers(database: Database, kind: str) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop, kind, "MS" if kind == "field" else None)
    for wrong in ["0", "5", "ja", "weiss_nicht", " 1", ""]:
        with pytest.raises(InvalidInput, match="angebotenen Antworten"):
            await vote(database, anna, round_.id, "MS", wrong)
    for value in ["1", "2", "3", "4"]:
        assert (await vote(database, anna, round_.id, "MS", value)).value == value


async def test_question_rounds_take_scale_values_and_dont_know(database: Database) -> None:
    workshop = await make_workshop(database)
    anna, ben, cem, dora = await join_many(database, workshop, [None] * 4)
    round_ = await open_new_round(database, workshop, "questions", "VW", ["VW-01"])
    for wrong in ["1", "Ja", "vielleicht"]:
        with pytest.raises(InvalidInput, match="angebotenen Antworten"):
            await vote(database, anna, round_.id, "VW-01", wrong)
    for who, value in [(anna, "ja"), (ben, "teilweise"), (cem, "nein"), (dora, "weiss_nicht")]:
        await vote(database, who, round_.id, "VW-01", value)
    expected = {"ja": 1, "teilweise": 1, "nein": 1, "weiss_nicht": 1}
    assert await _counts(database, round_.id) == {"VW-01": expected}


async def test_a_refused_change_leaves_the_previous_vote_in_place(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop)
    await vote(database, anna, round_.id, "MS", "2")
    with pytest.raises(InvalidInput):
        await vote(database, anna, round_.id, "MS", "7")
    assert await _stored_votes(database) == [(anna.id, "2")]


async def test_a_hundred_concurrent_voters_are_counted_exactly(database: Database) -> None:
    """Every participant votes in their own transaction at the same time, then every tenth
    changes their vote while the others resend theirs: nothing may be lost or doubled."""
    workshop = await make_workshop(database)
    participants = await join_many(database, workshop, [None] * 100)
    round_ = await open_new_round(database, workshop, "mood", None)
    first = {p.id: str(i % 4 + 1) for i, p in enumerate(participants)}
    final = {p.id: ("4" if i % 10 == 0 else first[p.id]) for i, p in enumerate(participants)}

    await asyncio.gather(*(vote(database, p, round_.id, "VW", first[p.id]) for p in participants))
    await asyncio.gather(*(vote(database, p, round_.id, "VW", final[p.id]) for p in participants))

    expected = {value: list(final.values()).count(value) for value in "1234"}
    # Ten changers: five of them had voted "1", five "3".
    assert expected == {"1": 20, "2": 25, "3": 20, "4": 35}
    async with database.reading() as session:
        totals = await votes.round_totals(session, round_.id)
        stored = await session.scalar(select(func.count(Vote.id)))
    by_item = {item.item_key: item for item in totals.items}
    assert by_item["VW"].counts == expected
    assert by_item["VW"].n == 100
    assert by_item["MS"].n == by_item["TH"].n == 0
    assert (totals.voters, totals.joined, stored) == (100, 100, 100)


async def test_closing_waits_for_a_vote_in_flight_so_final_totals_include_it(
    database: Database,
) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop)
    vote_stored = asyncio.Event()
    may_commit = asyncio.Event()

    async def slow_vote() -> None:
        async with database.writing() as session:
            await votes.cast_vote(session, anna, round_.id, "MS", "1", questionnaire=QUESTIONNAIRE)
            vote_stored.set()
            await may_commit.wait()

    voting = asyncio.create_task(slow_vote())
    await vote_stored.wait()
    closing = asyncio.create_task(close(database, workshop, round_.id))
    await asyncio.sleep(0.3)
    assert not closing.done(), "the round closed while a vote was still in flight"
    may_commit.set()
    await voting
    assert (await closing).status == "closed"
    assert await _counts(database, round_.id) == {"MS": {"1": 1}}
