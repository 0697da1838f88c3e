"""Autosave and votes under a flaky network: the retry logic of static/answer.js and
static/vote.js, in a real browser."""

from __future__ import annotations

import asyncio

from playwright.async_api import Dialog, Route, expect

from tests.browser.actors import (
    NOT_SAVED_RETRYING,
    VOTE_NOT_YET_SAVED,
    VOTE_SAVED,
    OpenWorkshop,
    Participant,
    PreparedAssessment,
    StaffMember,
)
from tests.browser.browsing import PHONE, Browsing

# answer.js retries after 2 s, then 4 s, 8 s, …: two attempts fit well within this.
RETRY_TIMEOUT_MS = 20_000


async def test_an_answer_typed_while_offline_is_saved_by_the_automatic_retry(
    browsing: Browsing, prepared: PreparedAssessment
) -> None:
    anna = await StaffMember.arrive(browsing, "Anna", prepared.coordinator_link, PHONE)
    await anna.open_field("MS")
    await anna.page.context.set_offline(True)
    await anna.answer("MS-03", "Teilweise bzw. in Umsetzung")
    await anna.write_comment("MS-03", "Im Funkloch geschrieben")
    await expect(anna.status("MS-03")).to_contain_text(NOT_SAVED_RETRYING)
    await expect(
        anna.question("MS-03").get_by_role("button", name="Jetzt erneut versuchen")
    ).to_be_visible()
    await anna.checkpoint("offline nicht gespeichert", focus=anna.question("MS-03"))

    await anna.page.context.set_offline(False)
    await expect(anna.status("MS-03")).to_have_text("Gespeichert", timeout=RETRY_TIMEOUT_MS)
    await anna.checkpoint("wieder online gespeichert", focus=anna.question("MS-03"))

    # Stored for real: a fresh page shows the answer and the comment.
    await anna.page.reload()
    await expect(anna.choice("MS-03", "Teilweise bzw. in Umsetzung")).to_be_checked()
    await expect(anna.comment_box("MS-03")).to_have_value("Im Funkloch geschrieben")


async def test_leaving_the_page_with_an_unsaved_answer_asks_first(
    browsing: Browsing, prepared: PreparedAssessment
) -> None:
    anna = await StaffMember.arrive(browsing, "Anna", prepared.coordinator_link, PHONE)
    await anna.open_field("MS")
    await anna.page.context.set_offline(True)
    await anna.write_comment("MS-04", "Noch nicht gespeichert")
    await expect(anna.status("MS-04")).to_contain_text(NOT_SAVED_RETRYING)

    warnings: list[str] = []

    async def stay_on_page(dialog: Dialog) -> None:
        warnings.append(dialog.type)
        await dialog.dismiss()

    anna.page.on("dialog", stay_on_page)
    await anna.page.close(run_before_unload=True)
    for _ in range(50):
        if warnings:
            break
        await asyncio.sleep(0.1)
    assert warnings == ["beforeunload"]
    assert not anna.page.is_closed()
    await expect(anna.comment_box("MS-04")).to_have_value("Noch nicht gespeichert")


async def test_a_vote_cast_without_network_is_kept_retried_and_counted_once(
    browsing: Browsing, open_workshop: OpenWorkshop
) -> None:
    eva = await Participant.join(browsing, "Eva", open_workshop.code)

    # No network at all: the phone says so and keeps the vote.
    await eva.page.context.set_offline(True)
    await eva.tap("ZB", "3 – Auf dem Weg")
    await expect(eva.vote_status("ZB")).to_contain_text(VOTE_NOT_YET_SAVED)
    await eva.checkpoint("offline nicht gespeichert", focus=eva.item("ZB"))
    await eva.page.context.set_offline(False)
    await expect(eva.vote_status("ZB")).to_have_text(VOTE_SAVED, timeout=RETRY_TIMEOUT_MS)
    await eva.checkpoint("wieder online gespeichert", focus=eva.item("ZB"))

    # The vote reaches the server but its acknowledgement is lost: the phone sends it again.
    deliveries: list[int] = []

    async def lose_first_answer(route: Route) -> None:
        response = await route.fetch()
        deliveries.append(response.status)
        if len(deliveries) == 1:
            await route.abort("connectionreset")
        else:
            await route.fulfill(response=response)

    await eva.page.route("**/stimme", lose_first_answer)
    await eva.tap("KK", "4 – Am Anfang")
    await expect(eva.vote_status("KK")).to_have_text(VOTE_SAVED, timeout=RETRY_TIMEOUT_MS)
    assert deliveries == [200, 200]

    # Counted exactly once each, with nothing left waiting on the phone.
    state = await open_workshop.moderator.live_state()
    counted = {item["key"]: item["n"] for item in state["round"]["items"]}
    assert (counted["ZB"], counted["KK"], state["round"]["voters"]) == (1, 1, 1)
    await eva.page.unroute("**/stimme")
    await eva.page.reload()
    await expect(eva.item("ZB").get_by_label("3 – Auf dem Weg")).to_be_checked()
    await expect(eva.item("KK").get_by_label("4 – Am Anfang")).to_be_checked()
    waiting = await eva.page.evaluate(
        "code => window.localStorage.getItem('selfcheck-votes-' + code)",
        open_workshop.code.replace("-", ""),
    )
    assert waiting == "{}", waiting
