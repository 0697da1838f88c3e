"""Keyboard use, labels and announcements (WCAG 2.1: 2.1.1, 2.4.1, 2.4.7, 1.3.1, 4.1.3).

axe-core runs at every checkpoint anyway; these tests check what axe cannot: that a person
gets through with the keyboard alone and that status changes reach a screen reader.
"""

from __future__ import annotations

from playwright.async_api import Locator, Page, expect

from tests.browser.actors import (
    SAVED,
    VOTE_SAVED,
    OpenWorkshop,
    Participant,
    PreparedAssessment,
    StaffMember,
)
from tests.browser.browsing import DESKTOP, PHONE, Browsing

MAX_TAB_PRESSES = 80

# Every visible form control without an accessible name from a <label>, aria-label or
# aria-labelledby; and every radio button outside a <fieldset> with a <legend>.
UNLABELLED_CONTROLS_JS = """() => {
  const controls = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
  const problems = [];
  for (const control of controls) {
    const named = control.labels.length > 0 || control.getAttribute("aria-label")
      || control.getAttribute("aria-labelledby");
    const label = named ? Array.from(control.labels).map(l => l.textContent.trim()).join(" ") : "";
    if (!named || (control.labels.length > 0 && !label)) {
      problems.push(`${control.tagName.toLowerCase()} name=${control.name} ohne Beschriftung`);
    }
    if (control.type === "radio") {
      const legend = control.closest("fieldset")?.querySelector("legend");
      if (!legend || !legend.textContent.trim()) {
        problems.push(`Optionsfeld name=${control.name} ohne fieldset/legend`);
      }
    }
  }
  return problems;
}"""


async def tab_to(page: Page, target: Locator) -> int:
    """Presses Tab until `target` has the focus; returns how many presses that took."""
    for presses in range(1, MAX_TAB_PRESSES + 1):
        await page.keyboard.press("Tab")
        if await target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} ist mit {MAX_TAB_PRESSES}× Tab nicht erreichbar")


async def has_visible_focus(element: Locator) -> bool:
    return bool(
        await element.evaluate(
            "element => element.matches(':focus-visible')"
            " && getComputedStyle(element).outlineStyle !== 'none'"
        )
    )


async def test_a_colleague_answers_and_comments_with_the_keyboard_alone(
    browsing: Browsing, prepared: PreparedAssessment
) -> None:
    anna = await StaffMember.arrive(browsing, "Anna (Tastatur)", prepared.coordinator_link)
    await anna.open_field("MS")
    page = anna.page

    # The skip link is the first stop, becomes visible, and jumps past the navigation.
    await page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Inhalt springen")
    await expect(skip_link).to_be_focused()
    await expect(skip_link).to_be_in_viewport()
    await anna.checkpoint("Sprunglink sichtbar")
    await page.keyboard.press("Enter")
    await expect(page.locator("main")).to_be_focused()

    # From the content, Tab reaches the question; the arrow keys choose an answer.
    still_open = anna.choice("MS-01", "Noch offen")
    await tab_to(page, still_open)
    assert await has_visible_focus(still_open), "Der Tastaturfokus ist nicht zu sehen."
    await page.keyboard.press("ArrowLeft")  # Noch offen -> Weiß nicht
    await page.keyboard.press("ArrowLeft")  # -> Nein
    await expect(anna.choice("MS-01", "Nein")).to_be_checked()
    await expect(anna.choice("MS-01", "Nein")).to_be_focused()
    await anna.sees_saved("MS-01")

    # The next Tab stop is the comment box.
    await page.keyboard.press("Tab")
    await expect(anna.comment_box("MS-01")).to_be_focused()
    assert await has_visible_focus(anna.comment_box("MS-01"))
    await page.keyboard.type("Mit der Tastatur geschrieben")
    await anna.sees_saved("MS-01")
    await anna.checkpoint("per Tastatur gespeichert", focus=anna.question("MS-01"))

    await page.reload()
    await expect(anna.choice("MS-01", "Nein")).to_be_checked()
    await expect(anna.comment_box("MS-01")).to_have_value("Mit der Tastatur geschrieben")


