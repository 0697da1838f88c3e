"""A repeat assessment in the browser: the moderator starts the next Selbstcheck on the
basis of the last one, a colleague confirms the carried-over answers by keyboard, and the
results show the development. Screenshots at 390x844, 1366x768 and 1024x768."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.actors import Account, Moderator, StaffMember
from tests.browser.browsing import BEAMER_4_3, DESKTOP, LAPTOP, PHONE_390, Browsing, Device

SIZES: tuple[Device, ...] = (PHONE_390, LAPTOP, BEAMER_4_3)


async def _at_sizes(browsing: Browsing, page: Page, step: str) -> None:
    for device in SIZES:
        await page.set_viewport_size({"width": device.width, "height": device.height})
        await browsing.checkpoint(page, f"{step} {device.width}x{device.height}")
    await page.set_viewport_size({"width": DESKTOP.width, "height": DESKTOP.height})


async def test_the_next_selfcheck_starts_from_the_last_and_shows_the_development(
    browsing: Browsing, moderator: Account
) -> None:
    mod = await Moderator.arrive(browsing, moderator)
    await mod.create_municipality("Wiederholungsdorf")
    await mod.create_assessment("Selbstcheck 2025")
    anna_link = await mod.invite("Anna Amt", "Sozialamt", coordinator=True)
    anna = await StaffMember.arrive(browsing, "Anna", anna_link, DESKTOP)
    await anna.answer_whole_field("ZB", "Teilweise bzw. in Umsetzung")
    await anna.answer_whole_field("KK", "Ja, umgesetzt")
    await mod.submit_questionnaire()

    # "Neuen Selbstcheck auf Basis von …", offered on the municipality page and the assessment page
    await mod.page.goto(mod.municipality_url)
    await _at_sizes(browsing, mod.page, "Kommune mit Fortschreibung")
    await mod.open_assessment()
    await mod.page.get_by_role(
        "link", name="Neuen Selbstcheck auf Basis von „Selbstcheck 2025“"
    ).click()
    await expect(mod.page.get_by_role("heading", level=1)).to_contain_text("Neuer Selbstcheck")
    await _at_sizes(browsing, mod.page, "Fortschreibung anlegen")
    await mod.page.get_by_label("Titel des neuen Selbstchecks").fill("Selbstcheck 2027")
    await mod.page.get_by_role("button", name="Neuen Selbstcheck anlegen").click()
    await mod.sees_notice("Antworten aus „Selbstcheck 2025“ sind übernommen")
    mod.assessment_url = mod.page.url
    await _at_sizes(browsing, mod.page, "neuer Selbstcheck mit übernommenen Antworten")
    bernd_link = await mod.invite("Bernd Bürger", "Integrationsrat", coordinator=True)

    # Bernd confirms one answer by keyboard, changes another, then confirms the rest.
    bernd = await StaffMember.arrive(browsing, "Bernd", bernd_link, DESKTOP)
    await bernd.open_field("ZB")
    badges = bernd.page.locator(".carried-badge")
    count = await badges.count()
    assert count > 1
    await _at_sizes(browsing, bernd.page, "Feld ZB mit übernommenen Antworten")
    first = bernd.page.locator(".question").first
    confirm = first.get_by_role("button", name="Antwort bestätigen")
    await confirm.focus()
    await bernd.page.keyboard.press("Enter")
    await expect(first.locator(".carried-note")).to_contain_text("bestätigt")
    await expect(badges).to_have_count(count - 1)
    second = bernd.page.locator(".question").nth(1)
    await second.get_by_label("Nein", exact=True).check()
    await expect(second.locator(".carried-badge")).to_have_count(0)
    await browsing.checkpoint(bernd.page, "eine bestätigt, eine geändert", focus=second)
    await bernd.page.get_by_role(
        "button", name="übernommenen Antworten dieses Feldes bestätigen"
    ).click()
    await bernd.sees_notice("übernommene Antworten zu „Zusammenhalt und Begegnung“ sind bestätigt")
    await expect(bernd.page.locator(".carried-badge")).to_have_count(0)

    # The results show the development against 2025: ZB worse now, KK the same.
    await mod.open_assessment()
    await mod.page.get_by_role("link", name="Ergebnis ansehen").click()
    development = mod.page.locator("#entwicklung")
    await expect(development).to_contain_text("Entwicklung seit dem letzten Selbstcheck")
    await expect(development.get_by_role("row", name="Zusammenhalt und Begegnung")).to_contain_text(
        "heute schlechter"
    )
    await expect(
        development.get_by_role("row", name="Kommunikation und Konfliktmanagement")
    ).to_contain_text("heute gleich")
    await _at_sizes(browsing, mod.page, "Ergebnis mit Entwicklung")
    await mod.page.goto(mod.page.url.replace("/ergebnis", "/bericht"))
    await expect(mod.page.locator("#entwicklung")).to_be_visible()
    await development.scroll_into_view_if_needed()
    await _at_sizes(browsing, mod.page, "Bericht mit Entwicklung")
