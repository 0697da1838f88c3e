"""Setting up municipalities and assessments, and submitting or reopening an assessment."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from selfcheck.db.models import Assessment, Municipality, MunicipalityModerator, User, utcnow
from selfcheck.errors import InvalidInput, NotAllowed
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.text_input import SHORT_TEXT_MAX, required_text
from selfcheck.vocabulary import AssessmentStatus

_OFFICIAL_KEY = re.compile(r"^\d{8}$")


async def create_municipality(
    session: AsyncSession,
    creator: User,
    name: str,
    official_key: str = "",
    population: int | None = None,
) -> Municipality:
    """The creating moderator is assigned to the new municipality at once."""
    name = required_text(
        name, SHORT_TEXT_MAX, what="Der Name", missing="Bitte geben Sie den Namen der Kommune an."
    )
    official_key = official_key.strip().replace(" ", "")
    if official_key and not _OFFICIAL_KEY.match(official_key):
        raise InvalidInput("Der Amtliche Gemeindeschlüssel besteht aus genau 8 Ziffern.")
    if population is not None and not 0 < population < 100_000_000:
        raise InvalidInput("Die Einwohnerzahl muss eine positive ganze Zahl sein.")
    municipality = Municipality(name=name, official_key=official_key or None, population=population)
    session.add(municipality)
    await session.flush()
    if not creator.is_admin:
        session.add(MunicipalityModerator(municipality_id=municipality.id, user_id=creator.id))
    return municipality


async def assign_moderator(session: AsyncSession, municipality: Municipality, user: User) -> None:
    existing = await session.get(MunicipalityModerator, (municipality.id, user.id))
    if existing is None:
        session.add(MunicipalityModerator(municipality_id=municipality.id, user_id=user.id))


async def create_assessment(
    session: AsyncSession, municipality: Municipality, questionnaire: Questionnaire, title: str
) -> Assessment:
    title = required_text(
        title, SHORT_TEXT_MAX, what="Der Titel", missing="Bitte geben Sie einen Titel an."
    )
    assessment = Assessment(
        municipality_id=municipality.id,
        title=title,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
    )
    session.add(assessment)
    await session.flush()
    return assessment


async def assessments_of(session: AsyncSession, municipality: Municipality) -> list[Assessment]:
    """Newest first: the newest assessment is the default."""
    result = await session.execute(
        select(Assessment)
        .where(Assessment.municipality_id == municipality.id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
    )
    return list(result.scalars())


async def loaded_assessment(
    session: AsyncSession, assessment_id: int, *load: ORMOption
) -> Assessment | None:
    """No access check: for the demo and for callers that checked access already."""
    return await session.scalar(
        select(Assessment).where(Assessment.id == assessment_id).options(*load)
    )


def submit(assessment: Assessment, submitted_by: str) -> None:
    if assessment.is_submitted:
        raise NotAllowed("Der Fragebogen ist bereits abgeschlossen.")
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    assessment.submitted_by = submitted_by


def reopen(assessment: Assessment) -> None:
    if not assessment.is_submitted:
        raise NotAllowed("Der Fragebogen ist nicht abgeschlossen.")
    assessment.status = AssessmentStatus.OPEN
    assessment.submitted_at = None
    assessment.submitted_by = None


async def delete_municipality(
    session: AsyncSession, municipality: Municipality, confirmation: str
) -> None:
    """Delete the municipality with everything in it: assessments, answers and their
    history, invitations, workshops with participants, votes, counts and notes (the
    database cascades). Only if `confirmation` is its exact name, against slips."""
    if confirmation.strip() != municipality.name:
        raise InvalidInput(
            f"Zur Bestätigung geben Sie bitte den Namen der Kommune genau so ein, wie er "
            f"oben steht: „{municipality.name}“. Es wurde nichts gelöscht."
        )
    await session.execute(delete(Municipality).where(Municipality.id == municipality.id))
