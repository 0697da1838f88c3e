"""Writing and reading the action plan. Plain async functions over a session; the checks
that need no database live in `rules.py`."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from selfcheck.actionplan.rules import (
    MAX_TEXT_LENGTH,
    MeasureInput,
    parse_month,
    question_of,
    same_department,
    short_title,
)
from selfcheck.db.models import (
    Assessment,
    Measure,
    MeasureStatusChange,
    StaffInvitation,
    Workshop,
    WorkshopNote,
    utcnow,
)
from selfcheck.errors import InvalidInput, NotAllowed, NotFound
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.text_input import optional_text
from selfcheck.vocabulary import MeasureSource, MeasureStatus, NoteKind

CARRIED_OVER_BY = "Fortschreibung"
CONFLICT = (
    "Die Maßnahme wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu "
    "und tragen Sie Ihre Änderung dann erneut ein."
)


async def create_measure(
    session: AsyncSession,
    assessment: Assessment,
    questionnaire: Questionnaire,
    entry: MeasureInput,
    *,
    by: str,
    source: MeasureSource = MeasureSource.FREE,
    source_note_id: int | None = None,
    source_question_id: str | None = None,
) -> Measure:
    measure = _new_measure(
        assessment, entry.checked(questionnaire), MeasureStatus.PLANNED, source, utcnow()
    )
    measure.source_note_id = source_note_id
    measure.source_question_id = source_question_id
    return await _insert(session, measure, by=by)


def _new_measure(
    assessment: Assessment,
    content: MeasureInput | Measure,
    status: str,
    source: str,
    created_at: datetime,
) -> Measure:
    """A measure in its first version with the content of a form entry or of another
    measure; the caller links it to the note, question or measure it came from."""
    measure = Measure(
        assessment_id=assessment.id,
        status=status,
        source=source,
        version=1,
        created_at=created_at,
        updated_at=created_at,
    )
    _set_content(measure, content)
    return measure


def _set_content(measure: Measure, content: MeasureInput | Measure) -> None:
    """Writes what a person enters for a measure (the fields of `MeasureInput`), taken from
    a form entry or, when a measure is carried over, from its original."""
    measure.field_id = content.field_id
    measure.question_ids = list(content.question_ids)
    measure.title = content.title
    measure.description = content.description
    measure.responsible = content.responsible
    measure.deadline = content.deadline
    measure.priority = content.priority


async def _insert(session: AsyncSession, measure: Measure, *, by: str, reason: str = "") -> Measure:
    """A new measure with the first entry of its history: the status it starts in."""
    session.add(measure)
    await session.flush()
    session.add(
        MeasureStatusChange(
            measure_id=measure.id,
            old_status=None,
            new_status=measure.status,
            changed_by=by,
            changed_at=measure.created_at,
            reason=reason,
        )
    )
    await session.flush()
    return measure


async def adopt_workshop_note(
    session: AsyncSession,
    assessment: Assessment,
    questionnaire: Questionnaire,
    note_id: int,
    *,
    by: str,
) -> Measure:
    """A workshop note of kind "Maßnahme" as a measure, keeping the link to the note. Its
    responsible person and timeframe come along (a timeframe that names no month goes into
    the description)."""
    note = await session.scalar(
        select(WorkshopNote)
        .join(Workshop)
        .where(WorkshopNote.id == note_id, Workshop.assessment_id == assessment.id)
    )
    if note is None:
        raise NotFound("Diese Workshop-Notiz gibt es in diesem Selbstcheck nicht.")
    if note.kind != NoteKind.MEASURE:
        raise InvalidInput(
            f"Nur Notizen der Art „{NoteKind.MEASURE.label}“ können in den Maßnahmenplan "
            f"übernommen werden; diese ist eine Notiz der Art „{NoteKind(note.kind).label}“."
        )
    deadline, description = _deadline_and_description(note.text, note.timeframe)
    entry = MeasureInput(
        field_id=note.field_id,
        title=short_title(note.text),
        description=description,
        responsible=note.responsible,
        deadline=deadline,
    )
    return await create_measure(
        session, assessment, questionnaire, entry, by=by,
        source=MeasureSource.WORKSHOP_NOTE, source_note_id=note.id,
    )  # fmt: skip


def _deadline_and_description(text: str, timeframe: str) -> tuple[date | None, str]:
    description = text.strip() if short_title(text) != text.strip() else ""
    try:
        return parse_month(timeframe), description
    except InvalidInput:
        addition = f"Zeitrahmen laut Workshop: {timeframe.strip()}"
        joined = f"{description}\n\n{addition}" if description else addition
        return None, joined[:MAX_TEXT_LENGTH]


async def adopt_next_step(
    session: AsyncSession,
    assessment: Assessment,
    questionnaire: Questionnaire,
    question_id: str,
    *,
    by: str,
) -> Measure:
    """A question's next step (its `suggestion`) as a measure addressing that question."""
    question, field = question_of(questionnaire, question_id)
    if not question.suggestion:
        raise InvalidInput(f"Zu Frage {question.id} ist kein nächster Schritt hinterlegt.")
    title = short_title(question.suggestion)
    entry = MeasureInput(
        field_id=field.id,
        title=title,
        description=question.suggestion if title != question.suggestion else "",
        question_ids=(question.id,),
    )
    return await create_measure(
        session, assessment, questionnaire, entry, by=by,
        source=MeasureSource.NEXT_STEP, source_question_id=question.id,
    )  # fmt: skip


