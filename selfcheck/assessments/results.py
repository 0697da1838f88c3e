"""The administration's result per field, ready for pages, the API and reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Answer
from selfcheck.questionnaire.rules import cap_statement, provisional_statement, scoring_rules
from selfcheck.questionnaire.schema import Category, Field, Question, Questionnaire
from selfcheck.questionnaire.scoring import FieldResult, score


@dataclass(frozen=True)
class NotApplicableQuestion:
    question: Question
    reason: str  # the comment given with "nicht zutreffend"


@dataclass(frozen=True)
class FieldOutcome:
    field: Field
    result: FieldResult
    category: Category | None  # None: "nicht bewertbar"
    suggestions: list[str]  # the framing text for the field's category
    open_questions: list[Question]  # no answer at all
    dont_know_questions: list[Question]
    not_applicable: list[NotApplicableQuestion]
    next_steps: list[Question]  # their `suggestion` is the step; core criteria first
    unmet_core: list[Question]
    lower_bound: Category | None  # only for a provisional result
    cap: str  # why the core cap holds the field back; "" when it does not
    provisional: str  # what "vorläufig" means here; "" for a final result

    @property
    def share(self) -> float | None:
        """The share of points, only for a field that could be rated: a "nicht
        bewertbar" field has no meaningful share (not 0 %)."""
        return self.result.share if self.category is not None else None

    @property
    def to_revisit(self) -> list[Question]:
        """Questions still without a real answer ("weiß nicht" included), in field order."""
        ids = {q.id for q in [*self.open_questions, *self.dont_know_questions]}
        return [q for q in self.field.questions if q.id in ids]

    @property
    def topics(self) -> list[tuple[str, float | None]]:
        """The sub-topic profile, only where a field has at least two sub-topics."""
        topics = self.result.topics
        return [(t.topic, t.share) for t in topics] if len(topics) > 1 else []


def field_outcomes(
    questionnaire: Questionnaire,
    answers: Mapping[str, str],
    comments: Mapping[str, str] | None = None,
) -> list[FieldOutcome]:
    """`comments` (question id -> comment) supplies the reasons for "nicht zutreffend"."""
    categories = {c.number: c for c in questionnaire.categories}
    questions = {q.id: q for q in questionnaire.questions()}
    outcomes = []
    for field, result in zip(questionnaire.fields, score(questionnaire, answers), strict=True):
        category = categories.get(result.category) if result.category is not None else None
        lower_bound = categories.get(result.lower_bound) if result.lower_bound else None
        outcomes.append(
            FieldOutcome(
                field=field,
                result=result,
                category=category,
                suggestions=field.suggestions.get(category.number, []) if category else [],
                open_questions=[q for q in field.questions if q.id not in answers],
                dont_know_questions=[
                    q
                    for q in field.questions
                    if answers.get(q.id) == questionnaire.scale.dont_know.value
                ],
                not_applicable=_not_applicable(questionnaire, field, answers, comments or {}),
                next_steps=[questions[qid] for qid in result.next_steps],
                unmet_core=[questions[qid] for qid in result.unmet_core],
                lower_bound=lower_bound,
                cap=cap_statement(result) if result.capped_from is not None else "",
                provisional=provisional_statement(questionnaire, result, lower_bound),
            )
        )
    return outcomes


def _not_applicable(
    questionnaire: Questionnaire,
    field: Field,
    answers: Mapping[str, str],
    comments: Mapping[str, str],
) -> list[NotApplicableQuestion]:
    option = questionnaire.scale.not_applicable
    if option is None:
        return []
    return [
        NotApplicableQuestion(q, comments.get(q.id, "").strip())
        for q in field.questions
        if answers.get(q.id) == option.value
    ]


@dataclass(frozen=True)
class Results:
    """What a results page shows: the outcome per field and the rules behind them."""

    outcomes: list[FieldOutcome]
    rules: list[str]


async def assessment_results(
    session: AsyncSession, questionnaire: Questionnaire, assessment_id: int
) -> Results:
    rows = await session.execute(
        select(Answer.question_id, Answer.value, Answer.comment).where(
            Answer.assessment_id == assessment_id, Answer.value.is_not(None)
        )
    )
    answers: dict[str, str] = {}
    comments: dict[str, str] = {}
    for question_id, value, comment in rows:
        if value is not None:
            answers[question_id], comments[question_id] = value, comment
    return Results(
        outcomes=field_outcomes(questionnaire, answers, comments),
        rules=scoring_rules(questionnaire),
    )
