"""Scoring of answers per field of action. Pure functions, no I/O.

Thresholds are compared as exact fractions: a share of 3/4 must land in a category with
min_share 0.75, and a share of 1/10 must reach min_share 0.1, although the float 0.1 is a
little more than 1/10.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import msgspec

from selfcheck.questionnaire.schema import Field, Questionnaire


class FieldResult(msgspec.Struct, frozen=True, kw_only=True):
    field_id: str
    questions: int
    answered: int  # real answers (scale options); "weiß nicht" does not count
    dont_know: int
    skipped: int
    reached_points: int
    reachable_points: int  # max points of the answered questions only
    share: float  # reached / reachable, 0.0 when nothing was answered
    coverage: float  # answered / questions
    category: int | None  # None: "nicht bewertbar" (too few answers)


def score(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[FieldResult]:
    """One result per field, in field order."""
    return [score_field(questionnaire, field, answers) for field in questionnaire.fields]


def score_field(
    questionnaire: Questionnaire, field: Field, answers: Mapping[str, str]
) -> FieldResult:
    """Score `field`. `answers` maps question ids to answer values; questions without an
    entry count as skipped, entries for other questions are ignored.

    Raises ValueError for an answer value that is neither a scale option nor "weiß nicht".
    """
    scale = questionnaire.scale
    points = {option.value: option.points for option in scale.options}
    max_points = max(points.values(), default=0)
    answered = dont_know = reached = 0
    for question in field.questions:
        value = answers.get(question.id)
        if value is None:
            continue
        if value == scale.dont_know.value:
            dont_know += 1
        elif value in points:
            answered += 1
            reached += points[value]
        else:
            raise ValueError(f"Unbekannte Antwort {value!r} auf Frage {question.id!r}.")
    reachable = answered * max_points
    exact_share = Fraction(reached, reachable) if reachable else Fraction(0)
    total = len(field.questions)
    exact_coverage = Fraction(answered, total) if total else Fraction(0)
    evaluable = answered > 0 and exact_coverage >= _exact(questionnaire.min_coverage)
    return FieldResult(
        field_id=field.id,
        questions=total,
        answered=answered,
        dont_know=dont_know,
        skipped=total - answered - dont_know,
        reached_points=reached,
        reachable_points=reachable,
        share=float(exact_share),
        coverage=float(exact_coverage),
        category=category_for_share(questionnaire, exact_share) if evaluable else None,
    )


def category_for_share(questionnaire: Questionnaire, share: float | Fraction) -> int | None:
    """Number of the first category (in list order) whose min_share `share` reaches.

    A float share is taken as the decimal it prints as, so 0.1 reaches min_share 0.1.
    None only if no category is reached, which a validated questionnaire rules out.
    """
    exact = share if isinstance(share, Fraction) else _exact(share)
    for category in questionnaire.categories:
        if exact >= _exact(category.min_share):
            return category.number
    return None


def _exact(value: float) -> Fraction:
    # repr gives the shortest decimal that round-trips, i.e. what the YAML file said.
    return Fraction(repr(value))
