"""The demo municipality's results, public while the server runs with --demo."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency, Provide
from litestar.response import Template

from selfcheck.assessments.dependencies import QUESTIONNAIRE, provide_demo_assessment
from selfcheck.assessments.rendering import results_page
from selfcheck.assessments.results import Results
from selfcheck.db.models import Assessment
from selfcheck.questionnaire.schema import Questionnaire


@get(
    "/demo",
    name="demo_results",
    dependencies={"assessment": Provide(provide_demo_assessment), **QUESTIONNAIRE},
)
async def demo_results(
    assessment: NamedDependency[Assessment],
    questionnaire: NamedDependency[Questionnaire],
    results: NamedDependency[Results],
) -> Template:
    """Only served when the server was started with --demo (404 otherwise)."""
    return results_page(assessment, questionnaire, results)
