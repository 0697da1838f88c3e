from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, Assessment, StaffInvitation, utcnow
from tests.assessments.conftest import StaffLinks
from tests.helpers import Client, csrf_token, post_form

HTMX = {"hx-request": "true"}


async def _autosave(
    client: Client, link: str, question_id: str, value: str, version: int, comment: str = ""
) -> tuple[int, str]:
    response = await client.post(
        f"{link}/antworten/{question_id}",
        data={
            f"value_{question_id}": value,
            f"comment_{question_id}": comment,
            f"version_{question_id}": str(version),
        },
        headers={**HTMX, "x-csrftoken": await csrf_token(client)},
    )
    return response.status_code, response.text


async def test_field_page_groups_questions_by_topic_with_scale_and_dont_know(
    client: Client, staff: StaffLinks
) -> None:
    response = await client.get(f"{staff.anna}/felder/FZ")
    assert response.status_code == 200
    for topic in ["Bildung", "Sprache", "Wohnen", "Gesundheit und Pflege", "Sicherheit und Recht"]:
        assert f">{topic}</h2>" in response.text
    assert response.text.count('class="question"') == 31
    assert "Ja, umgesetzt" in response.text and "Weiß nicht" in response.text
    assert 'name="comment_FZ-01"' in response.text
    assert "Hinweis zur Frage" in response.text


