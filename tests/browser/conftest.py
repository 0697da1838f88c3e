"""Browser tests: the real server in a subprocess, driven by the operating system's Chromium.

Playwright's own browser download does not work here, so Chromium comes from Debian
(`.ci/run` installs it). Without it the tests are skipped locally with a clear reason; in CI
(`CI=true`) a missing browser is an error, so that the gate cannot silently disappear.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright, expect

from tests.browser.actors import Account, Moderator, OpenWorkshop, PreparedAssessment
from tests.browser.browsing import Browsing
from tests.live_server import ServerProcess

CHROMIUM = Path(os.environ.get("SELFCHECK_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    reason = (
        f"Chromium fehlt unter {CHROMIUM}: `apt-get install chromium` "
        "(oder SELFCHECK_TEST_CHROMIUM auf ein Chromium setzen)"
    )
    if IN_CI:
        pytest.fail(f"Browser-Tests in CI ohne Browser: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        await browser.close()


@pytest.fixture(scope="session")
def live_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """One server for all browser tests, on a SQLite file of its own (not the test session's
    database): the browser tests set up everything through the pages."""
    data_dir = tmp_path_factory.mktemp("live-server")
    with ServerProcess(f"sqlite+aiosqlite:///{data_dir / 'selfcheck.db'}", data_dir) as server:
        yield server


@pytest.fixture
def moderator(live_server: ServerProcess) -> Account:
    """A moderator account per test, created with `selfcheck user add` like an operator
    does. One per test: the server allows ten logins per account in five minutes, and the
    browser tests together log in more often than that."""
    email = f"moderation-{secrets.token_hex(4)}@kreis.example"
    account = Account(email, "Moderation-" + secrets.token_hex(8))
    live_server.add_user(account.email, account.password)
    return account


@pytest.fixture
async def browsing(
    browser: Browser, live_server: ServerProcess, request: pytest.FixtureRequest
) -> AsyncIterator[Browsing]:
    session = Browsing(browser, live_server, request.node.name)
    try:
        yield session
    finally:
        await session.close()


@pytest.fixture
async def prepared(browsing: Browsing, moderator: Account) -> PreparedAssessment:
    """Set up through the moderator's pages, as in the journey (no shortcuts into the DB)."""
    mod = await Moderator.arrive(browsing, moderator)
    await mod.create_municipality(f"Teststadt {secrets.token_hex(3)}")
    await mod.create_assessment("Selbstcheck 2026")
    anna = await mod.invite("Anna Amt", "Sozialamt", coordinator=True)
    bernd = await mod.invite("Bernd Bürger", "Integrationsrat")
    return PreparedAssessment(mod, anna, bernd)


@pytest.fixture
async def open_workshop(prepared: PreparedAssessment) -> OpenWorkshop:
    mod = prepared.moderator
    code = await mod.create_workshop("Workshop Teststadt")
    round_title = await mod.prepare_round("mood")
    await mod.open_round(round_title)
    return OpenWorkshop(mod, code, round_title)
