"""The projector in a real room: old beamers (1024×768, 1280×720) and full HD.

A seven-field Stimmungsbild with votes must fit on one screen (nobody can scroll a
projector), every text a participant reads must be at least 2.2 % of the screen height,
and the QR code can be shown large enough to scan from the middle of a hall.
Screenshots: test-artifacts/screenshots/<test name>/.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.async_api import Page, expect

from tests.browser.actors import Account, Moderator, PreparedAssessment, Projector
from tests.browser.browsing import ALL_SIZES, LAPTOP, PROJECTOR_SIZES, Browsing, Device
from tests.live_server import ServerProcess

MOOD_TITLE = "Stimmungsbild: alle Handlungsfelder"
MIN_TEXT_SHARE = 0.022  # of the viewport height
FIELDS = ("MS", "IO", "FZ", "AW", "EB", "ZB", "KK")
# Four phones, every field rated, the categories spread so that every segment shows.
VOTES = (
    dict(zip(FIELDS, "1234123", strict=True)),
    dict(zip(FIELDS, "2341234", strict=True)),
    dict(zip(FIELDS, "3412341", strict=True)),
    dict(zip(FIELDS, "4123412", strict=True)),
)

# Every text node a person can see: its font size, the smallest first. Screen-reader-only
# text (the hidden data table) and hidden elements have no box on the screen.
SMALLEST_TEXT_JS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || element.closest(".visually-hidden")) continue;
    const style = getComputedStyle(element);
    if (style.visibility !== "visible" || Number(style.opacity) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = Array.from(range.getClientRects()).filter(b => b.width > 1 && b.height > 1);
    if (!boxes.length) continue;
    found.push({size: parseFloat(style.fontSize), text: text.slice(0, 50)});
  }
  found.sort((a, b) => a.size - b.size);
  return found.slice(0, 3);
}"""


@pytest.fixture
def moderator(live_server: ServerProcess) -> Account:
    """An account per test: the login limit (ten in five minutes per account) must not be
    used up by the screens of this module, which sign in once each."""
    account = Account(f"leinwand-{secrets.token_hex(4)}@kreis.example", secrets.token_hex(12))
    live_server.add_user(account.email, account.password)
    return account


async def _vote_by_phone(browsing: Browsing, who: str, code: str, votes: dict[str, str]) -> None:
    """A participant through the plain form posts (as without JavaScript): join, then vote."""
    page = await browsing.open(who)
    code = code.replace("-", "")
    assert (await page.request.get(f"/w/{code}")).ok
    token = next(c["value"] for c in await page.context.cookies() if c["name"] == "selfcheck_csrf")
    joined = await page.request.post(f"/w/{code}/beitreten", form={"_csrf_token": token})
    assert joined.ok, await joined.text()
    state = await page.request.get(f"/w/{code}/stand")
    round_id = (await state.json())["round_id"]
    for field, value in votes.items():
        response = await page.request.post(
            f"/w/{code}/stimme",
            form={
                "_csrf_token": token,
                "round_id": str(round_id),
                "item_key": field,
                "value": value,
            },
            headers={"accept": "application/json"},
        )
        assert response.ok, await response.text()


async def _administration_answers_field(browsing: Browsing, link: str, field: str) -> None:
    """The coordinator answers a whole field "Ja" with the plain form (no JavaScript)."""
    page = await browsing.open("Verwaltung")
    page_html = await (await page.request.get(f"{link}/felder/{field}")).text()
    token = next(c["value"] for c in await page.context.cookies() if c["name"] == "selfcheck_csrf")
    questions = sorted(set(re.findall(rf'name="value_({field}-\d+)"', page_html)))
    form: dict[str, str | float | bool] = {"_csrf_token": token}
    for question in questions:
        form |= {f"value_{question}": "ja", f"version_{question}": "0", f"comment_{question}": ""}
    saved = await page.request.post(f"{link}/felder/{field}", form=form)
    assert saved.ok and "gespeichert" in await saved.text()


