from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.questionnaire import Questionnaire, QuestionnaireError, load_questionnaire
from selfcheck.questionnaire.loader import Problem, parse_questionnaire
from selfcheck.questionnaire.summary import summarize

from .conftest import WriteYaml

REAL_QUESTIONNAIRE = (
    Path(__file__).resolve().parents[2] / "questionnaires" / "weltoffene-kommune.yaml"
)

# Field BB's questions in the valid file: its "questions:" key and every question below it.
FIELD_BB_QUESTIONS = re.compile(r"questions:\n(?:      - id: BB-\d\d\n        text: .*\n)+")

CATEGORY_4 = """\
  - number: 4
    label: Noch offen
    description: Hier gibt es viel zu tun.
    min_share: 0.0
"""


def mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the fixture"
    return text.replace(old, new)


def at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of `needle` (which must be unique) plus `offset` characters."""
    assert text.count(needle) == 1, f"{needle!r} must occur exactly once"
    index = text.index(needle) + offset
    before = text[:index].split("\n")
    return len(before), len(before[-1]) + 1


def problems_of(write_yaml: WriteYaml, text: str | bytes) -> list[Problem]:
    path = write_yaml(text)
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    assert all(p.source == str(path) for p in info.value.problems)
    return info.value.problems


def only_problem(write_yaml: WriteYaml, text: str | bytes) -> Problem:
    problems = problems_of(write_yaml, text)
    assert len(problems) == 1, problems
    return problems[0]


def position(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.column


# --- a valid file ---------------------------------------------------------------------


def test_valid_fixture_loads_into_structs(write_yaml: WriteYaml, valid_yaml: str) -> None:
    q = load_questionnaire(write_yaml(valid_yaml))

    assert isinstance(q, Questionnaire)
    assert (q.id, q.version, q.min_coverage) == ("test-kommune", "2026.1", 0.6)
    assert [o.value for o in q.scale.options] == ["ja", "teilweise", "nein"]
    assert q.scale.dont_know.value == "weiss_nicht"
    assert [c.min_share for c in q.categories] == [0.75, 0.5, 0.25, 0.0]
    assert [f.id for f in q.fields] == ["AA", "BB"]
    assert [len(f.questions) for f in q.fields] == [4, 3]
    assert q.fields[0].questions[2].help == "Zum Beispiel interkulturelle Trainings."
    assert q.fields[1].questions[0].topic == ""
    assert q.fields[1].suggestions == {
        1: ["Angebote bekannt machen"],
        2: ["Angebote ausbauen"],
        3: ["Beratung einrichten"],
        4: ["Bedarf erheben"],
    }


def test_byte_order_mark_is_accepted(write_yaml: WriteYaml, valid_yaml: str) -> None:
    q = load_questionnaire(write_yaml(b"\xef\xbb\xbf" + valid_yaml.encode()))
    assert q.id == "test-kommune"


@pytest.mark.skipif(not REAL_QUESTIONNAIRE.exists(), reason="Fragebogen noch nicht vorhanden")
def test_real_questionnaire_has_7_fields_and_105_questions() -> None:
    q = load_questionnaire(REAL_QUESTIONNAIRE)
    assert len(q.fields) == 7
    assert sum(len(f.questions) for f in q.fields) == 105


def test_summary_lists_fields_with_question_counts(valid_yaml: str) -> None:
    q = parse_questionnaire(valid_yaml, "fragebogen.yaml")
    assert summarize(q) == (
        "test-kommune (Version 2026.1): Testfragebogen\n"
        "  AA  Erstes Feld   4 Fragen\n"
        "  BB  Zweites Feld  3 Fragen\n"
        "2 Handlungsfelder, 7 Fragen – keine Fehler gefunden."
    )


# --- problems are reported at line and column -----------------------------------------


def test_problem_prints_as_path_line_column_message() -> None:
    problem = Problem("fragen.yaml", 3, 12, "Pflichtfeld `text` fehlt.")
    error = QuestionnaireError([problem, Problem("fragen.yaml", 9, 1, "Noch etwas.")])
    assert str(problem) == "fragen.yaml:3:12: Pflichtfeld `text` fehlt."
    assert str(error) == "fragen.yaml:3:12: Pflichtfeld `text` fehlt.\nfragen.yaml:9:1: Noch etwas."


def test_yaml_syntax_error_is_reported_where_the_parser_stopped(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "title: Testfragebogen", "title: Test: fragebogen")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, ": fragebogen")
    assert problem.message.startswith("YAML-Syntaxfehler: Doppelpunkt an unerwarteter Stelle")


def test_tab_indentation_is_a_syntax_error_at_the_tab(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "      label: Teilweise", "\t  label: Teilweise")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "\t  label")
    assert "Tabulatoren" in problem.message


def test_unknown_key_is_reported_at_the_key_with_a_suggestion(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "    title: Zweites Feld", "    titel: Zweites Feld")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "titel:")
    assert problem.message == "Unbekannter Schlüssel `titel`. Meinten Sie `title`?"


def test_unknown_key_without_similar_name_lists_the_allowed_keys(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "        help: Zum", "        foo: Zum")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "foo: Zum")
    assert problem.message == (
        "Unbekannter Schlüssel `foo`. Erlaubt sind: id, text, help, topic, core, "
        "may_not_apply, suggestion, builds_on."
    )


def test_missing_key_is_reported_at_the_start_of_its_mapping(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "        text: Gibt es Dolmetschdienste?\n", "")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "id: BB-03")
    assert problem.message == "Pflichtfeld `text` fehlt."


def test_missing_top_level_key_is_reported_at_the_first_line(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    problem = only_problem(write_yaml, mutate(valid_yaml, "min_coverage: 0.6\n", ""))
    assert position(problem) == (1, 1)
    assert problem.message == "Pflichtfeld `min_coverage` fehlt."


def test_wrong_type_is_reported_at_the_value(write_yaml: WriteYaml, valid_yaml: str) -> None:
    text = mutate(valid_yaml, "points: 2", "points: zwei")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "zwei")
    assert problem.message == "Erwartet wird eine ganze Zahl (int), gefunden: Text."


def test_unquoted_version_number_gets_a_hint_to_quote_it(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, 'version: "2026.1"', "version: 2026.1")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "2026.1")
    assert problem.message.startswith("Erwartet wird Text, gefunden: Kommazahl.")
    assert "Anführungszeichen" in problem.message


def test_empty_value_is_reported_at_its_key(write_yaml: WriteYaml, valid_yaml: str) -> None:
    text = mutate(valid_yaml, "text: Gibt es Dolmetschdienste?", "text:")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "text:\n")
    assert problem.message == "Erwartet wird Text, gefunden: leerer Wert."


def test_wrong_type_inside_suggestions_is_reported_at_that_category(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "3: [Fortbildungen planen]", "3: Fortbildungen planen")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "Fortbildungen planen")
    assert problem.message == "Erwartet wird eine Liste, gefunden: Text."


def test_quoted_category_number_is_reported_at_the_key(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "2: [Leitbild überprüfen]", '"2": [Leitbild überprüfen]')
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, '"2"')
    assert problem.message.startswith(
        "Als Schlüssel wird eine ganze Zahl (int) erwartet, gefunden: Text `2`."
    )


def test_duplicate_question_id_is_reported_at_its_line(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "id: BB-02", "id: AA-01")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "AA-01\n        text: Gibt es Informationen")
    assert problem.message == (
        "Die Fragen-ID `AA-01` ist doppelt vergeben (schon bei Frage 1 im Handlungsfeld `AA`)."
    )


def test_duplicate_field_id_is_reported_at_the_second_field(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "id: BB\n", "id: AA\n")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "AA\n    title: Zweites Feld")
    assert problem.message == (
        "Die Handlungsfeld-ID `AA` ist doppelt vergeben (schon beim 1. Handlungsfeld)."
    )


def test_three_categories_are_reported_at_the_categories_key(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, CATEGORY_4, "")
    problems = problems_of(write_yaml, text)
    assert [(position(p), p.message) for p in problems] == [
        (at(text, "categories:"), "Es muss genau 4 Kategorien geben, gefunden: 3."),
        (
            at(text, "0.25"),
            "Die letzte Kategorie braucht min_share 0, damit jedes Ergebnis eine Kategorie "
            "bekommt; gefunden: 0.25.",
        ),
    ]


def test_unordered_thresholds_are_reported_at_the_offending_min_share(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "min_share: 0.5", "min_share: 0.8")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "0.8")
    assert problem.message == (
        "min_share muss kleiner sein als bei der Kategorie davor (0.75), gefunden: 0.8."
    )


def test_missing_suggestions_for_a_category_are_reported_at_the_suggestions_key(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "      3:\n        - Beratung einrichten\n", "")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "suggestions:\n      1:\n        - Angebote")
    assert problem.message == "Es fehlen Vorschläge für Kategorie 3."


def test_suggestions_for_an_unknown_category_are_reported_at_the_key(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "4: [Leitbild erarbeiten]", "5: [Leitbild erarbeiten]")
    problems = problems_of(write_yaml, text)
    assert [(position(p), p.message) for p in problems] == [
        (at(text, "suggestions:\n      1: [Erfahrungen"), "Es fehlen Vorschläge für Kategorie 4."),
        (at(text, "5: [Leitbild"), "Eine Kategorie 5 gibt es nicht; erlaubt sind 1, 2, 3 und 4."),
    ]


def test_empty_field_is_reported_at_its_questions(write_yaml: WriteYaml, valid_yaml: str) -> None:
    text, replaced = FIELD_BB_QUESTIONS.subn("questions: []\n", valid_yaml)
    assert replaced == 1
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "[]")
    assert problem.message == "Das Handlungsfeld enthält keine Fragen."


def test_duplicate_yaml_key_is_reported_at_the_second_key(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(
        valid_yaml, "    title: Zweites Feld\n", "    title: Zweites Feld\n    title: Nochmal\n"
    )
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "title: Nochmal")
    first_line = at(text, "title: Zweites Feld")[0]
    assert problem.message == f"Der Schlüssel `title` steht doppelt (zuerst in Zeile {first_line})."


def test_all_problems_are_reported_together_in_file_order(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "id: BB-02", "id: AA-01")
    text = mutate(text, "min_coverage: 0.6", "min_coverage: 1.5")
    text = mutate(text, "- value: teilweise", "- value: ja")
    problems = problems_of(write_yaml, text)
    assert [position(p) for p in problems] == [
        at(text, "1.5"),
        at(text, "ja\n      label: Teilweise"),
        at(text, "AA-01\n        text: Gibt es Informationen"),
    ]


def test_topic_that_reappears_later_in_a_field_is_reported_at_that_question(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(
        valid_yaml,
        "Stellen mehrsprachig ausgeschrieben?\n        topic: Personal",
        "Stellen mehrsprachig ausgeschrieben?\n        topic: Leitbild",
    )
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "Leitbild\n    suggestions")
    assert problem.message.startswith("Das Thema `Leitbild` kam in diesem Handlungsfeld schon vor")


# --- files that are not questionnaires at all -----------------------------------------


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "gibt-es-nicht.yaml"
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    assert str(info.value) == f"{path}:1:1: Die Datei gibt es nicht."


def test_directory_instead_of_file_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(tmp_path)
    assert info.value.problems[0].message.startswith("Die Datei lässt sich nicht lesen")


def test_file_that_is_not_utf8_is_reported_at_the_bad_byte(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "Testfragebogen", "Testfrageb\x00gen")
    data = text.encode("utf-8").replace(b"\x00", b"\xf6")  # "ö" in Latin-1
    problem = only_problem(write_yaml, data)
    assert position(problem) == at(text, "\x00")
    assert "UTF-8" in problem.message


def test_empty_file_is_a_problem(write_yaml: WriteYaml) -> None:
    problem = only_problem(write_yaml, "# nur ein Kommentar\n")
    assert (problem.line, problem.column, problem.message) == (1, 1, "Die Datei ist leer.")


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "eine Liste"), ("\n  nur Text\n", "ein einzelner Wert")]
)
def test_top_level_that_is_not_a_mapping_is_a_problem(
    write_yaml: WriteYaml, text: str, kind: str
) -> None:
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, text.strip())
    assert problem.message.endswith(f"gefunden: {kind}.")


def test_control_character_is_reported_at_its_position(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "Testfragebogen", "Test\x07fragebogen")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "\x07")


@pytest.mark.parametrize(
    ("value", "message_start"),
    [
        ("!!int zwei", "Der Wert passt nicht zum YAML-Tag"),
        ("!!set {a}", "Der YAML-Tag `tag:yaml.org,2002:set` wird nicht unterstützt."),
        ("&a [*a]", "Rekursiver YAML-Anker."),
    ],
)
def test_unusual_yaml_features_are_problems_at_the_value(
    write_yaml: WriteYaml, valid_yaml: str, value: str, message_start: str
) -> None:
    text = mutate(valid_yaml, "title: Testfragebogen", f"title: {value}")
    problems = problems_of(write_yaml, text)
    assert position(problems[0]) == at(text, value)
    assert problems[0].message.startswith(message_start)


def test_merge_key_is_refused(write_yaml: WriteYaml, valid_yaml: str) -> None:
    text = mutate(valid_yaml, "scale:\n  options:", "scale:\n  <<: {x: 1}\n  options:")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "<<")
    assert "<<" in problem.message


def test_anchors_and_aliases_for_repeated_values_work(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(valid_yaml, "1: [Erfahrungen weitergeben]", "1: &gut [Erfahrungen weitergeben]")
    text = mutate(text, "      1:\n        - Angebote bekannt machen", "      1: *gut")
    q = load_questionnaire(write_yaml(text))
    assert q.fields[1].suggestions[1] == ["Erfahrungen weitergeben"]


def test_alias_bomb_is_refused_instead_of_expanded(write_yaml: WriteYaml) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    problem = only_problem(write_yaml, "\n".join(lines) + "\n")
    assert problem.message == "Die Datei ist zu groß oder wiederholt zu oft Inhalte über Anker."


def test_absurdly_deep_nesting_is_a_problem_not_a_crash(write_yaml: WriteYaml) -> None:
    problem = only_problem(write_yaml, "[" * 5000)
    assert problem.message == "Die Datei ist zu tief verschachtelt."


# --- 2027 extensions ------------------------------------------------------------------

EXTENDED_TOP = """\
provisional_coverage: 0.8
core_cap: 2
divergence:
  notable: 1
  strong: 2
  split_gap: 2
  split_share: 0.3333
