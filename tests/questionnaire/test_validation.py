from __future__ import annotations

import math

import pytest
from msgspec.structs import replace

from selfcheck.questionnaire.schema import (
    DivergenceRule,
    DontKnowOption,
    Field,
    GlossaryEntry,
    NotApplicableOption,
    Questionnaire,
    Scale,
    ScaleOption,
)
from selfcheck.questionnaire.validation import Key, NodePath, validate

from .conftest import DEFAULT_SCALE, make_categories, make_field, make_questionnaire


def paths(q: Questionnaire) -> list[NodePath]:
    return [path for path, _ in validate(q)]


def only_issue(q: Questionnaire) -> tuple[NodePath, str]:
    issues = validate(q)
    assert len(issues) == 1, issues
    return issues[0]


def with_field(q: Questionnaire, index: int, **changes: object) -> Questionnaire:
    fields = list(q.fields)
    fields[index] = replace(fields[index], **changes)
    return replace(q, fields=fields)


def with_question(q: Questionnaire, field: int, index: int, **changes: object) -> Questionnaire:
    questions = list(q.fields[field].questions)
    questions[index] = replace(questions[index], **changes)
    return with_field(q, field, questions=questions)


def options(*points: int, values: tuple[str, ...] = ()) -> list[ScaleOption]:
    values = values or tuple(f"o{i}" for i in range(len(points)))
    return [ScaleOption(value=v, label=v, points=p) for v, p in zip(values, points, strict=True)]


def test_valid_questionnaire_has_no_issues() -> None:
    assert validate(make_questionnaire()) == []


# --- ids ------------------------------------------------------------------------------


def test_duplicate_field_id_is_reported_at_the_second_field() -> None:
    q = with_field(make_questionnaire(), 1, id="AA")
    path, message = only_issue(q)
    assert path == ("fields", 1, "id")
    assert "`AA`" in message and "doppelt" in message


def test_duplicate_question_id_across_fields_is_reported_at_the_later_question() -> None:
    q = with_question(make_questionnaire(), 1, 2, id="AA-03")
    path, message = only_issue(q)
    assert path == ("fields", 1, "questions", 2, "id")
    assert message == (
        "Die Fragen-ID `AA-03` ist doppelt vergeben (schon bei Frage 3 im Handlungsfeld `AA`)."
    )


def test_duplicate_question_id_within_a_field_is_reported() -> None:
    q = with_question(make_questionnaire(), 0, 1, id="AA-01")
    assert paths(q) == [("fields", 0, "questions", 1, "id")]


@pytest.mark.parametrize("blank", ["", "  "])
def test_blank_ids_are_reported(blank: str) -> None:
    q = with_question(with_field(make_questionnaire(), 1, id=blank), 1, 0, id=blank)
    assert validate(q) == [
        (("fields", 1, "id"), "Die ID eines Handlungsfelds darf nicht leer sein."),
        (("fields", 1, "questions", 0, "id"), "Die ID einer Frage darf nicht leer sein."),
    ]


# --- scale ----------------------------------------------------------------------------


def test_duplicate_option_value_is_reported_at_the_second_option() -> None:
    scale = replace(DEFAULT_SCALE, options=options(2, 1, 0, values=("ja", "nein", "nein")))
    path, message = only_issue(make_questionnaire(scale=scale))
    assert path == ("scale", "options", 2, "value")
    assert message == "Der Wert `nein` ist schon bei Antwortoption 2 vergeben."


def test_dont_know_value_must_differ_from_every_option() -> None:
    scale = replace(DEFAULT_SCALE, dont_know=DontKnowOption(value="nein", label="Weiß nicht"))
    path, message = only_issue(make_questionnaire(scale=scale))
    assert path == ("scale", "dont_know", "value")
    assert "„weiß nicht“ braucht einen eigenen Wert" in message


def test_scale_with_a_single_option_is_reported() -> None:
    scale = replace(DEFAULT_SCALE, options=options(2))
    assert only_issue(make_questionnaire(scale=scale)) == (
        ("scale", "options"),
        "Die Skala braucht mindestens zwei Antwortoptionen.",
    )


def test_negative_points_are_reported_at_the_option() -> None:
    scale = replace(DEFAULT_SCALE, options=options(2, -1))
    assert paths(make_questionnaire(scale=scale)) == [("scale", "options", 1, "points")]