async def test_the_save_status_is_announced_by_a_live_region_that_stays_in_place(
    browsing: Browsing, prepared: PreparedAssessment
) -> None:
    anna = await StaffMember.arrive(browsing, "Anna", prepared.coordinator_link, DESKTOP)
    await anna.open_field("IO")
    status = anna.status("IO-02")
    # A screen reader announces changes only in a live region that was already there.
    await expect(status).to_have_attribute("aria-live", "polite")
    await expect(status).to_have_role("status")
    region = await status.element_handle()

    await anna.answer("IO-02", "Ja, umgesetzt")
    await anna.sees_saved("IO-02")
    assert await region.evaluate("element => element.isConnected")
    assert (await region.text_content() or "").strip() == SAVED
    await expect(status).to_match_aria_snapshot(f"- status: {SAVED}")


async def test_every_form_field_has_a_label(
    browsing: Browsing, prepared: PreparedAssessment
) -> None:
    mod = prepared.moderator
    anna = await StaffMember.arrive(browsing, "Anna", prepared.coordinator_link, DESKTOP)
    pages: list[tuple[Page, str]] = [
        (mod.page, "/anmelden"),
        (mod.page, "/moderation"),
        (mod.page, mod.municipality_url),
        (mod.page, mod.assessment_url),
        (anna.page, prepared.coordinator_link),
        *((anna.page, f"{prepared.coordinator_link}/felder/{field}") for field in ("MS", "FZ")),
    ]
    problems: list[str] = []
    for page, url in pages:
        await page.goto(url)
        problems += [
            f"{page.url}: {problem}" for problem in await page.evaluate(UNLABELLED_CONTROLS_JS)
        ]
    assert not problems, "\n".join(problems)


async def test_a_participant_joins_and_votes_on_the_phone_with_the_keyboard_alone(
    browsing: Browsing, open_workshop: OpenWorkshop
) -> None:
    page = await browsing.open("Dora (Tastatur)", PHONE)
    dora = Participant(browsing, "Dora (Tastatur)", page)

    # The code, then Enter.
    await page.goto("/teilnehmen")
    await tab_to(page, page.get_by_label("Code von der Leinwand"))
    await page.keyboard.type(open_workshop.code)
    await page.keyboard.press("Enter")
    # The group: Tab lands on the chosen option ("Keine Angabe"), the arrow keys change it.
    await tab_to(page, page.get_by_label("Keine Angabe"))
    await page.keyboard.press("ArrowUp")
    await expect(page.get_by_label("Sonstige")).to_be_checked()
    await dora.checkpoint("Gruppe per Tastatur gewählt")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Teilnehmen")).to_be_focused()
    await page.keyboard.press("Enter")
    await dora.sees_round(open_workshop.round_title)
    problems = await page.evaluate(UNLABELLED_CONTROLS_JS)
    assert not problems, problems

    # Each field is one stop for Tab; the arrow keys choose, and every choice is a vote.
    # One field per screen: the progress dots lead to the field by keyboard as well.
    await tab_to(page, dora.step_dot("ZB"))
    await page.keyboard.press("Enter")
    await expect(dora.item("ZB")).to_be_visible()
    status = dora.vote_status("ZB")
    await expect(status).to_have_attribute("aria-live", "polite")
    region = await status.element_handle()
    first = dora.item("ZB").get_by_label("1 – Weltoffen aufgestellt")
    await tab_to(page, first)
    assert await has_visible_focus(first), "Der Tastaturfokus ist nicht zu sehen."
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("ArrowDown")
    chosen = dora.item("ZB").get_by_label("3 – Auf dem Weg")
    await expect(chosen).to_be_checked()
    await expect(chosen).to_be_focused()
    # Announced by the live region that was there before the vote.
    await expect(status).to_have_text(VOTE_SAVED)
    assert await region.evaluate("element => element.isConnected")
    await dora.checkpoint("per Tastatur abgestimmt", focus=dora.item("ZB"))

    # Counted once, with the last choice: the arrow keys sent three votes on the way.
    state = await open_workshop.moderator.live_state()
    zb = next(item for item in state["round"]["items"] if item["key"] == "ZB")
    assert (zb["n"], state["round"]["voters"]) == (1, 1)
    await page.reload()
    await expect(chosen).to_be_checked()

    # The moderator's control view: every form field labelled there too.
    problems = await open_workshop.moderator.page.evaluate(UNLABELLED_CONTROLS_JS)
    assert not problems, problems
