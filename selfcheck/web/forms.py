"""Reading HTML form posts. Everything arrives as text; conversions give German messages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes, urlencode

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body

from selfcheck.errors import InvalidInput, SelfcheckError
from selfcheck.web.templating import BERLIN

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

# Control characters have no place in anything a person types. Tab and line feed do, and a
# carriage return directly before a line feed (browsers send textarea lines as CRLF).
# Surrogates cannot be stored as UTF-8 (JSON can still spell them as escapes).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")


class UnreadableText(SelfcheckError):
    """Sent text that cannot be stored as it is: refused, never guessed or cleaned."""

    status_code = 400


NOT_UTF8 = (
    "Die gesendeten Daten sind kein gültiger UTF-8-Text. Es wurde nichts gespeichert. Bitte "
    "kopieren Sie den Text erneut aus einer anderen Quelle oder tippen Sie ihn neu ein."
)
CONTROL_CHARACTERS = (
    "Die Eingabe enthält unsichtbare Steuerzeichen (zum Beispiel ein Nullzeichen), die nicht "
    "gespeichert werden können. Es wurde nichts gespeichert. Bitte entfernen Sie diese "
    "Zeichen, etwa indem Sie den Text neu eintippen."
)


def check_text(value: str) -> None:
    """Refuse text with control characters, the same way on every database."""
    if _FORBIDDEN.search(value):
        raise UnreadableText(CONTROL_CHARACTERS)


def normalized_form_body(body: bytes) -> bytes:
    """An URL-encoded form body, checked and re-encoded as plain ASCII.

    Every name and value must be UTF-8 (raw or percent-encoded) without control
    characters, else `UnreadableText`. The re-encoded body leaves no room for the
    framework's own decoding to guess (it reads raw bytes as Latin-1).
    """
    return urlencode(list(_form_pairs(body))).encode("ascii")


def _form_pairs(body: bytes) -> Iterator[tuple[str, str]]:
    for part in body.split(b"&"):
        if part:
            name, _, value = part.partition(b"=")
            yield _form_text(name), _form_text(value)


def _form_text(raw: bytes) -> str:
    try:
        value = unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableText(NOT_UTF8) from None
    check_text(value)
    return value


def check_json_body(body: bytes) -> None:
    """Every string in a JSON body (keys included) must be storable text. A body that is
    no JSON at all is left to the handler, which answers it with its own message."""
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableText(NOT_UTF8) from None
    try:
        document = msgspec.json.decode(decoded)
    except msgspec.DecodeError:
        return
    for value in _strings(document):
        check_text(value)


def _strings(document: Any) -> Iterator[str]:
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for key, value in document.items():
            yield key
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)


def text(data: dict[str, str], key: str) -> str:
    value = data.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def optional_int(data: dict[str, str], key: str, label: str) -> int | None:
    raw = text(data, key).replace(".", "").replace(" ", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(f"{label}: Bitte geben Sie eine ganze Zahl ohne Einheit ein.")
    return int(raw)


def optional_end_of_day(data: dict[str, str], key: str, label: str) -> datetime | None:
    """A date field (YYYY-MM-DD) meaning "valid until the end of this day", German time."""
    raw = text(data, key)
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{label}: Bitte geben Sie ein Datum an (z. B. 31.12.2026).") from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=BERLIN).astimezone(UTC)


def checkbox(data: dict[str, str], key: str) -> bool:
    return text(data, key) in {"on", "1", "true", "ja"}


def flash(request: Request[Any, Any, Any], message: str) -> None:
    """A one-time message for the page after the redirect (kept in the signed session cookie;
    `web.templating.flash_message` takes it out)."""
    request.session["flash"] = message
