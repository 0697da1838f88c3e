"""The comparison of the administration's categories with the workshop's votes (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcheck.questionnaire.schema import DivergenceRule, Questionnaire
from selfcheck.reporting.comparison import (
    FieldComparison,
    ReportData,
    category_distribution,
    compare,
    divergence_level,
    divergence_rules,
    is_split,
)
from tests.reporting.builders import RoundSpec, WorkshopSpec, answers_for, make_export
from tests.workshop.factories import QUESTIONNAIRE

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
# MS and VW reach category 1 ("ja" everywhere), TH category 2, with these answers.
ADMIN = {"MS": "ja", "VW": "ja", "TH": "teilweise"}


def _report(
    workshops: list[WorkshopSpec],
    admin: dict[str, str] | None = None,
    questionnaire: Questionnaire = QUESTIONNAIRE,
) -> ReportData:
    export = make_export(questionnaire, answers_for(questionnaire, admin or ADMIN), workshops)
    return compare(questionnaire, export, NOW)


def _field(report: ReportData, field_id: str) -> FieldComparison:
    return next(f for f in report.fields if f.field_id == field_id)


def _mood(
    votes: Mapping[str, Sequence[str | None]],
    status: str = "closed",
    closed_minutes: int = 60,
    title: str = "Stimmungsbild",
) -> RoundSpec:
    return RoundSpec("mood", votes, status, closed_minutes, title)


def test_two_fields_rated_best_by_the_administration_but_third_by_the_workshop_are_flagged() -> (
    None
):
    report = _report(
        [
            WorkshopSpec(
                [
                    _mood(
                        {
                            "MS": ["3", "3", "3", "3", "3", "2", "1"],
                            "VW": ["3", "3", "3", "4", "3", "2", "1"],
                            "TH": ["2", "2", "2", "3", "1", "2", "2"],
                        }
                    )
                ]
            )
        ]
    )
    flagged = {f.field_id: f.divergence_label for f in report.fields if f.divergence == "strong"}
    assert flagged == {"MS": "deutliche Abweichung", "VW": "deutliche Abweichung"}
    assert _field(report, "TH").divergence_label == "keine Abweichung"
    ms = _field(report, "MS")
    assert (ms.admin.category, ms.workshop.overall and ms.workshop.overall.median) == (1, 3)
    assert ms.workshop.overall is not None and ms.workshop.overall.gap == 2


def test_a_gap_of_one_category_is_an_abweichung_and_its_sign_says_who_sees_it_worse() -> None:
    report = _report(
        [WorkshopSpec([_mood({"MS": ["2"] * 4, "VW": ["1"] * 4, "TH": ["1"] * 4})])],
        admin={"MS": "ja", "VW": "teilweise", "TH": "teilweise"},
    )
    ms, vw = _field(report, "MS"), _field(report, "VW")
    assert (ms.divergence_label, ms.workshop.overall and ms.workshop.overall.gap) == (
        "Abweichung",
        1,
    )
    assert (vw.divergence_label, vw.workshop.overall and vw.workshop.overall.gap) == (
        "Abweichung",
        -1,
    )


def test_the_distribution_lists_every_category_with_median_majority_and_agreement() -> None:
    votes = {"MS": ["1", "2", "2", "4", "4", "2", "4"], "VW": ["1"] * 3, "TH": ["2"] * 3}
    overall = _field(_report([WorkshopSpec([_mood(votes)])]), "MS").workshop.overall
    assert overall is not None
    assert [(c.value, c.label, c.count) for c in overall.counts] == [
        ("1", "Weit", 1),
        ("2", "Gut", 3),
        ("3", "Anfang", 0),
        ("4", "Offen", 3),
    ]
    assert overall.n == 7
    assert overall.median == 2  # 1 2 2 [2] 4 4 4
    assert overall.majority == [2, 4]  # a tie names both
    assert overall.agreement == pytest.approx(1 / 7)  # one vote for the administration's 1


def test_the_median_of_an_even_number_of_votes_is_the_lower_middle_category() -> None:
    overall = _field(
        _report([WorkshopSpec([_mood({"MS": ["1", "1", "3", "3"], "VW": [], "TH": []})])]), "MS"
    ).workshop.overall
    assert overall is not None and overall.median == 1


def test_a_field_with_fewer_votes_than_the_minimum_shows_only_n_and_says_so() -> None:
    report = _report([WorkshopSpec([_mood({"MS": ["4", "4"], "VW": ["1"] * 3, "TH": []})])])
    workshop = _field(report, "MS").workshop
    assert workshop.overall is not None
    assert (workshop.overall.shown, workshop.overall.n) == (False, 2)
    assert workshop.overall.counts == [] and workshop.overall.median is None
    assert workshop.message == (
        "Zu wenige Stimmen für eine Auswertung: 2 abgegeben, mindestens 3 nötig."
    )
    assert _field(report, "MS").divergence == "not_comparable"
    vw = _field(report, "VW").workshop.overall
    assert vw is not None and vw.shown


def test_a_field_nobody_voted_on_in_a_closed_round_is_reported_as_not_rated() -> None:
    report = _report([WorkshopSpec([_mood({"MS": ["1"] * 3, "VW": [], "TH": []})])])
    th = _field(report, "TH")
    assert th.workshop.overall is None and th.workshop.source is None
    assert th.workshop.message == (
        "Im Workshop wurde dieses Handlungsfeld nicht in einer abgeschlossenen Runde bewertet."
    )
    assert th.divergence_label == "kein Vergleich möglich"


def test_votes_of_an_open_round_do_not_count_yet() -> None:
    report = _report([WorkshopSpec([_mood({"MS": ["4"] * 5}, status="open")])])
    assert _field(report, "MS").workshop.overall is None


def test_a_field_the_administration_could_not_rate_is_shown_but_not_compared() -> None:
    # VW has 2 questions and min_coverage 0.5: one "weiß nicht" and nothing else is too few.
    export = make_export(
        QUESTIONNAIRE,
        {**answers_for(QUESTIONNAIRE, {"MS": "ja"}), "VW-01": "weiss_nicht"},
        [WorkshopSpec([_mood({"MS": ["1"] * 3, "VW": ["2"] * 3, "TH": ["2"] * 3})])],
    )
    vw = _field(compare(QUESTIONNAIRE, export, NOW), "VW")
    assert vw.admin.category is None and vw.admin.category_label == "nicht bewertbar"
    assert vw.workshop.overall is not None and vw.workshop.overall.median == 2
    assert vw.workshop.overall.agreement is None and vw.workshop.overall.gap is None
    assert vw.divergence == "not_comparable"
    assert "konnte dieses Handlungsfeld nicht einstufen" in vw.workshop.message


def test_the_most_recently_closed_round_with_votes_on_the_field_is_the_workshops_view() -> None:
    rounds = [
        _mood({"MS": ["1"] * 4, "VW": ["1"] * 4, "TH": ["2"] * 4}, closed_minutes=60),
        RoundSpec("field", {"MS": ["3"] * 4}, closed_minutes=120, title="Nach der Diskussion"),
        # Later, but nobody rated MS here: the field round above still stands for MS.
        _mood({"MS": [], "VW": ["2"] * 4, "TH": ["2"] * 4}, closed_minutes=180, title="Spät"),
    ]
    report = _report([WorkshopSpec(rounds)])
    ms, vw = _field(report, "MS").workshop, _field(report, "VW").workshop
    assert ms.source is not None and ms.source.round == "Nach der Diskussion"
    assert ms.overall is not None and ms.overall.median == 3
    assert vw.source is not None and vw.source.round == "Spät"
    assert vw.source.kind_label == "Stimmungsbild"


def test_the_latest_round_counts_across_workshops_of_the_assessment() -> None:
    first = WorkshopSpec([_mood({"MS": ["1"] * 3}, closed_minutes=60)], title="Erster")
    second = WorkshopSpec([_mood({"MS": ["4"] * 3}, closed_minutes=600)], title="Zweiter")
    ms = _field(_report([first, second]), "MS").workshop
    assert ms.source is not None and ms.source.workshop == "Zweiter"


def test_the_divergence_rule_comes_from_the_questionnaire() -> None:
    lenient = msgspec.structs.replace(QUESTIONNAIRE, divergence=DivergenceRule(notable=2, strong=3))
    report = _report(
        [WorkshopSpec([_mood({"MS": ["3"] * 3, "VW": ["4"] * 3, "TH": ["3"] * 3})])],
        questionnaire=lenient,
    )
    assert [f.divergence for f in report.fields] == ["notable", "strong", "none"]
    assert (report.divergence_notable, report.divergence_strong) == (2, 3)


@pytest.mark.parametrize(
    ("gap", "expected"),
    [(None, "not_comparable"), (0, "none"), (1, "notable"), (-1, "notable"), (2, "strong"),
     (-3, "strong")],
)  # fmt: skip
def test_divergence_levels_by_default_rule(gap: int | None, expected: str) -> None:
    assert divergence_level(gap, DivergenceRule()) == expected


def test_groups_below_the_minimum_are_merged_and_never_shown_alone() -> None:
    groups = [*["politik"] * 4, *["zivilgesellschaft"] * 5, "wirtschaft"]
    votes = {"MS": ["3"] * 4 + ["1"] * 5 + ["4"], "VW": [], "TH": []}
    workshop = _field(_report([WorkshopSpec([_mood(votes)], groups=groups)]), "MS").workshop
    shown = {g.group: g.n for g in workshop.groups}
    # Wirtschaft alone (1 vote) cannot be shown, and "weitere" with just that vote could be
    # worked out from the total: so the smallest group joins it.
    assert shown == {"zivilgesellschaft": 5, "weitere": 5}
    assert all(g.n >= 3 for g in workshop.groups)
    assert "zusammengefasst" in workshop.groups_message


def test_groups_are_compared_with_the_administration_one_by_one() -> None:
    groups = [*["politik"] * 3, *["verwaltung"] * 3]
    votes = {"MS": ["3", "3", "3", "1", "1", "2"], "VW": [], "TH": []}
    workshop = _field(_report([WorkshopSpec([_mood(votes)], groups=groups)]), "MS").workshop
    by_group = {g.label: (g.median, g.divergence) for g in workshop.groups}
    assert by_group == {"Verwaltung": (1, "none"), "Politik": (3, "strong")}
    assert workshop.groups_message == ""


def test_no_group_breakdown_when_fewer_than_two_groups_reach_the_minimum() -> None:
    votes = {"MS": ["2"] * 5, "VW": [], "TH": []}
    groups = ["politik"] * 4 + ["wirtschaft"]
    workshop = _field(_report([WorkshopSpec([_mood(votes)], groups=groups)]), "MS").workshop
    assert workshop.groups == []
    assert workshop.groups_message.startswith("Keine Aufschlüsselung nach Gruppen")


def test_question_rounds_put_the_administrations_answer_beside_the_workshops_answers() -> None:
    questions = RoundSpec(
        "questions", {"MS-01": ["nein", "nein", "nein", "ja", "weiss_nicht"], "MS-02": ["ja"]}
    )
    report = _report([WorkshopSpec([questions])])
    ms = _field(report, "MS")
    assert [q.question_id for q in ms.questions] == ["MS-01", "MS-02"]
    first, second = ms.questions
    assert (first.admin_value, first.admin_label) == ("ja", "Ja")
    assert [(c.label, c.count) for c in first.counts] == [
        ("Ja", 1),
        ("Teilweise", 0),
        ("Nein", 3),
        ("Weiß nicht", 1),
    ]
    assert (first.majority, first.agreement, first.differs) == (["nein"], 0.2, True)
    assert (second.shown, second.n, second.counts, second.differs) == (False, 1, [], None)
    assert "Zu wenige Stimmen" in second.message
    assert _field(report, "VW").questions == []


def test_notes_are_sorted_into_strengths_needs_and_measures_per_field() -> None:
    notes = [
        ("MS", "strength", "Es gibt ein Leitbild.", "", ""),
        ("MS", "measure", "Indikatoren festlegen", "Steuerungsgruppe", "2027"),
        ("VW", "need", "Mehr Beratung in einfacher Sprache", "", ""),
    ]
    report = _report([WorkshopSpec([_mood({"MS": ["1"] * 3})], notes=notes)])
    ms, vw = _field(report, "MS"), _field(report, "VW")
    assert [n.text for n in ms.strengths] == ["Es gibt ein Leitbild."]
    assert [(m.text, m.responsible, m.timeframe) for m in ms.measures] == [
        ("Indikatoren festlegen", "Steuerungsgruppe", "2027")
    ]
    assert [n.text for n in vw.needs] == ["Mehr Beratung in einfacher Sprache"]
    assert vw.measures == [] and ms.needs == []


def test_the_annex_lists_every_question_with_answer_and_comment() -> None:
    export = make_export(
        QUESTIONNAIRE,
        {"MS-01": "ja", "MS-02": "weiss_nicht"},
        comments={"MS-01": "Beschluss vom 3. März"},
    )
    annex = compare(QUESTIONNAIRE, export, NOW).annex
    assert [len(a.questions) for a in annex] == [3, 2, 2]
    first, second, third = annex[0].questions
    assert (first.answer_label, first.comment) == ("Ja", "Beschluss vom 3. März")
    assert second.answer_label == "Weiß nicht"
    assert third.answer_label == "keine Antwort"


@given(
    counts=st.dictionaries(st.sampled_from(["1", "2", "3", "4"]), st.integers(0, 6)),
    admin=st.one_of(st.none(), st.integers(1, 4)),
    min_n=st.integers(2, 10),
)
def test_a_distribution_shows_figures_only_from_the_minimum_on(
    counts: dict[str, int], admin: int | None, min_n: int
) -> None:
    result = category_distribution(QUESTIONNAIRE, counts, admin, min_n)
    n = sum(counts.values())
    assert result.n == n
    if n < min_n:
        assert (result.shown, result.counts, result.median, result.gap) == (False, [], None, None)
        return
    chosen = [int(c) for c, k in counts.items() if k]
    assert result.median is not None and min(chosen) <= result.median <= max(chosen)
    assert sum(c.count for c in result.counts) == n
    assert set(result.majority) <= set(chosen)
    if admin is not None:
        assert result.gap == result.median - admin
        assert result.agreement == counts.get(str(admin), 0) / n


# --- a comparison that sees the room: majority gap, split room, labels ----------------


def _votes(*per_category: int) -> dict[str, int]:
    return {str(c): n for c, n in enumerate(per_category, start=1)}


@pytest.mark.parametrize(
    ("votes", "admin", "level", "label"),
    [
        # Half the room says 1, half says 3: the lower median (1) alone would hide that.
        ((10, 0, 10, 0), 1, "split", "geteiltes Bild"),
        # Median 2 (gap 1), but the most frequent category is 3 (gap 2).
        ((5, 9, 10, 0), 1, "strong", "deutliche Abweichung"),
        # The Krefeld pattern: median and most frequent category both 3.
        ((4, 6, 20, 4), 1, "strong", "deutliche Abweichung"),
        ((5, 20, 7, 2), 2, "none", "keine Abweichung"),
    ],
)
def test_the_room_is_seen_by_median_most_frequent_category_and_split(
    votes: tuple[int, ...], admin: int, level: str, label: str
) -> None:
    d = category_distribution(QUESTIONNAIRE, _votes(*votes), admin, min_n=3)
    assert (d.divergence, d.divergence_label) == (level, label)


def test_the_split_room_reports_its_figures() -> None:
    d = category_distribution(QUESTIONNAIRE, _votes(10, 0, 10, 0), 1, min_n=3)
    assert (d.median, d.majority, d.gap, d.majority_gap, d.split) == (1, [1, 3], 0, None, True)
    assert d.agreement == 0.5


def test_the_majority_gap_counts_only_for_a_unique_most_frequent_category() -> None:
    d = category_distribution(QUESTIONNAIRE, _votes(5, 9, 10, 0), 1, min_n=3)
    assert (d.median, d.majority, d.gap, d.majority_gap, d.split) == (2, [3], 1, 2, False)
    assert d.agreement == pytest.approx(5 / 24)
    tie = category_distribution(QUESTIONNAIRE, _votes(2, 5, 5, 0), 1, min_n=3)
    assert (tie.majority, tie.majority_gap, tie.gap, tie.divergence) == (
        [2, 3], None, 1, "notable",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("votes", "split"),
    [
        ((10, 0, 10, 0), True),
        ((0, 10, 0, 10), True),
        ((10, 0, 0, 10), True),
        ((10, 10, 0, 0), False),  # neighbours are no split
        ((10, 0, 9, 11), True),  # 4 and 1 are the two most chosen, 1 with exactly a third
        ((9, 0, 10, 11), False),  # the two most chosen, 4 and 3, are neighbours
        ((8, 0, 8, 8), True),  # a three-way tie: 1 and 4 both count
        ((12, 0, 6, 6), False),  # 4 and 3 share second place with 1/4 each: too few
        ((10, 1, 9, 10), True),
        ((20, 0, 0, 0), False),
    ],
)
def test_a_split_needs_two_far_apart_categories_each_with_a_third_of_the_votes(
    votes: tuple[int, ...], split: bool
) -> None:
    assert is_split(_votes(*votes), DivergenceRule()) == split


def test_the_split_rule_comes_from_the_questionnaire() -> None:
    strict = msgspec.structs.replace(
        QUESTIONNAIRE, divergence=DivergenceRule(split_gap=3, split_share=0.4)
    )
    assert category_distribution(strict, _votes(10, 0, 10, 0), 1, min_n=3).divergence == "none"
    assert category_distribution(strict, _votes(10, 0, 0, 10), 1, min_n=3).divergence == "split"


def test_the_rules_in_words_name_thresholds_and_the_tie_rule() -> None:
    text = " ".join(divergence_rules(DivergenceRule()))
    assert "ab 2 Kategorien als „deutliche Abweichung“" in text
    assert "mindestens 2 Kategorien auseinander" in text and "33 %" in text
    assert "Gleichstand" in text
    assert compare(QUESTIONNAIRE, make_export(QUESTIONNAIRE, {}, []), NOW).comparison_rules == (
        divergence_rules(QUESTIONNAIRE.divergence)
    )


def test_only_the_two_most_chosen_categories_can_split_the_room() -> None:
    # With a low split_share, category 4 holds enough votes but is only third.
    lenient = DivergenceRule(split_share=0.2)
    assert not is_split(_votes(10, 8, 0, 6), lenient)
    assert is_split(_votes(10, 6, 0, 8), lenient)
