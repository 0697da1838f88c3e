"""Public pages that belong to no domain: the start page and the health check."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.questionnaire.registry import QuestionnaireRegistry


@get("/", name="start")
async def start_page(registry: NamedDependency[QuestionnaireRegistry], state: State) -> Template:
    questionnaire = registry.latest()
    return Template(
        "index.html",
        context={
            "questionnaire": questionnaire,
            "field_count": len(questionnaire.fields),
            "question_count": sum(len(f.questions) for f in questionnaire.fields),
            "demo": state.get("demo"),
        },
    )


@get("/health", name="health", media_type="application/json")
async def health(db_session: NamedDependency[AsyncSession]) -> dict[str, str]:
    await db_session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}
