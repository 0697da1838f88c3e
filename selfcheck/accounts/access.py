"""Who may see what: admins see every municipality, moderators only those assigned to them.
Everything a user may not see answers "not found", so ids reveal nothing."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from selfcheck.db.models import Assessment, Municipality, MunicipalityModerator, User, Workshop
from selfcheck.errors import NotFound


def _visible(user: User) -> Select[Municipality]:
    query = select(Municipality)
    if not user.is_admin:
        query = query.join(MunicipalityModerator).where(MunicipalityModerator.user_id == user.id)
    return query


async def visible_municipalities(session: AsyncSession, user: User) -> list[Municipality]:
    result = await session.execute(_visible(user).order_by(Municipality.name))
    return list(result.scalars())


async def municipality_for(
    session: AsyncSession, user: User, municipality_id: int, *load: ORMOption
) -> Municipality:
    """`load`: relations the caller needs, loaded in the same query (e.g. `selectinload`)."""
    query = _visible(user).where(Municipality.id == municipality_id).options(*load)
    result = await session.execute(query)
    municipality = result.scalar_one_or_none()
    if municipality is None:
        raise NotFound()
    return municipality


async def assessment_for(
    session: AsyncSession, user: User, assessment_id: int, *load: ORMOption
) -> Assessment:
    query = select(Assessment).where(Assessment.id == assessment_id).options(*load)
    assessment = await session.scalar(query)
    if assessment is None:
        raise NotFound()
    await municipality_for(session, user, assessment.municipality_id)
    return assessment


async def workshop_for(session: AsyncSession, user: User, workshop_id: int) -> Workshop:
    workshop = await session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound()
    await assessment_for(session, user, workshop.assessment_id)
    return workshop