def test_scale_where_no_option_gives_points_is_reported() -> None:
    scale = replace(DEFAULT_SCALE, options=options(0, 0))
    assert paths(make_questionnaire(scale=scale)) == [("scale", "options")]


# --- categories -----------------------------------------------------------------------


def test_three_categories_are_reported() -> None:
    q = make_questionnaire(categories=make_categories(0.75, 0.5, 0.0))
    assert only_issue(q) == (("categories",), "Es muss genau 4 Kategorien geben, gefunden: 3.")


def test_five_categories_are_reported() -> None:
    q = make_questionnaire(categories=make_categories(0.8, 0.6, 0.4, 0.2, 0.0))
    assert paths(q) == [("categories",)]


def test_category_numbers_must_be_1_to_4_in_order() -> None:
    categories = make_categories(0.75, 0.5, 0.25, 0.0)
    categories[1], categories[2] = (
        replace(categories[1], number=3),
        replace(categories[2], number=2),
    )
    q = make_questionnaire(categories=categories)
    assert paths(q) == [("categories", 1, "number"), ("categories", 2, "number")]


@pytest.mark.parametrize(
    ("shares", "bad_index"),
    [
        ((0.75, 0.75, 0.25, 0.0), 1),  # equal is not strictly decreasing
        ((0.75, 0.5, 0.6, 0.0), 2),
        ((0.75, 0.5, 0.25, 0.25), 3),
    ],
)
def test_min_share_must_strictly_decrease(shares: tuple[float, ...], bad_index: int) -> None:
    path, message = only_issue(make_questionnaire(categories=make_categories(*shares)))
    assert path == ("categories", bad_index, "min_share")
    assert message.startswith("min_share muss kleiner sein als bei der Kategorie davor")


@pytest.mark.parametrize("share", [1.5, -0.1, math.nan])
def test_min_share_outside_0_to_1_is_reported(share: float) -> None:
    q = make_questionnaire(categories=make_categories(share, 0.5, 0.25, 0.0))
    path, message = only_issue(q)
    assert path == ("categories", 0, "min_share")
    assert message.startswith("min_share muss zwischen 0 und 1 liegen")


def test_min_share_of_1_is_allowed() -> None:
    assert validate(make_questionnaire(categories=make_categories(1.0, 0.5, 0.25, 0.0))) == []


def test_last_category_must_start_at_0_so_every_share_gets_a_category() -> None:
    q = make_questionnaire(categories=make_categories(0.75, 0.5, 0.25, 0.1))
    path, message = only_issue(q)
    assert path == ("categories", 3, "min_share")
    assert message.startswith("Die letzte Kategorie braucht min_share 0")


# --- min_coverage ---------------------------------------------------------------------


@pytest.mark.parametrize("coverage", [0.0, -0.5, 1.01, math.nan])
def test_min_coverage_outside_0_exclusive_to_1_is_reported(coverage: float) -> None:
    path, message = only_issue(make_questionnaire(min_coverage=coverage))
    assert path == ("min_coverage",)
    assert message.startswith("min_coverage muss größer als 0 und höchstens 1 sein")


@pytest.mark.parametrize("coverage", [0.01, 1.0])
def test_min_coverage_at_the_edges_is_allowed(coverage: float) -> None:
    assert validate(make_questionnaire(min_coverage=coverage)) == []


# --- fields and questions -------------------------------------------------------------


def test_questionnaire_without_fields_is_reported() -> None:
    assert paths(make_questionnaire(fields=[])) == [("fields",)]


def test_field_without_questions_is_reported() -> None:
    q = with_field(make_questionnaire(), 1, questions=[])
    assert only_issue(q) == (("fields", 1, "questions"), "Das Handlungsfeld enthält keine Fragen.")


@pytest.mark.parametrize("text", ["", " \n "])
def test_question_with_empty_text_is_reported(text: str) -> None:
    q = with_question(make_questionnaire(), 0, 3, text=text)
    assert only_issue(q) == (
        ("fields", 0, "questions", 3, "text"),
        "Der Fragetext darf nicht leer sein.",
    )


