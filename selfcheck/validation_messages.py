"""msgspec's validation errors in German: the one place that reads them.

msgspec reports a failed check as English text ending in the path of the value, e.g.
``Expected `int`, got `str` - at `$.fields[0].questions[3].core```. `read_failure` turns
that text, once, into a `Failure`: what kind of check failed, its details, and the path as
steps (names, indexes, and `ANY` where msgspec writes `[...]` for a mapping's key). Callers
find the place from the steps (a YAML position, a path in an export file) and word the
message with the functions below, so no caller matches message strings itself.

Two audiences, two wordings: whoever edits a questionnaire file reads what the YAML should
contain (`questionnaire_message`); whoever imports an export file reads where the file is
broken (`import_message`). This module imports nothing from the project.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import msgspec


class FailureKind(StrEnum):
    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ABOVE = "above"
    BELOW = "below"
    NO_TIMEZONE = "no_timezone"
    NOT_ALLOWED = "not_allowed"  # a value outside an enum or Literal
    PATTERN = "pattern"
    BAD_DATETIME = "bad_datetime"
    WRONG_TYPE = "wrong_type"
    OTHER = "other"


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY: Final = _Any()  # msgspec writes `[...]` instead of a mapping's key
Step = str | int | _Any


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    path: tuple[Step, ...]
    in_key: bool  # a mapping's key failed, not its value
    details: tuple[str, ...]  # field name, bound, value, or expected and found type
    text: str  # msgspec's own words, without the path (for what no kind covers)


_AT: Final = re.compile(r"^(?P<what>.*?) - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`$", re.DOTALL)
_STEP: Final = re.compile(r"\.(?P<name>\w+)|\[(?P<index>\d+)\]|\[(?P<any>\.\.\.)\]")
_KINDS: Final = (
    (FailureKind.MISSING_FIELD, re.compile(r"^Object missing required field `(.*)`$", re.DOTALL)),
    (FailureKind.UNKNOWN_FIELD, re.compile(r"^Object contains unknown field `(.*)`$", re.DOTALL)),
    (FailureKind.TOO_SHORT, re.compile(r"^Expected `str` of length >= (\d+)$")),
    (FailureKind.TOO_LONG, re.compile(r"^Expected `str` of length <= (\d+)$")),
    (FailureKind.AT_LEAST, re.compile(r"^Expected `int` >= (\d+)$")),
    (FailureKind.AT_MOST, re.compile(r"^Expected `int` <= (\d+)$")),
    (FailureKind.ABOVE, re.compile(r"^Expected `int` > (\d+)$")),
    (FailureKind.BELOW, re.compile(r"^Expected `int` < (\d+)$")),
    (FailureKind.NO_TIMEZONE, re.compile(r"^Expected `datetime` with a timezone component$")),
    (FailureKind.NOT_ALLOWED, re.compile(r"^Invalid enum value (.*)$", re.DOTALL)),
    (FailureKind.PATTERN, re.compile(r"^Expected `str` matching regex .*$", re.DOTALL)),
    (FailureKind.BAD_DATETIME, re.compile(r"^Invalid RFC3339 encoded datetime$")),
    (FailureKind.WRONG_TYPE, re.compile(r"^Expected `([^`]+)`(?:, got `([^`]+)`)?$")),
)


def read_failure(error: msgspec.ValidationError | str) -> Failure:
    """The kind, details and path of a msgspec validation error."""
    message = str(error)
    at = _AT.match(message)
    text, raw_path = (at["what"], at["path"]) if at else (message, "")
    path = tuple(_step(m) for m in _STEP.finditer(raw_path))
    for kind, pattern in _KINDS:
        found = pattern.match(text)
        if found:
            details = tuple(group or "" for group in found.groups())
            return Failure(kind, path, bool(at and at["key"]), details, text)
    return Failure(FailureKind.OTHER, path, bool(at and at["key"]), (), text)


def _step(match: re.Match[str]) -> Step:
    if match["name"]:
        return match["name"]
    return int(match["index"]) if match["index"] else ANY


def dotted(path: tuple[Step, ...]) -> str:
    """ "workshops[0].rounds[2].kind", as msgspec writes a path (without its `$.`)."""
    return "".join(_written(step) for step in path).removeprefix(".")


def _written(step: Step) -> str:
    if isinstance(step, int):
        return f"[{step}]"
    return "[...]" if isinstance(step, _Any) else f".{step}"


# --- For an export file --------------------------------------------------------------

_IMPORT_WORDS: Final = {
    FailureKind.MISSING_FIELD: "die Angabe „{0}“ fehlt",
    FailureKind.UNKNOWN_FIELD: "unbekannte Angabe „{0}“",
    FailureKind.TOO_SHORT: "darf nicht leer sein",
    FailureKind.TOO_LONG: "ist länger als {0} Zeichen",
    FailureKind.AT_LEAST: "muss mindestens {0} sein",
    FailureKind.AT_MOST: "darf höchstens {0} sein",
    FailureKind.ABOVE: "muss größer als {0} sein",
    FailureKind.BELOW: "muss kleiner als {0} sein",
    FailureKind.NO_TIMEZONE: "der Zeitpunkt braucht eine Zeitzone (z. B. „Z“ für UTC)",
    FailureKind.NOT_ALLOWED: "der Wert {0} ist nicht erlaubt",
    FailureKind.PATTERN: "hat nicht das erwartete Format",
    FailureKind.BAD_DATETIME: "ist kein gültiger Zeitpunkt",
    FailureKind.WRONG_TYPE: "erwartet wird {0}, gefunden: {1}",
}
_IMPORT_TYPE_NAMES: Final = {
    "str": "Text",
    "int": "ganze Zahl",
    "float": "Zahl",
    "bool": "true/false",
    "null": "null",
    "array": "Liste",
    "object": "Objekt",
    "datetime": "Zeitpunkt",
}


def import_message(failure: Failure) -> str:
    """A German sentence with the place in the file, e.g. „An der Stelle „workshops[0].
    title“: darf nicht leer sein.“"""
    where = f"An der Stelle „{dotted(failure.path)}“" if failure.path else "In der Datei"
    words = _IMPORT_WORDS.get(failure.kind)
    if words is None or (failure.kind is FailureKind.WRONG_TYPE and not failure.details[1]):
        return f"{where}: ungültiger Wert ({failure.text})."
    names = [_IMPORT_TYPE_NAMES.get(d, d) for d in failure.details]
    return f"{where}: {words.format(*names)}."


# --- For a questionnaire file --------------------------------------------------------

_EXPECTED: Final = {
    "int": "eine ganze Zahl (int)",
    "float": "eine Zahl (float)",
    "str": "Text",
    "bool": "ein Wahrheitswert (true/false)",
    "array": "eine Liste",
    "object": "eine Zuordnung (Schlüssel: Wert)",
}
_FOUND: Final = {
    "int": "ganze Zahl",
    "float": "Kommazahl",
    "str": "Text",
    "bool": "Wahrheitswert",
    "null": "leerer Wert",
    "array": "Liste",
    "object": "Zuordnung",
    "date": "Datum",
    "datetime": "Zeitpunkt",
    "time": "Uhrzeit",
    "bytes": "Binärdaten",
}


def questionnaire_message(failure: Failure, struct_type: Any) -> str:
    """What is wrong with a value of a questionnaire file. `struct_type` is the schema
    type where the path ends (it offers the allowed keys for an unknown one)."""
    if failure.kind is FailureKind.UNKNOWN_FIELD:
        return _unknown_message(failure.details[0], struct_type)
    if failure.kind is FailureKind.MISSING_FIELD:
        return f"Pflichtfeld `{failure.details[0]}` fehlt."
    if failure.kind is FailureKind.WRONG_TYPE:
        expected, got = failure.details
        return _type_message(expected, got or None)
    return f"Ungültiger Wert ({failure.text})."


def key_message(failure: Failure, bad_key: object, key_type: Any) -> str:
    """What is wrong with a mapping's key, e.g. a quoted number where a number belongs."""
    expected = (
        _EXPECTED.get(failure.details[0], failure.details[0])
        if failure.kind is FailureKind.WRONG_TYPE
        else "ein anderer Wert"
    )
    found = _FOUND.get(type(bad_key).__name__, type(bad_key).__name__)
    message = f"Als Schlüssel wird {expected} erwartet, gefunden: {found} `{bad_key}`."
    if key_type is int and isinstance(bad_key, str):
        message += " Schreiben Sie die Zahl ohne Anführungszeichen."
    return message


def _unknown_message(name: str, struct_type: Any) -> str:
    message = f"Unbekannter Schlüssel `{name}`."
    if not (isinstance(struct_type, type) and issubclass(struct_type, msgspec.Struct)):
        return message
    allowed = struct_type.__struct_fields__
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        return f"{message} Meinten Sie `{close[0]}`?"
    return f"{message} Erlaubt sind: {', '.join(allowed)}."


def _type_message(expected: str, got: str | None) -> str:
    message = f"Erwartet wird {_EXPECTED.get(expected, expected)}"
    if got is None:
        return f"{message}."
    message = f"{message}, gefunden: {_FOUND.get(got, got)}."
    if expected == "str" and got in {"int", "float", "bool", "date", "datetime"}:
        message += " Setzen Sie den Wert in Anführungszeichen, dann gilt er als Text."
    return message
