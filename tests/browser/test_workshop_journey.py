"""The journey continues into the workshop: after the administration has answered, the
moderator runs a live workshop; participants vote on their phones, the projector follows.

Every browser is its own context (own cookies, own event stream): a vote in a phone's
context must reach the projector's context through the server, without a reload.
Screenshots: test-artifacts/screenshots/<test name>/.
"""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.actors import (
    VOTE_NOT_YET_SAVED,
    Account,
    Participant,
    PreparedAssessment,
    Projector,
    Scribe,
    StaffMember,
)
from tests.browser.browsing import DESKTOP, Browsing

ZB = "Zusammenhalt und Begegnung"
KK = "Kommunikation und Konfliktmanagement"
ZB_01 = "Gibt es offene Begegnungsorte"
ROUND_CLOSED = "Diese Runde ist bereits geschlossen – Ihre Stimme wurde nicht gezählt."
RETRY_TIMEOUT_MS = 20_000  # vote.js retries after 1 s, 2 s, 4 s, …


CATEGORIES = {
    1: "1 – Weltoffen aufgestellt",
    2: "2 – Gut vorangekommen",
    3: "3 – Auf dem Weg",
    4: "4 – Am Anfang",
}


def ratings(**fields: int) -> dict[str, str]:
    """ratings(MS=1, ZB=3) -> the labels a participant taps, field by field."""
    return {field: CATEGORIES[category] for field, category in fields.items()}


def shares(first: int, second: int, third: int, fourth: int) -> str:
    """The projector's distribution line of a field, as a person reads it."""
    return (
        f"Weltoffen aufgestellt: {first} · Gut vorangekommen: {second} · "
        f"Auf dem Weg: {third} · Am Anfang: {fourth} (n = {first + second + third + fourth})"
    )


@pytest.fixture
async def answered(browsing: Browsing, prepared: PreparedAssessment) -> PreparedAssessment:
    """The administration's part: Anna rates ZB fully ("Ja": category 1) and KK not at all
    ("Nein": category 4); the moderator submits."""
    anna = await StaffMember.arrive(browsing, "Anna", prepared.coordinator_link, DESKTOP)
    await anna.answer_whole_field("ZB", "Ja, umgesetzt")
    await anna.answer_whole_field("KK", "Nein")
    await anna.checkpoint("Feld KK beantwortet")
    await prepared.moderator.submit_questionnaire()
    return prepared


