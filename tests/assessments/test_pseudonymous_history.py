"""With SELFCHECK_PSEUDONYMOUS_HISTORY the edit history names departments, not people."""

from __future__ import annotations

from dataclasses import replace

from litestar.testing import AsyncTestClient
from sqlalchemy import select

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, AnswerChange, Assessment
from selfcheck.settings import Settings
from tests.assessments.conftest import StaffLinks
from tests.helpers import Client, csrf_token, post_form


async def test_a_pseudonymous_installation_stores_the_department_instead_of_the_name(
    settings: Settings, database: Database, staff: StaffLinks
) -> None:
    app = create_app(replace(settings, pseudonymous_history=True))
    async with AsyncTestClient(app=app) as client:
        saved = await client.post(
            f"{staff.anna}/antworten/MS-01",
            data={"value_MS-01": "ja", "comment_MS-01": "", "version_MS-01": "0"},
            headers={"hx-request": "true", "x-csrftoken": await csrf_token(client)},
        )
        assert saved.status_code == 200
        submitted = await post_form(client, f"{staff.anna}/abschliessen")
        assert submitted.status_code == 200
        history = await client.get(f"{staff.anna}/fragen/MS-01/verlauf")
    async with database.reading() as session:
        answer = (await session.execute(select(Answer))).scalar_one()
        change = (await session.execute(select(AnswerChange))).scalar_one()
        assessment = await session.get(Assessment, answer.assessment_id)
    assert (answer.updated_by, change.changed_by) == ("Sozialamt", "Sozialamt")
    assert assessment is not None and assessment.submitted_by == "Sozialamt"
    assert history.status_code == 200
    assert "Sozialamt" in history.text and "Anna Amt" not in history.text


async def test_by_default_the_history_names_the_person_and_department(
    client: Client,
    database: Database,
    staff: StaffLinks,
) -> None:
    await client.post(
        f"{staff.anna}/antworten/MS-01",
        data={"value_MS-01": "ja", "comment_MS-01": "", "version_MS-01": "0"},
        headers={"hx-request": "true", "x-csrftoken": await csrf_token(client)},
    )
    async with database.reading() as session:
        answer = (await session.execute(select(Answer))).scalar_one()
    assert answer.updated_by == "Anna Amt (Sozialamt)"