def test_missing_suggestions_for_categories_are_listed_in_one_issue() -> None:
    q = with_field(make_questionnaire(), 0, suggestions={1: ["a"], 3: ["c"]})
    assert only_issue(q) == (
        ("fields", 0, "suggestions"),
        "Es fehlen Vorschläge für Kategorie 2, 4.",
    )


def test_suggestions_for_a_category_that_does_not_exist_point_at_the_key() -> None:
    suggestions = {n: ["x"] for n in (1, 2, 3, 4, 0)}
    q = with_field(make_questionnaire(), 1, suggestions=suggestions)
    assert paths(q) == [("fields", 1, "suggestions", Key(0))]


def test_empty_suggestion_list_is_reported() -> None:
    suggestions = {1: ["a"], 2: [], 3: ["c"], 4: ["d"]}
    q = with_field(make_questionnaire(), 1, suggestions=suggestions)
    assert only_issue(q) == (
        ("fields", 1, "suggestions", 2),
        "Die Liste der Vorschläge für Kategorie 2 ist leer.",
    )


# --- topics ---------------------------------------------------------------------------


def field_with_topics(*topics: str) -> Questionnaire:
    return make_questionnaire(fields=[make_field("AA", *topics)])


@pytest.mark.parametrize(
    "topics",
    [
        ("A", "A", "B", "B", "C"),
        ("", "", "A", "A"),
        ("A", "", "B", ""),  # questions without topic form no group
        ("A",),
    ],
)
def test_contiguous_topics_are_fine(topics: tuple[str, ...]) -> None:
    assert validate(field_with_topics(*topics)) == []


@pytest.mark.parametrize(
    ("topics", "bad"),
    [
        (("A", "B", "A"), [2]),
        (("A", "A", "B", "A", "A"), [3]),
        (("A", "", "A"), [2]),
        (("A", "B", "A", "B"), [2, 3]),
    ],
)
def test_topic_that_reappears_later_is_reported_where_it_reappears(
    topics: tuple[str, ...], bad: list[int]
) -> None:
    issues = validate(field_with_topics(*topics))
    assert [path for path, _ in issues] == [("fields", 0, "questions", j, "topic") for j in bad]
    assert all("müssen direkt aufeinander folgen" in message for _, message in issues)


def test_topics_of_different_fields_are_independent() -> None:
    q = make_questionnaire(fields=[make_field("AA", "A", "B"), make_field("BB", "B", "A")])
    assert validate(q) == []


def test_all_issues_are_reported_not_just_the_first() -> None:
    q = make_questionnaire(
        scale=Scale(options=options(2), dont_know=DEFAULT_SCALE.dont_know),
        min_coverage=2.0,
        fields=[Field(id="AA", title="A", description="", questions=[], suggestions={})],
    )
    assert paths(q) == [
        ("scale", "options"),
        ("min_coverage",),
        ("fields", 0, "questions"),
        ("fields", 0, "suggestions"),
    ]


# --- 2027 extensions: "nicht zutreffend", core criteria, coverage, builds_on ----------

NOT_APPLICABLE = NotApplicableOption(value="nicht_zutreffend", label="Nicht zutreffend")
SCALE_WITH_NOT_APPLICABLE = replace(DEFAULT_SCALE, not_applicable=NOT_APPLICABLE)


def test_not_applicable_needs_its_own_value() -> None:
    scale = replace(
        DEFAULT_SCALE, not_applicable=NotApplicableOption(value="weiss_nicht", label="n. z.")
    )
    path, message = only_issue(make_questionnaire(scale=scale))
    assert path == ("scale", "not_applicable", "value")
    assert "„nicht zutreffend“ braucht einen eigenen Wert" in message


def test_may_not_apply_needs_a_scale_with_not_applicable() -> None:
    q = with_question(make_questionnaire(), 0, 1, may_not_apply=True)
    path, message = only_issue(q)
    assert path == ("fields", 0, "questions", 1, "may_not_apply")
    assert "scale.not_applicable" in message
    assert validate(replace(q, scale=SCALE_WITH_NOT_APPLICABLE)) == []


@pytest.mark.parametrize("cap", [0, 5, -1])
def test_core_cap_must_be_a_category_number(cap: int) -> None:
    assert paths(make_questionnaire(core_cap=cap)) == [("core_cap",)]
    assert paths(with_field(make_questionnaire(), 1, core_cap=cap)) == [("fields", 1, "core_cap")]


