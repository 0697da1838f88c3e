"""What people type into a form's text fields, checked the same way in every domain: line
breaks counted once, outer spaces dropped, required where it must be, within its length.
One wording for the messages, so that a limit reads alike on every page."""

from __future__ import annotations

from typing import Final

from selfcheck.errors import InvalidInput

# Names, titles and short details: the database keeps them in String(200) columns.
SHORT_TEXT_MAX: Final = 200


def cleaned(raw: str) -> str:
    # Browsers send line breaks in text areas as CRLF; count them as one character.
    return raw.replace("\r\n", "\n").strip()


def required_text(raw: str, limit: int, *, what: str, missing: str) -> str:
    """The cleaned text; `missing` when there is none, too long said of `what`."""
    text = cleaned(raw)
    if not text:
        raise InvalidInput(missing)
    check_length(text, limit, what)
    return text


def optional_text(raw: str, limit: int, *, what: str) -> str:
    """The cleaned text, possibly empty."""
    text = cleaned(raw)
    check_length(text, limit, what)
    return text


def check_length(text: str, limit: int, what: str) -> None:
    """`what` names the field as a sentence's subject: „Der Titel“, „Die Angabe …“."""
    if len(text) > limit:
        raise InvalidInput(f"{what} ist zu lang ({len(text)} Zeichen, höchstens {limit}).")
