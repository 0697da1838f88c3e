"""The people of a journey, as page objects: what they do, in their words.

Each actor owns one browser context (own cookies) and knows only the visible page: labels,
button texts and headings, as a person would find them. A journey reads as a storyboard:

    moderator = await Moderator.arrive(browsing, moderator_account)
    link = await moderator.invite("Anna Amt", "Sozialamt")
    anna = await StaffMember.arrive(browsing, "Anna", link, PHONE)
    await anna.answer("MS-01", "Ja, umgesetzt")

The workshop adds a participant on a phone, the projector and the moderator's workshop
controls in the same style:

    code = await moderator.create_workshop("Workshop Journeyhausen")
    ada = await Participant.join(browsing, "Ada", code, group="Verwaltung")
    await moderator.open_round(await moderator.prepare_round("mood"))
    await ada.vote("ZB", "3 – Auf dem Weg")
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from playwright._impl._async_base import AsyncEventContextManager  # the public return type
from playwright.async_api import Locator, Page, Response, expect

from tests.browser.browsing import DESKTOP, PHONE, PROJECTOR, Browsing, Device

SAVED = "Gespeichert"
NOT_SAVED_RETRYING = "Nicht gespeichert – erneut versuchen"
VOTE_SAVED = "Ihre Stimme ist gespeichert."
VOTE_NOT_YET_SAVED = "Noch nicht gespeichert – keine Verbindung. Neuer Versuch läuft automatisch"
NO_ROUND_RUNNING = "Gerade läuft keine Abstimmung."
ROUND_KIND_LABELS = {
    "mood": "Stimmungsbild: alle Handlungsfelder auf einer Seite",
    "field": "Ein Handlungsfeld in den vier Kategorien",
    "questions": "Ausgewählte Fragen eines Handlungsfelds",
}


@dataclass(frozen=True)
class Account:
    email: str
    password: str


@dataclass
class Actor:
    browsing: Browsing
    who: str
    page: Page
    _mark: str = field(default="", init=False, repr=False)

    async def checkpoint(
        self, step: str, *, focus: Locator | None = None, full_page: bool = False
    ) -> None:
        await self.browsing.checkpoint(self.page, step, focus=focus, full_page=full_page)

    async def sees_notice(self, text: str) -> None:
        await expect(self.page.locator(".notice").filter(has_text=text)).to_be_visible()

    async def log_in(self, account: Account) -> None:
        await self.page.goto("/anmelden")
        await self.page.get_by_label("E-Mail-Adresse").fill(account.email)
        await self.page.get_by_label("Passwort").fill(account.password)
        await self.checkpoint("Anmeldung")
        await self.page.get_by_role("button", name="Anmelden").click()
        await expect(self.page.get_by_role("heading", name="Ihre Kommunen")).to_be_visible()

    async def mark_page(self) -> None:
        """Leaves a mark in the loaded document; a reload or navigation would wipe it."""
        self._mark = secrets.token_hex(8)
        await self.page.evaluate("mark => { window.selfcheckTestMark = mark; }", self._mark)

    async def page_was_not_reloaded(self) -> None:
        mark = await self.page.evaluate("() => window.selfcheckTestMark")
        assert mark == self._mark, f"{self.who}: die Seite wurde neu geladen"


@dataclass
class Moderator(Actor):
    municipality_url: str = ""
    assessment_url: str = ""

    workshop_url: str = ""

    @classmethod
    async def arrive(cls, browsing: Browsing, account: Account) -> Moderator:
        moderator = cls(browsing, "Moderation", await browsing.open("Moderation", DESKTOP))
        await moderator.log_in(account)
        return moderator

    async def create_municipality(self, name: str, population: str = "") -> None:
        await self.page.goto("/moderation")
        await self.page.get_by_label("Name der Kommune").fill(name)
        await self.page.get_by_label("Einwohnerzahl").fill(population)
        await self.page.get_by_role("button", name="Kommune anlegen").click()
        await expect(self.page.get_by_role("heading", level=1, name=name)).to_be_visible()
        await self.sees_notice(f"Die Kommune „{name}“ ist angelegt.")
        self.municipality_url = self.page.url

    async def create_assessment(self, title: str) -> None:
        await self.page.get_by_label("Titel").fill(title)
        await self.page.get_by_role("button", name="Selbstcheck anlegen").click()
        await expect(self.page.get_by_role("heading", level=1, name=title)).to_be_visible()
        self.assessment_url = self.page.url

    async def invite(self, name: str, department: str = "", *, coordinator: bool = False) -> str:
        """Invites a colleague and returns the personal link, which the page shows only once."""
        await self.page.get_by_label("Name", exact=True).fill(name)
        await self.page.get_by_label("Abteilung oder Funktion").fill(department)
        await self.page.get_by_label("Koordination").set_checked(coordinator)
        await self.page.get_by_role("button", name="Einladen und Link erzeugen").click()
        link_box = self.page.get_by_label("Link", exact=True)
        await expect(
            self.page.get_by_role("heading", name=f"Persönlicher Link für {name}")
        ).to_be_visible()
        link = await link_box.input_value()
        server = re.escape(self.browsing.server.base_url)
        assert re.fullmatch(rf"{server}/s/[\w-]{{20,}}", link), link
        return link

    async def open_assessment(self) -> None:
        await self.page.goto(self.assessment_url)

    async def submit_questionnaire(self) -> None:
        await self.open_assessment()
        await self.page.locator("summary", has_text="Fragebogen abschließen").click()
        await self.page.get_by_role("button", name="Ja, Fragebogen abschließen").click()
        await self.sees_notice("Der Fragebogen ist abgeschlossen")

    # The workshop's control view: /moderation/workshops/{id}

    async def create_workshop(self, title: str, *, min_votes: int = 3) -> str:
        """Creates a workshop on the assessment page; returns the join code as shown."""
        await self.open_assessment()
        await self.page.locator("summary", has_text="Workshop anlegen").click()
        form = self.page.locator("form", has=self.page.get_by_label("Titel", exact=True))
        await form.get_by_label("Titel", exact=True).fill(title)
        await form.get_by_label("Ergebnisse erst ab so vielen Stimmen zeigen").fill(str(min_votes))
        await form.get_by_role("button", name="Workshop anlegen").click()
        await expect(
            self.page.get_by_role("heading", level=1, name=f"Workshop: {title}")
        ).to_be_visible()
        await self.sees_notice(f"Der Workshop „{title}“ ist angelegt.")
        self.workshop_url = self.page.url
        code = (await self.page.locator(".join-code").inner_text()).strip()
        assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code), code
        return code

    async def open_control_view(self) -> None:
        if self.page.url != self.workshop_url:
            await self.page.goto(self.workshop_url)

    async def prepare_round(
        self, kind: str, *, field: str = "", questions: tuple[str, ...] = ()
    ) -> str:
        """Prepares a round ("mood", "field" or "questions"); returns its title."""
        await self.open_control_view()
        await self.page.get_by_label(ROUND_KIND_LABELS[kind], exact=True).check()
        if field:
            await self.page.get_by_role("combobox", name="Handlungsfeld").select_option(label=field)
        if questions:
            await self.page.locator("summary", has_text="Fragen auswählen").click()
            for question_id in questions:
                await self.page.get_by_role(
                    "checkbox", name=re.compile(rf"^{re.escape(question_id)} ")
                ).check()
        await self.page.get_by_role("button", name="Runde vorbereiten").click()
        notice = self.page.locator(".notice").filter(has_text="ist vorbereitet")
        await expect(notice).to_be_visible()
        title = re.search(r"„(.+)“", await notice.inner_text())
        assert title, await notice.inner_text()
        return title.group(1)

    def round_row(self, title: str) -> Locator:
        # The rounds table, not the table of trial marks below it.
        rows = self.page.locator("table:not(.trial-table)").get_by_role("row")
        return rows.filter(has=self.page.get_by_role("cell", name=title, exact=True))

    async def open_round(self, title: str) -> None:
        await self.open_control_view()
        await self.round_row(title).get_by_role("button", name=re.compile("^Öffnen")).click()
        await self.sees_notice(f"Die Runde „{title}“ ist geöffnet.")
        await expect(self.round_row(title)).to_contain_text("läuft")

    async def close_round(self, title: str) -> None:
        await self.open_control_view()
        row = self.round_row(title)
        await row.locator("summary", has_text="Schließen").click()
        await row.get_by_role("button", name="Ja, schließen").click()
        await self.sees_notice(f"Die Runde „{title}“ ist geschlossen")
        await expect(self.round_row(title)).to_contain_text("geschlossen")

    async def add_note(self, field: str, kind: str, text: str, **measure: str) -> None:
        """A small group's note; a measure may name `responsible` and `timeframe`."""
        await add_note(self, field, kind, text, **measure)

    async def live_state(self) -> Any:
        """The workshop's live totals as JSON, as the projector polls them without a stream."""
        response = await self.page.request.get(f"{self.workshop_url}/stand")
        assert response.ok, response.status
        return await response.json()

    async def create_scribe_link(self) -> str:
        await self.open_control_view()
        await self.page.get_by_role("button", name="Link für die Protokollführung erzeugen").click()
        link = await self.page.get_by_label("Protokoll-Link").input_value()
        server = re.escape(self.browsing.server.base_url)
        assert re.fullmatch(rf"{server}/protokoll/[\w-]{{20,}}", link), link
        return link


