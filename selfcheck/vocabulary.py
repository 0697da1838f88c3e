"""The domain's words: every kind and status the code compares, each with its German label.

The values are what the database and the export format store, so they never change;
the labels are what people read. Being `StrEnum`s, members compare equal to the stored
strings, so columns stay plain strings and old rows and export files keep working.
This module imports nothing from the project: models, services and views may all use it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A `StrEnum` whose members carry their German labels after the stored value:
    `OPEN = "open", "in Bearbeitung"`. Some kinds have a second label for another place."""

    _labels: tuple[str, ...]

    def __new__(cls, value: str, *labels: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._labels = labels
        return member

    @property
    def label(self) -> str:
        return self._labels[0]


class AssessmentStatus(LabelledEnum):
    OPEN = "open", "in Bearbeitung"
    SUBMITTED = "submitted", "abgeschlossen"


class RoundKind(LabelledEnum):
    # value, the label as a moderator chooses it when creating a round, the report's label
    FIELD = "field", "Handlungsfeld", "Runde zum Handlungsfeld"
    MOOD = "mood", "Stimmungsbild", "Stimmungsbild"
    QUESTIONS = "questions", "Einzelfragen", "Einzelfragen"

    @property
    def report_label(self) -> str:
        """The kind as the report names a round."""
        return self._labels[1]


class RoundStatus(LabelledEnum):
    # value, label, the state as the control view shows it beside the round title
    DRAFT = "draft", "Entwurf", "vorbereitet"
    OPEN = "open", "offen", "läuft"
    CLOSED = "closed", "geschlossen", "geschlossen"

    @property
    def console_label(self) -> str:
        return self._labels[1]


class NoteKind(LabelledEnum):
    # value, one note of this kind, a heading over a list of them
    STRENGTH = "strength", "Stärke", "Stärken"
    NEED = "need", "Handlungsbedarf", "Handlungsbedarf"
    MEASURE = "measure", "Maßnahme", "Maßnahmen"

    @property
    def heading(self) -> str:
        return self._labels[1]


class MeasurePriority(LabelledEnum):
    HIGH = "high", "hoch"
    MEDIUM = "medium", "mittel"
    LOW = "low", "niedrig"


class MeasureStatus(LabelledEnum):
    PLANNED = "planned", "geplant"
    IN_PROGRESS = "in_progress", "in Umsetzung"
    DONE = "done", "umgesetzt"
    DEFERRED = "deferred", "zurückgestellt"
    DROPPED = "dropped", "verworfen"

    @property
    def is_open(self) -> bool:
        """Still to be done: carried over into a repeat assessment, can become overdue."""
        return self in {MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.DEFERRED}


class MeasureSource(LabelledEnum):
    WORKSHOP_NOTE = "workshop_note", "aus dem Workshop"
    NEXT_STEP = "next_step", "aus einem nächsten Schritt"
    FREE = "free", "frei eingetragen"


class QuestionChange(LabelledEnum):
    """How a question differs between two questionnaire versions."""

    CHANGED = "changed", "geändert"
    NEW = "new", "neu"
    REMOVED = "removed", "entfallen"


class Trend(LabelledEnum):
    """A field's category now against an earlier assessment (category 1 is the best)."""

    # value, label, the arrow shown beside it
    BETTER = "better", "besser", "↑"
    WORSE = "worse", "schlechter", "↓"
    SAME = "same", "gleich", "→"
    NOT_COMPARABLE = "not_comparable", "nicht vergleichbar", "–"

    @property
    def arrow(self) -> str:
        return self._labels[1]
