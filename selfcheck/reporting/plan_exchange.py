"""The action plan in the export file: reading it from the database, checking it against
the questionnaire and the file's own notes, and writing it back on import."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan.rules import checked_question_ids, month_value
from selfcheck.actionplan.services import measures_of
from selfcheck.db.models import Assessment, Measure, MeasureStatusChange, Workshop, WorkshopNote
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.export_format import (
    AssessmentExport,
    MeasureChangeData,
    MeasureData,
    NoteRef,
)
from selfcheck.vocabulary import NoteKind


async def _note_places(session: AsyncSession, assessment_id: int) -> list[list[int]]:
    """Note ids per workshop, in the order the export lists workshops and notes."""
    rows = await session.execute(
        select(Workshop.id, WorkshopNote.id)
        .join(WorkshopNote, WorkshopNote.workshop_id == Workshop.id)
        .where(Workshop.assessment_id == assessment_id)
        .order_by(Workshop.id, WorkshopNote.id)
    )
    workshop_ids = list(
        await session.scalars(
            select(Workshop.id).where(Workshop.assessment_id == assessment_id).order_by(Workshop.id)
        )
    )
    notes: dict[int, list[int]] = defaultdict(list)
    for workshop_id, note_id in rows:
        notes[workshop_id].append(note_id)
    return [notes[workshop_id] for workshop_id in workshop_ids]


async def export_measures(session: AsyncSession, assessment_id: int) -> list[MeasureData]:
    places = {
        note_id: NoteRef(workshop=w, note=n)
        for w, note_ids in enumerate(await _note_places(session, assessment_id), start=1)
        for n, note_id in enumerate(note_ids, start=1)
    }
    return [
        MeasureData(
            field_id=m.field_id,
            question_ids=list(m.question_ids),
            title=m.title,
            description=m.description,
            responsible=m.responsible,
            deadline=month_value(m.deadline) or None,
            priority=m.priority,  # type: ignore[arg-type]  # the database checks the values
            status=m.status,  # type: ignore[arg-type]
            source=m.source,  # type: ignore[arg-type]
            source_note=places.get(m.source_note_id) if m.source_note_id else None,
            source_question_id=m.source_question_id,
            created_at=m.created_at,
            updated_at=m.updated_at,
            history=[
                MeasureChangeData(
                    old_status=c.old_status,  # type: ignore[arg-type]
                    new_status=c.new_status,  # type: ignore[arg-type]
                    changed_by=c.changed_by,
                    changed_at=c.changed_at,
                    reason=c.reason,
                )
                for c in m.changes
            ],
        )
        for m in await measures_of(session, assessment_id)
    ]


def measure_problems(questionnaire: Questionnaire, export: AssessmentExport) -> Iterator[str]:
    for number, measure in enumerate(export.measures, start=1):
        where = f"Maßnahme {number} („{measure.title}“)"
        try:
            checked_question_ids(questionnaire, measure.field_id, measure.question_ids)
        except InvalidInput as error:
            yield f"{where}: {error.message}"
        if not measure.history or measure.history[-1].new_status != measure.status:
            yield f"{where}: Der Verlauf muss mit dem aktuellen Stand „{measure.status}“ enden."
        ref = measure.source_note
        if ref is not None and not _is_measure_note(export, ref):
            yield f"{where}: Die genannte Workshop-Notiz gibt es nicht oder ist keine Maßnahme."


def _is_measure_note(export: AssessmentExport, ref: NoteRef) -> bool:
    if ref.workshop > len(export.workshops):
        return False
    notes = export.workshops[ref.workshop - 1].notes
    return ref.note <= len(notes) and NoteKind(notes[ref.note - 1].kind) == NoteKind.MEASURE


async def write_measures(
    session: AsyncSession, assessment: Assessment, export: AssessmentExport
) -> None:
    """After the workshops and their notes are written (in the file's order)."""
    places = await _note_places(session, assessment.id)
    for data in export.measures:
        ref = data.source_note
        measure = Measure(
            assessment_id=assessment.id,
            field_id=data.field_id,
            question_ids=list(data.question_ids),
            title=data.title,
            description=data.description,
            responsible=data.responsible,
            deadline=date.fromisoformat(f"{data.deadline}-01") if data.deadline else None,
            priority=data.priority,
            status=data.status,
            source=data.source,
            source_note_id=places[ref.workshop - 1][ref.note - 1] if ref else None,
            source_question_id=data.source_question_id,
            version=len(data.history) or 1,
            created_at=data.created_at,
            updated_at=data.updated_at,
        )
        session.add(measure)
        await session.flush()
        session.add_all(
            MeasureStatusChange(
                measure_id=measure.id,
                old_status=c.old_status,
                new_status=c.new_status,
                changed_by=c.changed_by,
                changed_at=c.changed_at,
                reason=c.reason,
            )
            for c in data.history
        )
    await session.flush()
