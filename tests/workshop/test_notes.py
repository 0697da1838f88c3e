from __future__ import annotations

import pytest
from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import WorkshopNote
from selfcheck.errors import InvalidInput, NotFound
from selfcheck.vocabulary import NoteKind, RoundStatus
from selfcheck.workshop import notes
from tests.workshop.factories import QUESTIONNAIRE, make_workshop


async def _note_count(database: Database) -> int:
    async with database.reading() as session:
        return await session.scalar(select(func.count(WorkshopNote.id))) or 0


def test_note_kinds_are_listed_under_german_headings() -> None:
    assert {kind.value: kind.heading for kind in NoteKind} == {
        "strength": "Stärken",
        "need": "Handlungsbedarf",
        "measure": "Maßnahmen",
    }


def test_the_console_names_round_states_as_the_room_speaks() -> None:
    assert [status.console_label for status in RoundStatus] == [
        "vorbereitet",
        "läuft",
        "geschlossen",
    ]


async def test_a_measure_is_stored_with_responsible_and_timeframe(database: Database) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        note = await notes.add_note(
            session,
            workshop,
            QUESTIONNAIRE,
            "MS",
            "measure",
            "  Formulare in leichter Sprache  ",
            responsible=" Bürgeramt ",
            timeframe="bis Ende 2026",
        )
    async with database.reading() as session:
        [stored] = await notes.list_notes(session, workshop)
    assert stored.id == note.id
    assert (stored.field_id, stored.kind, stored.text) == (
        "MS",
        "measure",
        "Formulare in leichter Sprache",
    )
    assert (stored.responsible, stored.timeframe) == ("Bürgeramt", "bis Ende 2026")


@pytest.mark.parametrize("kind", ["strength", "need"])
async def test_only_measures_have_responsible_and_timeframe(database: Database, kind: str) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        await notes.add_note(session, workshop, QUESTIONNAIRE, "VW", kind, "Gute Beratung")
        for extra in [{"responsible": "Amt 10"}, {"timeframe": "2027"}]:
            with pytest.raises(InvalidInput, match="nur bei Maßnahmen"):
                await notes.add_note(
                    session, workshop, QUESTIONNAIRE, "VW", kind, "Gute Beratung", **extra
                )
    assert await _note_count(database) == 1


@pytest.mark.parametrize("text", ["", "   ", "\r\n\t"])
async def test_a_note_needs_a_text(database: Database, text: str) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        with pytest.raises(InvalidInput, match="Bitte geben Sie einen Text ein"):
            await notes.add_note(session, workshop, QUESTIONNAIRE, "MS", "need", text)
    assert await _note_count(database) == 0


async def test_a_note_holds_at_most_2000_characters(database: Database) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        too_long = r"Der Text ist zu lang \(2001 Zeichen, höchstens 2000\)"
        with pytest.raises(InvalidInput, match=too_long):
            await notes.add_note(session, workshop, QUESTIONNAIRE, "MS", "need", "x" * 2001)
        longest = await notes.add_note(session, workshop, QUESTIONNAIRE, "MS", "need", "x" * 2000)
    assert len(longest.text) == 2000
    assert await _note_count(database) == 1


async def test_line_breaks_from_a_browser_count_as_one_character(database: Database) -> None:
    workshop = await make_workshop(database)
    text = "\r\n".join(["x" * 999, "y" * 1000])  # 2001 characters as sent, 2000 as meant
    async with database.writing() as session:
        note = await notes.add_note(session, workshop, QUESTIONNAIRE, "MS", "need", text)
    assert note.text == "x" * 999 + "\n" + "y" * 1000


async def test_responsible_and_timeframe_hold_at_most_200_characters(
    database: Database,
) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        with pytest.raises(InvalidInput, match="„Verantwortlich“ ist zu lang"):
            await notes.add_note(
                session, workshop, QUESTIONNAIRE, "MS", "measure", "Text", responsible="r" * 201
            )
        with pytest.raises(InvalidInput, match="„Zeitrahmen“ ist zu lang"):
            await notes.add_note(
                session, workshop, QUESTIONNAIRE, "MS", "measure", "Text", timeframe="t" * 201
            )
    assert await _note_count(database) == 0


@pytest.mark.parametrize(
    ("field_id", "kind", "message"),
    [
        ("XX", "need", "„XX“ gibt es in diesem Fragebogen nicht"),
        ("MS-01", "need", "„MS-01“ gibt es in diesem Fragebogen nicht"),
        ("MS", "idea", "Stärken, Handlungsbedarf oder Maßnahmen"),
    ],
)
async def test_notes_belong_to_a_known_field_and_kind(
    database: Database, field_id: str, kind: str, message: str
) -> None:
    workshop = await make_workshop(database)
    async with database.writing() as session:
        with pytest.raises(InvalidInput, match=message):
            await notes.add_note(session, workshop, QUESTIONNAIRE, field_id, kind, "Text")
    assert await _note_count(database) == 0


async def test_notes_are_listed_per_workshop_and_field_in_writing_order(
    database: Database,
) -> None:
    ours = await make_workshop(database)
    theirs = await make_workshop(database, "Anderer Workshop")
    async with database.writing() as session:
        for field_id, text in [("VW", "eins"), ("MS", "zwei"), ("VW", "drei")]:
            await notes.add_note(session, ours, QUESTIONNAIRE, field_id, "strength", text)
        await notes.add_note(session, theirs, QUESTIONNAIRE, "VW", "strength", "fremd")
    async with database.reading() as session:
        everything = await notes.list_notes(session, ours)
        field_only = await notes.list_notes(session, ours, "VW")
    assert [n.text for n in everything] == ["eins", "zwei", "drei"]
    assert [n.text for n in field_only] == ["eins", "drei"]


async def test_a_note_can_be_deleted_only_in_its_own_workshop(database: Database) -> None:
    ours = await make_workshop(database)
    theirs = await make_workshop(database, "Anderer Workshop")
    async with database.writing() as session:
        keep = await notes.add_note(session, ours, QUESTIONNAIRE, "TH", "need", "bleibt")
        drop = await notes.add_note(session, ours, QUESTIONNAIRE, "TH", "need", "weg")
    async with database.writing() as session:
        with pytest.raises(NotFound, match="Notiz"):
            await notes.delete_note(session, theirs, keep.id)
        await notes.delete_note(session, ours, drop.id)
    async with database.writing() as session:
        with pytest.raises(NotFound):
            await notes.delete_note(session, ours, drop.id)
        assert [n.id for n in await notes.list_notes(session, ours)] == [keep.id]