async def add_note(actor: Actor, field: str, kind: str, text: str, **measure: str) -> None:
    """Fills in the note form of one field (the control view and the scribe page share it)."""
    section = actor.page.locator("section.notes-field").filter(
        has=actor.page.get_by_role("heading", name=field, exact=True)
    )
    await section.locator("summary").click()
    await section.get_by_label("Art").select_option(label=kind)
    await section.get_by_label("Text").fill(text)
    if "responsible" in measure:
        await section.get_by_label("Verantwortlich").fill(measure["responsible"])
    if "timeframe" in measure:
        await section.get_by_label("Zeitraum").fill(measure["timeframe"])
    await section.get_by_role("button", name="Notiz speichern").click()
    await actor.sees_notice("Die Notiz ist gespeichert.")
    await expect(
        actor.page.locator("section.notes-field")
        .filter(has=actor.page.get_by_role("heading", name=field, exact=True))
        .get_by_role("listitem")
        .filter(has_text=text)
    ).to_be_visible()


@dataclass
class Scribe(Actor):
    """Takes the minutes of the small groups through the scribe link, without an account."""

    @classmethod
    async def arrive(cls, browsing: Browsing, who: str, link: str) -> Scribe:
        scribe = cls(browsing, who, await browsing.open(who, DESKTOP))
        await scribe.page.goto(link)
        await expect(scribe.page.get_by_role("heading", level=1)).to_contain_text("Protokoll")
        return scribe

    async def add_note(self, field: str, kind: str, text: str, **measure: str) -> None:
        await add_note(self, field, kind, text, **measure)