async def test_participants_vote_on_their_phones_and_the_projector_follows_live(
    browsing: Browsing, moderator: Account, answered: PreparedAssessment
) -> None:
    mod = answered.moderator
    code = await mod.create_workshop("Workshop Journeyhausen", min_votes=3)
    await mod.checkpoint("Workshop angelegt")

    # The projector runs in a browser of its own and is never reloaded from here on.
    projector = await Projector.arrive(browsing, moderator, mod.workshop_url)
    await expect(
        projector.page.locator(".projector-join").get_by_text(code, exact=True)
    ).to_be_visible()
    await expect(projector.live_area).to_have_text("Noch keine Runde geöffnet.")
    await projector.checkpoint("vor dem Beitritt")

    # Three people join with the code from the screen; a group is optional.
    ada = await Participant.join(browsing, "Ada", code, group="Verwaltung")
    ben = await Participant.join(browsing, "Ben", code.replace("-", "").lower(), checkpoints=False)
    cem = await Participant.join(
        browsing, "Cem", code, group="Zivilgesellschaft", checkpoints=False
    )
    phones = [ada, ben, cem]
    await ada.sees_no_round()
    await ada.checkpoint("wartet auf die erste Runde")
    await expect(projector.counts).to_contain_text("3 dabei")

    # The moderator opens a Stimmungsbild; every phone shows it without a reload.
    mood = await mod.prepare_round("mood")
    await mod.open_round(mood)
    for phone in phones:
        await phone.sees_round(mood)
        await expect(phone.connection_state).to_have_text(f"Neue Runde: {mood}")
    await ada.checkpoint("Stimmungsbild erscheint")
    await expect(projector.item(ZB)).to_be_visible()
    await expect(projector.page.locator(".live-round .item")).to_have_count(7)

    # Votes arrive on the projector live; below three votes a field shows no distribution.
    await ada.vote_on_each(ratings(MS=1, IO=2, FZ=2, AW=3, EB=2, ZB=3, KK=4))
    await ben.vote_on_each(ratings(MS=2, IO=2, FZ=3, AW=3, EB=1, ZB=3, KK=4))
    await ben.checkpoint("alle Felder bewertet", focus=ben.item("KK"))
    await expect(projector.distribution(ZB)).to_have_text("2 Stimmen – angezeigt ab 3 Stimmen")
    await expect(projector.counts).to_contain_text("2 haben abgestimmt")
    await projector.checkpoint("zwei Stimmen, noch verborgen")
    await cem.vote_on_each(ratings(MS=1, IO=3, FZ=2, AW=4, EB=2, ZB=4, KK=3))
    await expect(projector.distribution(ZB)).to_have_text(shares(0, 0, 2, 1))
    await expect(projector.distribution(KK)).to_have_text(shares(0, 0, 1, 2))
    await expect(projector.distribution("Management und Steuerung")).to_have_text(
        shares(2, 1, 0, 0)
    )
    # A changed vote replaces the earlier one.
    await ada.vote("ZB", CATEGORIES[2])
    await expect(projector.distribution(ZB)).to_have_text(shares(0, 1, 1, 1))
    await expect(projector.counts).to_contain_text("3 haben abgestimmt")
    # While the round runs, the administration's view stays hidden.
    await expect(projector.comparison(ZB)).to_have_text(["Median der Runde: Kategorie 3"])
    await projector.checkpoint("Stimmungsbild live")
    await projector.fits_on_screen()

    # Cem's Wi-Fi drops just before the moderator closes: his late change is refused.
    await cem.page.context.set_offline(True)
    await cem.tap("KK", CATEGORIES[2])
    await expect(cem.vote_status("KK")).to_contain_text(VOTE_NOT_YET_SAVED)
    await mod.close_round(mood)
    await mod.checkpoint("Stimmungsbild geschlossen")
    await cem.page.context.set_offline(False)
    await expect(cem.connection_state).to_contain_text(
        f"Nicht gezählt: {ROUND_CLOSED}", timeout=RETRY_TIMEOUT_MS
    )
    await cem.sees_no_round()
    await cem.checkpoint("späte Stimme abgelehnt")
    for phone in (ada, ben):
        await phone.sees_no_round()
        await expect(phone.connection_state).to_have_text("Die Runde ist beendet.")
    await ada.checkpoint("Runde beendet")

    # Closed: the administration's category beside the workshop's, the gap made obvious.
    await expect(projector.live_area.get_by_role("heading", level=2)).to_contain_text("geschlossen")
    await expect(projector.comparison(ZB)).to_have_text(
        ["Median der Runde: Kategorie 3", "Verwaltung: Kategorie 1", "Deutliche Abweichung (2)"]
    )
    await expect(projector.comparison(KK)).to_have_text(
        ["Median der Runde: Kategorie 4", "Verwaltung: Kategorie 4", "Übereinstimmung"]
    )
    await expect(projector.distribution(KK)).to_have_text(shares(0, 0, 1, 2))
    await projector.checkpoint("Stimmungsbild mit Verwaltung")
    await projector.fits_on_screen()
    state = await mod.live_state()
    kk = next(item for item in state["round"]["items"] if item["key"] == "KK")
    assert (kk["counts"], state["round"]["voters"]) == ({"3": 1, "4": 2}, 3)

    # A field round: the four categories come with their descriptions.
    field_round = await mod.prepare_round("field", field=ZB)
    await mod.open_round(field_round)
    for phone in phones:
        await phone.sees_round(field_round)
    descriptions = ada.item("ZB").locator(".choice-text")
    await expect(descriptions).to_have_count(4)
    await expect(descriptions.first).to_be_visible()
    await expect(descriptions.first).to_contain_text("Strukturen und Verfahren")
    await ada.checkpoint("Handlungsfeld mit Beschreibungen", focus=ada.item("ZB"))
    await ada.vote("ZB", CATEGORIES[1])
    await ben.vote("ZB", CATEGORIES[2])
    await cem.vote("ZB", CATEGORIES[2])
    await expect(projector.distribution(ZB)).to_have_text(shares(1, 2, 0, 0))
    await projector.checkpoint("Handlungsfeld live")
    await mod.close_round(field_round)
    await expect(projector.comparison(ZB)).to_have_text(
        ["Median der Runde: Kategorie 2", "Verwaltung: Kategorie 1", "Abweichung (1)"]
    )
    await projector.checkpoint("Handlungsfeld mit Verwaltung")

    # A question round: selected questions on the questionnaire's own scale.
    questions = await mod.prepare_round("questions", field=ZB, questions=("ZB-01", "ZB-02"))
    await mod.open_round(questions)
    for phone in phones:
        await phone.sees_round(questions)
    await expect(ada.item("ZB-01").locator("legend")).to_contain_text(ZB_01)
    await ada.vote("ZB-01", "Ja, umgesetzt")
    await ben.vote("ZB-01", "Teilweise bzw. in Umsetzung")
    await cem.vote("ZB-01", "Weiß nicht")
    await cem.checkpoint("Einzelfrage beantwortet", focus=cem.item("ZB-01"))
    question_row = projector.live_area.locator(".item").filter(has_text=ZB_01)
    await expect(question_row.locator(".dist p")).to_have_text(
        "Ja, umgesetzt: 1 · Teilweise bzw. in Umsetzung: 1 · Nein: 0 · Weiß nicht: 1 (n = 3)"
    )
    await mod.close_round(questions)
    await expect(question_row.locator(".compare > *")).to_have_text(["Verwaltung: Ja, umgesetzt"])
    await expect(projector.page.get_by_role("list", name="Antworten")).to_be_visible()
    await expect(projector.page.get_by_role("list", name="Kategorien")).to_be_hidden()
    await projector.checkpoint("Einzelfragen mit Verwaltung")

    # Nothing above needed a reload: the projector and the phones followed by themselves.
    for person in [projector, *phones]:
        await person.page_was_not_reloaded()

    # The small groups' results: the moderator notes a measure, a scribe a strength.
    await mod.add_note(
        ZB,
        "Maßnahmen",
        "Begegnungscafé im Stadtteilzentrum",
        responsible="Quartiersmanagement",
        timeframe="ab Herbst",
    )
    scribe_link = await mod.create_scribe_link()
    await mod.checkpoint("Protokoll-Link", focus=mod.page.get_by_label("Protokoll-Link"))
    scribe = await Scribe.arrive(browsing, "Protokoll", scribe_link)
    await scribe.add_note(KK, "Stärken", "Schnelle Reaktion auf Gerüchte in sozialen Medien")
    await scribe.checkpoint("Notiz gespeichert")
    await mod.page.goto(mod.workshop_url)
    await expect(mod.page.locator("section.notes-field")).to_contain_text(
        ["Begegnungscafé im Stadtteilzentrum", "Schnelle Reaktion auf Gerüchte"]
    )
    await mod.checkpoint("Kontrollansicht am Ende", full_page=True)
