"""Jinja2 setup: German formatting filters shared by all pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from selfcheck.db.models import utcnow

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
BERLIN = ZoneInfo("Europe/Berlin")


def format_datetime(value: datetime | None) -> str:
    """ "22.11.2026, 14:05 Uhr" in German local time; "–" for no value."""
    if value is None:
        return "–"
    return value.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M Uhr")


def format_date(value: datetime | None) -> str:
    """ "22.11.2026" in German local time; "–" for no value."""
    return value.astimezone(BERLIN).strftime("%d.%m.%Y") if value else "–"


def format_percent(value: float) -> str:
    """ "62 %" with German spacing; a no-break space keeps the "%" beside its number."""
    return f"{round(value * 100)}\u00a0%"


def format_number(value: int | float) -> str:
    """Thousands separated by a dot, as in German."""
    return f"{value:,}".replace(",", ".")


def build_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["datetime_de"] = format_datetime
    environment.filters["percent_de"] = format_percent
    environment.filters["date_de"] = format_date
    environment.filters["number_de"] = format_number
    environment.globals["utcnow"] = utcnow
    return environment


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    environment = build_environment()
    return TemplateConfig(
        engine=JinjaTemplateEngine.from_environment(environment),
    )
