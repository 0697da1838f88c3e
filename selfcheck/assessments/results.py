"""The administration's result per field, ready for pages, the API and reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from selfcheck.questionnaire.schema import Category, Field, Question, Questionnaire
from selfcheck.questionnaire.scoring import FieldResult, score


@dataclass(frozen=True)
class FieldOutcome:
    field: Field
    result: FieldResult
    category: Category | None  # None: "nicht bewertbar"
    suggestions: list[str]
    open_questions: list[Question]  # skipped or "weiß nicht"


def field_outcomes(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[FieldOutcome]:
    categories = {c.number: c for c in questionnaire.categories}
    outcomes = []
    for field, result in zip(questionnaire.fields, score(questionnaire, answers), strict=True):
        category = categories.get(result.category) if result.category is not None else None
        outcomes.append(
            FieldOutcome(
                field=field,
                result=result,
                category=category,
                suggestions=field.suggestions.get(category.number, []) if category else [],
                open_questions=_open_questions(questionnaire, field, answers),
            )
        )
    return outcomes


def _open_questions(
    questionnaire: Questionnaire, field: Field, answers: Mapping[str, str]
) -> list[Question]:
    real_values = {option.value for option in questionnaire.scale.options}
    return [q for q in field.questions if answers.get(q.id) not in real_values]
