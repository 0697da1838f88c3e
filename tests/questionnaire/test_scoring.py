from __future__ import annotations

from fractions import Fraction

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from msgspec.structs import replace

from selfcheck.questionnaire.schema import Questionnaire, Scale, ScaleOption
from selfcheck.questionnaire.scoring import (
    FieldResult,
    category_for_share,
    score,
    score_field,
)
from selfcheck.questionnaire.validation import validate

from .conftest import DEFAULT_SCALE, make_categories, make_field, make_questionnaire

DONT_KNOW = DEFAULT_SCALE.dont_know.value

# Options worth 0..100 points, so one answer gives any share in steps of 1/100.
PERCENT_SCALE = Scale(
    options=[ScaleOption(value=f"p{p}", label=f"{p} Punkte", points=p) for p in range(101)],
    dont_know=DEFAULT_SCALE.dont_know,
)


def percent_questionnaire(*min_shares: float) -> Questionnaire:
    q = make_questionnaire(
        fields=[make_field("AA", "")],
        scale=PERCENT_SCALE,
        categories=make_categories(*min_shares),
    )
    assert validate(q) == []
    return q


def field_of_size(size: int, min_coverage: float = 0.6) -> Questionnaire:
    q = make_questionnaire(fields=[make_field("AA", *[""] * size)], min_coverage=min_coverage)
    assert validate(q) == []
    return q


def category_of_percent(q: Questionnaire, percent: int) -> int | None:
    return score_field(q, q.fields[0], {"AA-01": f"p{percent}"}).category


# --- thresholds, exactly --------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "category"),
    [
        (100, 1),
        (75, 1),
        (74, 2),
        (50, 2),
        (49, 3),
        (25, 3),
        (24, 4),
        (1, 4),
        (0, 4),
    ],
)
def test_share_exactly_at_min_share_reaches_the_category(percent: int, category: int) -> None:
    q = percent_questionnaire(0.75, 0.5, 0.25, 0.0)
    assert category_of_percent(q, percent) == category


@pytest.mark.parametrize(
    ("percent", "category"),
    [(80, 1), (79, 2), (40, 2), (39, 3), (10, 3), (9, 4)],
)
def test_decimal_thresholds_are_met_exactly_although_their_floats_are_larger(
    percent: int, category: int
) -> None:
    # The floats 0.8, 0.4 and 0.1 are slightly more than 4/5, 2/5 and 1/10.
    assert Fraction(0.1) > Fraction(1, 10)
    q = percent_questionnaire(0.8, 0.4, 0.1, 0.0)
    assert category_of_percent(q, percent) == category


def test_real_scale_boundaries_with_four_questions() -> None:
    q = make_questionnaire()
    field = q.fields[0]  # 4 questions, 8 points reachable when all are answered

    def category(*answers: str) -> int | None:
        return score_field(
            q, field, dict(zip(["AA-01", "AA-02", "AA-03", "AA-04"], answers, strict=True))
        ).category

    assert category("ja", "ja", "ja", "nein") == 1  # 6/8 = 0.75
    assert category("ja", "ja", "teilweise", "nein") == 2  # 5/8
    assert category("ja", "ja", "nein", "nein") == 2  # 4/8 = 0.5
    assert category("ja", "teilweise", "nein", "nein") == 3  # 3/8
    assert category("ja", "nein", "nein", "nein") == 3  # 2/8 = 0.25
    assert category("teilweise", "nein", "nein", "nein") == 4  # 1/8


@pytest.mark.parametrize(
    ("size", "min_coverage", "answered", "evaluable"),
    [
        (5, 0.6, 3, True),  # exactly 0.6
        (5, 0.6, 2, False),
        (10, 0.1, 1, True),  # the float 0.1 is more than 1/10
        (10, 0.1, 0, False),
        (10, 0.7, 7, True),
        (10, 0.7, 6, False),
        (4, 1.0, 4, True),
        (4, 1.0, 3, False),
    ],
)
def test_coverage_exactly_at_min_coverage_is_evaluated(
    size: int, min_coverage: float, answered: int, evaluable: bool
) -> None:
    q = field_of_size(size, min_coverage)
    ids = [question.id for question in q.fields[0].questions]
    # The unanswered rest is "weiß nicht": it does not count as answered either.
    answers = {qid: ("ja" if i < answered else DONT_KNOW) for i, qid in enumerate(ids)}
    result = score_field(q, q.fields[0], answers)
    assert result.coverage == answered / size
    assert (result.category is not None) == evaluable
    if evaluable:
        assert result.category == 1  # every answer is "ja"


