from __future__ import annotations

from dataclasses import dataclass

import pytest

from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Municipality
from selfcheck.questionnaire.registry import DEFAULT_QUESTIONNAIRE_ID, QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from tests.conftest import World

# These tests save and list answers to questions of version 2026.1 (MS-02, KK-02, IO-01),
# so their assessments stay pinned to it; the newest version is covered where it matters
# (questionnaire rules, the demo).
PINNED_VERSION = "2026.1"


@pytest.fixture
def world_questionnaire(registry: QuestionnaireRegistry) -> Questionnaire:
    return registry.get(DEFAULT_QUESTIONNAIRE_ID, PINNED_VERSION)


@pytest.fixture
def questionnaire(world_questionnaire: Questionnaire) -> Questionnaire:
    return world_questionnaire


@pytest.fixture
async def assessment(database: Database, questionnaire: Questionnaire) -> Assessment:
    async with database.writing() as session:
        assessment = Assessment(
            municipality=Municipality(name="Teststadt"),
            title="Selbstcheck 2026",
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
        )
        session.add(assessment)
    return assessment


@dataclass(frozen=True)
class StaffLinks:
    anna: str  # coordinator
    bernd: str


@pytest.fixture
async def staff(database: Database, world: World) -> StaffLinks:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        _, anna = await invite(session, assessment, "Anna Amt", "Sozialamt", is_coordinator=True)
        _, bernd = await invite(session, assessment, "Bernd Bürger", "Integrationsrat")
    return StaffLinks(f"/s/{anna}", f"/s/{bernd}")
