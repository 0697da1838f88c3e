"""The lookups and labels a questionnaire offers, so that no caller rebuilds them."""

from __future__ import annotations

from selfcheck.questionnaire.loader import parse_questionnaire
from selfcheck.questionnaire.schema import Questionnaire
from tests.questionnaire.conftest import VALID_YAML


def _questionnaire() -> Questionnaire:
    return parse_questionnaire(VALID_YAML, "test.yaml")


def test_fields_and_questions_are_found_by_id() -> None:
    questionnaire = _questionnaire()
    field = questionnaire.field("BB")
    question = questionnaire.question("BB-02")
    assert field is not None and field.id == "BB"
    assert question is not None and question.id == "BB-02"
    assert questionnaire.field_of("BB-02") == field


def test_an_unknown_id_finds_nothing() -> None:
    questionnaire = _questionnaire()
    assert questionnaire.field("ZZ") is None
    assert questionnaire.question("ZZ-01") is None
    assert questionnaire.field_of("AA") is None  # a field id is no question id


def test_questions_come_in_questionnaire_order() -> None:
    ids = [q.id for q in _questionnaire().questions()]
    assert ids == ["AA-01", "AA-02", "AA-03", "AA-04", "BB-01", "BB-02", "BB-03"]
    assert _questionnaire().question_ids() == set(ids)
    assert _questionnaire().field_ids() == {"AA", "BB"}


def test_item_labels_name_fields_by_title_and_questions_by_text() -> None:
    questionnaire = _questionnaire()
    labels = questionnaire.item_labels()
    field, question = questionnaire.fields[0], questionnaire.fields[0].questions[0]
    assert labels[field.id] == field.title
    assert labels[question.id] == question.text
    assert len(labels) == 2 + 7


def test_answer_labels_follow_the_scale_then_dont_know() -> None:
    questionnaire = _questionnaire()
    assert list(questionnaire.answer_labels().items())[:4] == [
        ("ja", "Ja"),
        ("teilweise", "Teilweise"),
        ("nein", "Nein"),
        ("weiss_nicht", "Weiß nicht"),
    ]


def test_an_answer_label_says_when_there_is_no_answer() -> None:
    questionnaire = _questionnaire()
    assert questionnaire.answer_label("teilweise") == "Teilweise"
    assert questionnaire.answer_label(None) == "keine Antwort"
    assert questionnaire.answer_label("unbekannt") == "unbekannt"  # shown as stored
