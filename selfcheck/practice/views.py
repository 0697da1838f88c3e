"""Practice examples in pages: a template helper, so that every page showing next steps
(results, report, action plan) can include `partials/practice_examples.html`."""

from __future__ import annotations

from litestar import Litestar
from litestar.plugins.jinja import JinjaTemplateEngine

from selfcheck.practice.loader import PracticeLibrary

TEMPLATE_HELPER = "practice_examples"


def install_template_helper(app: Litestar, library: PracticeLibrary) -> None:
    """`practice_examples(field_id, question_ids)` in templates returns the matching
    examples, best match first."""
    engine = app.template_engine
    assert isinstance(engine, JinjaTemplateEngine)
    engine.engine.globals[TEMPLATE_HELPER] = library.matching_examples