# --- counting -------------------------------------------------------------------------


def test_result_counts_answers_dont_knows_and_skipped_questions() -> None:
    q = field_of_size(5)
    answers = {"AA-01": "ja", "AA-02": "teilweise", "AA-03": "nein", "AA-04": DONT_KNOW}
    assert score_field(q, q.fields[0], answers) == FieldResult(
        field_id="AA",
        questions=5,
        answered=3,
        dont_know=1,
        skipped=1,
        reached_points=3,
        reachable_points=6,
        share=0.5,
        coverage=0.6,
        category=2,
    )


def test_nothing_answered_gives_share_0_and_no_category() -> None:
    q = field_of_size(3)
    for answers in ({}, dict.fromkeys(["AA-01", "AA-02", "AA-03"], DONT_KNOW)):
        result = score_field(q, q.fields[0], answers)
        assert (result.answered, result.share, result.coverage) == (0, 0.0, 0.0)
        assert (result.reached_points, result.reachable_points, result.category) == (0, 0, None)


def test_score_returns_one_result_per_field_in_field_order() -> None:
    q = make_questionnaire()
    answers = {"BB-01": "ja", "BB-02": "ja", "AA-01": "nein"}
    results = score(q, answers)
    assert [r.field_id for r in results] == ["AA", "BB"]
    assert [r.answered for r in results] == [1, 2]
    assert results[1].category == 1


def test_unknown_answer_value_is_refused() -> None:
    q = make_questionnaire()
    with pytest.raises(ValueError, match="vielleicht"):
        score_field(q, q.fields[0], {"AA-02": "vielleicht"})


def test_garbage_for_another_field_does_not_disturb_this_field() -> None:
    q = make_questionnaire()
    result = score_field(q, q.fields[0], {"BB-01": "vielleicht", "XX-99": "ja"})
    assert result.skipped == 4


def test_field_result_is_immutable_and_serializable() -> None:
    q = make_questionnaire()
    result = score_field(q, q.fields[0], {"AA-01": "ja"})
    with pytest.raises(AttributeError):
        result.share = 1.0  # type: ignore[misc]
    assert msgspec.json.decode(msgspec.json.encode(result), type=FieldResult) == result


def test_category_for_share_takes_a_float_as_the_decimal_it_prints_as() -> None:
    q = percent_questionnaire(0.8, 0.4, 0.1, 0.0)
    assert category_for_share(q, 0.1) == 3
    assert category_for_share(q, 0.0999) == 4
    assert category_for_share(q, Fraction(4, 5)) == 1


def test_category_for_share_is_none_when_no_threshold_is_reached() -> None:
    # Only possible with a questionnaire that validation would refuse.
    q = replace(make_questionnaire(), categories=make_categories(0.75, 0.5))
    assert category_for_share(q, 0.4) is None


# --- properties -----------------------------------------------------------------------

PROPERTY_Q = make_questionnaire(
    fields=[make_field("AA", *[""] * 7), make_field("BB", *[""] * 3)],
)
FIELD_AA, FIELD_BB = PROPERTY_Q.fields
AA_IDS = [q.id for q in FIELD_AA.questions]
BB_IDS = [q.id for q in FIELD_BB.questions]
OPTION_VALUES = [o.value for o in DEFAULT_SCALE.options]  # best first
POINTS = {o.value: o.points for o in DEFAULT_SCALE.options}

answer_values = st.sampled_from([*OPTION_VALUES, DONT_KNOW])
aa_answers = st.dictionaries(st.sampled_from(AA_IDS), answer_values)
bb_answers = st.dictionaries(st.sampled_from(BB_IDS), answer_values)
coverages = st.integers(1, 100).map(lambda n: n / 100)


@st.composite
def categorisations(draw: st.DrawFn) -> Questionnaire:
    """PROPERTY_Q with random valid thresholds in steps of 1/100."""
    shares = draw(st.lists(st.integers(1, 100), min_size=3, max_size=3, unique=True))
    min_shares = [s / 100 for s in sorted(shares, reverse=True)] + [0.0]
    min_coverage = draw(coverages)
    q = replace(PROPERTY_Q, categories=make_categories(*min_shares), min_coverage=min_coverage)
    assert validate(q) == []
    return q


