"""The shared answer sheet: saving with conflict detection, and the history per question.

Every save names the version of the answer the editor started from. If somebody else saved
in the meantime, the save is not applied; the editor gets the other answer back and chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Answer, AnswerChange, Assessment, utcnow
from selfcheck.errors import InvalidInput, NotAllowed
from selfcheck.observability import record_answer_saved, record_conflict
from selfcheck.questionnaire.schema import Question, Questionnaire
from selfcheck.text_input import check_length
from selfcheck.vocabulary import AssessmentStatus

MAX_COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class AnswerState:
    question_id: str
    value: str | None
    comment: str
    version: int  # 0: nobody has answered yet
    updated_by: str | None
    updated_at: datetime | None
    carried_over: bool = False  # copied from the previous assessment, not yet confirmed

    @classmethod
    def of(cls, answer: Answer) -> AnswerState:
        return cls(
            answer.question_id,
            answer.value,
            answer.comment,
            answer.version,
            answer.updated_by,
            answer.updated_at,
            answer.carried_over,
        )

    @classmethod
    def empty(cls, question_id: str) -> AnswerState:
        return cls(question_id, None, "", 0, None, None)


@dataclass(frozen=True)
class Saved:
    answer: AnswerState


@dataclass(frozen=True)
class Conflict:
    """Somebody else changed the answer since `base_version`; nothing was stored."""

    theirs: AnswerState


def validate_answer(
    questionnaire: Questionnaire, question_id: str, value: str | None, comment: str
) -> None:
    question = questionnaire.question(question_id)
    if question is None:
        raise InvalidInput(f"Die Frage „{question_id}“ gibt es in diesem Fragebogen nicht.")
    scale = questionnaire.scale
    not_applicable = scale.not_applicable
    if not_applicable is not None and value == not_applicable.value:
        _check_not_applicable(question, not_applicable.label, comment)
    else:
        allowed = {o.value for o in scale.options} | {scale.dont_know.value}
        if value is not None and value not in allowed:
            labels = ", ".join(f"„{o.label}“" for o in scale.options)
            raise InvalidInput(
                f"„{value}“ ist keine mögliche Antwort. Möglich sind {labels} und"
                f" „{scale.dont_know.label}“."
            )
    check_length(comment, MAX_COMMENT_LENGTH, "Der Kommentar")


def _check_not_applicable(question: Question, label: str, comment: str) -> None:
    """ "Nicht zutreffend" takes a question out of the result, so it is only offered where
    the questionnaire allows it, and the reason must be on record for the report."""
    if not question.may_not_apply:
        raise InvalidInput(
            f"„{label}“ ist bei Frage {question.id} nicht vorgesehen. Bitte wählen Sie eine "
            "der anderen Antworten."
        )
    if not comment.strip():
        raise InvalidInput(
            f"Bitte begründen Sie „{label}“ kurz im Kommentar, zum Beispiel: „Zuständig ist "
            "der Kreis.“ Die Begründung erscheint im Ergebnis."
        )


async def save_answer(
    session: AsyncSession,
    assessment: Assessment,
    questionnaire: Questionnaire,
    *,
    question_id: str,
    value: str | None,
    comment: str,
    base_version: int,
    editor: str,
) -> Saved | Conflict:
    validate_answer(questionnaire, question_id, value, comment)
    await ensure_open(session, assessment)
    current = await _locked_answer(session, assessment.id, question_id)
    if current is None:
        inserted = await _insert_first_answer(
            session, assessment.id, question_id, value, comment, editor
        )
        if inserted is not None:
            record_answer_saved()
            return Saved(AnswerState.of(inserted))
        # Somebody saved the first answer at the same moment: handle it as a change.
        current = await _locked_answer(session, assessment.id, question_id)
        assert current is not None
    if (current.value, current.comment) == (value, comment):
        # A repeated save (e.g. a retry) changes nothing; saving a carried-over answer
        # unchanged confirms it.
        if current.carried_over:
            current.carried_over = False
            current.updated_by, current.updated_at = editor, utcnow()
            await session.flush()
        return Saved(AnswerState.of(current))
    if current.version != base_version:
        record_conflict()
        return Conflict(AnswerState.of(current))
    current.value, current.comment = value, comment
    current.carried_over = False
    current.version += 1
    current.updated_by, current.updated_at = editor, utcnow()
    session.add(_change_of(current))
    await session.flush()
    record_answer_saved()
    return Saved(AnswerState.of(current))


async def ensure_open(session: AsyncSession, assessment: Assessment) -> None:
    # Re-read under a share lock, so a concurrent submit cannot slip in between (PostgreSQL;
    # on SQLite the write transaction already holds the database lock).
    status = await session.scalar(
        select(Assessment.status).where(Assessment.id == assessment.id).with_for_update(read=True)
    )
    if status != AssessmentStatus.OPEN:
        raise NotAllowed(
            "Der Fragebogen ist abgeschlossen und kann nicht mehr geändert werden."
            " Die Moderation kann ihn wieder öffnen."
        )


async def _locked_answer(
    session: AsyncSession, assessment_id: int, question_id: str
) -> Answer | None:
    result = await session.execute(
        select(Answer)
        .where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def _insert_first_answer(
    session: AsyncSession,
    assessment_id: int,
    question_id: str,
    value: str | None,
    comment: str,
    editor: str,
) -> Answer | None:
    answer = Answer(
        assessment_id=assessment_id,
        question_id=question_id,
        value=value,
        comment=comment,
        version=1,
        updated_by=editor,
        updated_at=utcnow(),
    )
    try:
        async with session.begin_nested():
            session.add(answer)
            await session.flush()
            session.add(_change_of(answer))
            await session.flush()
    except IntegrityError:
        return None
    return answer


async def add_recorded_answer(
    session: AsyncSession,
    assessment_id: int,
    question_id: str,
    value: str | None,
    *,
    comment: str = "",
    editor: str,
    at: datetime,
    carried_over: bool = False,
) -> Answer:
    """A first answer with its history entry, written as it is (no checks, no conflict
    handling): for answers carried over or seeded, never for what people type."""
    answer = Answer(
        assessment_id=assessment_id, question_id=question_id, value=value, comment=comment,
        version=1, updated_by=editor, updated_at=at, carried_over=carried_over,
    )  # fmt: skip
    session.add(answer)
    await session.flush()
    session.add(_change_of(answer))
    return answer


def _change_of(answer: Answer) -> AnswerChange:
    return AnswerChange(
        answer_id=answer.id,
        version=answer.version,
        value=answer.value,
        comment=answer.comment,
        changed_by=answer.updated_by,
        changed_at=answer.updated_at,
    )


async def answer_sheet(session: AsyncSession, assessment_id: int) -> dict[str, AnswerState]:
    result = await session.execute(select(Answer).where(Answer.assessment_id == assessment_id))
    return {a.question_id: AnswerState.of(a) for a in result.scalars()}


async def answer_values(session: AsyncSession, assessment_id: int) -> dict[str, str]:
    """Question id -> chosen value, for every question that has a value (input to scoring)."""
    rows = await session.execute(
        select(Answer.question_id, Answer.value).where(
            Answer.assessment_id == assessment_id, Answer.value.is_not(None)
        )
    )
    return {question_id: value for question_id, value in rows if value is not None}


async def answer_history(
    session: AsyncSession, assessment_id: int, question_id: str
) -> list[AnswerChange]:
    """Every saved state of one answer, newest first."""
    result = await session.execute(
        select(AnswerChange)
        .join(Answer)
        .where(Answer.assessment_id == assessment_id, Answer.question_id == question_id)
        .order_by(AnswerChange.version.desc())
    )
    return list(result.scalars())
