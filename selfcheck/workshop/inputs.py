"""The limits of workshop titles and the field a moderator or scribe chose, shared by
workshops, rounds and notes (text checks: `selfcheck.text_input`)."""

from __future__ import annotations

from typing import Final

from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.schema import Field, Questionnaire

TITLE_MAX: Final = 200


def chosen_field(questionnaire: Questionnaire, field_id: str | None) -> Field:
    if not field_id:
        raise InvalidInput("Bitte wählen Sie ein Handlungsfeld.")
    for field in questionnaire.fields:
        if field.id == field_id:
            return field
    raise InvalidInput(f"Das Handlungsfeld „{field_id}“ gibt es in diesem Fragebogen nicht.")
