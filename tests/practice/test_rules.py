"""Matching practice examples to a field's next steps."""

from __future__ import annotations

from selfcheck.practice.rules import matching_examples
from selfcheck.practice.schema import (
    Effort,
    ExampleMunicipality,
    PracticeExample,
    Source,
)


def _example(example_id: str, fields: list[str], questions: list[str]) -> PracticeExample:
    return PracticeExample(
        id=example_id,
        title=example_id,
        municipality=ExampleMunicipality(name="eine Stadt", type="Mittelstadt"),
        fields=fields,
        questions=questions,
        what_was_done="…",
        effort=Effort(duration="ein Jahr", staff="eine Stelle"),
        source=Source(title="Bericht", url="https://example.org"),
        contact_role="Integrationsbüro",
    )


def test_a_question_match_ranks_above_a_field_match() -> None:
    field_only = _example("a-feld", ["MS"], [])
    one_question = _example("b-frage", ["MS"], ["MS-06"])
    two_questions = _example("c-fragen", ["MS"], ["MS-06", "MS-08"])
    other_field = _example("d-anderes", ["KK"], ["KK-01"])
    found = matching_examples(
        [field_only, one_question, two_questions, other_field], "MS", ["MS-06", "MS-08"]
    )
    assert found == [two_questions, one_question, field_only]


def test_without_next_steps_the_field_examples_remain() -> None:
    example = _example("a", ["EB"], ["EB-01"])
    assert matching_examples([example], "EB", []) == [example]
    assert matching_examples([example], "MS", []) == []
