"""Workshops and their participants: creating a workshop with a join code, finding it by
that code or by the scribes' token, joining it anonymously.

Like every workshop service module: plain async functions over an `AsyncSession`. The
caller owns the transaction (`Database.writing()` / `reading()`): services flush, but
never commit. They raise the domain errors of `selfcheck.errors` with German messages.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from selfcheck.db.models import Assessment, Participant, Workshop
from selfcheck.errors import InvalidInput, NotFound
from selfcheck.text_input import required_text
from selfcheck.tokens import hash_token, new_token
from selfcheck.workshop.codes import is_well_formed_join_code, new_join_code, normalize_join_code
from selfcheck.workshop.groups import STAKEHOLDER_GROUPS
from selfcheck.workshop.inputs import TITLE_MAX

# Below 2 a single participant's vote would be shown on the projector.
MIN_GROUP_SIZE_RANGE: Final = range(2, 101)

WRONG_JOIN_CODE: Final = (
    "Zu diesem Code gibt es keinen Workshop. Bitte prüfen Sie die Eingabe – "
    "der Code steht auf der Leinwand."
)
WORKSHOP_UNKNOWN: Final = "Diesen Workshop gibt es nicht (mehr)."
_JOIN_CODE_ATTEMPTS: Final = 10


async def create_workshop(
    session: AsyncSession,
    assessment: Assessment,
    title: str,
    min_group_size: int = 3,
    reveal_admin_immediately: bool = False,
    *,
    new_code: Callable[[], str] = new_join_code,
) -> Workshop:
    """A workshop with a fresh, unique join code. `new_code` exists for tests."""
    title = required_text(
        title,
        TITLE_MAX,
        what="Der Titel",
        missing="Bitte geben Sie einen Titel für den Workshop ein.",
    )
    if min_group_size not in MIN_GROUP_SIZE_RANGE:
        raise InvalidInput(
            "Die Mindestzahl an Stimmen für eine Anzeige muss zwischen "
            f"{MIN_GROUP_SIZE_RANGE.start} und {MIN_GROUP_SIZE_RANGE.stop - 1} liegen."
        )
    for _ in range(_JOIN_CODE_ATTEMPTS):
        workshop = Workshop(
            assessment_id=assessment.id,
            title=title,
            join_code=new_code(),
            min_group_size=min_group_size,
            reveal_admin_immediately=reveal_admin_immediately,
        )
        if await _insert_unless_code_taken(session, workshop):
            return workshop
    raise RuntimeError(f"Kein freier Beitrittscode nach {_JOIN_CODE_ATTEMPTS} Versuchen.")


async def _insert_unless_code_taken(session: AsyncSession, workshop: Workshop) -> bool:
    # The unique constraint decides, not a prior SELECT, so two workshops created at the
    # same moment cannot share a code. The savepoint keeps the caller's transaction usable.
    try:
        async with session.begin_nested():
            session.add(workshop)
    except IntegrityError:
        taken = await session.scalar(
            select(Workshop.id).where(Workshop.join_code == workshop.join_code)
        )
        if taken is None:
            raise  # some other constraint failed: not ours to retry
        return False
    return True


async def get_workshop(session: AsyncSession, workshop_id: int) -> Workshop:
    workshop = await session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound(WORKSHOP_UNKNOWN)
    return workshop


async def loaded_workshop(session: AsyncSession, workshop_id: int) -> Workshop:
    """The workshop with its assessment and municipality, which every moderator page shows."""
    workshop = await session.scalar(
        select(Workshop)
        .where(Workshop.id == workshop_id)
        .options(joinedload(Workshop.assessment).joinedload(Assessment.municipality))
        .execution_options(populate_existing=True)
    )
    if workshop is None:
        raise NotFound(WORKSHOP_UNKNOWN)
    return workshop


async def workshop_by_code(session: AsyncSession, code: str) -> Workshop:
    """The workshop to a join code as typed by a participant (any case, spaces, dashes)."""
    normalized = normalize_join_code(code)
    if not is_well_formed_join_code(normalized):
        raise NotFound(WRONG_JOIN_CODE)
    # The assessment comes along: every participant request needs its questionnaire.
    workshop = await session.scalar(
        select(Workshop)
        .where(Workshop.join_code == normalized)
        .options(joinedload(Workshop.assessment))
    )
    if workshop is None:
        raise NotFound(WRONG_JOIN_CODE)
    return workshop


async def issue_scribe_token(session: AsyncSession, workshop: Workshop) -> str:
    """A new secret for the scribes' link; it replaces (and so invalidates) the old one.
    Show it once: only its hash is stored."""
    token = new_token()
    token_hash = hash_token(token)
    # An UPDATE statement, so it is written even if `workshop` came from another session.
    await session.execute(
        update(Workshop).where(Workshop.id == workshop.id).values(scribe_token_hash=token_hash)
    )
    set_committed_value(workshop, "scribe_token_hash", token_hash)
    return token


async def workshop_by_scribe_token(session: AsyncSession, token: str) -> Workshop:
    workshop = await session.scalar(
        select(Workshop)
        .where(Workshop.scribe_token_hash == hash_token(token))
        .options(joinedload(Workshop.assessment))  # for the questionnaire it is pinned to
    )
    if workshop is None:
        raise NotFound("Dieser Protokoll-Link gilt nicht (mehr). Bitte fragen Sie die Moderation.")
    return workshop


async def set_results_hidden(session: AsyncSession, workshop: Workshop, hidden: bool) -> None:
    """Whether the projector keeps the distributions to itself (the control view shows them)."""
    await session.execute(
        update(Workshop).where(Workshop.id == workshop.id).values(results_hidden=hidden)
    )
    set_committed_value(workshop, "results_hidden", hidden)


# --- Participants ----------------------------------------------------------------------


async def join(
    session: AsyncSession, workshop: Workshop, stakeholder_group: str | None
) -> Participant:
    """A new anonymous participant: a random id and, if chosen, a stakeholder group.
    An empty string counts as "keine Angabe"."""
    group = stakeholder_group or None
    if group is not None and group not in STAKEHOLDER_GROUPS:
        raise InvalidInput("Bitte wählen Sie eine der angebotenen Gruppen oder keine Angabe.")
    participant = Participant(
        id=secrets.token_hex(16), workshop_id=workshop.id, stakeholder_group=group
    )
    session.add(participant)
    await session.flush()
    return participant


async def find_participant(
    session: AsyncSession, workshop: Workshop, participant_id: str
) -> Participant | None:
    """The participant behind a cookie, if it belongs to this workshop."""
    participant = await session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant
