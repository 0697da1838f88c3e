"""The action plan in the browser: the moderator enters and follows up a measure, allows
the Sozialamt to update its own measures, and Anna (Sozialamt) updates the status. Every
page is checked (axe, reflow) and photographed at 390×844, 1366×768 and 1024×768."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.actors import PreparedAssessment, StaffMember
from tests.browser.browsing import BEAMER_4_3, LAPTOP, PHONE_390, Browsing

SIZES = (PHONE_390, LAPTOP, BEAMER_4_3)


async def _at_every_size(browsing: Browsing, page: Page, who: str, step: str) -> None:
    for device in SIZES:
        await page.set_viewport_size({"width": device.width, "height": device.height})
        await browsing.checkpoint(page, f"{step} {device.width}x{device.height}", full_page=True)
    await page.set_viewport_size({"width": LAPTOP.width, "height": LAPTOP.height})


async def test_a_measure_is_planned_followed_up_and_updated_by_its_department(
    browsing: Browsing, prepared: PreparedAssessment
) -> None:
    mod = prepared.moderator
    page = mod.page
    await page.goto(mod.assessment_url)
    await page.get_by_role("link", name="Maßnahmenplan").click()
    await expect(page.get_by_role("heading", level=1, name="Maßnahmenplan")).to_be_visible()

    await page.get_by_label("Handlungsfeld").select_option(label="Management und Steuerung")
    await page.get_by_label("Titel").fill("Beratungsangebot für Neuzugewanderte bündeln")
    await page.get_by_label("Zuständig").fill("Sozialamt")
    await page.get_by_label("Frist (Monat)").fill("2024-03")
    await page.get_by_role("button", name="In den Maßnahmenplan aufnehmen").click()
    await expect(page.get_by_text("überfällig").first).to_be_visible()
    await _at_every_size(browsing, page, "Moderation", "Maßnahmenplan")

    await page.get_by_role("link", name="Beratungsangebot für Neuzugewanderte bündeln").click()
    await page.get_by_label("Neuer Stand").select_option(label="in Umsetzung")
    await page.get_by_label("Begründung oder Notiz").fill("Erstes Treffen der Beratungsstellen")
    await page.get_by_role("button", name="Stand speichern").click()
    await expect(page.get_by_text("Erstes Treffen der Beratungsstellen")).to_be_visible()
    await _at_every_size(browsing, page, "Moderation", "Maßnahme mit Verlauf")

    await page.goto(mod.assessment_url)
    await page.get_by_role("button", name="Maßnahmen des Bereichs freigeben für Anna Amt").click()
    await expect(page.get_by_text("Anna Amt darf jetzt den Stand")).to_be_visible()

    anna = await StaffMember.arrive(browsing, "Anna", prepared.coordinator_link, PHONE_390)
    await anna.page.get_by_role("link", name="Maßnahmen Ihres Bereichs").click()
    await expect(anna.page.get_by_role("heading", name="Maßnahmen Ihres Bereichs")).to_be_visible()
    await anna.page.get_by_label("Stand").select_option(label="umgesetzt")
    await anna.page.get_by_label("Notiz").fill("Läuft seit April im Bürgerbüro.")
    await anna.page.get_by_role("button", name="Speichern").click()
    await expect(anna.page.get_by_text("ist gespeichert")).to_be_visible()
    await _at_every_size(browsing, anna.page, "Anna", "Maßnahmen Ihres Bereichs")