@pytest.fixture
async def mood_with_votes(prepared: PreparedAssessment, browsing: Browsing) -> Moderator:
    """A running Stimmungsbild (its title is the moderator's last prepared round); the
    administration rated one field, so that closing shows the longest comparison."""
    await _administration_answers_field(browsing, prepared.coordinator_link, "MS")
    mod = prepared.moderator
    code = await mod.create_workshop("Workshop Beamerstadt", min_votes=3)
    await mod.open_round(await mod.prepare_round("mood"))
    for number, votes in enumerate(VOTES, start=1):
        await _vote_by_phone(browsing, f"Handy {number}", code, votes)
    return mod


async def _fits_and_is_readable(page: Page) -> None:
    overflow = await page.evaluate(
        "() => document.scrollingElement.scrollHeight - window.innerHeight"
    )
    assert overflow <= 0, f"die Leinwand ist {overflow} px zu hoch ({page.viewport_size})"
    height = await page.evaluate("() => window.innerHeight")
    smallest = await page.evaluate(SMALLEST_TEXT_JS)
    assert smallest, "keine sichtbare Schrift gefunden"
    minimum = MIN_TEXT_SHARE * height
    assert smallest[0]["size"] >= minimum - 0.01, (
        f"Schrift {smallest[0]['size']:.1f} px < {minimum:.1f} px (2,2 % von {height} px): "
        f"{smallest}"
    )


async def _projector_at(
    browsing: Browsing, moderator: Account, mod: Moderator, device: Device
) -> Projector:
    """The projector in a browser of its own, signed in with the moderator's session (a
    login per screen size would run into the login rate limit)."""
    who = f"Leinwand {device.width}x{device.height}"
    page = await browsing.open(who, device)
    await page.context.add_cookies(await mod.page.context.cookies())  # type: ignore[arg-type]
    await page.goto(f"{mod.workshop_url}/leinwand")
    projector = Projector(browsing, who, page)
    await expect(projector.live_area.locator(".item")).to_have_count(7)
    await projector.mark_page()
    return projector


async def test_a_seven_field_mood_round_fits_every_beamer_and_stays_readable(
    browsing: Browsing, moderator: Account, mood_with_votes: Moderator
) -> None:
    mod = mood_with_votes
    projectors = [await _projector_at(browsing, moderator, mod, d) for d in PROJECTOR_SIZES]
    for projector in projectors:
        await expect(projector.live_area.locator(".dist-bar")).to_have_count(7)
        await expect(projector.counts).to_contain_text("4 haben abgestimmt")
        await expect(projector.comparison("Management und Steuerung")).to_have_text(
            ["Median der Runde: Kategorie 2"]
        )
        await projector.checkpoint("Stimmungsbild läuft")
        await _fits_and_is_readable(projector.page)

    # Closed: the administration's rating and the gap join every row; still one screen.
    await mod.close_round(MOOD_TITLE)
    for projector in projectors:
        await expect(projector.comparison("Management und Steuerung")).to_have_text(
            ["Median der Runde: Kategorie 2", "Verwaltung: Kategorie 1", "Abweichung (1)"]
        )
        await projector.checkpoint("Stimmungsbild mit Verwaltung")
        await _fits_and_is_readable(projector.page)
        table = projector.page.locator(".visually-hidden table")
        await expect(table.locator("tbody tr")).to_have_count(7)
        await expect(table.locator("caption")).to_contain_text("Ergebnisse: Stimmungsbild")


async def test_the_qr_code_is_shown_large_by_key_and_by_link(
    browsing: Browsing, moderator: Account, mood_with_votes: Moderator
) -> None:
    for device in PROJECTOR_SIZES:
        projector = await _projector_at(browsing, moderator, mood_with_votes, device)
        page = projector.page
        await expect(page.locator(".projector-join .join-code")).to_be_visible()
        await expect(page.locator(".projector-join .short-address")).to_contain_text("127.0.0.1")
        await page.keyboard.press("q")
        big = page.locator("#qr-gross img")
        await expect(big).to_be_visible()
        box = await big.bounding_box()
        assert box is not None and box["height"] >= 0.6 * device.height, box
        await projector.checkpoint("QR-Code groß")
        await _fits_and_is_readable(page)
        await page.keyboard.press("q")
        await expect(big).to_be_hidden()
        await page.get_by_role("link", name="QR-Code zum Mitmachen – groß zeigen (Taste Q)").click()
        await expect(big).to_be_visible()


