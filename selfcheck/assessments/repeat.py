"""Repeat assessments (Fortschreibung): the next Selbstcheck of a municipality, built on
the previous one.

The new assessment uses the newest installed questionnaire version and points back to
the previous assessment. Answers to questions that kept their meaning (same id, same text,
same scale; see `questionnaire.versions`) are copied with their comments as a starting
point and marked `carried_over` ("übernommen – bitte bestätigen"). Changed and new
questions stay open.

Decisions:
- Carried-over answers count for the result like any other answer: the result of a repeat
  assessment is meaningful from the first day, and staff see what they are confirming.
- Progress shows per field how many are still to be confirmed, and submitting warns while
  any are; it does not block, because a moderator may decide that the old answers stand.
- Confirming clears the mark and records who confirmed; it does not count as a change of
  the answer (no new version), so nobody's open page runs into a conflict. Changing the
  answer clears the mark as well.
- "Nicht zutreffend" is only carried over where the new question still allows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments import setup
from selfcheck.assessments.answers import add_recorded_answer, ensure_open
from selfcheck.db.models import Answer, Assessment, utcnow
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.versions import unchanged_questions


def questionnaires_for_follow_up(
    registry: QuestionnaireRegistry, previous: Assessment
) -> tuple[Questionnaire, Questionnaire]:
    """The previous assessment's questionnaire and the newest version of it."""
    try:
        old = registry.get(previous.questionnaire_id, previous.questionnaire_version)
        new = registry.latest(previous.questionnaire_id)
    except KeyError:
        raise InvalidInput(
            f"Der Fragebogen „{previous.questionnaire_id}“ in Version "
            f"„{previous.questionnaire_version}“ ist auf diesem System nicht installiert; "
            "ein Selbstcheck auf seiner Grundlage ist deshalb nicht möglich."
        ) from None
    return old, new


def carried_question_ids(
    old: Questionnaire, new: Questionnaire, previous_answers: Collection[Answer]
) -> set[str]:
    """The questions whose previous answers (or comments) will be copied."""
    keep = unchanged_questions(old, new)
    values = {o.value for o in new.scale.options} | {new.scale.dont_know.value, None}
    not_applicable = new.scale.not_applicable
    may_not_apply = {q.id for f in new.fields for q in f.questions if q.may_not_apply}
    carried = set()
    for answer in previous_answers:
        if answer.question_id not in keep or (answer.value is None and not answer.comment):
            continue
        fits = answer.value in values or (
            not_applicable is not None
            and answer.value == not_applicable.value
            and answer.question_id in may_not_apply
        )
        if fits:
            carried.add(answer.question_id)
    return carried


async def answers_of(session: AsyncSession, assessment_id: int) -> list[Answer]:
    result = await session.execute(select(Answer).where(Answer.assessment_id == assessment_id))
    return list(result.scalars())


async def start_follow_up(
    session: AsyncSession,
    registry: QuestionnaireRegistry,
    previous: Assessment,
    title: str,
) -> Assessment:
    """Create the next assessment of `previous`'s municipality on the newest questionnaire,
    linked to `previous`, with the unchanged answers carried over."""
    old, new = questionnaires_for_follow_up(registry, previous)
    await session.refresh(previous, ["municipality"])
    assessment = await setup.create_assessment(session, previous.municipality, new, title)
    assessment.previous_assessment_id = previous.id
    previous_answers = await answers_of(session, previous.id)
    carried = carried_question_ids(old, new, previous_answers)
    source = f"Übernommen aus „{previous.title}“"[:200]
    now = utcnow()
    for answer in previous_answers:
        if answer.question_id in carried:
            await add_recorded_answer(
                session, assessment.id, answer.question_id, answer.value,
                comment=answer.comment, editor=source, at=now, carried_over=True,
            )  # fmt: skip
    await session.flush()
    return assessment


async def confirm_answers(
    session: AsyncSession, assessment: Assessment, question_ids: Collection[str], editor: str
) -> int:
    """Confirm carried-over answers as they are; returns how many were still unconfirmed."""
    await ensure_open(session, assessment)
    if not question_ids:
        return 0
    result = await session.execute(
        update(Answer)
        .where(
            Answer.assessment_id == assessment.id,
            Answer.question_id.in_(list(question_ids)),
            Answer.carried_over.is_(True),
        )
        .values(carried_over=False, updated_by=editor, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def unconfirmed_questions(session: AsyncSession, assessment_id: int) -> set[str]:
    """Ids of the carried-over answers nobody has confirmed or changed yet."""
    result = await session.execute(
        select(Answer.question_id).where(
            Answer.assessment_id == assessment_id, Answer.carried_over.is_(True)
        )
    )
    return set(result.scalars())


def unconfirmed_per_field(questionnaire: Questionnaire, unconfirmed: set[str]) -> dict[str, int]:
    """Field id -> number of carried-over answers still to be confirmed (fields with none
    are left out, so an empty dict means "nothing to confirm")."""
    counts = Counter(f.id for f in questionnaire.fields for q in f.questions if q.id in unconfirmed)
    return dict(counts)


async def carried_per_field(
    session: AsyncSession, questionnaire: Questionnaire, assessment: Assessment
) -> dict[str, int]:
    """The progress tables' column "Übernommen, noch zu bestätigen"."""
    return unconfirmed_per_field(questionnaire, await unconfirmed_questions(session, assessment.id))
