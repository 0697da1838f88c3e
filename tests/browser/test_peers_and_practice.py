"""The view across municipalities, "Ihre Kommune im Vergleich" and "So machen es andere",
looked at in a phone, a laptop and an old 4:3 beamer's size (screenshots and axe-core)."""

from __future__ import annotations

from playwright.async_api import expect
from sqlalchemy import select

from selfcheck.assessments.setup import create_assessment, create_municipality, submit
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, User
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import PROJECT_ROOT
from tests.browser.actors import Account, Moderator
from tests.browser.browsing import BEAMER_4_3, LAPTOP, PHONE_390, Browsing
from tests.live_server import ServerProcess
from tests.reporting.builders import (
    RoundSpec,
    WorkshopSpec,
    answers_for,
    seed_workshop,
    write_answers,
)

ANSWERS = [
    {"MS": "nein", "IO": "ja", "FZ": "teilweise", "AW": "ja", "EB": "teilweise", "ZB": "ja",
     "KK": "nein"},
    {"MS": "teilweise", "IO": "nein", "FZ": "ja", "AW": "teilweise", "EB": "ja", "ZB": "ja",
     "KK": "teilweise"},
]  # fmt: skip
ROOM = WorkshopSpec(
    rounds=[RoundSpec("mood", {"MS": ["2", "3", "3", "4"], "IO": ["1", "2", "2", "3"]})]
)


async def _six_municipalities(server: ServerProcess, email: str) -> int:
    """Six submitted assessments of the moderator; returns the first one's id."""
    questionnaire = QuestionnaireRegistry.load_dir(PROJECT_ROOT / "questionnaires").latest()
    database = Database.connect(server.database_url)
    ids: list[int] = []
    try:
        for number in range(6):
            async with database.writing() as session:
                user = (await session.execute(select(User).where(User.email == email))).scalar_one()
                municipality = await create_municipality(session, user, f"Vergleichsort {number}")
                assessment = await create_assessment(session, municipality, questionnaire, "2026")
            answers = answers_for(questionnaire, ANSWERS[number % 2])
            await write_answers(database, assessment, questionnaire, answers)
            await seed_workshop(database, assessment, questionnaire, ROOM)
            async with database.writing() as session:
                stored = await session.get(Assessment, assessment.id)
                assert stored is not None
                submit(stored, "Test")
            ids.append(assessment.id)
    finally:
        await database.dispose()
    return ids[0]


async def test_comparison_and_practice_examples_at_three_sizes(
    browsing: Browsing, live_server: ServerProcess, moderator: Account
) -> None:
    first = await _six_municipalities(live_server, moderator.email)
    for device in (PHONE_390, LAPTOP, BEAMER_4_3):
        who = f"Moderation {device.name}"
        mod = Moderator(browsing, who, await browsing.open(who, device))
        await mod.log_in(moderator)
        page = mod.page
        await page.get_by_role("link", name="Kommunen im Vergleich").click()
        await expect(
            page.get_by_role("heading", level=1, name="Kommunen im Vergleich")
        ).to_be_visible()
        for number in range(6):
            await expect(page.get_by_text(f"Vergleichsort {number}")).to_have_count(0)
        await mod.checkpoint("Kommunen im Vergleich")
        await mod.checkpoint(
            "Kommunen im Vergleich, Workshops", focus=page.locator("#titel-workshop")
        )

        await page.goto(f"/moderation/selbstchecks/{first}/bericht")
        section = page.locator("#vergleich")
        if await section.get_by_role("button", name="Vergleich in den Bericht aufnehmen").count():
            await section.get_by_role("button", name="Vergleich in den Bericht aufnehmen").click()
        await expect(page.locator("#vergleich")).to_contain_text("Anteil der anderen Kommunen")
        await mod.checkpoint("Ihre Kommune im Vergleich", focus=page.locator("#vergleich-titel"))

        examples = page.locator("#feld-MS .practice-examples")
        await examples.locator("summary").first.click()
        await expect(examples.locator("details").first).to_have_attribute("open", "")
        await mod.checkpoint("So machen es andere", focus=examples)