@given(aa_answers)
def test_share_and_coverage_stay_between_0_and_1(answers: dict[str, str]) -> None:
    result = score_field(PROPERTY_Q, FIELD_AA, answers)
    assert 0.0 <= result.share <= 1.0
    assert 0.0 <= result.coverage <= 1.0
    assert 0 <= result.reached_points <= result.reachable_points


@given(aa_answers)
def test_every_question_is_answered_dont_know_or_skipped(answers: dict[str, str]) -> None:
    result = score_field(PROPERTY_Q, FIELD_AA, answers)
    assert result.answered + result.dont_know + result.skipped == result.questions == len(AA_IDS)
    assert result.dont_know == sum(v == DONT_KNOW for v in answers.values())


@given(aa_answers)
def test_share_is_reached_over_reachable_points_of_the_answered_questions(
    answers: dict[str, str],
) -> None:
    result = score_field(PROPERTY_Q, FIELD_AA, answers)
    assert result.reachable_points == 2 * result.answered
    assert result.reached_points == sum(POINTS.get(v, 0) for v in answers.values())
    if result.answered:
        assert result.share == result.reached_points / result.reachable_points


@given(categorisations(), aa_answers, st.data())
def test_more_points_never_give_a_worse_category(
    q: Questionnaire, answers: dict[str, str], data: st.DataObject
) -> None:
    better = {
        qid: (
            data.draw(st.sampled_from(OPTION_VALUES[: OPTION_VALUES.index(v) + 1]))
            if v in OPTION_VALUES
            else v
        )
        for qid, v in answers.items()
    }
    before = score_field(q, q.fields[0], answers)
    after = score_field(q, q.fields[0], better)
    assert after.reached_points >= before.reached_points
    assert (before.category is None) == (after.category is None)
    if before.category is not None and after.category is not None:
        assert after.category <= before.category


@given(categorisations(), st.fractions(0, 1), st.fractions(0, 1))
def test_higher_share_never_gives_a_worse_category(
    q: Questionnaire, a: Fraction, b: Fraction
) -> None:
    low, high = sorted([a, b])
    cat_low, cat_high = category_for_share(q, low), category_for_share(q, high)
    assert cat_low is not None and cat_high is not None
    assert cat_high <= cat_low


@given(categorisations(), st.fractions(0, 1))
def test_share_lands_in_the_first_category_whose_min_share_it_reaches(
    q: Questionnaire, share: Fraction
) -> None:
    number = category_for_share(q, share)
    assert number is not None
    thresholds = [Fraction(str(c.min_share)) for c in q.categories]
    assert share >= thresholds[number - 1]
    assert all(share < t for t in thresholds[: number - 1])


@given(categorisations(), aa_answers, st.data())
def test_dont_know_scores_like_skipping(
    q: Questionnaire, answers: dict[str, str], data: st.DataObject
) -> None:
    skipped = [qid for qid in AA_IDS if qid not in answers]
    marked = data.draw(st.lists(st.sampled_from(skipped), unique=True)) if skipped else []
    with_dont_know = answers | dict.fromkeys(marked, DONT_KNOW)
    plain = score_field(q, q.fields[0], answers)
    result = score_field(q, q.fields[0], with_dont_know)
    assert result.dont_know == plain.dont_know + len(marked)
    assert result.skipped == plain.skipped - len(marked)
    unchanged = ("answered", "reached_points", "reachable_points", "share", "coverage", "category")
    assert [getattr(result, f) for f in unchanged] == [getattr(plain, f) for f in unchanged]


@given(categorisations(), aa_answers)
def test_too_low_coverage_gives_no_category(q: Questionnaire, answers: dict[str, str]) -> None:
    result = score_field(q, q.fields[0], answers)
    too_low = Fraction(result.answered, result.questions) < Fraction(str(q.min_coverage))
    assert (result.category is None) == (too_low or result.answered == 0)


@given(aa_answers, bb_answers, st.dictionaries(st.text(), st.text()))
def test_answers_of_other_fields_change_nothing(
    answers: dict[str, str], other_field: dict[str, str], unknown: dict[str, str]
) -> None:
    unknown = {k: v for k, v in unknown.items() if k not in AA_IDS}
    alone = score_field(PROPERTY_Q, FIELD_AA, answers)
    assert score_field(PROPERTY_Q, FIELD_AA, unknown | other_field | answers) == alone
    assert score(PROPERTY_Q, answers | other_field) == [
        alone,
        score_field(PROPERTY_Q, FIELD_BB, other_field),
    ]
