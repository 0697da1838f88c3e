"""The whole path through the application, in a real browser against the real server.

Screenshots of every step: test-artifacts/screenshots/<test name>/. Every page the people
look at is checked with axe-core on the way (see browsing.py).
"""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.actors import Account, Moderator, StaffMember
from tests.browser.browsing import DESKTOP, PHONE, Browsing


async def test_moderator_and_two_colleagues_fill_in_and_submit_the_questionnaire(
    browsing: Browsing, moderator: Account
) -> None:
    # The moderator sets everything up and invites two colleagues.
    mod = await Moderator.arrive(browsing, moderator)
    await mod.checkpoint("Übersicht nach der Anmeldung")
    await mod.create_municipality("Journeyhausen", population="23.400")
    await mod.checkpoint("Kommune angelegt")
    await mod.create_assessment("Selbstcheck 2026")
    await mod.checkpoint("Selbstcheck angelegt")
    anna_link = await mod.invite("Anna Amt", "Sozialamt", coordinator=True)
    await mod.checkpoint("Link für Anna", focus=mod.page.get_by_label("Link", exact=True))
    bernd_link = await mod.invite("Bernd Bürger", "Integrationsrat")
    await mod.checkpoint("Link für Bernd")

    # Anna answers on her phone; autosave confirms each change.
    anna = await StaffMember.arrive(browsing, "Anna", anna_link, PHONE)
    await anna.checkpoint("Übersicht")
    await anna.open_field("MS")
    await anna.checkpoint("Feld MS geöffnet")
    await anna.answer("MS-01", "Ja, umgesetzt")
    await anna.sees_saved("MS-01")
    async with anna.autosave_of("MS-01") as saving:
        await anna.write_comment("MS-01", "Konzept 2024 vom Rat beschlossen")
    assert (await saving.value).status == 200
    await anna.sees_saved("MS-01")
    await anna.answer("MS-03", "Teilweise bzw. in Umsetzung")
    await anna.sees_saved("MS-03")
    await anna.checkpoint("MS-03 gespeichert", focus=anna.question("MS-03"))
    await expect(anna.question("MS-01").locator(".meta")).to_contain_text(
        "Zuletzt geändert von Anna Amt (Sozialamt)"
    )
    await anna.question("MS-01").get_by_role("link", name="Verlauf").click()
    await expect(anna.page.get_by_role("heading", name="Verlauf der Antwort MS-01")).to_be_visible()
    await expect(anna.page.locator("tbody tr")).to_have_count(2)
    await anna.checkpoint("Verlauf MS-01")

    # Bernd works on another field on his desktop at the same time.
    bernd = await StaffMember.arrive(browsing, "Bernd", bernd_link, DESKTOP)
    await bernd.open_field("IO")
    await bernd.answer("IO-02", "Nein")
    await bernd.write_comment("IO-02", "Noch kein Antirassismus-Training")
    await bernd.sees_saved("IO-02")
    await bernd.checkpoint("Feld IO gespeichert", focus=bernd.question("IO-02"))

    # Both open the same question; Anna saves first, Bernd's change then conflicts.
    await anna.open_field("FZ")
    await bernd.open_field("FZ")
    await anna.answer("FZ-01", "Ja, umgesetzt")
    await anna.sees_saved("FZ-01")
    await bernd.answer("FZ-01", "Nein")
    conflict = await bernd.sees_conflict_with("FZ-01", "Anna Amt (Sozialamt)", "Ja, umgesetzt")
    await bernd.checkpoint("Konflikt bei FZ-01", focus=conflict)
    # Bernd decides that his answer counts.
    await bernd.keep_mine("FZ-01")
    await bernd.sees_saved("FZ-01")
    await bernd.checkpoint("eigene Antwort gespeichert", focus=bernd.question("FZ-01"))

    # Anna still has her old version on screen: her next change conflicts with Bernd's.
    await anna.write_comment("FZ-01", "Beratung in fünf Sprachen")
    await anna.sees_conflict_with("FZ-01", "Bernd Bürger (Integrationsrat)", "Nein")
    await anna.checkpoint("Konflikt bei FZ-01", focus=anna.question("FZ-01"))
    await anna.take_theirs("FZ-01")
    await expect(anna.status("FZ-01")).to_have_text("Andere Antwort übernommen")
    await expect(anna.choice("FZ-01", "Nein")).to_be_checked()
    await expect(anna.comment_box("FZ-01")).to_have_value("")
    # With Bernd's version taken over, Anna's next change saves without a conflict.
    await anna.write_comment("FZ-01", "Beratung in fünf Sprachen")
    await anna.sees_saved("FZ-01")
    await bernd.page.reload()
    await expect(bernd.choice("FZ-01", "Nein")).to_be_checked()
    await expect(bernd.comment_box("FZ-01")).to_have_value("Beratung in fünf Sprachen")

    # Without JavaScript, the field page is one form that saves on submit.
    plain_page = await browsing.open("Anna ohne JavaScript", PHONE, javascript=False)
    await plain_page.goto(f"{anna_link}/felder/KK")
    await plain_page.locator("#frage-KK-01").get_by_label("Weiß nicht").check()
    await plain_page.get_by_label("Kommentar zu KK-01").fill("Frage an das Ordnungsamt")
    await browsing.checkpoint(plain_page, "Formular ausgefüllt")
    await plain_page.get_by_role("button", name="Alle Antworten dieses Feldes speichern").click()
    await expect(plain_page.locator(".notice")).to_contain_text(
        "Ihre Antworten zu „Kommunikation und Konfliktmanagement“ sind gespeichert."
    )
    await expect(plain_page.locator("#frage-KK-01").get_by_label("Weiß nicht")).to_be_checked()
    await expect(plain_page.get_by_label("Kommentar zu KK-01")).to_have_value(
        "Frage an das Ordnungsamt"
    )
    await browsing.checkpoint(plain_page, "Formular gespeichert")

    # The moderator sees the progress and submits; afterwards the staff pages are read-only.
    await mod.open_assessment()
    await expect(mod.page.locator("table.progress tfoot")).to_contain_text("4 von 105")
    await mod.checkpoint("Bearbeitungsstand")
    await mod.submit_questionnaire()
    await mod.checkpoint("Fragebogen abgeschlossen")

    await anna.open_field("MS")
    await anna.sees_notice("Der Fragebogen ist abgeschlossen")
    await expect(anna.choice("MS-01", "Ja, umgesetzt")).to_be_checked()
    await expect(anna.choice("MS-01", "Ja, umgesetzt")).to_be_disabled()
    await expect(anna.choice("MS-03", "Nein")).to_be_disabled()
    await expect(anna.comment_box("MS-01")).not_to_be_editable()
    await expect(
        anna.page.get_by_role("button", name="Alle Antworten dieses Feldes speichern")
    ).to_have_count(0)
    await anna.checkpoint("nur noch lesbar")
    await anna.page.goto(anna_link)
    await anna.sees_notice("Der Fragebogen ist abgeschlossen")
    await expect(anna.page.locator("summary", has_text="Fragebogen abschließen")).to_have_count(0)
    await anna.checkpoint("Übersicht nach Abschluss")
    await anna.page.get_by_role("link", name="Ergebnis", exact=True).click()
    await expect(
        anna.page.get_by_role("heading", name="Ergebnis der Selbsteinschätzung")
    ).to_be_visible()
    await anna.checkpoint("Ergebnis")
    await mod.page.get_by_role("link", name="Ergebnis ansehen").click()
    await expect(
        mod.page.get_by_role("heading", name="Ergebnis der Selbsteinschätzung")
    ).to_be_visible()
    await mod.checkpoint("Ergebnis")
