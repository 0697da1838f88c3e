"""What a form or API endpoint accepts: its own media type, UTF-8 text without control
characters. Checked once in the shared web layer for every handler; runs on SQLite and
(with SELFCHECK_TEST_POSTGRES_URL) on PostgreSQL, which must refuse the same way."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import Answer
from selfcheck.web.forms import UnreadableText, check_text, normalized_form_body
from tests.assessments.conftest import StaffLinks
from tests.helpers import Client, csrf_token

HTMX = {"hx-request": "true"}


async def _answer_rows(database: Database) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(Answer)) or 0)


async def _post_raw(
    client: Client, url: str, body: bytes, content_type: str, *, htmx: bool = True
) -> tuple[int, str]:
    headers = {"content-type": content_type, "x-csrftoken": await csrf_token(client)}
    if htmx:
        headers.update(HTMX)
    response = await client.post(url, content=body, headers=headers)
    return response.status_code, response.text


async def test_an_answer_save_with_a_json_body_is_refused_with_415_and_stores_nothing(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    status, body = await _post_raw(
        client,
        f"{staff.anna}/antworten/MS-01",
        b'{"value_MS-01": "ja", "version_MS-01": "0"}',
        "application/json",
    )
    assert status == 415
    assert "nimmt nur Formulardaten an" in body
    assert await _answer_rows(database) == 0


async def test_a_json_api_refuses_a_form_body_with_415(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    token = staff.anna.removeprefix("/s/")
    response = await client.post(
        f"/api/staff/{token}/answers/MS-01",
        content=b"value=ja&base_version=0",
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-csrftoken": await csrf_token(client),
        },
    )
    assert response.status_code == 415
    assert "nimmt nur JSON an" in response.json()["detail"]
    assert await _answer_rows(database) == 0


async def test_invalid_utf8_in_a_comment_is_refused_not_decoded_as_latin1(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    for comment in (b"Stra%DFe", "Straße".encode("latin-1")):  # percent-encoded and raw
        status, body = await _post_raw(
            client,
            f"{staff.anna}/antworten/MS-01",
            b"value_MS-01=ja&version_MS-01=0&comment_MS-01=" + comment,
            "application/x-www-form-urlencoded",
        )
        assert status == 400, comment
        assert "kein gültiger UTF-8-Text" in body
    assert await _answer_rows(database) == 0


async def test_raw_utf8_in_a_form_is_read_as_utf8(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    status, _ = await _post_raw(
        client,
        f"{staff.anna}/antworten/MS-01",
        "value_MS-01=ja&version_MS-01=0&comment_MS-01=Straße ✓".encode(),
        "application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert status == 200
    async with database.reading() as session:
        answer = (await session.execute(select(Answer))).scalar_one()
    assert answer.comment == "Straße ✓"


@pytest.mark.parametrize("control", ["%00", "%07", "%1B", "%7F", "%C2%85", "%0D"])
async def test_control_characters_in_a_comment_are_refused_on_every_database(
    client: Client, staff: StaffLinks, database: Database, control: str
) -> None:
    status, body = await _post_raw(
        client,
        f"{staff.anna}/antworten/MS-01",
        f"value_MS-01=ja&version_MS-01=0&comment_MS-01=vor{control}nach".encode(),
        "application/x-www-form-urlencoded",
    )
    assert status == 400
    assert "Steuerzeichen" in body
    assert await _answer_rows(database) == 0


async def test_control_characters_in_json_are_refused_too(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    token = staff.anna.removeprefix("/s/")
    response = await client.post(
        f"/api/staff/{token}/answers/MS-01",
        content=b'{"value": "ja", "comment": "a\\u0000b", "base_version": 0}',
        headers={"content-type": "application/json", "x-csrftoken": await csrf_token(client)},
    )
    assert response.status_code == 400
    assert "Steuerzeichen" in response.json()["detail"]
    assert await _answer_rows(database) == 0


async def test_tabs_and_line_breaks_from_a_textarea_are_kept(
    client: Client, staff: StaffLinks, database: Database
) -> None:
    status, _ = await _post_raw(
        client,
        f"{staff.anna}/antworten/MS-01",
        b"value_MS-01=ja&version_MS-01=0&comment_MS-01=eins%09zwei%0D%0Adrei%0Avier",
        "application/x-www-form-urlencoded",
    )
    assert status == 200
    async with database.reading() as session:
        answer = (await session.execute(select(Answer))).scalar_one()
    assert answer.comment == "eins\tzwei\r\ndrei\nvier"


def test_a_form_body_is_re_encoded_as_plain_ascii() -> None:
    assert normalized_form_body(b"a=Stra%C3%9Fe&b=x+y&c") == b"a=Stra%C3%9Fe&b=x+y&c="
    assert normalized_form_body("a=Straße".encode()) == b"a=Stra%C3%9Fe"


def test_only_tab_line_feed_and_crlf_pass_the_text_check() -> None:
    check_text("Zeile\tmit Tab\r\nund\nmehr")
    for bad in ["\x00", "\r", "\x0b", "\x1f", "\x7f", "\x9b", "\ud800"]:
        with pytest.raises(UnreadableText):
            check_text(f"a{bad}b")