@dataclass
class Participant(Actor):
    """Someone in the room with a phone: joins with the code from the projector, votes."""

    @classmethod
    async def join(
        cls,
        browsing: Browsing,
        who: str,
        code: str,
        *,
        group: str = "",
        checkpoints: bool = True,
        device: Device = PHONE,
    ) -> Participant:
        """`checkpoints=False` for the second and third person through the same pages."""
        participant = cls(browsing, who, await browsing.open(who, device))
        page = participant.page
        await page.goto("/teilnehmen")
        await page.get_by_label("Code von der Leinwand").fill(code)
        if checkpoints:
            await participant.checkpoint("Code eingegeben")
        await page.get_by_role("button", name="Weiter").click()
        await page.get_by_label(group or "Keine Angabe", exact=True).check()
        if checkpoints:
            await participant.checkpoint("Beitreten")
        await page.get_by_role("button", name="Teilnehmen").click()
        await expect(page.locator("#round-area")).to_be_visible()
        await participant.mark_page()
        return participant

    @property
    def round_area(self) -> Locator:
        return self.page.locator("#round-area")

    @property
    def connection_state(self) -> Locator:
        return self.page.locator("#connection-state")

    def item(self, key: str) -> Locator:
        """The vote form of one field (mood, field round) or question (question round)."""
        return self.page.locator(f'.vote-item[data-item="{key}"]')

    def vote_status(self, key: str) -> Locator:
        return self.item(key).locator(".vote-status")

    async def vote(self, key: str, label: str) -> None:
        """Taps the answer's label, as one does on a phone, and waits for the confirmation."""
        await self.tap(key, label)
        await expect(self.vote_status(key)).to_have_text(VOTE_SAVED)

    async def vote_on_each(self, votes: dict[str, str]) -> None:
        """Taps one answer per item in quick succession, then waits for every confirmation."""
        for key, label in votes.items():
            await self.tap(key, label)
        for key in votes:
            await expect(self.vote_status(key)).to_have_text(VOTE_SAVED)

    def step_dot(self, key: str) -> Locator:
        """The progress dot of a field or question on the screen shown now."""
        return self.page.locator(f'.step:not([hidden]) [data-dot="{key}"]')

    def card(self, key: str, label: str) -> Locator:
        title = self.page.locator(".choice-title", has_text=re.compile(rf"^{re.escape(label)}$"))
        return self.item(key).locator("label.choice-card").filter(has=title)

    async def go_to(self, key: str) -> None:
        """One field (or question) per screen: moves there by its progress dot."""
        if not await self.item(key).is_visible():
            await self.step_dot(key).click()
        await expect(self.item(key)).to_be_visible()

    async def tap(self, key: str, label: str) -> None:
        await self.go_to(key)
        await self.card(key, label).click()
        await expect(self.item(key).get_by_label(label, exact=True)).to_be_checked()

    async def sees_round(self, title: str) -> None:
        await expect(self.round_area.get_by_role("heading", level=2)).to_have_text(title)

    async def sees_no_round(self) -> None:
        await expect(self.round_area).to_contain_text(NO_ROUND_RUNNING)