async def test_autosave_stores_the_answer_and_shows_who_changed_it(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    status, body = await _autosave(client, staff.anna, "MS-01", "teilweise", 0, "Entwurf liegt vor")
    assert status == 200
    assert "Gespeichert" in body
    assert 'id="version-MS-01"' in body and 'value="1"' in body and "hx-swap-oob" in body
    assert "Zuletzt geändert von Anna Amt (Sozialamt)" in body
    async with database.reading() as session:
        answer = (await session.execute(select(Answer))).scalar_one()
    assert (answer.value, answer.comment, answer.version) == ("teilweise", "Entwurf liegt vor", 1)
    page = await client.get(f"{staff.anna}/felder/MS")
    assert "Zuletzt geändert von Anna Amt (Sozialamt)" in page.text


async def test_autosave_updates_the_field_progress_line_in_place(
    client: Client, staff: StaffLinks
) -> None:
    page = await client.get(f"{staff.anna}/felder/MS")
    total = re.search(r'id="field-progress">0 von (\d+) Fragen beantwortet', page.text)
    assert total, page.text[:300]
    await _autosave(client, staff.anna, "MS-01", "ja", 0)
    _, body = await _autosave(client, staff.anna, "MS-02", "weiss_nicht", 0)
    progress = re.search(
        r'<p class="progress-line" id="field-progress" hx-swap-oob="true">(.*?)</p>', body
    )
    assert progress, body
    assert progress.group(1).startswith(
        f"1 von {total.group(1)} Fragen beantwortet, 1 × „weiß nicht“"
    )


async def test_two_colleagues_changing_one_answer_get_a_conflict_notice(
    client: Client, second_client: Client, staff: StaffLinks, database: Database
) -> None:
    await _autosave(client, staff.anna, "MS-02", "ja", 0)
    # Both have version 1 on screen; Anna changes first, then Bernd.
    assert (await _autosave(client, staff.anna, "MS-02", "teilweise", 1, "nur Entwurf"))[0] == 200
    status, body = await _autosave(second_client, staff.bernd, "MS-02", "nein", 1)
    assert status == 409
    assert "Nicht gespeichert" in body
    assert "Anna Amt (Sozialamt)" in body
    assert "Teilweise bzw. in Umsetzung" in body and "nur Entwurf" in body
    assert 'data-version="2"' in body
    # Bernd decides his answer counts: he saves again on top of version 2.
    status, body = await _autosave(second_client, staff.bernd, "MS-02", "nein", 2)
    assert status == 200
    async with database.reading() as session:
        answer = (await session.execute(select(Answer))).scalar_one()
    assert (answer.value, answer.version, answer.updated_by) == (
        "nein",
        3,
        "Bernd Bürger (Integrationsrat)",
    )


async def test_the_form_post_without_javascript_saves_a_whole_field(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    response = await post_form(
        client,
        f"{staff.anna}/felder/KK",
        {
            "value_KK-01": "ja",
            "comment_KK-01": "Konzept 2025",
            "value_KK-02": "weiss_nicht",
            "value_KK-03": "",
        },
    )
    assert response.status_code == 200
    assert (
        "Ihre Antworten zu „Kommunikation und Konfliktmanagement“ sind gespeichert."
        in response.text
    )
    async with database.reading() as session:
        stored = {a.question_id: a.value for a in (await session.execute(select(Answer))).scalars()}
    assert stored == {"KK-01": "ja", "KK-02": "weiss_nicht"}


async def test_the_form_post_reports_conflicts_and_keeps_the_other_answers(
    client: Client, second_client: Client, staff: StaffLinks, database: Database
) -> None:
    await _autosave(second_client, staff.bernd, "KK-01", "nein", 0)
    response = await post_form(
        client,
        f"{staff.anna}/felder/KK",
        {"value_KK-01": "ja", "version_KK-01": "0", "value_KK-02": "teilweise"},
    )
    assert response.status_code == 409
    assert "nicht</strong> gespeichert" in response.text
    assert "Bernd Bürger (Integrationsrat)" in response.text
    async with database.reading() as session:
        stored = {a.question_id: a.value for a in (await session.execute(select(Answer))).scalars()}
    assert stored == {"KK-01": "nein", "KK-02": "teilweise"}


async def test_history_lists_every_change_of_a_question(client: Client, staff: StaffLinks) -> None:
    await _autosave(client, staff.anna, "IO-01", "nein", 0)
    await _autosave(client, staff.anna, "IO-01", "teilweise", 1, "Schulungen ab Herbst")
    page = await client.get(f"{staff.anna}/fragen/IO-01/verlauf")
    assert page.status_code == 200
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", page.text)
    assert rows == [("2", "Teilweise bzw. in Umsetzung"), ("1", "Nein")]
    assert "Schulungen ab Herbst" in page.text


async def test_bad_autosave_input_is_refused_with_a_message(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    status, body = await _autosave(client, staff.anna, "MS-01", "vielleicht", 0)
    assert status == 422
    assert "„vielleicht“ ist keine mögliche Antwort." in body
    status, body = await _autosave(client, staff.anna, "MS-01", "ja", 0, "x" * 2001)
    assert status == 422
    assert "Der Kommentar ist zu lang (2001 Zeichen, höchstens 2000)." in body
    async with database.reading() as session:
        assert (await session.execute(select(Answer))).first() is None


async def test_unknown_and_revoked_links_look_the_same(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    unknown = await client.get("/s/" + "A" * 32)
    async with database.writing() as session:
        for invitation in (await session.execute(select(StaffInvitation))).scalars():
            invitation.revoked_at = utcnow()
    revoked = await client.get(staff.anna)
    assert unknown.status_code == revoked.status_code == 404
    assert unknown.text == revoked.text
    assert "Diesen Einladungslink kennen wir nicht." in revoked.text


async def test_an_expired_link_says_so(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    async with database.writing() as session:
        for invitation in (await session.execute(select(StaffInvitation))).scalars():
            invitation.expires_at = utcnow() - timedelta(minutes=1)
    response = await client.get(staff.bernd)
    assert response.status_code == 410
    assert "Dieser Einladungslink ist abgelaufen." in response.text


async def test_the_coordinator_submits_and_then_nothing_can_be_changed(
    client: Client, second_client: Client, staff: StaffLinks, database: Database
) -> None:
    await _autosave(client, staff.anna, "MS-01", "ja", 0)
    bernd_tries = await post_form(second_client, f"{staff.bernd}/abschliessen")
    assert bernd_tries.status_code == 409
    assert "Nur die Koordination" in bernd_tries.text
    submitted = await post_form(client, f"{staff.anna}/abschliessen")
    assert "Der Fragebogen ist abgeschlossen. Vielen Dank!" in submitted.text
    status, body = await _autosave(second_client, staff.bernd, "MS-01", "nein", 1)
    assert status == 409
    assert "abgeschlossen" in body
    page = await client.get(f"{staff.anna}/felder/MS")
    assert "disabled" in page.text
    async with database.reading() as session:
        answer = (await session.execute(select(Answer))).scalar_one()
        assessment = (
            await session.execute(select(Assessment).where(Assessment.id == answer.assessment_id))
        ).scalar_one()
    assert answer.value == "ja"
    assert assessment.submitted_by == "Anna Amt (Sozialamt)"


async def test_overview_shows_progress_and_a_jump_list_to_open_questions(
    client: Client, staff: StaffLinks
) -> None:
    await _autosave(client, staff.anna, "MS-01", "ja", 0)
    await _autosave(client, staff.anna, "MS-02", "weiss_nicht", 0)
    page = await client.get(staff.anna)
    assert "1 von 14" in page.text
    assert f'href="{staff.anna}/felder/MS#frage-MS-02"' in page.text
    assert f'href="{staff.anna}/felder/MS#frage-MS-01"' not in page.text


async def test_staff_activity_is_visible_to_the_moderator(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    await _autosave(client, staff.bernd, "MS-01", "ja", 0)
    async with database.reading() as session:
        invitations = {
            i.name: i.last_active_at
            for i in (await session.execute(select(StaffInvitation))).scalars()
        }
    assert invitations["Bernd Bürger"] is not None
    assert invitations["Anna Amt"] is None
