"""Browser contexts for the people in a journey, and checkpoints: screenshot + axe + errors.

Every page a test looks at goes through `Browsing.checkpoint`, which
- writes a screenshot to `test-artifacts/screenshots/<test>/<nn>-<who>-<step>.png`,
- runs axe-core and fails on violations of impact "serious" or "critical"
  (all violations, milder ones too, are listed in `axe.txt` beside the screenshots),
- fails on uncaught script errors and on Content-Security-Policy violations.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Locator, Page

from tests.browser import axe
from tests.live_server import ServerProcess

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ACTION_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Device:
    name: str
    width: int
    height: int
    is_mobile: bool = False


PHONE = Device("Telefon", 360, 740, is_mobile=True)
DESKTOP = Device("Desktop", 1280, 800)
PROJECTOR = Device("Beamer", 1920, 1080)
# The sizes every page of the live workshop is looked at in (town halls have old beamers).
PHONE_390 = Device("Telefon", 390, 844, is_mobile=True)
LAPTOP = Device("Laptop", 1366, 768)
BEAMER_4_3 = Device("Beamer 4:3", 1024, 768)
BEAMER_720 = Device("Beamer 720p", 1280, 720)
PROJECTOR_SIZES = (BEAMER_4_3, BEAMER_720, PROJECTOR)
ALL_SIZES = (PHONE_390, LAPTOP, *PROJECTOR_SIZES)


GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """ "Übersicht nach Abschluss" -> "uebersicht-nach-abschluss", safe on any file system."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(GERMAN_LETTERS)).strip("-")


@dataclass
class _Watched:
    who: str
    javascript: bool
    errors: list[str] = field(default_factory=list)


class Browsing:
    """Opens one browser context per person; closes them all at the end of the test."""

    def __init__(self, browser: Browser, server: ServerProcess, test_name: str) -> None:
        self.browser = browser
        self.server = server
        self.folder = ARTIFACTS_DIR / slug(test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.step_count = 0
        self._contexts: list[BrowserContext] = []
        self._pages: dict[Page, _Watched] = {}

    async def open(self, who: str, device: Device = DESKTOP, *, javascript: bool = True) -> Page:
        """A fresh browser (own cookies) for one person, with one tab."""
        context = await self.browser.new_context(
            base_url=self.server.base_url,
            viewport={"width": device.width, "height": device.height},
            is_mobile=device.is_mobile,
            has_touch=device.is_mobile,
            java_script_enabled=javascript,
            locale="de-DE",
            timezone_id="Europe/Berlin",
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        self._contexts.append(context)
        page = await context.new_page()
        watched = _Watched(who, javascript)
        self._pages[page] = watched
        page.on("pageerror", lambda error: watched.errors.append(f"Skriptfehler: {error}"))
        page.on("console", lambda message: _note_csp_violation(watched, message))
        return page

    async def checkpoint(
        self,
        page: Page,
        step: str,
        *,
        focus: Locator | None = None,
        full_page: bool = False,
    ) -> Path:
        """Screenshot (scrolled to `focus`), then the accessibility audit, then script errors."""
        watched = self._pages[page]
        self.step_count += 1
        if focus is not None:
            await focus.scroll_into_view_if_needed()
        path = self.folder / f"{self.step_count:02d}-{slug(watched.who)}-{slug(step)}.png"
        # caret="initial": hiding the caret leaves `style=""` on every input, which htmx then
        # copies when it swaps an element, and the CSP rightly blocks that inline style.
        await page.screenshot(path=path, full_page=full_page, caret="initial")
        # axe-core needs the page's script engine; without JavaScript only the layout is
        # checked (the same templates are audited in the JavaScript contexts).
        if watched.javascript:
            await self._audit(page, f"{watched.who}: {step}")
        await self._check_reflow(page, f"{watched.who}: {step}")
        if watched.errors:
            pytest.fail(
                f"Fehler im Browser bei „{watched.who}: {step}“ ({page.url}):\n"
                + "\n".join(watched.errors),
                pytrace=False,
            )
        return path

    async def _audit(self, page: Page, step: str) -> None:
        violations = await axe.audit(page)
        if violations:
            with (self.folder / "axe.txt").open("a", encoding="utf-8") as log:
                log.write(axe.report(step, page.url, violations) + "\n\n")
        serious = axe.failing(violations)
        if serious:
            pytest.fail(axe.report(step, page.url, serious), pytrace=False)

    async def _check_reflow(self, page: Page, step: str) -> None:
        """WCAG 1.4.10: the page fits the viewport's width; nothing needs sideways scrolling."""
        overflowing: list[str] = await page.evaluate(OVERFLOWING_ELEMENTS_JS)
        if overflowing:
            pytest.fail(
                f"Seite breiter als das Fenster bei „{step}“ ({page.url}), "
                "zu breit sind:\n" + "\n".join(f"  - {element}" for element in overflowing),
                pytrace=False,
            )

    async def close(self) -> None:
        for context in self._contexts:
            await context.close()


# The innermost elements that stick out to the right when the document is wider than the
# window (parents of a too-wide element stick out too; naming them would not help).
OVERFLOWING_ELEMENTS_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = Array.from(document.body.querySelectorAll("*")).filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  });
  return wide
    .filter(element => !wide.some(other => other !== element && element.contains(other)))
    .slice(0, 10)
    .map(element => {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + (element.className && typeof element.className === "string"
           ? "." + element.className.trim().split(/\\s+/).join(".") : "");
      const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
      const box = element.getBoundingClientRect();
      return `${name} (rechter Rand ${Math.round(box.right)} px > ${width} px) „${text}“`;
    });
}"""


def _note_csp_violation(watched: _Watched, message: ConsoleMessage) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        watched.errors.append(f"CSP: {message.text}")
