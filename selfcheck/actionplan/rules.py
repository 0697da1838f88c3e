"""Pure rules of the action plan: reading a month, what counts as overdue, which
questions and next steps exist, and whose measures a staff member may update."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from selfcheck.db.models import Measure, StaffInvitation
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.schema import Field, Question, Questionnaire
from selfcheck.text_input import optional_text, required_text
from selfcheck.vocabulary import MeasurePriority, MeasureStatus

MAX_TITLE_LENGTH = 200
MAX_RESPONSIBLE_LENGTH = 200
MAX_TEXT_LENGTH = 2000

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_GERMAN_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$")
MONTH_NAMES = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def parse_month(raw: str) -> date | None:
    """A deadline month ("2027-03" from a month field, or "03.2027") as the 1st of that
    month; empty means no deadline. A month in the past is allowed."""
    raw = raw.strip()
    if not raw:
        return None
    iso, german = _ISO_MONTH.match(raw), _GERMAN_MONTH.match(raw)
    year, month = 0, 0
    if iso:
        year, month = int(iso[1]), int(iso[2])
    elif german:
        year, month = int(german[2]), int(german[1])
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise InvalidInput(
            "Frist: Bitte geben Sie einen Monat an, zum Beispiel 2027-03 oder 03.2027."
        )
    return date(year, month, 1)


def month_value(deadline: date | None) -> str:
    """The deadline as a month field's value ("2027-03")."""
    return f"{deadline.year:04d}-{deadline.month:02d}" if deadline else ""


def month_label(deadline: date | None) -> str:
    return f"{MONTH_NAMES[deadline.month - 1]} {deadline.year}" if deadline else ""


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    """Still open after the end of its deadline month."""
    if deadline is None or not MeasureStatus(status).is_open:
        return False
    return (today.year, today.month) > (deadline.year, deadline.month)


def field_of(questionnaire: Questionnaire, field_id: str) -> Field:
    for field in questionnaire.fields:
        if field.id == field_id:
            return field
    raise InvalidInput(
        f"Das Handlungsfeld „{field_id}“ gibt es in diesem Fragebogen nicht. Bitte wählen Sie "
        "eines der angebotenen Handlungsfelder."
    )


def question_of(questionnaire: Questionnaire, question_id: str) -> tuple[Question, Field]:
    for field in questionnaire.fields:
        for question in field.questions:
            if question.id == question_id:
                return question, field
    raise InvalidInput(f"Die Frage „{question_id}“ gibt es in diesem Fragebogen nicht.")


def checked_question_ids(
    questionnaire: Questionnaire, field_id: str, question_ids: list[str]
) -> list[str]:
    """The questions a measure addresses: known, of its own field, each once."""
    field = field_of(questionnaire, field_id)
    own = {q.id for q in field.questions}
    checked: list[str] = []
    for question_id in question_ids:
        question, home = question_of(questionnaire, question_id)
        if question.id not in own:
            raise InvalidInput(
                f"Die Frage {question.id} gehört zum Handlungsfeld „{home.title}“, nicht zu "
                f"„{field.title}“. Bitte legen Sie die Maßnahme im passenden Feld an."
            )
        if question.id not in checked:
            checked.append(question.id)
    return checked


@dataclass(frozen=True)
class MeasureInput:
    """What a person enters for a measure, checked before anything is stored."""

    field_id: str
    title: str
    description: str = ""
    responsible: str = ""
    deadline: date | None = None
    priority: MeasurePriority = MeasurePriority.MEDIUM
    question_ids: tuple[str, ...] = ()

    def checked(self, questionnaire: Questionnaire) -> MeasureInput:
        title = required_text(
            self.title,
            MAX_TITLE_LENGTH,
            what="Der Titel",
            missing="Bitte geben Sie der Maßnahme einen Titel.",
        )
        description = optional_text(self.description, MAX_TEXT_LENGTH, what="Die Beschreibung")
        responsible = optional_text(
            self.responsible, MAX_RESPONSIBLE_LENGTH, what="Die Angabe zur Zuständigkeit"
        )
        question_ids = checked_question_ids(questionnaire, self.field_id, list(self.question_ids))
        return MeasureInput(
            field_id=self.field_id,
            title=title,
            description=description,
            responsible=responsible,
            deadline=self.deadline,
            priority=self.priority,
            question_ids=tuple(question_ids),
        )


def parse_priority(raw: str) -> MeasurePriority:
    try:
        return MeasurePriority(raw or MeasurePriority.MEDIUM)
    except ValueError:
        raise InvalidInput("Bitte wählen Sie als Priorität hoch, mittel oder niedrig.") from None


def parse_status(raw: str) -> MeasureStatus:
    try:
        return MeasureStatus(raw)
    except ValueError:
        labels = ", ".join(s.label for s in MeasureStatus)
        raise InvalidInput(f"Bitte wählen Sie einen dieser Stände: {labels}.") from None


def same_department(department: str, responsible: str) -> bool:
    """Whether a measure is assigned to a staff member's department (case and surrounding
    spaces do not matter; an empty department matches nothing)."""
    mine = department.strip().casefold()
    return bool(mine) and mine == responsible.strip().casefold()


def update_refusal(invitation: StaffInvitation) -> str:
    """Why this staff member may not update a measure, in words they can act on."""
    if not invitation.may_update_measures:
        return (
            "Die Moderation hat Ihren Zugang nicht für Änderungen am Maßnahmenplan "
            "freigegeben. Bitte wenden Sie sich an die Moderation, wenn Sie den Stand von "
            "Maßnahmen Ihres Bereichs pflegen möchten."
        )
    return (
        "Diese Maßnahme ist nicht Ihrem Bereich zugeordnet. Sie können nur Maßnahmen "
        f"aktualisieren, bei denen „{invitation.department or '–'}“ als zuständig eingetragen ist."
    )


def short_title(text: str) -> str:
    """A note's or next step's text as a measure title: its first sentence (or line), cut
    at a word if it is still too long."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()
    if len(first) <= MAX_TITLE_LENGTH:
        return first
    cut = first[: MAX_TITLE_LENGTH - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


@dataclass(frozen=True)
class MeasureLine:
    """One measure as a list shows it."""

    measure: Measure
    status: MeasureStatus
    priority: MeasurePriority
    overdue: bool
    deadline_label: str


@dataclass(frozen=True)
class FieldPlan:
    field: Field
    lines: list[MeasureLine]


def plan_by_field(
    questionnaire: Questionnaire,
    measures: Sequence[Measure],
    today: date,
    status: MeasureStatus | None = None,
) -> list[FieldPlan]:
    """The measures per field in questionnaire order (fields without measures left out),
    optionally only those in one status; the most urgent first within a field."""
    order = {p: i for i, p in enumerate(MeasurePriority)}
    plans = []
    for field in questionnaire.fields:
        lines = [
            MeasureLine(
                measure=m,
                status=MeasureStatus(m.status),
                priority=MeasurePriority(m.priority),
                overdue=is_overdue(m.deadline, m.status, today),
                deadline_label=month_label(m.deadline),
            )
            for m in measures
            if m.field_id == field.id and (status is None or m.status == status)
        ]
        if lines:
            lines.sort(key=lambda line: (not line.overdue, order[line.priority], line.measure.id))
            plans.append(FieldPlan(field, lines))
    return plans
