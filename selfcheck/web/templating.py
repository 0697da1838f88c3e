"""Jinja2 setup: German formatting filters and the one-time message shared by all pages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from selfcheck.db.models import utcnow
from selfcheck.formatting import BERLIN as BERLIN  # re-exported: web/forms.py reads it here
from selfcheck.formatting import date_de, datetime_de, number_de, percent_de

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


def build_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["datetime_de"] = datetime_de
    environment.filters["date_de"] = date_de
    environment.filters["percent_de"] = percent_de
    environment.filters["number_de"] = number_de
    environment.globals["utcnow"] = utcnow
    return environment


def flash_message(context: Mapping[str, Any]) -> str | None:
    """The one-time message that `web.forms.flash` left in the session before a redirect,
    taken out as the next page shows it (partials/messages.html). Litestar puts the request
    into every page's context."""
    request = context["request"]
    if "session" not in request.scope:
        return None
    message = request.session.pop("flash", None)
    return message if isinstance(message, str) else None


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    engine = JinjaTemplateEngine.from_environment(build_environment())
    engine.register_template_callable(key="flash_message", template_callable=flash_message)
    return TemplateConfig(engine=engine)
