"""Reading HTML form posts. Everything arrives as text; conversions give German messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body

from selfcheck.errors import InvalidInput
from selfcheck.web.templating import BERLIN

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


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


def pop_flash(request: Request[Any, Any, Any]) -> str | None:
    """A one-time message shown after a redirect (stored in the signed session cookie)."""
    if "session" not in request.scope:
        return None
    message = request.session.get("flash")
    if message is not None:
        request.session.pop("flash", None)
    return message if isinstance(message, str) else None


def flash(request: Request[Any, Any, Any], message: str) -> None:
    request.session["flash"] = message
