"""The 2027 scoring rules on constructed answer sets: "nicht zutreffend", core cap,
provisional results with their lower bound, next steps and the sub-topic profile."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from msgspec.structs import replace

from selfcheck.questionnaire.loader import load_questionnaire
from selfcheck.questionnaire.schema import Field, NotApplicableOption, Question, Questionnaire
from selfcheck.questionnaire.scoring import (
    TopicShare,
    category_for_share,
    next_steps,
    score_field,
)
from selfcheck.questionnaire.validation import validate

from .conftest import DEFAULT_SCALE, make_field, make_questionnaire

DONT_KNOW = DEFAULT_SCALE.dont_know.value
NA = "nicht_zutreffend"
SCALE = replace(DEFAULT_SCALE, not_applicable=NotApplicableOption(value=NA, label="n. z."))
POINTS = {o.value: o.points for o in SCALE.options}


def field_of(*questions: Question, field_id: str = "AA", core_cap: int | None = None) -> Field:
    return replace(make_field(field_id), questions=list(questions), core_cap=core_cap)


def question(number: int, **extra: object) -> Question:
    return Question(id=f"AA-{number:02d}", text=f"Frage {number}?", **extra)  # type: ignore[arg-type]


def questionnaire(*fields: Field, **extensions: object) -> Questionnaire:
    q = make_questionnaire(fields=list(fields), scale=SCALE, **extensions)  # type: ignore[arg-type]
    assert validate(q) == []
    return q


def answers_for(field: Field, *values: str | None) -> dict[str, str]:
    return {
        q.id: value for q, value in zip(field.questions, values, strict=True) if value is not None
    }


# --- "nicht zutreffend" ---------------------------------------------------------------


def test_not_applicable_counts_neither_as_answer_nor_against_coverage() -> None:
    field = field_of(*(question(n) for n in (1, 2, 3)), question(4, may_not_apply=True))
    q = questionnaire(field)
    result = score_field(q, field, answers_for(field, "ja", "ja", "nein", NA))
    assert (result.questions, result.answered, result.not_applicable) == (4, 3, 1)
    assert (result.dont_know, result.skipped) == (0, 0)
    assert result.coverage == 1.0  # 3 of the 3 applicable questions
    assert (result.reached_points, result.reachable_points) == (4, 6)
    assert result.category == 2  # 4/6


def test_a_field_where_nothing_applies_is_not_evaluable() -> None:
    field = field_of(question(1, may_not_apply=True), question(2, may_not_apply=True))
    q = questionnaire(field)
    result = score_field(q, field, answers_for(field, NA, NA))
    assert (result.category, result.coverage, result.not_applicable) == (None, 0.0, 2)


def test_not_applicable_is_refused_on_a_question_without_may_not_apply() -> None:
    field = field_of(question(1), question(2, may_not_apply=True))
    q = questionnaire(field)
    with pytest.raises(ValueError, match="AA-01"):
        score_field(q, field, {"AA-01": NA})


NA_FIELD = field_of(*(question(n, may_not_apply=n % 2 == 0) for n in range(1, 8)))
NA_Q = questionnaire(NA_FIELD, provisional_coverage=0.8)


@st.composite
def answer_sets_with_not_applicable(draw: st.DrawFn) -> dict[str, str]:
    answers: dict[str, str] = {}
    for q in NA_FIELD.questions:
        choices = [*POINTS, DONT_KNOW, None, *([NA] if q.may_not_apply else [])]
        value = draw(st.sampled_from(choices))
        if value is not None:
            answers[q.id] = value
    return answers


@given(answer_sets_with_not_applicable())
def test_not_applicable_scores_exactly_like_a_question_that_is_not_there(
    answers: dict[str, str],
) -> None:
    result = score_field(NA_Q, NA_FIELD, answers)
    remaining = [q for q in NA_FIELD.questions if answers.get(q.id) != NA]
    without = score_field(NA_Q, field_of(*remaining), answers)
    assert result.not_applicable == len(NA_FIELD.questions) - len(remaining)
    same = ("answered", "dont_know", "skipped", "share", "coverage", "category", "lower_bound")
    assert [getattr(result, f) for f in same] == [getattr(without, f) for f in same]


# --- core cap -------------------------------------------------------------------------

CORE_FIELD = field_of(question(1), question(2, core=True), question(3), question(4))


@pytest.mark.parametrize(
    ("core_answer", "category", "capped_from", "unmet"),
    [
        ("ja", 1, None, []),  # 8/8, core met
        ("teilweise", 2, 1, ["AA-02"]),  # 7/8 would be category 1
        ("nein", 2, 1, ["AA-02"]),  # 6/8 = 0.75 would be category 1
        (DONT_KNOW, 2, 1, ["AA-02"]),  # 6/6 would be category 1
        (None, 2, 1, ["AA-02"]),  # skipped: 6/6 would be category 1
    ],
)
def test_an_unmet_core_criterion_caps_an_otherwise_top_field(
    core_answer: str | None, category: int, capped_from: int | None, unmet: list[str]
) -> None:
    q = questionnaire(CORE_FIELD, core_cap=2)
    result = score_field(q, CORE_FIELD, answers_for(CORE_FIELD, "ja", core_answer, "ja", "ja"))
    assert (result.category, result.capped_from, result.unmet_core) == (
        category,
        capped_from,
        unmet,
    )


def test_the_cap_never_improves_a_worse_category() -> None:
    q = questionnaire(CORE_FIELD, core_cap=2)
    result = score_field(q, CORE_FIELD, answers_for(CORE_FIELD, "nein", "nein", "ja", "nein"))
    assert (result.category, result.capped_from, result.unmet_core) == (3, None, ["AA-02"])


def test_the_fields_own_cap_overrides_the_questionnaires() -> None:
    field = replace(CORE_FIELD, core_cap=3)
    q = questionnaire(field, core_cap=2)
    result = score_field(q, field, answers_for(field, "ja", "nein", "ja", "ja"))
    assert (result.category, result.capped_from) == (3, 1)


def test_a_core_criterion_that_does_not_apply_does_not_cap() -> None:
    field = field_of(question(1), question(2, core=True, may_not_apply=True), question(3))
    q = questionnaire(field, core_cap=2)
    result = score_field(q, field, answers_for(field, "ja", NA, "ja"))
    assert (result.category, result.unmet_core) == (1, [])


CAP_FIELD = field_of(*(question(n, core=n in (2, 5)) for n in range(1, 8)))


@given(
    st.lists(st.sampled_from([*POINTS, DONT_KNOW, None]), min_size=7, max_size=7),
    st.sampled_from([1, 2, 3, 4]),
)
def test_capped_category_is_the_uncapped_one_floored_at_the_cap_while_a_core_is_unmet(
    values: list[str | None], cap: int
) -> None:
    q = questionnaire(CAP_FIELD, core_cap=cap)
    answers = answers_for(CAP_FIELD, *values)
    result = score_field(q, CAP_FIELD, answers)
    uncapped = score_field(q, replace(CAP_FIELD, questions=plain(CAP_FIELD)), answers).category
    unmet = [qid for qid in ("AA-02", "AA-05") if answers.get(qid) != "ja"]
    assert result.unmet_core == unmet
    if uncapped is None:
        assert result.category is None
    elif unmet:
        assert result.category == max(uncapped, cap)
        assert result.capped_from == (uncapped if uncapped < cap else None)
    else:
        assert (result.category, result.capped_from) == (uncapped, None)


def plain(field: Field) -> list[Question]:
    return [replace(q, core=False) for q in field.questions]


# --- provisional and lower bound ------------------------------------------------------

FIVE = field_of(*(question(n) for n in range(1, 6)))


def test_coverage_at_provisional_coverage_is_final() -> None:
    q = questionnaire(FIVE, provisional_coverage=0.8)
    result = score_field(q, FIVE, answers_for(FIVE, "ja", "ja", "ja", "ja", DONT_KNOW))
    assert (result.category, result.provisional, result.lower_bound) == (1, False, None)


def test_below_provisional_coverage_the_category_is_provisional_with_a_lower_bound() -> None:
    q = questionnaire(FIVE, provisional_coverage=0.8)
    answers = answers_for(FIVE, "ja", "ja", "ja", DONT_KNOW, None)
    result = score_field(q, FIVE, answers)
    # 6/6 today; if both open questions were "Nein": 6/10 = 0.6, category 2.
    assert (result.category, result.provisional, result.lower_bound) == (1, True, 2)


def test_without_provisional_coverage_nothing_is_provisional() -> None:
    q = questionnaire(FIVE)
    result = score_field(q, FIVE, answers_for(FIVE, "ja", "ja", "ja", DONT_KNOW, None))
    assert (result.category, result.provisional, result.lower_bound) == (1, False, None)


def test_the_lower_bound_respects_the_core_cap() -> None:
    field = field_of(*(question(n, core=n == 1) for n in range(1, 6)))
    q = questionnaire(field, provisional_coverage=0.8, core_cap=2)
    result = score_field(q, field, answers_for(field, DONT_KNOW, "ja", "ja", "ja", None))
    assert (result.category, result.capped_from, result.lower_bound) == (2, 1, 2)


PROVISIONAL_FIELD = field_of(*(question(n) for n in range(1, 11)))


@given(st.lists(st.sampled_from([*POINTS, DONT_KNOW, None]), min_size=10, max_size=10))
def test_lower_bound_is_the_category_with_every_open_question_answered_no(
    values: list[str | None],
) -> None:
    q = questionnaire(PROVISIONAL_FIELD, provisional_coverage=0.9)
    answers = answers_for(PROVISIONAL_FIELD, *values)
    result = score_field(q, PROVISIONAL_FIELD, answers)
    pessimistic = {
        qid: answers.get(qid, "nein") for qid in (x.id for x in PROVISIONAL_FIELD.questions)
    }
    pessimistic = {k: ("nein" if v == DONT_KNOW else v) for k, v in pessimistic.items()}
    worst = score_field(q, PROVISIONAL_FIELD, pessimistic).category
    if result.provisional:
        assert result.category is not None and result.lower_bound == worst
        assert result.lower_bound is not None and result.lower_bound >= result.category
        assert Fraction(result.answered, 10) < Fraction("0.9")
    else:
        assert result.lower_bound is None


# --- next steps -----------------------------------------------------------------------

STEPS_FIELD = field_of(
    question(1, suggestion="Richten Sie ein Beschwerdeverfahren ein."),
    question(2, suggestion="Werten Sie Beschwerden jährlich aus.", builds_on=["AA-01"]),
    question(3, suggestion="Benennen Sie eine Ansprechperson.", core=True),
    question(4),  # no suggestion
    question(5, suggestion="Berichten Sie dem Rat.", builds_on=["AA-02", "AA-03"]),
)
STEPS_Q = questionnaire(STEPS_FIELD, core_cap=2)


@pytest.mark.parametrize(
    ("values", "steps"),
    [
        # No complaint procedure: evaluating complaints would contradict the answers.
        (("nein", "nein", "nein", "nein", "nein"), ["AA-03", "AA-01"]),
        (("teilweise", "nein", "ja", "nein", "nein"), ["AA-01", "AA-02"]),
        (("ja", "teilweise", "teilweise", "nein", "nein"), ["AA-03", "AA-02", "AA-05"]),
        (("ja", "ja", "ja", "nein", "ja"), []),
        ((DONT_KNOW, "nein", None, "nein", "nein"), []),
        ((None, None, None, None, None), []),
    ],
)
def test_next_steps_follow_the_answers_core_first(
    values: tuple[str | None, ...], steps: list[str]
) -> None:
    answers = answers_for(STEPS_FIELD, *values)
    assert next_steps(STEPS_Q, STEPS_FIELD, answers) == steps
    assert score_field(STEPS_Q, STEPS_FIELD, answers).next_steps == steps


@given(st.lists(st.sampled_from([*POINTS, DONT_KNOW, None]), min_size=5, max_size=5))
def test_next_steps_never_contradict_the_answers(values: list[str | None]) -> None:
    answers = answers_for(STEPS_FIELD, *values)
    steps = next_steps(STEPS_Q, STEPS_FIELD, answers)
    by_id = {q.id: q for q in STEPS_FIELD.questions}
    for qid in steps:
        assert answers.get(qid) in ("teilweise", "nein")
        assert by_id[qid].suggestion
        assert all(answers.get(base) in ("ja", "teilweise") for base in by_id[qid].builds_on)
    missing = [
        q.id
        for q in STEPS_FIELD.questions
        if q.suggestion
        and answers.get(q.id) in ("teilweise", "nein")
        and all(answers.get(base) in ("ja", "teilweise") for base in q.builds_on)
    ]
    assert sorted(steps) == sorted(missing)
    cores = [by_id[qid].core for qid in steps]
    assert cores == sorted(cores, reverse=True)  # core criteria first


# --- sub-topic profile ----------------------------------------------------------------

TOPIC_FIELD = field_of(
    question(1, topic="Bildung"),
    question(2, topic="Bildung"),
    question(3, topic="Gesundheit", may_not_apply=True),
    question(4, topic="Gesundheit"),
    question(5),
    question(6, topic="Wohnen"),
)


def test_the_profile_gives_a_share_per_sub_topic_in_order() -> None:
    q = questionnaire(TOPIC_FIELD)
    answers = answers_for(TOPIC_FIELD, "ja", "teilweise", NA, "nein", "ja", DONT_KNOW)
    assert score_field(q, TOPIC_FIELD, answers).topics == [
        TopicShare(topic="Bildung", questions=2, answered=2, share=0.75),
        TopicShare(topic="Gesundheit", questions=1, answered=1, share=0.0),
        TopicShare(topic="Wohnen", questions=1, answered=0, share=None),
    ]


@given(st.lists(st.sampled_from([*POINTS, DONT_KNOW, None]), min_size=6, max_size=6))
def test_topic_shares_add_up_to_the_points_of_the_questions_with_a_topic(
    values: list[str | None],
) -> None:
    q = questionnaire(TOPIC_FIELD)
    answers = answers_for(TOPIC_FIELD, *values)
    result = score_field(q, TOPIC_FIELD, answers)
    reached = sum(
        Fraction(t.share).limit_denominator(1000) * 2 * t.answered
        for t in result.topics
        if t.share is not None
    )
    assert reached == sum(POINTS.get(answers.get(f"AA-0{n}", ""), 0) for n in (1, 2, 3, 4, 6))
    for topic in result.topics:
        if topic.share is not None:
            assert category_for_share(q, topic.share) is not None


# --- 2026.1 scores as before ----------------------------------------------------------

V2026 = load_questionnaire(
    Path(__file__).resolve().parents[2] / "questionnaires" / "weltoffene-kommune.yaml"
)
V2026_IDS = [q.id for f in V2026.fields for q in f.questions]


@given(st.dictionaries(st.sampled_from(V2026_IDS), st.sampled_from([*POINTS, DONT_KNOW])))
def test_a_2026_questionnaire_scores_exactly_as_before_the_2027_rules(
    answers: dict[str, str],
) -> None:
    assert V2026.version == "2026.1"
    for field in V2026.fields:
        result = score_field(V2026, field, answers)
        ids = [q.id for q in field.questions]
        answered = [answers[i] for i in ids if answers.get(i) in POINTS]
        reached = sum(POINTS[v] for v in answered)
        share = Fraction(reached, 2 * len(answered)) if answered else Fraction(0)
        evaluable = answered and Fraction(len(answered), len(ids)) >= Fraction("0.6")
        assert result.category == (category_for_share(V2026, share) if evaluable else None)
        assert result.share == float(share)
        assert result.coverage == len(answered) / len(ids)
        assert (result.not_applicable, result.capped_from, result.unmet_core) == (0, None, [])
        assert (result.provisional, result.lower_bound, result.next_steps) == (False, None, [])
