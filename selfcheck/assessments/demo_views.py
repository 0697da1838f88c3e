"""The demo municipality's results, public while the server runs with --demo."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.datastructures import State
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.development import development_context
from selfcheck.assessments.results import assessment_results
from selfcheck.db.models import Assessment
from selfcheck.errors import NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry


@get("/demo", name="demo_results")
async def demo_results(
    db_session: AsyncSession, registry: QuestionnaireRegistry, state: State
) -> Template:
    """Only served when the server was started with --demo."""
    demo: dict[str, Any] | None = state.get("demo")
    if demo is None:
        raise NotFound()
    assessment = await db_session.get(Assessment, demo["assessment_id"])
    if assessment is None:
        raise NotFound()
    await db_session.refresh(assessment, ["municipality"])
    questionnaire = registry.get(assessment.questionnaire_id, assessment.questionnaire_version)
    results = await assessment_results(db_session, questionnaire, assessment.id)
    return Template(
        "results.html",
        context={
            "municipality": assessment.municipality,
            "assessment": assessment,
            "questionnaire": questionnaire,
            "outcomes": results.outcomes,
            "rules": results.rules,
            **await development_context(db_session, registry, assessment, None),
        },
    )
