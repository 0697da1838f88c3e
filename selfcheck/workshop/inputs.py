"""Checks of what moderators and scribes type: required text, length limits and the
chosen field. Shared by workshops, rounds and notes."""

from __future__ import annotations

from typing import Final

from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.schema import Field, Questionnaire

TITLE_MAX: Final = 200


def required_text(raw: str, limit: int, missing: str) -> str:
    # Browsers send line breaks in text areas as CRLF; count them as one character.
    text = raw.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(missing)
    check_length(text, limit, "Der Text")
    return text


def check_length(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise InvalidInput(f"{what} darf höchstens {limit} Zeichen lang sein (jetzt: {len(text)}).")


def chosen_field(questionnaire: Questionnaire, field_id: str | None) -> Field:
    if not field_id:
        raise InvalidInput("Bitte wählen Sie ein Handlungsfeld.")
    for field in questionnaire.fields:
        if field.id == field_id:
            return field
    raise InvalidInput(f"Das Handlungsfeld „{field_id}“ gibt es in diesem Fragebogen nicht.")
