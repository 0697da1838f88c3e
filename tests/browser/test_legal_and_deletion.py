"""The legal pages from every footer, the administrator's notice about the shipped
templates, deleting a municipality, and the projector's small legal links – in Chromium,
with axe at every step and screenshots at phone, laptop and projector sizes."""

from __future__ import annotations

import secrets

from playwright.async_api import expect

from tests.browser.actors import Account, Moderator, OpenWorkshop, Projector
from tests.browser.browsing import Browsing, Device
from tests.live_server import ServerProcess

PHONE = Device("Telefon 390", 390, 844, is_mobile=True)
LAPTOP = Device("Laptop", 1366, 768)
BEAMERS = [Device("Beamer 1024", 1024, 768), Device("Beamer 1280", 1280, 720),
           Device("Beamer 1920", 1920, 1080)]  # fmt: skip
PAGES = {
    "Barrierefreiheit": "Erklärung zur Barrierefreiheit",
    "Datenschutz": "Datenschutzerklärung",
    "Impressum": "Impressum",
}


async def test_the_legal_pages_are_one_tap_away_from_the_footer(browsing: Browsing) -> None:
    for device in (PHONE, LAPTOP):
        page = await browsing.open(f"Besuch {device.name}", device)
        await page.goto("/teilnehmen")
        for link, heading in PAGES.items():
            footer = page.get_by_role("navigation", name="Rechtliches")
            await footer.get_by_role("link", name=link).click()
            await expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
            await browsing.checkpoint(page, link, full_page=True)


async def test_an_administrator_is_told_about_the_templates_and_deletes_a_municipality(
    browsing: Browsing, live_server: ServerProcess
) -> None:
    admin = Account(f"admin-{secrets.token_hex(3)}@kreis.example", "Admin-" + secrets.token_hex(8))
    live_server.add_user(admin.email, admin.password, role="admin")
    mod = await Moderator.arrive(browsing, admin)
    name = f"Löschstadt {secrets.token_hex(3)}"
    await mod.create_municipality(name)
    await expect(mod.page.get_by_role("note")).to_contain_text("mitgelieferten Vorlagen")
    await mod.checkpoint("Hinweis auf die Vorlagen")
    confirm = mod.page.get_by_label("Zur Bestätigung den Namen der Kommune eingeben")
    await confirm.fill("falsch")
    await mod.page.get_by_role("button", name="Kommune endgültig löschen").click()
    await expect(mod.page.get_by_role("alert")).to_contain_text("Es wurde nichts gelöscht")
    await browsing.checkpoint(mod.page, "Löschen abgelehnt", focus=confirm)
    await mod.page.get_by_label("Zur Bestätigung den Namen der Kommune eingeben").fill(name)
    await mod.page.get_by_role("button", name="Kommune endgültig löschen").click()
    await mod.sees_notice(f"Die Kommune „{name}“ ist mit allen zugehörigen Daten gelöscht.")
    await expect(mod.page.get_by_role("link", name=name)).to_have_count(0)
    await mod.checkpoint("Kommune gelöscht")


async def test_the_projector_shows_small_legal_links_on_every_beamer(
    browsing: Browsing, open_workshop: OpenWorkshop, moderator: Account
) -> None:
    url = open_workshop.moderator.workshop_url
    for device in BEAMERS:
        projector = Projector(browsing, device.name, await browsing.open(device.name, device))
        await projector.log_in(moderator)
        await projector.page.goto(f"{url}/leinwand")
        legal = projector.page.get_by_role("navigation", name="Rechtliches")
        await expect(legal.get_by_role("link", name="Barrierefreiheit")).to_be_visible()
        await expect(projector.live_area.locator(".item").first).to_be_visible()
        await projector.checkpoint("Leinwand mit Rechtlichem")
    # The links are small enough that the full-HD projector still shows everything at once.
    # (Smaller beamers overflow already without them; that is the projector layout's issue.)
    await projector.fits_on_screen()
