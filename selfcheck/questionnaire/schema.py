"""The questionnaire file format, as msgspec structs.

A questionnaire YAML file decodes into `Questionnaire`. Unknown keys are refused so a
typo in a key is reported instead of silently ignored. Cross-field rules (unique ids,
four ordered categories, suggestions per category) live in `validation.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import msgspec

NO_ANSWER_LABEL: Final = "keine Antwort"


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class _AnswerOption(_Strict, frozen=True):
    """An answer as stored (`value`) and as people read it (`label`)."""

    value: str
    label: str


class ScaleOption(_AnswerOption, frozen=True):
    """One answer a question can get, e.g. "Ja, umgesetzt" worth 2 points."""

    points: int


class DontKnowOption(_AnswerOption, frozen=True):
    """The "weiß nicht" answer: recorded, but it scores nothing and does not count as answered."""


class NotApplicableOption(_AnswerOption, frozen=True):
    """The "nicht zutreffend / nicht zuständig" answer, offered only on questions marked
    `may_not_apply`: it scores nothing and the question leaves the field's count."""


class Scale(_Strict, frozen=True):
    options: list[ScaleOption]
    dont_know: DontKnowOption
    not_applicable: NotApplicableOption | None = None

    def labels(self) -> dict[str, str]:
        """Answer value -> label: the options in scale order, then "weiß nicht" and
        "nicht zutreffend"."""
        labels = {option.value: option.label for option in self.options}
        labels[self.dont_know.value] = self.dont_know.label
        if self.not_applicable is not None:
            labels[self.not_applicable.value] = self.not_applicable.label
        return labels


class Category(_Strict, frozen=True):
    """A result category. Category 1 is the best. A field lands in the first category
    (in list order) whose `min_share` its share of reachable points reaches."""

    number: int
    label: str
    description: str
    min_share: float


class DivergenceRule(_Strict, frozen=True):
    """When the comparison report flags a field: the distance in categories between the
    workshop's median and the administration's category that counts as an "Abweichung"
    (`notable`) and as a "deutliche Abweichung" (`strong`). Optional in the file."""

    notable: int = 1
    strong: int = 2
    # A room is "geteiltes Bild" when its two most chosen categories lie at least
    # `split_gap` apart and each holds at least `split_share` of the votes.
    split_gap: int = 2
    split_share: float = 1 / 3

    def __post_init__(self) -> None:
        if not 1 <= self.notable <= self.strong:
            raise ValueError(
                "divergence: notable muss mindestens 1 sein und strong mindestens so groß "
                f"wie notable (gefunden: notable={self.notable}, strong={self.strong})"
            )


class GlossaryEntry(_Strict, frozen=True):
    term: str
    definition: str


class Question(_Strict, frozen=True):
    """`core` marks a core criterion: while it is not fully met, the field cannot beat its
    core cap. `suggestion` is the next step when the answer is below full points; it is
    only offered once every question in `builds_on` is answered with points."""

    id: str
    text: str
    help: str = ""
    topic: str = ""
    core: bool = False
    may_not_apply: bool = False
    suggestion: str = ""
    builds_on: list[str] = []


class Field(_Strict, frozen=True):
    """A field of action (Handlungsfeld). `suggestions` maps a category number to
    the next steps suggested for a field in that category."""

    id: str
    title: str
    description: str
    questions: list[Question]
    suggestions: dict[int, list[str]]
    core_cap: int | None = None  # overrides the questionnaire's core_cap for this field


class Questionnaire(_Strict, frozen=True):
    id: str
    version: str
    title: str
    scale: Scale
    categories: list[Category]
    min_coverage: float
    fields: list[Field]
    description: str = ""
    divergence: DivergenceRule = DivergenceRule()
    # Below this coverage (and at least min_coverage) a category is only "vorläufig".
    provisional_coverage: float | None = None
    # The best category a field with an unmet core question can reach.
    core_cap: int | None = None
    glossary: list[GlossaryEntry] = []

    def core_cap_of(self, field: Field) -> int | None:
        return field.core_cap if field.core_cap is not None else self.core_cap

    # --- Lookups ---------------------------------------------------------------------

    def questions(self) -> Iterator[Question]:
        """Every question, in questionnaire order."""
        return (question for field in self.fields for question in field.questions)

    def field(self, field_id: str) -> Field | None:
        return next((field for field in self.fields if field.id == field_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions() if q.id == question_id), None)

    def field_of(self, question_id: str) -> Field | None:
        """The field a question belongs to."""
        return next((f for f in self.fields if any(q.id == question_id for q in f.questions)), None)

    def field_ids(self) -> set[str]:
        return {field.id for field in self.fields}

    def question_ids(self) -> set[str]:
        return {question.id for question in self.questions()}

    # --- Labels ----------------------------------------------------------------------

    def item_labels(self) -> dict[str, str]:
        """What a round votes on, as people read it: field id -> field title, question
        id -> question text."""
        labels = {field.id: field.title for field in self.fields}
        labels.update({question.id: question.text for question in self.questions()})
        return labels

    def answer_labels(self) -> dict[str, str]:
        """Answer value -> label, in scale order (see `Scale.labels`)."""
        return self.scale.labels()

    def answer_label(self, value: str | None) -> str:
        """The label of one answer value; "keine Antwort" when there is none."""
        if not value:
            return NO_ANSWER_LABEL
        return self.scale.labels().get(value, value)
