from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Round
from selfcheck.errors import InvalidInput, NotAllowed, NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.workshop import rounds, votes, workshops
from tests.conftest import SeparateProcesses
from tests.workshop.factories import (
    QUESTIONNAIRE,
    close,
    join_many,
    make_workshop,
    open_new_round,
    vote,
)


async def _create(
    database: Database,
    kind: str,
    field_id: str | None = None,
    question_ids: Sequence[str] = (),
    title: str | None = None,
) -> Round:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        return await rounds.create_round(
            session, workshop, QUESTIONNAIRE, kind, field_id, question_ids, title=title
        )


def _keys(round_: Round) -> list[str]:
    return [item.item_key for item in sorted(round_.items, key=lambda item: item.position)]


async def test_a_field_round_rates_one_field(database: Database) -> None:
    round_ = await _create(database, "field", "VW")
    assert _keys(round_) == ["VW"]
    assert round_.title == "Handlungsfeld: Verwaltung"


async def test_a_mood_round_rates_every_field_in_questionnaire_order(database: Database) -> None:
    round_ = await _create(database, "mood")
    assert _keys(round_) == ["MS", "VW", "TH"]
    assert round_.title == "Stimmungsbild: alle Handlungsfelder"


async def test_a_question_round_keeps_the_questionnaire_order(database: Database) -> None:
    round_ = await _create(database, "questions", "MS", ["MS-03", "MS-01"], title=" Sprache ")
    assert _keys(round_) == ["MS-01", "MS-03"]
    assert round_.title == "Sprache"


async def test_a_new_round_is_a_draft_and_stored_with_its_items(database: Database) -> None:
    created = await _create(database, "questions", "VW", ["VW-02"])
    async with database.reading() as session:
        workshop = await workshops.get_workshop(session, created.workshop_id)
        stored = await rounds.get_round(session, workshop, created.id)
    assert stored.status == "draft"
    assert stored.opened_at is None and stored.closed_at is None
    assert _keys(stored) == ["VW-02"]
    assert stored.title == "Einzelfragen: Verwaltung"