glossary:
  - term: Menschen mit Einwanderungsgeschichte
    definition: Wer selbst oder wessen Eltern eingewandert sind.
"""


def extended(valid_yaml: str) -> str:
    text = mutate(valid_yaml, "min_coverage: 0.6\n", "min_coverage: 0.6\n" + EXTENDED_TOP)
    text = mutate(
        text,
        "  dont_know:\n    value: weiss_nicht\n    label: Weiß nicht\n",
        "  dont_know:\n    value: weiss_nicht\n    label: Weiß nicht\n"
        "  not_applicable: {value: nicht_zutreffend, label: Nicht zutreffend}\n",
    )
    return mutate(
        text,
        "      - id: BB-03\n        text: Gibt es Dolmetschdienste?\n",
        "      - id: BB-03\n        text: Gibt es Dolmetschdienste?\n"
        "        core: true\n        may_not_apply: true\n"
        "        suggestion: Schließen Sie einen Rahmenvertrag mit einem Dolmetschdienst.\n"
        "        builds_on: [BB-01]\n",
    )


def test_file_with_every_2027_key_loads(write_yaml: WriteYaml, valid_yaml: str) -> None:
    q = load_questionnaire(write_yaml(extended(valid_yaml)))
    assert q.provisional_coverage == 0.8 and q.core_cap == 2
    assert q.divergence.split_gap == 2 and q.divergence.split_share == 0.3333
    assert q.scale.not_applicable is not None
    assert q.scale.not_applicable.value == "nicht_zutreffend"
    assert [entry.term for entry in q.glossary] == ["Menschen mit Einwanderungsgeschichte"]
    question = q.fields[1].questions[2]
    assert question.core and question.may_not_apply and question.builds_on == ["BB-01"]
    assert question.suggestion.startswith("Schließen Sie")


def test_unknown_builds_on_id_is_reported_at_its_line(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(extended(valid_yaml), "builds_on: [BB-01]", "builds_on: [BB-09]")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "BB-09]")
    assert problem.message == "Eine Frage `BB-09` gibt es in diesem Fragebogen nicht."


def test_may_not_apply_without_the_scale_option_is_reported_at_the_key(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(
        extended(valid_yaml),
        "  not_applicable: {value: nicht_zutreffend, label: Nicht zutreffend}\n",
        "",
    )
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "true\n        suggestion")
    assert "scale.not_applicable" in problem.message


def test_provisional_coverage_below_min_coverage_is_reported_at_its_value(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(extended(valid_yaml), "provisional_coverage: 0.8", "provisional_coverage: 0.5")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "0.5\ncore_cap")
    assert problem.message.startswith("provisional_coverage muss mindestens so groß")


def test_core_cap_that_is_no_category_is_reported_at_its_value(
    write_yaml: WriteYaml, valid_yaml: str
) -> None:
    text = mutate(extended(valid_yaml), "core_cap: 2", "core_cap: 7")
    problem = only_problem(write_yaml, text)
    assert position(problem) == at(text, "7\ndivergence")
    assert problem.message == "core_cap muss eine Kategorie (1, 2, 3 oder 4) sein, gefunden: 7."


def test_summary_names_core_criteria_and_questions_that_may_not_apply(
    valid_yaml: str,
) -> None:
    q = parse_questionnaire(extended(valid_yaml), "fragebogen.yaml")
    assert summarize(q).splitlines()[2] == (
        "  BB  Zweites Feld  3 Fragen  – Kernkriterien BB-03 (höchstens Kategorie 2); "
        "1 × „nicht zutreffend“ möglich"
    )
