"""Gathering the figures of the municipalities a viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import visible_municipalities
from selfcheck.db.models import Assessment, User
from selfcheck.peers.rules import category_label, distribution
from selfcheck.peers.schema import FieldPeers, PeerOverview
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.peer_section import (
    MIN_MUNICIPALITIES,
    OwnFieldComparison,
    PeerSection,
)
from selfcheck.reporting.service import build_report_data
from selfcheck.vocabulary import AssessmentStatus


@dataclass(frozen=True)
class FieldFigures:
    """One municipality's figures per field id: the administration's category and the
    workshop's median (None: not rated, or no counted workshop round)."""

    administration: dict[str, int | None]
    workshop: dict[str, int | None]


async def latest_submitted(
    session: AsyncSession,
    user: User,
    questionnaire: Questionnaire,
    exclude_municipality_id: int | None = None,
) -> list[Assessment]:
    """Per visible municipality its latest submitted assessment on this version."""
    visible = [m.id for m in await visible_municipalities(session, user)]
    rows = await session.execute(
        select(Assessment)
        .where(
            Assessment.municipality_id.in_(visible),
            Assessment.status == AssessmentStatus.SUBMITTED,
            Assessment.questionnaire_id == questionnaire.id,
            Assessment.questionnaire_version == questionnaire.version,
        )
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
    )
    latest: dict[int, Assessment] = {}
    for assessment in rows.scalars():
        latest.setdefault(assessment.municipality_id, assessment)
    latest.pop(exclude_municipality_id or 0, None)
    return list(latest.values())


async def field_figures(
    session: AsyncSession, registry: QuestionnaireRegistry, assessment: Assessment
) -> FieldFigures:
    """From the report itself, so the same rules apply: trial rounds never count, the
    moderator's chosen round per field does, small rooms show no median."""
    report = await build_report_data(session, registry, assessment)
    workshop: dict[str, int | None] = {}
    for field in report.fields:
        overall = field.workshop.overall
        workshop[field.field_id] = overall.median if overall and overall.shown else None
    return FieldFigures(
        administration={field.field_id: field.admin.category for field in report.fields},
        workshop=workshop,
    )


async def _figures_of(
    session: AsyncSession, registry: QuestionnaireRegistry, assessments: list[Assessment]
) -> list[FieldFigures]:
    if len(assessments) < MIN_MUNICIPALITIES:
        return []  # nothing would be shown, so nothing needs computing
    return [await field_figures(session, registry, a) for a in assessments]


async def peer_overview(
    session: AsyncSession, registry: QuestionnaireRegistry, user: User, questionnaire: Questionnaire
) -> PeerOverview:
    assessments = await latest_submitted(session, user, questionnaire)
    figures = await _figures_of(session, registry, assessments)
    fields = [
        FieldPeers(
            field_id=field.id,
            title=field.title,
            administration=distribution(
                [f.administration.get(field.id) for f in figures],
                questionnaire.categories,
                count_unrated=True,
            ),
            workshop=distribution(
                [f.workshop.get(field.id) for f in figures],
                questionnaire.categories,
                count_unrated=False,
            ),
        )
        for field in questionnaire.fields
    ]
    return PeerOverview(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        versions=[q.version for q in registry.all() if q.id == questionnaire.id],
        min_municipalities=MIN_MUNICIPALITIES,
        fields=fields,
    )


def show_in_report(assessment: Assessment, shown: bool) -> None:
    """Whether the assessment's report includes "Ihre Kommune im Vergleich"."""
    assessment.peer_comparison_in_report = shown


async def report_peer_section(
    session: AsyncSession, registry: QuestionnaireRegistry, user: User, assessment: Assessment
) -> PeerSection:
    """ "Ihre Kommune im Vergleich": the assessment's own figures beside those of the other
    municipalities the viewer may see (itself excluded); empty while switched off."""
    if not assessment.peer_comparison_in_report:
        return PeerSection(enabled=False)
    questionnaire = registry.for_assessment(assessment)
    others = await latest_submitted(session, user, questionnaire, assessment.municipality_id)
    figures = await _figures_of(session, registry, others)
    own = await field_figures(session, registry, assessment)
    categories = questionnaire.categories
    fields = []
    for field in questionnaire.fields:
        own_category = own.administration.get(field.id)
        own_median = own.workshop.get(field.id)
        fields.append(
            OwnFieldComparison(
                field_id=field.id,
                title=field.title,
                own_category=own_category,
                own_label=category_label(own_category, categories),
                others=distribution(
                    [f.administration.get(field.id) for f in figures],
                    categories,
                    count_unrated=True,
                ),
                own_workshop_median=own_median,
                own_workshop_label=(
                    category_label(own_median, categories) if own_median else "kein Workshop-Wert"
                ),
                others_workshop=distribution(
                    [f.workshop.get(field.id) for f in figures], categories, count_unrated=False
                ),
            )
        )
    return PeerSection(enabled=True, fields=fields)
