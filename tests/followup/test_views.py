"""Starting the next Selbstcheck on the basis of an earlier one, as the moderator does it."""

from __future__ import annotations

from sqlalchemy import select

from selfcheck.actionplan import services as actionplan
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Measure
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import MeasureStatus
from tests.conftest import PASSWORD, World
from tests.helpers import Client, answer, log_in, post_form


async def test_the_moderator_starts_the_next_selfcheck_from_the_assessment_page(
    client: Client, database: Database, world: World, world_questionnaire: Questionnaire
) -> None:
    await answer(database, world.aheim_assessment, world_questionnaire, MS_03="ja", MS_04="nein")
    await log_in(client, world.alice.email, PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{world.aheim_assessment.id}")
    form_link = f"/moderation/selbstchecks/{world.aheim_assessment.id}/fortschreiben"
    assert form_link in page.text
    form = await client.get(form_link)
    assert form.status_code == 200
    assert "2 von 105 Fragen" in form.text

    created = await post_form(client, form_link, {"title": "Selbstcheck 2029"})
    assert created.status_code == 200  # followed the redirect to the new assessment
    assert "Selbstcheck 2029" in created.text
    assert "2 Antworten aus „Selbstcheck 2026“ sind übernommen" in created.text
    assert "Übernommen, noch zu bestätigen" in created.text
    assert "Noch 2 aus dem letzten Selbstcheck übernommene Antworten" in created.text


async def test_an_empty_title_is_refused_with_a_message_and_nothing_is_created(
    client: Client, database: Database, world: World
) -> None:
    await log_in(client, world.alice.email, PASSWORD)
    url = f"/moderation/selbstchecks/{world.aheim_assessment.id}/fortschreiben"
    response = await post_form(client, url, {"title": "  "})
    assert response.status_code == 422
    assert "Bitte geben Sie einen Titel an" in response.text
    async with database.reading() as session:
        rows = await session.execute(
            select(Assessment).where(Assessment.municipality_id == world.aheim.id)
        )
        assert len(rows.scalars().all()) == 1


async def test_another_municipalitys_moderator_cannot_start_a_follow_up(
    client: Client, world: World
) -> None:
    await log_in(client, world.bob.email, PASSWORD)
    url = f"/moderation/selbstchecks/{world.aheim_assessment.id}/fortschreiben"
    assert (await client.get(url)).status_code == 404
    assert (await post_form(client, url, {"title": "X"})).status_code == 404


async def test_the_next_selfcheck_takes_over_the_open_measures_of_the_plan(
    client: Client, database: Database, world: World, world_questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        previous = await world.aheim_assessment_in(session)
        for title, status in [("offen", None), ("fertig", MeasureStatus.DONE)]:
            measure = await actionplan.create_measure(
                session, previous, world_questionnaire, MeasureInput(field_id="MS", title=title),
                by="Moderation",
            )  # fmt: skip
            if status is not None:
                await actionplan.change_status(session, measure, status, by="Moderation")
    await log_in(client, world.alice.email, PASSWORD)
    url = f"/moderation/selbstchecks/{world.aheim_assessment.id}/fortschreiben"
    created = await post_form(client, url, {"title": "Selbstcheck 2029"})
    assert created.status_code == 200
    async with database.reading() as session:
        newest = await session.scalar(
            select(Assessment)
            .where(Assessment.municipality_id == world.aheim.id)
            .order_by(Assessment.id.desc())
        )
        assert newest is not None and newest.id != world.aheim_assessment.id
        carried = (
            await session.scalars(select(Measure).where(Measure.assessment_id == newest.id))
        ).all()
    assert [m.title for m in carried] == ["offen"]
    assert carried[0].carried_from_id is not None