@dataclass
class Projector(Actor):
    """The big screen in the room, driven by the moderator's account in a browser of its own."""

    @classmethod
    async def arrive(
        cls, browsing: Browsing, account: Account, workshop_url: str, device: Device = PROJECTOR
    ) -> Projector:
        who = "Leinwand" if device == PROJECTOR else f"Leinwand {device.width}x{device.height}"
        projector = cls(browsing, who, await browsing.open(who, device))
        await projector.log_in(account)
        await projector.page.goto(f"{workshop_url}/leinwand")
        await expect(projector.page.get_by_role("heading", level=1)).to_be_visible()
        await projector.mark_page()
        return projector

    @property
    def live_area(self) -> Locator:
        return self.page.locator('[data-live="round"]')

    @property
    def counts(self) -> Locator:
        return self.page.locator(".projector-voters")

    def item(self, label: str) -> Locator:
        """One field's (or question's) row: its title, the distribution, the comparison."""
        return self.live_area.locator(".item").filter(
            has=self.page.get_by_role("heading", name=label, exact=True)
        )

    def distribution(self, label: str) -> Locator:
        return self.item(label).locator(".dist p")

    def comparison(self, label: str) -> Locator:
        """The badges beside the distribution: workshop, administration, difference."""
        return self.item(label).locator(".compare > *")

    async def fits_on_screen(self) -> None:
        """Everything is on the screen at once: nobody can scroll a projector."""
        overflow = await self.page.evaluate(
            "() => document.documentElement.scrollHeight - window.innerHeight"
        )
        assert overflow <= 0, f"die Leinwand ist {overflow} px zu hoch"


