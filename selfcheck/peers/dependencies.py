"""Providers: the questionnaire version compared, the overview across municipalities (for
the page and the API alike), and a report's peer section."""

from __future__ import annotations

from typing import Final

from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Assessment, User
from selfcheck.errors import InvalidInput
from selfcheck.peers.schema import PeerOverview
from selfcheck.peers.services import peer_overview, report_peer_section
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


async def provide_overview(
    db_session: NamedDependency[AsyncSession],
    registry: NamedDependency[QuestionnaireRegistry],
    current_user: NamedDependency[User],
    compared: NamedDependency[Questionnaire],
) -> PeerOverview:
    """The compared version across the municipalities the user may see."""
    return await peer_overview(db_session, registry, current_user, compared)


async def provide_report_peers(
    db_session: NamedDependency[AsyncSession],
    registry: NamedDependency[QuestionnaireRegistry],
    current_user: NamedDependency[User],
    assessment: NamedDependency[Assessment],
) -> PeerSection:
    """For the report page and DOCX of the checked assessment (switched off: empty)."""
    return await report_peer_section(db_session, registry, current_user, assessment)


OVERVIEW: Final = {
    "compared": Provide(provide_compared_questionnaire, sync_to_thread=False),
    "overview": Provide(provide_overview),
}
