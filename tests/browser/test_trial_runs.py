"""A trial run in the room: the moderator marks a round as Probelauf, the control view,
the projector and the phone say so, deleting asks once, and the report lets the moderator
pick the round that counts."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.actors import Account, OpenWorkshop, Participant, Projector
from tests.browser.browsing import Browsing, Device

LAPTOP = Device("Laptop", 1366, 768)
BEAMERS = [Device("Beamer 1024", 1024, 768), Device("Beamer 1280", 1280, 720),
           Device("Beamer 1920", 1920, 1080)]  # fmt: skip


async def _ada_votes_in_the_first_round(
    browsing: Browsing, open_workshop: OpenWorkshop
) -> Participant:
    """On the moderator's laptop: Ada joins, votes on MS, and the moderator closes the round."""
    mod = open_workshop.moderator
    await mod.page.set_viewport_size({"width": LAPTOP.width, "height": LAPTOP.height})
    ada = await Participant.join(browsing, "Ada", open_workshop.code, checkpoints=False)
    await ada.vote("MS", "2 – Gut vorangekommen")
    await mod.close_round(open_workshop.round_title)
    return ada


async def test_a_trial_round_is_marked_shown_as_probelauf_and_can_be_deleted_after_asking(
    browsing: Browsing, open_workshop: OpenWorkshop, moderator: Account
) -> None:
    mod = open_workshop.moderator
    ada = await _ada_votes_in_the_first_round(browsing, open_workshop)

    trial_rows = mod.page.locator("table.trial-table").get_by_role("row")
    row = trial_rows.filter(has_text=open_workshop.round_title)
    await row.get_by_role("button", name="Als Probelauf markieren").click()
    await mod.sees_notice("als Probelauf markiert")
    await expect(row).to_contain_text("Probelauf")
    await mod.checkpoint("Runde als Probelauf markiert", focus=mod.page.locator(".trial-controls"))

    # The phone and the projector say it too, while a trial round is running.
    second = await mod.prepare_round("field", field="Management und Steuerung")
    await mod.open_round(second)
    await (
        mod.page.locator("table.trial-table")
        .get_by_role("row")
        .filter(has_text=second)
        .get_by_role("button", name="Als Probelauf markieren")
        .click()
    )
    await mod.sees_notice("als Probelauf markiert")
    await ada.page.reload()
    await expect(ada.page.locator(".trial-note")).to_contain_text("Probelauf")
    await ada.checkpoint("Probelauf auf dem Telefon")
    projector = await Projector.arrive(browsing, moderator, mod.workshop_url)
    for device in BEAMERS:
        await projector.page.set_viewport_size({"width": device.width, "height": device.height})
        await expect(projector.live_area.locator(".trial-badge")).to_have_text("Probelauf")
        await projector.checkpoint(f"Probelauf {device.name}")
    await mod.close_round(second)

    # Deleting asks once, on a page of its own (no JavaScript needed), then deletes.
    await row.get_by_role("link", name=f"Runde „{open_workshop.round_title}“ löschen …").click()
    await expect(mod.page.get_by_role("heading", level=1)).to_contain_text("löschen?")
    await mod.checkpoint("Löschen bestätigen")
    await mod.page.get_by_role("link", name="Abbrechen").click()
    await expect(row).to_be_visible()
    await row.get_by_role("link", name=f"Runde „{open_workshop.round_title}“ löschen …").click()
    await mod.page.get_by_role("button", name="Runde endgültig löschen").click()
    await mod.sees_notice("ist gelöscht")
    await expect(trial_rows.filter(has_text=open_workshop.round_title)).to_have_count(0)
    await mod.checkpoint("Runde gelöscht")


async def test_the_moderator_picks_the_round_that_counts_on_the_report_page(
    browsing: Browsing, open_workshop: OpenWorkshop
) -> None:
    mod = open_workshop.moderator
    ada = await _ada_votes_in_the_first_round(browsing, open_workshop)
    again = await mod.prepare_round("field", field="Management und Steuerung")
    await mod.open_round(again)
    await ada.sees_round(again)
    await ada.vote("MS", "4 – Am Anfang")
    await mod.close_round(again)

    await mod.open_assessment()
    await mod.page.get_by_role("link", name="Vergleichsbericht und Downloads").click()
    choice = mod.page.get_by_label("Welche Runde zählt für „Management und Steuerung“?")
    option = choice.locator("option", has_text=open_workshop.round_title)
    await choice.select_option(value=await option.get_attribute("value"))
    await (
        mod.page.locator("form.round-choice", has=choice)
        .get_by_role("button", name="Übernehmen")
        .click()
    )
    await mod.sees_notice("zählt jetzt für dieses Handlungsfeld")
    section = mod.page.locator("#feld-MS")
    await expect(section).to_contain_text("(von der Moderation ausgewählt)")
    await mod.checkpoint("Runde für ein Feld gewählt", focus=section.locator("form.round-choice"))