@dataclass
class StaffMember(Actor):
    link: str = ""

    @classmethod
    async def arrive(
        cls, browsing: Browsing, who: str, link: str, device: Device = DESKTOP
    ) -> StaffMember:
        page = await browsing.open(who, device)
        member = cls(browsing, who, page, link)
        await page.goto(link)
        await expect(
            page.get_by_role("heading", name="Handlungsfelder und Bearbeitungsstand")
        ).to_be_visible()
        return member

    async def open_field(self, field_id: str) -> None:
        await self.page.goto(f"{self.link}/felder/{field_id}")
        await expect(self.page.locator(".question").first).to_be_visible()

    def question(self, question_id: str) -> Locator:
        return self.page.locator(f"#frage-{question_id}")

    def choice(self, question_id: str, label: str) -> Locator:
        return self.question(question_id).get_by_label(label, exact=True)

    def comment_box(self, question_id: str) -> Locator:
        return self.page.get_by_label(f"Kommentar zu {question_id}")

    def status(self, question_id: str) -> Locator:
        return self.page.locator(f"#status-{question_id}")

    async def answer(self, question_id: str, label: str) -> None:
        await self.choice(question_id, label).check()

    async def answer_whole_field(self, field_id: str, label: str) -> None:
        """Gives every question of a field the same answer and waits for each autosave."""
        await self.open_field(field_id)
        questions = self.page.locator(".question")
        for n in range(await questions.count()):
            await questions.nth(n).get_by_label(label, exact=True).check()
        for n in range(await questions.count()):
            await expect(questions.nth(n).locator('[id^="status-"]')).to_have_text(SAVED)

    async def write_comment(self, question_id: str, comment: str) -> None:
        await self.comment_box(question_id).fill(comment)

    def autosave_of(self, question_id: str) -> AsyncEventContextManager[Response]:
        """Waits for the autosave request of one question (`async with`)."""
        return self.page.expect_response(
            lambda response: (
                response.request.method == "POST"
                and response.url.endswith(f"/antworten/{question_id}")
            )
        )

    async def sees_saved(self, question_id: str) -> None:
        await expect(self.status(question_id)).to_have_text(SAVED)

    async def sees_conflict_with(self, question_id: str, other: str, their_answer: str) -> Locator:
        conflict = self.question(question_id).locator(".conflict")
        await expect(conflict).to_be_visible()
        await expect(conflict).to_contain_text("Nicht gespeichert")
        await expect(conflict).to_contain_text(other)
        await expect(conflict).to_contain_text(their_answer)
        return conflict

    async def keep_mine(self, question_id: str) -> None:
        await (
            self.question(question_id).get_by_role("button", name="Meine Antwort speichern").click()
        )

    async def take_theirs(self, question_id: str) -> None:
        await (
            self.question(question_id)
            .get_by_role("button", name="Andere Antwort übernehmen")
            .click()
        )


@dataclass(frozen=True)
class PreparedAssessment:
    """A municipality with a fresh questionnaire and two invited colleagues (fixture
    `prepared`), for tests that start after the moderator's part of the journey."""

    moderator: Moderator
    coordinator_link: str  # Anna Amt, Sozialamt, may submit
    colleague_link: str  # Bernd Bürger, Integrationsrat


@dataclass(frozen=True)
class OpenWorkshop:
    """A workshop of a prepared assessment with a Stimmungsbild open for votes (fixture
    `open_workshop`), for tests of the participant's page."""

    moderator: Moderator
    code: str
    round_title: str
