"""The content rules questionnaire 2027.1 was written to: what an integration officer must
be able to defend before the council. They guard the file against drifting back."""

from __future__ import annotations

import re

import pytest

from selfcheck.questionnaire.registry import DEFAULT_QUESTIONNAIRE_ID, QuestionnaireRegistry
from selfcheck.questionnaire.schema import Question, Questionnaire


@pytest.fixture
def current(registry: QuestionnaireRegistry) -> Questionnaire:
    return registry.get(DEFAULT_QUESTIONNAIRE_ID, "2027.1")


@pytest.fixture
def previous(registry: QuestionnaireRegistry) -> Questionnaire:
    return registry.get(DEFAULT_QUESTIONNAIRE_ID, "2026.1")


def _questions(q: Questionnaire) -> list[Question]:
    return [question for field in q.fields for question in field.questions]


def _all_text(q: Questionnaire) -> str:
    parts = [q.description, *(g.term + " " + g.definition for g in q.glossary)]
    parts += [c.description for c in q.categories]
    for field in q.fields:
        parts += [field.title, field.description]
        parts += [s for texts in field.suggestions.values() for s in texts]
        parts += [f"{x.topic} {x.text} {x.help} {x.suggestion}" for x in field.questions]
    return "\n".join(parts)


def test_2027_1_is_the_newest_version(registry: QuestionnaireRegistry) -> None:
    assert registry.latest().version == "2027.1"


def test_it_keeps_105_questions_in_the_same_fields_and_fair_access_sub_topics(
    current: Questionnaire, previous: Questionnaire
) -> None:
    assert len(_questions(current)) == 105
    assert [f.id for f in current.fields] == [f.id for f in previous.fields]

    def topics(q: Questionnaire) -> list[str]:
        fz = next(f for f in q.fields if f.id == "FZ")
        return list(dict.fromkeys(question.topic for question in fz.questions))

    assert topics(current) == topics(previous)


def test_every_question_says_when_to_answer_ja_and_teilweise_and_what_to_do_next(
    current: Questionnaire,
) -> None:
    for question in _questions(current):
        assert "Ja, wenn" in question.help, question.id
        assert "Teilweise, wenn" in question.help, question.id
        assert question.suggestion.strip(), question.id


def test_every_field_has_two_or_three_core_criteria_none_of_them_possibly_not_applicable(
    current: Questionnaire,
) -> None:
    assert current.core_cap == 2
    for field in current.fields:
        core = [q for q in field.questions if q.core]
        assert 2 <= len(core) <= 3, field.id
        assert not any(q.may_not_apply for q in core), field.id


def test_questions_that_may_not_apply_say_when_to_choose_nicht_zutreffend(
    current: Questionnaire,
) -> None:
    assert current.scale.not_applicable is not None
    optional = [q for q in _questions(current) if q.may_not_apply]
    assert optional
    assert all("Nicht zutreffend, wenn" in q.help for q in optional)


def test_the_target_group_has_one_name_and_no_cascade_asks_for_nein(
    current: Questionnaire,
) -> None:
    text = _all_text(current)
    for term in ("Zugewanderte", "Zuwanderungsgeschichte", "Migrationshintergrund"):
        assert term not in text
    assert "Menschen mit Einwanderungsgeschichte" in text
    assert not re.search(r"wählen Sie „Nein“", text)


def test_no_question_claims_an_outcome_a_checklist_cannot_see(current: Questionnaire) -> None:
    asked = " ".join(q.text for q in _questions(current))
    assert not re.search(r"\bwirksam|\bverfolgt", asked)
    categories = " ".join(c.description for c in current.categories)
    assert "gelebt" not in categories and "Wirkung" not in categories


def test_the_glossary_is_short_and_defines_the_target_group(current: Questionnaire) -> None:
    assert 8 <= len(current.glossary) <= 12
    assert "Menschen mit Einwanderungsgeschichte" in [g.term for g in current.glossary]


def test_the_framing_texts_differ_between_fields(current: Questionnaire) -> None:
    for number in (1, 2, 3, 4):
        texts = [field.suggestions[number][-1] for field in current.fields]
        assert len(set(texts)) == len(texts), number


def test_the_new_topics_are_asked(current: Questionnaire) -> None:
    asked = " ".join(q.text for q in _questions(current))
    for topic in (
        "Online-Dienste",
        "WLAN",
        "Video, Chat oder Messenger",
        "Hasskriminalität",
        "Mandatsträgerinnen",
        "Ehrenamtliche, die wegen ihres Engagements",
        "Ausländerbehörde schriftliche Standards",
        "Einbürgerungsbehörde",
        "Kita-Plätze",
        "Antisemitismus, antimuslimischen Rassismus und",
    ):
        assert topic in asked, topic
