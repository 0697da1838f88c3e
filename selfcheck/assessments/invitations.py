"""Personal links for administration staff. The link is the key: no account, no password.
Only the token's SHA-256 is stored; the plain token is shown once, when it is issued."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from selfcheck.db.models import Assessment, StaffInvitation, User, utcnow
from selfcheck.errors import Gone, InvalidInput, NotFound
from selfcheck.text_input import SHORT_TEXT_MAX, optional_text, required_text
from selfcheck.tokens import hash_token, new_token


def _token_and_hash() -> tuple[str, str]:
    token = new_token()
    return token, hash_token(token)


async def invite(
    session: AsyncSession,
    assessment: Assessment,
    name: str,
    department: str = "",
    expires_at: datetime | None = None,
    is_coordinator: bool = False,
) -> tuple[StaffInvitation, str]:
    """Returns the invitation and its plain token (shown to the moderator once)."""
    name = required_text(
        name, SHORT_TEXT_MAX, what="Der Name", missing="Bitte geben Sie den Namen an."
    )
    department = optional_text(
        department, SHORT_TEXT_MAX, what="Die Angabe zu Abteilung oder Funktion"
    )
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput("Das Ablaufdatum muss in der Zukunft liegen.")
    token, token_hash = _token_and_hash()
    invitation = StaffInvitation(
        assessment_id=assessment.id,
        name=name,
        department=department,
        token_hash=token_hash,
        expires_at=expires_at,
        is_coordinator=is_coordinator,
    )
    session.add(invitation)
    await session.flush()
    return invitation, token


def editor_label(invitation: StaffInvitation, *, pseudonymous: bool = False) -> str:
    """Who changed an answer, as the history shows it. Pseudonymous (a setting of the
    installation): the department only, so the history cannot serve to monitor a person."""
    if pseudonymous:
        return invitation.department or "Verwaltung"
    return (
        f"{invitation.name} ({invitation.department})" if invitation.department else invitation.name
    )


def moderator_label(user: User) -> str:
    """A moderator as the histories (of answers, submissions, measures) name them."""
    return f"Moderation ({user.email})"


async def managed_invitation(session: AsyncSession, invitation_id: int) -> StaffInvitation:
    """An invitation with its assessment as the assessment page shows it (municipality and
    workshops). The caller checks that the moderator may see the assessment."""
    assessment = selectinload(StaffInvitation.assessment)
    invitation = await session.scalar(
        select(StaffInvitation)
        .where(StaffInvitation.id == invitation_id)
        .options(
            assessment.selectinload(Assessment.municipality),
            assessment.selectinload(Assessment.workshops),
        )
    )
    if invitation is None:
        raise NotFound()
    return invitation


def mark_active(invitation: StaffInvitation) -> None:
    """The person worked with their link now, as the moderator's overview shows."""
    invitation.last_active_at = utcnow()


def reissue(invitation: StaffInvitation) -> str:
    """A new link for the same person; the old link stops working at once."""
    token, invitation.token_hash = _token_and_hash()
    invitation.revoked_at = None
    return token


def revoke(invitation: StaffInvitation) -> None:
    invitation.revoked_at = utcnow()


async def invitations_of(session: AsyncSession, assessment: Assessment) -> list[StaffInvitation]:
    result = await session.execute(
        select(StaffInvitation)
        .where(StaffInvitation.assessment_id == assessment.id)
        .order_by(StaffInvitation.created_at, StaffInvitation.id)
    )
    return list(result.scalars())


async def invitation_by_token(session: AsyncSession, token: str) -> StaffInvitation:
    """Unknown and revoked links look the same (404); an expired one says so (410)."""
    if not 16 <= len(token) <= 100:
        raise NotFound(_UNKNOWN_LINK)
    result = await session.execute(
        select(StaffInvitation)
        .where(StaffInvitation.token_hash == hash_token(token))
        .options(selectinload(StaffInvitation.assessment).selectinload(Assessment.municipality))
    )
    invitation = result.scalar_one_or_none()
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound(_UNKNOWN_LINK)
    if invitation.expires_at is not None and invitation.expires_at <= utcnow():
        raise Gone(
            "Dieser Einladungslink ist abgelaufen. Bitte wenden Sie sich an die Moderation,"
            " um einen neuen Link zu erhalten."
        )
    return invitation


_UNKNOWN_LINK = (
    "Diesen Einladungslink kennen wir nicht. Bitte prüfen Sie, ob Sie ihn vollständig"
    " kopiert haben, oder fragen Sie die Moderation nach einem neuen Link."
)