@pytest.mark.parametrize("cap", [1, 2, 3, 4])
def test_core_cap_of_any_category_is_allowed(cap: int) -> None:
    assert validate(make_questionnaire(core_cap=cap)) == []


def test_core_questions_need_a_cap_from_the_file_or_the_field() -> None:
    q = with_question(make_questionnaire(), 0, 0, core=True)
    path, message = only_issue(q)
    assert path == ("fields", 0, "core")
    assert "core_cap" in message
    assert validate(replace(q, core_cap=2)) == []
    assert validate(with_field(q, 0, core_cap=3)) == []


def test_the_field_core_cap_overrides_the_questionnaires() -> None:
    q = with_field(make_questionnaire(core_cap=2), 0, core_cap=3)
    assert q.core_cap_of(q.fields[0]) == 3
    assert q.core_cap_of(q.fields[1]) == 2


@pytest.mark.parametrize("coverage", [0.59, 1.01, math.nan, -0.2])
def test_provisional_coverage_must_lie_between_min_coverage_and_1(coverage: float) -> None:
    path, message = only_issue(make_questionnaire(provisional_coverage=coverage))
    assert path == ("provisional_coverage",)
    assert message.startswith("provisional_coverage muss mindestens so groß wie min_coverage")


@pytest.mark.parametrize("coverage", [0.6, 0.8, 1.0])
def test_provisional_coverage_at_the_edges_is_allowed(coverage: float) -> None:
    assert validate(make_questionnaire(provisional_coverage=coverage)) == []


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"split_gap": 0}, "split_gap"),
        ({"split_share": 0.0}, "split_share"),
        ({"split_share": 0.6}, "split_share"),
        ({"split_share": math.nan}, "split_share"),
    ],
)
def test_split_rule_must_be_sensible(changes: dict[str, float], where: str) -> None:
    rule = replace(DivergenceRule(), **changes)
    assert paths(make_questionnaire(divergence=rule)) == [("divergence", where)]


def test_glossary_terms_must_be_filled_and_unique() -> None:
    glossary = [
        GlossaryEntry(term="Integrationsrat", definition="Gewähltes Gremium."),
        GlossaryEntry(term=" integrationsrat", definition="Noch einmal."),
        GlossaryEntry(term="", definition=" "),
    ]
    assert paths(make_questionnaire(glossary=glossary)) == [
        ("glossary", 1, "term"),
        ("glossary", 2, "term"),
        ("glossary", 2, "definition"),
    ]


def test_builds_on_known_questions_of_any_field_is_fine() -> None:
    q = with_question(make_questionnaire(), 1, 0, builds_on=["AA-01", "BB-02"])
    assert validate(q) == []


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (["XX-99"], "Eine Frage `XX-99` gibt es in diesem Fragebogen nicht."),
        (["BB-01"], "Die Frage `BB-01` kann nicht auf sich selbst aufbauen."),
        (["AA-01", "AA-01"], "Die Frage `AA-01` steht doppelt in builds_on."),
    ],
)
def test_builds_on_must_name_other_existing_questions(targets: list[str], message: str) -> None:
    q = with_question(make_questionnaire(), 1, 0, builds_on=targets)
    path, found = only_issue(q)
    assert path[:5] == ("fields", 1, "questions", 0, "builds_on")
    assert found == message


def test_a_builds_on_cycle_is_reported_once_where_it_closes() -> None:
    q = with_question(make_questionnaire(), 0, 0, builds_on=["AA-02"])
    q = with_question(q, 0, 1, builds_on=["BB-01"])
    q = with_question(q, 1, 0, builds_on=["AA-01"])
    path, message = only_issue(q)
    assert path == ("fields", 1, "questions", 0, "builds_on")
    assert "AA-01 → AA-02 → BB-01 → AA-01" in message


def test_a_chain_without_cycle_is_fine() -> None:
    q = with_question(make_questionnaire(), 0, 0, builds_on=["AA-02"])
    q = with_question(q, 0, 1, builds_on=["AA-03"])
    q = with_question(q, 1, 0, builds_on=["AA-01", "AA-02"])
    assert validate(q) == []
