"""Scoring of answers per field of action. Pure functions, no I/O.

Thresholds are compared as exact fractions: a share of 3/4 must land in a category with
min_share 0.75, and a share of 1/10 must reach min_share 0.1, although the float 0.1 is a
little more than 1/10.

On top of the share, three rules of the questionnaire file shape a result:
- "nicht zutreffend" takes a question out of the field: it scores nothing and counts neither
  as answered nor against coverage;
- core criteria: while a core question is not fully met, the field cannot beat its core cap;
- provisional: below `provisional_coverage` the category is "vorläufig", and the lower bound
  is the category the field would get if every open question ("weiß nicht" or skipped)
  were answered with the lowest option.
Next steps are the questions' own suggestions for the answers actually given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import msgspec

from selfcheck.questionnaire.schema import Field, Question, Questionnaire


class TopicShare(msgspec.Struct, frozen=True, kw_only=True):
    """One sub-topic of a field: its share of reachable points among its answered
    questions. `share` is None when none of its questions has a real answer."""

    topic: str
    questions: int  # applicable questions ("nicht zutreffend" left out)
    answered: int
    share: float | None


class FieldResult(msgspec.Struct, frozen=True, kw_only=True):
    field_id: str
    questions: int
    answered: int  # real answers (scale options); "weiß nicht" does not count
    dont_know: int
    skipped: int
    reached_points: int
    reachable_points: int  # max points of the answered questions only
    share: float  # reached / reachable, 0.0 when nothing was answered
    coverage: float  # answered / applicable questions
    category: int | None  # None: "nicht bewertbar" (too few answers)
    not_applicable: int = 0
    # Core questions not fully met ("weiß nicht" and skipped included), in field order.
    unmet_core: list[str] = []
    # The category the share alone gives, when the core cap lowered it; else None.
    capped_from: int | None = None
    provisional: bool = False
    # Only for a provisional result: the category if every open question scored nothing.
    lower_bound: int | None = None
    # Question ids whose suggestion is a next step: core questions first, then file order.
    next_steps: list[str] = []
    topics: list[TopicShare] = []

    @property
    def evaluable(self) -> bool:
        return self.category is not None


@dataclass
class _Tally:
    answered: int = 0
    dont_know: int = 0
    not_applicable: int = 0
    reached: int = 0

    def applicable(self, total: int) -> int:
        return total - self.not_applicable


def score(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[FieldResult]:
    """One result per field, in field order."""
    return [score_field(questionnaire, field, answers) for field in questionnaire.fields]


def score_field(
    questionnaire: Questionnaire, field: Field, answers: Mapping[str, str]
) -> FieldResult:
    """Score `field`. `answers` maps question ids to answer values; questions without an
    entry count as skipped, entries for other questions are ignored.

    Raises ValueError for an answer value the scale does not know, and for "nicht
    zutreffend" on a question that does not allow it.
    """
    points = _points(questionnaire)
    max_points = max(points.values(), default=0)
    tally = _tally(questionnaire, field.questions, answers)
    total = len(field.questions)
    applicable = tally.applicable(total)
    reachable = tally.answered * max_points
    exact_share = Fraction(tally.reached, reachable) if reachable else Fraction(0)
    exact_coverage = Fraction(tally.answered, applicable) if applicable else Fraction(0)
    evaluable = tally.answered > 0 and exact_coverage >= _exact(questionnaire.min_coverage)
    unmet_core = [q.id for q in field.questions if q.core and _unmet(questionnaire, q, answers)]
    cap = questionnaire.core_cap_of(field) if unmet_core else None
    uncapped = category_for_share(questionnaire, exact_share) if evaluable else None
    category = _capped(uncapped, cap)
    provisional = (
        evaluable
        and questionnaire.provisional_coverage is not None
        and exact_coverage < _exact(questionnaire.provisional_coverage)
    )
    lower_bound = None
    if provisional:
        worst_share = Fraction(tally.reached, applicable * max_points)
        lower_bound = _capped(category_for_share(questionnaire, worst_share), cap)
    return FieldResult(
        field_id=field.id,
        questions=total,
        answered=tally.answered,
        dont_know=tally.dont_know,
        not_applicable=tally.not_applicable,
        skipped=applicable - tally.answered - tally.dont_know,
        reached_points=tally.reached,
        reachable_points=reachable,
        share=float(exact_share),
        coverage=float(exact_coverage),
        category=category,
        unmet_core=unmet_core,
        capped_from=uncapped if category != uncapped else None,
        provisional=provisional,
        lower_bound=lower_bound,
        next_steps=next_steps(questionnaire, field, answers),
        topics=topic_profile(questionnaire, field, answers),
    )


def next_steps(questionnaire: Questionnaire, field: Field, answers: Mapping[str, str]) -> list[str]:
    """Ids of the questions in `field` whose suggestion fits the answers: answered below
    full points, with a suggestion, and every question it builds on answered with points
    (otherwise the step would presuppose something the answers deny). Core first."""
    points = _points(questionnaire)
    full = max(points.values(), default=0)
    fitting = [
        q
        for q in field.questions
        if q.suggestion
        and points.get(answers.get(q.id, ""), full) < full
        and all(points.get(answers.get(base, ""), 0) > 0 for base in q.builds_on)
    ]
    return [q.id for q in fitting if q.core] + [q.id for q in fitting if not q.core]


def topic_profile(
    questionnaire: Questionnaire, field: Field, answers: Mapping[str, str]
) -> list[TopicShare]:
    """Share per sub-topic, in the order the topics appear; questions without a topic
    belong to none."""
    by_topic: dict[str, list[Question]] = {}
    for question in field.questions:
        if question.topic:
            by_topic.setdefault(question.topic, []).append(question)
    max_points = max(_points(questionnaire).values(), default=0)
    profile = []
    for topic, questions in by_topic.items():
        tally = _tally(questionnaire, questions, answers)
        reachable = tally.answered * max_points
        profile.append(
            TopicShare(
                topic=topic,
                questions=tally.applicable(len(questions)),
                answered=tally.answered,
                share=float(Fraction(tally.reached, reachable)) if reachable else None,
            )
        )
    return profile


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


def _tally(
    questionnaire: Questionnaire, questions: list[Question], answers: Mapping[str, str]
) -> _Tally:
    scale = questionnaire.scale
    points = _points(questionnaire)
    not_applicable = scale.not_applicable.value if scale.not_applicable else None
    tally = _Tally()
    for question in questions:
        value = answers.get(question.id)
        if value is None:
            continue
        if value == scale.dont_know.value:
            tally.dont_know += 1
        elif value in points:
            tally.answered += 1
            tally.reached += points[value]
        elif value == not_applicable and question.may_not_apply:
            tally.not_applicable += 1
        else:
            raise ValueError(f"Unbekannte Antwort {value!r} auf Frage {question.id!r}.")
    return tally


def _unmet(questionnaire: Questionnaire, question: Question, answers: Mapping[str, str]) -> bool:
    """A core question is met only with full points; "nicht zutreffend" leaves it out,
    "weiß nicht" and skipping leave it unmet."""
    value = answers.get(question.id)
    not_applicable = questionnaire.scale.not_applicable
    if not_applicable is not None and value == not_applicable.value and question.may_not_apply:
        return False
    points = _points(questionnaire)
    return points.get(value or "", -1) < max(points.values(), default=0)


def _capped(category: int | None, cap: int | None) -> int | None:
    """Category numbers grow downwards (1 is best): the cap is a floor on the number."""
    if category is None or cap is None:
        return category
    return max(category, cap)


def _points(questionnaire: Questionnaire) -> dict[str, int]:
    return {option.value: option.points for option in questionnaire.scale.options}


def _exact(value: float) -> Fraction:
    # repr gives the shortest decimal that round-trips, i.e. what the YAML file said.
    return Fraction(repr(value))
