"""The demo municipality's results, public while the server runs with --demo."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from selfcheck.assessments.dependencies import QUESTIONNAIRE, provide_demo_assessment
from selfcheck.assessments.rendering import AssessmentResults


@get(
    "/demo",
    name="demo_results",
    dependencies={"assessment": Provide(provide_demo_assessment), **QUESTIONNAIRE},
)
async def demo_results(results: NamedDependency[AssessmentResults]) -> Template:
    """Only served when the server was started with --demo (404 otherwise)."""
    return results.page()
