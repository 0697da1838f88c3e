"""Jinja2 setup: German formatting filters shared by all pages."""

from __future__ import annotations

from pathlib import Path

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


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    environment = build_environment()
    return TemplateConfig(
        engine=JinjaTemplateEngine.from_environment(environment),
    )