async def test_the_moderator_hides_the_results_and_reveals_them_live(
    browsing: Browsing, moderator: Account, mood_with_votes: Moderator
) -> None:
    mod = mood_with_votes
    projector = await _projector_at(browsing, moderator, mod, PROJECTOR_SIZES[0])
    await expect(projector.live_area.locator(".dist-bar")).to_have_count(7)
    await mod.open_control_view()
    await mod.page.keyboard.press("e")  # the console's shortcut for "Ergebnisse verbergen"
    await mod.sees_notice("Die Leinwand zeigt nur noch, wie viele abgestimmt haben.")
    await expect(projector.live_area.locator(".dist-bar")).to_have_count(0)
    await expect(projector.live_area.locator(".withheld")).to_have_count(7)
    await expect(projector.live_area.locator(".withheld").first).to_have_text(
        "4 Stimmen – Ergebnis folgt"
    )
    await projector.checkpoint("Ergebnisse verborgen")
    await _fits_and_is_readable(projector.page)
    await mod.page.get_by_role("button", name="Ergebnisse zeigen").click()
    await expect(projector.live_area.locator(".dist-bar")).to_have_count(7)
    await projector.page_was_not_reloaded()


async def test_the_console_bar_closes_after_one_question_and_reopens_by_keyboard(
    browsing: Browsing, mood_with_votes: Moderator
) -> None:
    mod = mood_with_votes
    console = await browsing.open("Moderation Laptop", LAPTOP)
    await console.context.add_cookies(await mod.page.context.cookies())  # type: ignore[arg-type]
    await console.goto(mod.workshop_url)
    bar = console.locator("section.console")
    await expect(bar).to_contain_text("läuft")
    await expect(bar.locator('[data-live="voters"]')).to_have_text("4")
    box = await bar.locator("summary", has_text="Schließen").bounding_box()
    assert box is not None and box["y"] + box["height"] <= LAPTOP.height, box
    await browsing.checkpoint(console, "Konsole, Runde läuft")
    # A shortcut key typed into a text field is text, not a command.
    await console.get_by_role("textbox", name="Titel (optional)").fill("so")
    await expect(bar.locator("details.confirm")).not_to_have_attribute("open", "")
    await console.locator("body").click(position={"x": 5, "y": 300})
    await console.keyboard.press("s")
    confirm = bar.get_by_role("button", name="Ja, schließen")
    await expect(confirm).to_be_focused()
    await browsing.checkpoint(console, "Konsole, Schließen fragt nach")
    await console.keyboard.press("Enter")
    await expect(console.locator(".notice.success")).to_contain_text("ist geschlossen")
    await expect(bar).to_contain_text("geschlossen")
    await console.keyboard.press("w")
    await expect(console.locator(".notice.success")).to_contain_text("ist wieder geöffnet")
    await expect(bar).to_contain_text("läuft")
    await expect(bar.locator('[data-live="voters"]')).to_have_text("4")  # votes kept
    await expect(console.get_by_role("heading", name="Wieder geöffnete Runden")).to_be_visible()
    await browsing.checkpoint(console, "Konsole, wieder geöffnet")


async def test_start_page_console_and_projector_at_every_size(
    browsing: Browsing, moderator: Account, mood_with_votes: Moderator
) -> None:
    """Screenshots at every size someone uses them at, each with the accessibility audit."""
    mod = mood_with_votes
    cookies = await mod.page.context.cookies()
    for device in ALL_SIZES:
        visitor = await browsing.open(f"Start {device.width}x{device.height}", device)
        await visitor.goto("/")
        await expect(visitor.get_by_label("Code von der Leinwand")).to_be_visible()
        await browsing.checkpoint(visitor, "Startseite")
        console = await browsing.open(f"Konsole {device.width}x{device.height}", device)
        await console.context.add_cookies(cookies)  # type: ignore[arg-type]
        await console.goto(mod.workshop_url)
        await expect(console.locator('section.console [data-live="voters"]')).to_have_text("4")
        await browsing.checkpoint(console, "Konsole")
        projector = await _projector_at(browsing, moderator, mod, device)
        await expect(projector.live_area.locator(".dist-bar")).to_have_count(7)
        await projector.checkpoint("Leinwand")
