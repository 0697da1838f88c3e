"""Small-group notes per field: strengths, needs for action and measures."""

from __future__ import annotations

from typing import Final

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Workshop, WorkshopNote
from selfcheck.errors import InvalidInput, NotFound
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.text_input import optional_text, required_text
from selfcheck.vocabulary import NoteKind
from selfcheck.workshop.inputs import chosen_field

NOTE_TEXT_MAX: Final = 2000
NOTE_DETAIL_MAX: Final = 200


def note_kind(kind: str) -> NoteKind:
    try:
        return NoteKind(kind)
    except ValueError:
        raise InvalidInput("Bitte wählen Sie Stärken, Handlungsbedarf oder Maßnahmen.") from None


async def add_note(
    session: AsyncSession,
    workshop: Workshop,
    questionnaire: Questionnaire,
    field_id: str,
    kind: str,
    text: str,
    responsible: str = "",
    timeframe: str = "",
) -> WorkshopNote:
    """A strength, need for action or measure for one field. Only measures have a
    responsible person/office and a timeframe."""
    field = chosen_field(questionnaire, field_id)
    checked_kind = note_kind(kind)
    text = required_text(
        text, NOTE_TEXT_MAX, what="Der Text", missing="Bitte geben Sie einen Text ein."
    )
    responsible = optional_text(responsible, NOTE_DETAIL_MAX, what="Die Angabe „Verantwortlich“")
    timeframe = optional_text(timeframe, NOTE_DETAIL_MAX, what="Die Angabe „Zeitrahmen“")
    if checked_kind != NoteKind.MEASURE and (responsible or timeframe):
        raise InvalidInput("Verantwortliche und Zeitrahmen gibt es nur bei Maßnahmen.")
    note = WorkshopNote(
        workshop_id=workshop.id,
        field_id=field.id,
        kind=checked_kind,
        text=text,
        responsible=responsible,
        timeframe=timeframe,
    )
    session.add(note)
    await session.flush()
    return note


async def list_notes(
    session: AsyncSession, workshop: Workshop, field_id: str | None = None
) -> list[WorkshopNote]:
    """Notes in the order they were written, optionally of one field only."""
    conditions: list[ColumnElement[bool]] = [WorkshopNote.workshop_id == workshop.id]
    if field_id is not None:
        conditions.append(WorkshopNote.field_id == field_id)
    notes = await session.scalars(select(WorkshopNote).where(*conditions).order_by(WorkshopNote.id))
    return list(notes)


async def get_note(session: AsyncSession, workshop: Workshop, note_id: int) -> WorkshopNote:
    """A note of this workshop; any other answers "not found"."""
    note = await session.get(WorkshopNote, note_id)
    if note is None or note.workshop_id != workshop.id:
        raise NotFound("Diese Notiz gibt es nicht (mehr).")
    return note


async def delete_note(session: AsyncSession, workshop: Workshop, note_id: int) -> None:
    await remove_note(session, await get_note(session, workshop, note_id))


async def remove_note(session: AsyncSession, note: WorkshopNote) -> None:
    """Deletes a note already checked to belong to the workshop (`get_note`)."""
    await session.delete(note)
    await session.flush()