async def update_measure(
    session: AsyncSession,
    measure: Measure,
    questionnaire: Questionnaire,
    entry: MeasureInput,
    *,
    base_version: int | None = None,
) -> Measure:
    entry = entry.checked(questionnaire)
    if base_version is not None:
        _check_version(measure, base_version)
    _set_content(measure, entry)
    _touch(measure)
    await session.flush()
    return measure


async def change_status(
    session: AsyncSession,
    measure: Measure,
    status: MeasureStatus,
    *,
    by: str,
    reason: str = "",
    base_version: int | None = None,
) -> MeasureStatusChange:
    """A new status, or the same one with a note: both are kept in the history."""
    reason = optional_text(reason, MAX_TEXT_LENGTH, what="Die Begründung")
    if status == measure.status and not reason:
        raise InvalidInput(
            f"Die Maßnahme ist schon „{status.label}“. Wählen Sie einen anderen Stand oder "
            "schreiben Sie eine Notiz."
        )
    if base_version is not None:
        _check_version(measure, base_version)
    change = MeasureStatusChange(
        measure_id=measure.id,
        old_status=measure.status,
        new_status=status,
        changed_by=by,
        changed_at=utcnow(),
        reason=reason,
    )
    measure.status = status
    _touch(measure)
    session.add(change)
    await session.flush()
    return change


async def delete_measure(session: AsyncSession, measure: Measure) -> None:
    await session.delete(measure)
    await session.flush()


def _check_version(measure: Measure, base_version: int) -> None:
    if measure.version != base_version:
        raise NotAllowed(CONFLICT)


def _touch(measure: Measure) -> None:
    measure.version += 1
    measure.updated_at = utcnow()


# --- Reading ---------------------------------------------------------------------------


async def measures_of(session: AsyncSession, assessment_id: int) -> list[Measure]:
    """The plan with each measure's history, in field order of creation."""
    result = await session.scalars(
        select(Measure)
        .where(Measure.assessment_id == assessment_id)
        .options(selectinload(Measure.changes))
        .order_by(Measure.id)
    )
    return list(result)


async def measure_in(session: AsyncSession, assessment_id: int, measure_id: int) -> Measure:
    measure = await session.scalar(
        select(Measure)
        .where(Measure.id == measure_id, Measure.assessment_id == assessment_id)
        .options(selectinload(Measure.changes))
    )
    if measure is None:
        raise NotFound("Diese Maßnahme gibt es (nicht mehr) im Maßnahmenplan.")
    return measure


