"""Providers: the questionnaire version compared, and a report's peer section."""

from __future__ import annotations

from litestar.di import NamedDependency
from litestar.params import FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Assessment, User
from selfcheck.errors import InvalidInput
from selfcheck.peers.services import report_peer_section
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.peer_section import PeerSection


def provide_compared_questionnaire(
    registry: NamedDependency[QuestionnaireRegistry], version: FromQuery[str | None] = None
) -> Questionnaire:
    """The chosen version of the default questionnaire; the newest without a choice."""
    newest = registry.latest()
    if version is None or not version.strip():
        return newest
    try:
        return registry.get(newest.id, version.strip())
    except KeyError:
        raise InvalidInput(
            f"Die Fragebogen-Version „{version}“ ist nicht installiert. Wählen Sie eine der "
            "angebotenen Versionen."
        ) from None


async def provide_report_peers(
    db_session: NamedDependency[AsyncSession],
    registry: NamedDependency[QuestionnaireRegistry],
    current_user: NamedDependency[User],
    assessment: NamedDependency[Assessment],
) -> PeerSection:
    """For the report page and DOCX of the checked assessment (switched off: empty)."""
    return await report_peer_section(db_session, registry, current_user, assessment)
