"""The phone in a Stimmungsbild: one field per screen, whole-card targets that fill with the
category colour, "Feld 3 von 7", back and next, and a "Fertig – danke" summary in which any
field can still be changed while the round is open. By touch, by keyboard, without
JavaScript."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from selfcheck import palette
from tests.browser.actors import VOTE_SAVED, OpenWorkshop, Participant
from tests.browser.browsing import Browsing, Device

PHONE_390 = Device("Telefon 390", 390, 844, is_mobile=True)
FIELDS = ["MS", "IO", "FZ", "AW", "EB", "ZB", "KK"]
CATEGORY = {1: "1 – Weltoffen aufgestellt", 3: "3 – Auf dem Weg", 4: "4 – Am Anfang"}
MIN_TARGET_PX = 44


def _css_rgb(colour: str) -> str:
    red, green, blue = palette._rgb(colour)
    return f"rgb({red}, {green}, {blue})"


async def _small_targets(page: Page) -> list[str]:
    """Visible cards, buttons and links of the current step smaller than 44 × 44 px."""
    found: list[str] = await page.evaluate(
        """min => Array.from(document.querySelectorAll(
            '.step:not([hidden]) .choice-card, .step:not([hidden]) .step-buttons > *,'
            + ' .step:not([hidden]) .step-dots a, .step:not([hidden]) .summary-list .button'))
          .map(el => [el, el.getBoundingClientRect()])
          .filter(([el, box]) => box.width < min || box.height < min)
          .map(([el, box]) => `${el.textContent.trim().slice(0, 30)}: ${box.width}x${box.height}`)
        """,
        MIN_TARGET_PX,
    )
    return found


async def test_a_stimmungsbild_on_the_phone_by_touch_one_field_per_screen_to_fertig(
    browsing: Browsing, open_workshop: OpenWorkshop
) -> None:
    ada = await Participant.join(browsing, "Ada (Telefon)", open_workshop.code, device=PHONE_390)
    page = ada.page
    await expect(page.get_by_text("Feld 1 von 7")).to_be_visible()
    await expect(ada.item("MS")).to_be_visible()
    await expect(ada.item("IO")).to_be_hidden()  # one field per screen
    assert await _small_targets(page) == []
    await ada.checkpoint("Feld 1 von 7")

    # A tap anywhere on the card chooses, fills it with the category colour and votes.
    card = ada.card("MS", CATEGORY[3])
    box = await card.bounding_box()
    assert box is not None
    await page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] - 12)
    await expect(ada.vote_status("MS")).to_have_text(VOTE_SAVED)
    await expect(card).to_have_css("background-color", _css_rgb(palette.category(3).fill))
    await expect(card).to_contain_text("Ihre Wahl")
    await ada.checkpoint("Feld 1 gewählt")

    # Weiter, Zurück, Weiter: the choice is still there.
    await page.get_by_role("button", name="Weiter").click()
    await expect(page.get_by_text("Feld 2 von 7")).to_be_visible()
    await page.get_by_role("link", name="Zurück").click()
    await expect(ada.item("MS").get_by_label(CATEGORY[3], exact=True)).to_be_checked()
    await page.get_by_role("button", name="Weiter").click()

    for number, key in enumerate(FIELDS[1:], start=2):
        await expect(page.get_by_text(f"Feld {number} von 7")).to_be_visible()
        await ada.card(key, CATEGORY[1 if number % 2 else 4]).click()
        await expect(ada.vote_status(key)).to_have_text(VOTE_SAVED)
        next_button = "Zur Übersicht" if number == 7 else "Weiter"
        await page.get_by_role("button", name=next_button).click()

    summary = page.locator(".summary")
    await expect(summary.get_by_role("heading", name="Fertig – danke!")).to_be_visible()
    await expect(summary.locator('[data-summary="MS"]')).to_contain_text(CATEGORY[3])
    await expect(summary.locator('[data-summary="IO"]')).to_contain_text(CATEGORY[4])
    assert await _small_targets(page) == []
    await ada.checkpoint("Fertig danke")

    # Changing a vote from the summary while the round is open.
    await summary.locator('[data-summary="FZ"]').get_by_role("link", name="Ändern").click()
    await expect(page.get_by_text("Feld 3 von 7")).to_be_visible()
    await expect(ada.item("FZ").get_by_label(CATEGORY[1], exact=True)).to_be_checked()
    await ada.card("FZ", CATEGORY[4]).click()
    await expect(ada.vote_status("FZ")).to_have_text(VOTE_SAVED)
    await (
        ada.step_dot("FZ").locator("xpath=ancestor::ol").get_by_role("link", name="Fertig").click()
    )
    await expect(summary.locator('[data-summary="FZ"]')).to_contain_text(CATEGORY[4])
    await ada.checkpoint("Stimme geändert")

    # One vote per field, counted once; below three votes the projector shows no counts.
    state = await open_workshop.moderator.live_state()
    assert {item["key"]: item["n"] for item in state["round"]["items"]} == dict.fromkeys(FIELDS, 1)
    assert state["round"]["voters"] == 1

    # A reload comes back to the summary, as the server has it: every field has a vote.
    await page.reload()
    await expect(summary.get_by_role("heading", name="Fertig – danke!")).to_be_visible()
    await expect(summary.locator('[data-summary="FZ"]')).to_contain_text(CATEGORY[4])

    # The same page on a laptop and on old projector sizes: one column, nothing cut off.
    await ada.go_to("MS")
    for width, height in [(1366, 768), (1024, 768), (1280, 720), (1920, 1080)]:
        await page.set_viewport_size({"width": width, "height": height})
        await ada.checkpoint(f"Feld 1 bei {width}x{height}")


async def test_the_phone_flow_by_keyboard_alone(
    browsing: Browsing, open_workshop: OpenWorkshop
) -> None:
    bea = await Participant.join(
        browsing, "Bea (Tastatur)", open_workshop.code, checkpoints=False, device=PHONE_390
    )
    page = bea.page
    # Tab reaches the cards, the arrow keys choose, and each choice is a vote.
    first = bea.item("MS").get_by_label(CATEGORY[1], exact=True)
    for _ in range(40):
        await page.keyboard.press("Tab")
        if await first.evaluate("element => element === document.activeElement"):
            break
    await expect(first).to_be_focused()
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("ArrowDown")
    await expect(bea.item("MS").get_by_label(CATEGORY[3], exact=True)).to_be_checked()
    await expect(bea.vote_status("MS")).to_have_text(VOTE_SAVED)
    focus_ring = await page.evaluate(
        "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
    )
    assert focus_ring == "solid", "Die gewählte Karte zeigt den Tastaturfokus nicht."
    await bea.checkpoint("per Tastatur gewählt", focus=bea.item("MS"))

    # Tab to "Weiter", Enter: the next field, its title focused for screen readers.
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Weiter")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#titel-IO")).to_be_focused()
    await expect(page.get_by_text("Feld 2 von 7")).to_be_visible()
    await page.keyboard.press("Tab")
    await page.keyboard.press("Space")
    await expect(bea.vote_status("IO")).to_have_text(VOTE_SAVED)

    # To the summary by its progress link, and back to change the first field.
    done = page.locator('.step:not([hidden]) [data-goto="fertig"]')
    await done.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Fertig – danke!")).to_be_focused()
    change = page.locator('[data-summary="MS"]').get_by_role("link", name=re.compile("^Ändern"))
    await change.focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#titel-MS")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(bea.item("MS").get_by_label(CATEGORY[3], exact=True)).to_be_focused()
    await page.keyboard.press("ArrowDown")
    await expect(bea.vote_status("MS")).to_have_text(VOTE_SAVED)
    await expect(page.locator('[data-summary="MS"] .summary-value')).to_have_text(CATEGORY[4])
    await bea.checkpoint("per Tastatur geändert", focus=bea.item("MS"))

    # The server has the changed vote: a reload shows it in the summary.
    await page.goto(f"{page.url.split('?')[0]}?schritt=fertig")
    await expect(page.locator('[data-summary="MS"] .summary-value')).to_have_text(CATEGORY[4])


async def test_without_javascript_each_field_is_a_page_of_its_own(
    browsing: Browsing, open_workshop: OpenWorkshop
) -> None:
    page = await browsing.open("Cem ohne JavaScript", PHONE_390, javascript=False)
    await page.goto(f"/w/{open_workshop.code.replace('-', '')}")
    await page.get_by_role("button", name="Teilnehmen").click()
    await expect(page.get_by_text("Feld 1 von 7")).to_be_visible()
    await page.locator('label[for="v-MS-2"]').click()
    await page.get_by_role("button", name="Weiter").click()
    await expect(page).to_have_url(re.compile(r"\?schritt=2$"))
    await expect(page.get_by_text("Ihre Stimme ist gespeichert.").first).to_be_visible()
    await expect(page.get_by_text("Feld 2 von 7")).to_be_visible()
    await browsing.checkpoint(page, "ohne JavaScript Feld 2")

    # "Weiter" without a choice skips the field and counts nothing.
    await page.get_by_role("button", name="Weiter").click()
    await expect(page.get_by_text("Feld 3 von 7")).to_be_visible()
    await page.locator('.step:not([hidden]) [data-goto="fertig"]').click()
    await expect(page.get_by_role("heading", name="Fertig – danke!")).to_be_visible()
    await expect(page.locator('[data-summary="MS"]')).to_contain_text("2 – ")
    await expect(page.locator('[data-summary="IO"]')).to_contain_text("noch keine Stimme")
    await browsing.checkpoint(page, "ohne JavaScript Fertig")
