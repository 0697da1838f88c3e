"""Helpers shared across test packages: driving the app like a browser (CSRF cookie, form
posts, login) and answering questions the way the answer sheet saves them."""

from __future__ import annotations

from typing import Any

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from selfcheck.assessments.answers import save_answer
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment
from selfcheck.questionnaire.schema import Questionnaire

CSRF_COOKIE = "selfcheck_csrf"
Client = AsyncTestClient[Litestar]


async def csrf_token(client: Client) -> str:
    if CSRF_COOKIE not in client.cookies:
        await client.get("/")
    return str(client.cookies[CSRF_COOKIE])


async def post_form(
    client: Client, url: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Response:
    form = {"_csrf_token": await csrf_token(client), **(data or {})}
    return await client.post(url, data=form, **kwargs)


async def post_json(client: Client, url: str, payload: Any) -> Response:
    return await client.post(url, json=payload, headers={"x-csrftoken": await csrf_token(client)})


async def log_in(client: Client, email: str, password: str) -> Response:
    return await post_form(client, "/anmelden", {"email": email, "password": password})


async def answer(
    database: Database, assessment: Assessment, questionnaire: Questionnaire, **answers: str
) -> None:
    """Saves each answer as Anna Amt, with the comment "Kommentar zu <question>". Keywords
    name the questions with "_" for "-": `MS_03="ja"` answers MS-03."""
    async with database.writing() as session:
        for question_id, value in answers.items():
            qid = question_id.replace("_", "-")
            await save_answer(
                session, assessment, questionnaire, question_id=qid, value=value,
                comment=f"Kommentar zu {qid}", base_version=0, editor="Anna Amt",
            )  # fmt: skip
