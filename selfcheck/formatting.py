"""German number and date formatting, the one place for it: pages (as Jinja filters, see
`web/templating.py`), report files (DOCX, charts, tables) and rule texts all use it."""

from __future__ import annotations

from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

BERLIN: Final = ZoneInfo("Europe/Berlin")


def local_time(moment: datetime | None) -> datetime | None:
    """German local time without zone (spreadsheets cannot store zones)."""
    return moment.astimezone(BERLIN).replace(tzinfo=None, microsecond=0) if moment else None


def date_de(moment: datetime | None) -> str:
    """ "22.11.2026"; "–" for no value."""
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y") if moment else "–"


def datetime_de(moment: datetime | None) -> str:
    """ "22.11.2026, 14:05 Uhr"; "–" for no value."""
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M Uhr") if moment else "–"


def percent_de(share: float | None) -> str:
    """ "62 %" (a no-break space: the "%" never wraps away from its number); "–" for none."""
    return "–" if share is None else f"{round(share * 100)}\u00a0%"


def signed_de(number: int | None) -> str:
    """ "+2", "−1" (with a real minus sign), "0"; "–" for no value."""
    if number is None:
        return "–"
    return f"+{number}" if number > 0 else f"−{-number}" if number < 0 else "0"


def categories_de(count: int) -> str:
    """ "1 Kategorie", "2 Kategorien"."""
    return f"{count} Kategorie" if abs(count) == 1 else f"{count} Kategorien"


def number_de(value: int | float) -> str:
    """ "12.345": thousands separated by a dot, as in German."""
    return f"{value:,}".replace(",", ".")