async def assessment_id_of(session: AsyncSession, measure_id: int) -> int:
    """The assessment a measure belongs to, so its access can be checked before it is read."""
    assessment_id = await session.scalar(
        select(Measure.assessment_id).where(Measure.id == measure_id)
    )
    if assessment_id is None:
        raise NotFound("Diese Maßnahme gibt es (nicht mehr) im Maßnahmenplan.")
    return assessment_id


async def source_note(session: AsyncSession, measure: Measure) -> WorkshopNote | None:
    """The workshop note a measure was adopted from, if any."""
    if measure.source_note_id is None:
        return None
    return await session.get(WorkshopNote, measure.source_note_id)


async def workshop_measure_notes(session: AsyncSession, assessment_id: int) -> list[WorkshopNote]:
    """The notes of kind "Maßnahme" from the assessment's real (not trial) workshops: what
    the plan offers to adopt."""
    result = await session.scalars(
        select(WorkshopNote)
        .join(Workshop)
        .where(
            Workshop.assessment_id == assessment_id,
            WorkshopNote.kind == NoteKind.MEASURE,
            Workshop.trial.is_(False),
        )
        .order_by(WorkshopNote.id)
    )
    return list(result)


async def adopted_sources(session: AsyncSession, assessment_id: int) -> tuple[set[int], set[str]]:
    """Note ids and question ids already in the plan, so a button can say so."""
    rows = await session.execute(
        select(Measure.source_note_id, Measure.source_question_id).where(
            Measure.assessment_id == assessment_id
        )
    )
    notes: set[int] = set()
    questions: set[str] = set()
    for note_id, question_id in rows:
        if note_id is not None:
            notes.add(note_id)
        if question_id is not None:
            questions.add(question_id)
    return notes, questions


def may_update(invitation: StaffInvitation, measure: Measure) -> bool:
    """Staff update a measure only if the moderator allowed it on their invitation and
    the measure is assigned to their department."""
    return invitation.may_update_measures and same_department(
        invitation.department, measure.responsible
    )


def allow_measure_updates(invitation: StaffInvitation, allowed: bool) -> None:
    """The moderator lets the invited person keep the status of their department's measures
    up to date, or takes that back."""
    invitation.may_update_measures = allowed


# --- Repeat assessments ----------------------------------------------------------------


async def carry_over_open_measures(
    session: AsyncSession, source: Assessment, target: Assessment
) -> int:
    """Copy the open measures (geplant, in Umsetzung, zurückgestellt) of `source` into the
    plan of `target`, each linked to its original. Returns how many were copied."""
    open_statuses = [s.value for s in MeasureStatus if s.is_open]
    originals = await session.scalars(
        select(Measure)
        .where(Measure.assessment_id == source.id, Measure.status.in_(open_statuses))
        .order_by(Measure.id)
    )
    now = utcnow()
    copied = 0
    for original in originals:
        copy = _new_measure(target, original, original.status, original.source, now)
        copy.source_question_id = original.source_question_id
        copy.carried_from_id = original.id
        await _insert(session, copy, by=CARRIED_OVER_BY, reason=f"Übernommen aus „{source.title}“.")
        copied += 1
    return copied


async def measures_implemented_since(
    session: AsyncSession, municipality_id: int, since: datetime | None
) -> list[Measure]:
    """Measures of the municipality's plans (any of its assessments, so a measure carried
    into the next plan counts too) that are "umgesetzt" now and were set to it after
    `since` (any time, if None)."""
    became_done = select(MeasureStatusChange.id).where(
        MeasureStatusChange.measure_id == Measure.id,
        MeasureStatusChange.new_status == MeasureStatus.DONE,
    )
    if since is not None:
        became_done = became_done.where(MeasureStatusChange.changed_at > since)
    query = (
        select(Measure)
        .join(Assessment, Assessment.id == Measure.assessment_id)
        .where(
            Assessment.municipality_id == municipality_id,
            Measure.status == MeasureStatus.DONE,
            became_done.exists(),
        )
        .order_by(Measure.id)
    )
    return list(await session.scalars(query))
