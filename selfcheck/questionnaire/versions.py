"""What stays comparable between two questionnaire versions (pure rules).

A question counts as unchanged when it keeps its id and its exact text, and the answer
scale keeps the same values with the same points (a newly offered "nicht zutreffend"
does not change what the other answers mean). Only such answers are carried over
into a repeat assessment and only they are compared across the years; everything else
is named (geändert, neu, entfallen), never silently compared. Help texts, sub-topics and
core marks may change: they do not change what an answer means. A question that moved
to another field counts as gone from the old field and new in the other one.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfcheck.questionnaire.schema import Questionnaire, Scale
from selfcheck.vocabulary import QuestionChange


@dataclass(frozen=True)
class ChangedQuestion:
    question_id: str
    change: QuestionChange
    text: str  # the newer text where there is one

    def describe(self) -> str:
        return f"Frage {self.question_id} {self.change.label}"


def same_scale(old: Scale, new: Scale) -> bool:
    """Same answer values worth the same points: an answer means the same in both."""

    def key(scale: Scale) -> tuple[object, ...]:
        return (tuple((o.value, o.points) for o in scale.options), scale.dont_know.value)

    return key(old) == key(new)


def unchanged_questions(old: Questionnaire, new: Questionnaire) -> set[str]:
    """Ids of the questions whose answers keep their meaning from `old` to `new`."""
    if not same_scale(old.scale, new.scale):
        return set()
    old_texts = {q.id: q.text for f in old.fields for q in f.questions}
    return {q.id for f in new.fields for q in f.questions if old_texts.get(q.id) == q.text}


def field_changes(old: Questionnaire, new: Questionnaire, field_id: str) -> list[ChangedQuestion]:
    """Per field of `new`: the questions that cannot be compared with `old`, in the order
    of the newer questionnaire, then the ones that were dropped."""
    scale_same = same_scale(old.scale, new.scale)
    old_questions = {q.id: q for f in old.fields if f.id == field_id for q in f.questions}
    new_questions = [q for f in new.fields if f.id == field_id for q in f.questions]
    changes = []
    for question in new_questions:
        before = old_questions.get(question.id)
        if before is None:
            changes.append(ChangedQuestion(question.id, QuestionChange.NEW, question.text))
        elif before.text != question.text or not scale_same:
            changes.append(ChangedQuestion(question.id, QuestionChange.CHANGED, question.text))
    new_ids = {q.id for q in new_questions}
    changes.extend(
        ChangedQuestion(q.id, QuestionChange.REMOVED, q.text)
        for q in old_questions.values()
        if q.id not in new_ids
    )
    return changes
