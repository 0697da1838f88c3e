"""The domain's words: every kind and status the code compares, each with its German label.

The values are what the database and the export format store, so they never change;
the labels are what people read. Being `StrEnum`s, members compare equal to the stored
strings, so columns stay plain strings and old rows and export files keep working.
This module imports nothing from the project: models, services and views may all use it.
"""

from __future__ import annotations

from enum import StrEnum


class AssessmentStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return {"open": "in Bearbeitung", "submitted": "abgeschlossen"}[self.value]


class RoundKind(StrEnum):
    FIELD = "field"
    MOOD = "mood"
    QUESTIONS = "questions"

    @property
    def label(self) -> str:
        """The kind as a moderator chooses it when creating a round."""
        return {"field": "Handlungsfeld", "mood": "Stimmungsbild", "questions": "Einzelfragen"}[
            self.value
        ]

    @property
    def report_label(self) -> str:
        """The kind as the report names a round."""
        return {
            "field": "Runde zum Handlungsfeld",
            "mood": "Stimmungsbild",
            "questions": "Einzelfragen",
        }[self.value]


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "Entwurf", "open": "offen", "closed": "geschlossen"}[self.value]

    @property
    def console_label(self) -> str:
        """The state as the moderator's control view shows it, beside the round title."""
        return {"draft": "vorbereitet", "open": "läuft", "closed": "geschlossen"}[self.value]


class NoteKind(StrEnum):
    STRENGTH = "strength"
    NEED = "need"
    MEASURE = "measure"

    @property
    def label(self) -> str:
        """One note of this kind."""
        return {"strength": "Stärke", "need": "Handlungsbedarf", "measure": "Maßnahme"}[self.value]

    @property
    def heading(self) -> str:
        """A list of notes of this kind."""
        return {"strength": "Stärken", "need": "Handlungsbedarf", "measure": "Maßnahmen"}[
            self.value
        ]


class MeasurePriority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return {"high": "hoch", "medium": "mittel", "low": "niedrig"}[self.value]


class MeasureStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DEFERRED = "deferred"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {
            "planned": "geplant",
            "in_progress": "in Umsetzung",
            "done": "umgesetzt",
            "deferred": "zurückgestellt",
            "dropped": "verworfen",
        }[self.value]

    @property
    def is_open(self) -> bool:
        """Still to be done: carried over into a repeat assessment, can become overdue."""
        return self in {MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.DEFERRED}


class MeasureSource(StrEnum):
    WORKSHOP_NOTE = "workshop_note"
    NEXT_STEP = "next_step"
    FREE = "free"

    @property
    def label(self) -> str:
        return {
            "workshop_note": "aus dem Workshop",
            "next_step": "aus einem nächsten Schritt",
            "free": "frei eingetragen",
        }[self.value]


class QuestionChange(StrEnum):
    """How a question differs between two questionnaire versions."""

    CHANGED = "changed"
    NEW = "new"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {"changed": "geändert", "new": "neu", "removed": "entfallen"}[self.value]


class Trend(StrEnum):
    """A field's category now against an earlier assessment (category 1 is the best)."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    NOT_COMPARABLE = "not_comparable"

    @property
    def label(self) -> str:
        return {
            "better": "besser",
            "worse": "schlechter",
            "same": "gleich",
            "not_comparable": "nicht vergleichbar",
        }[self.value]

    @property
    def arrow(self) -> str:
        return {"better": "↑", "worse": "↓", "same": "→", "not_comparable": "–"}[self.value]