@pytest.mark.parametrize(
    ("kind", "field_id", "question_ids", "message"),
    [
        ("poll", "MS", (), "Art von Runde"),
        ("field", None, (), "Bitte wählen Sie ein Handlungsfeld"),
        ("field", "XX", (), "„XX“ gibt es in diesem Fragebogen nicht"),
        ("field", "MS", ("MS-01",), "keine Einzelfragen"),
        ("mood", "MS", (), "alle Handlungsfelder"),
        ("questions", "MS", (), "mindestens eine Frage"),
        (
            "questions",
            "MS",
            ("MS-01", "VW-01"),
            "nicht zum Handlungsfeld „Mehrsprachigkeit“: VW-01",
        ),
        ("questions", "MS", ("MS-99",), "MS-99"),
        ("questions", "MS", ("MS-01", "MS-01"), "nur einmal"),
        ("questions", None, ("MS-01",), "Bitte wählen Sie ein Handlungsfeld"),
    ],
)
async def test_rounds_are_validated_against_the_questionnaire(
    database: Database,
    kind: str,
    field_id: str | None,
    question_ids: tuple[str, ...],
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await _create(database, kind, field_id, question_ids)
    async with database.reading() as session:
        assert await session.scalar(select(func.count(Round.id))) == 0


async def test_opening_and_closing_a_round_records_the_times(database: Database) -> None:
    workshop = await make_workshop(database)
    opened = await open_new_round(database, workshop)
    assert opened.status == "open" and opened.opened_at is not None
    closed = await close(database, workshop, opened.id)
    assert closed.status == "closed"
    assert closed.closed_at is not None and closed.closed_at >= opened.opened_at


async def test_opening_a_closed_round_points_to_reopening(database: Database) -> None:
    workshop = await make_workshop(database)
    round_ = await open_new_round(database, workshop)
    await close(database, workshop, round_.id)
    async with database.writing() as session:
        with pytest.raises(NotAllowed, match="Wieder öffnen"):
            await rounds.open_round(session, workshop, round_.id)
    async with database.reading() as session:
        assert (await rounds.get_round(session, workshop, round_.id)).status == "closed"


async def test_a_reopened_round_keeps_its_votes_and_the_reopening_is_logged(
    database: Database,
) -> None:
    workshop = await make_workshop(database)
    round_ = await open_new_round(database, workshop)
    (participant,) = await join_many(database, workshop, [None])
    await vote(database, participant, round_.id, "MS", "2")
    closed = await close(database, workshop, round_.id)
    async with database.writing() as session:
        reopened = await rounds.reopen_round(
            session, workshop, round_.id, by="moderation@kreis.example"
        )
    assert reopened.status == "open" and reopened.closed_at is None
    async with database.reading() as session:
        totals = await votes.round_totals(session, round_.id)
        log = await rounds.reopenings_of(session, workshop)
    assert totals.items[0].counts == {"2": 1}
    assert [(e.round_id, e.reopened_by, e.previously_closed_at) for e in log] == [
        (round_.id, "moderation@kreis.example", closed.closed_at)
    ]
    await vote(database, participant, round_.id, "MS", "1")  # votes count again


async def test_a_round_is_not_reopened_while_another_runs(database: Database) -> None:
    workshop = await make_workshop(database)
    first = await open_new_round(database, workshop)
    await close(database, workshop, first.id)
    second = await open_new_round(database, workshop)
    async with database.writing() as session:
        with pytest.raises(NotAllowed, match="läuft noch"):
            await rounds.reopen_round(session, workshop, first.id, by="m@example.org")
    async with database.reading() as session:
        assert await rounds.reopenings_of(session, workshop) == []
        assert (await rounds.get_round(session, workshop, second.id)).status == "open"


async def test_a_draft_round_cannot_be_closed(database: Database) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        round_ = await rounds.create_round(session, workshop, QUESTIONNAIRE, "mood")
        with pytest.raises(NotAllowed, match="noch nicht geöffnet"):
            await rounds.close_round(session, workshop, round_.id)


async def test_opening_or_closing_twice_changes_nothing(database: Database) -> None:
    workshop = await make_workshop(database)
    round_ = await open_new_round(database, workshop)
    async with database.writing() as session:
        again = await rounds.open_round(session, workshop, round_.id)
    assert again.status == "open" and again.opened_at == round_.opened_at
    closed = await close(database, workshop, round_.id)
    closed_again = await close(database, workshop, round_.id)
    assert closed_again.status == "closed" and closed_again.closed_at == closed.closed_at


async def test_a_second_round_cannot_open_while_one_is_open(database: Database) -> None:
    workshop = await make_workshop(database)
    first = await open_new_round(database, workshop, "field", "MS")
    with pytest.raises(NotAllowed, match="„Handlungsfeld: Mehrsprachigkeit“ läuft noch"):
        await open_new_round(database, workshop, "field", "VW")
    await close(database, workshop, first.id)
    second = await open_new_round(database, workshop, "field", "VW")
    async with database.reading() as session:
        current = await rounds.current_round(session, workshop)
    assert current is not None and current.id == second.id


async def test_rounds_of_different_workshops_are_independent(database: Database) -> None:
    ours = await make_workshop(database)
    theirs = await make_workshop(database, "Anderer Workshop")
    await open_new_round(database, ours)
    other = await open_new_round(database, theirs)
    assert other.status == "open"


async def test_concurrent_openings_leave_exactly_one_round_open(
    database: Database, separate_processes: SeparateProcesses
) -> None:
    """Each opening comes through a process of its own, so nothing in this process takes
    turns for them: only the database's locking keeps a second round from opening."""
    workshop = await make_workshop(database)
    async with database.writing() as session:
        prepared = [
            await rounds.create_round(session, workshop, QUESTIONNAIRE, "field", field.id)
            for field in QUESTIONNAIRE.fields
        ]

    async def try_open(handle: Database, round_id: int) -> bool:
        try:
            async with handle.writing() as session:
                await rounds.open_round(session, workshop, round_id)
                await asyncio.sleep(0.05)  # widen the window for a lost update
        except NotAllowed:
            return False
        return True

    handles = separate_processes(len(prepared))
    results = await asyncio.gather(
        *(try_open(handle, r.id) for handle, r in zip(handles, prepared, strict=True))
    )
    assert results.count(True) == 1
    async with database.reading() as session:
        statuses = [r.status for r in await rounds.list_rounds(session, workshop)]
    assert statuses.count("open") == 1


async def test_a_round_of_another_workshop_is_not_found(database: Database) -> None:
    ours = await make_workshop(database)
    theirs = await make_workshop(database, "Anderer Workshop")
    async with database.writing() as session:
        round_ = await rounds.create_round(session, theirs, QUESTIONNAIRE, "mood")
    async with database.writing() as session:
        with pytest.raises(NotFound):
            await rounds.open_round(session, ours, round_.id)
        with pytest.raises(NotFound):
            await rounds.close_round(session, ours, round_.id)


async def test_rounds_are_listed_in_creation_order_and_none_is_current_at_first(
    database: Database,
) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        mood = await rounds.create_round(session, workshop, QUESTIONNAIRE, "mood")
        field = await rounds.create_round(session, workshop, QUESTIONNAIRE, "field", "TH")
    async with database.reading() as session:
        listed = await rounds.list_rounds(session, workshop)
        assert await rounds.current_round(session, workshop) is None
    assert [r.id for r in listed] == [mood.id, field.id]
    assert [_keys(r) for r in listed] == [["MS", "VW", "TH"], ["TH"]]


async def test_a_mood_round_of_the_real_questionnaire_rates_its_seven_fields(
    database: Database, registry: QuestionnaireRegistry
) -> None:
    questionnaire = registry.latest()
    workshop = await make_workshop(database)
    async with database.writing() as session:
        round_ = await rounds.create_round(session, workshop, questionnaire, "mood")
    assert _keys(round_) == [field.id for field in questionnaire.fields]
    assert len(round_.items) == 7
    assert votes.allowed_values(questionnaire, "mood") == {"1", "2", "3", "4"}
