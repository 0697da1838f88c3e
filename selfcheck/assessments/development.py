"""Development over the years: a field's category and share now against every earlier
Selbstcheck of the same municipality.

Which assessments count as earlier: every *submitted* assessment of the municipality whose
date (submission, else creation) lies before this one's (an open assessment is "now").
The municipality, not the `previous_assessment_id` chain, decides: an assessment imported
from another installation or created without "auf Basis von …" belongs to the history
just the same, and an abandoned draft (never submitted) does not.

A field is compared by its category and share, the questionnaire's own judgement of the
field. Where the questionnaire version differs, the questions that changed, are new or
were dropped are named beside the field, so nobody reads a changed question as progress.

`build_development` is pure; `development_of` loads the assessments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.results import FieldOutcome, assessment_results
from selfcheck.db.models import Assessment, utcnow
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.versions import ChangedQuestion, field_changes
from selfcheck.vocabulary import AssessmentStatus, QuestionChange, Trend


class _Out(msgspec.Struct, frozen=True, kw_only=True):
    pass


class AssessmentPoint(_Out, frozen=True):
    title: str
    date: datetime  # submission, else creation
    questionnaire_version: str
    current: bool


class FieldPoint(_Out, frozen=True):
    """One field in one assessment."""

    assessment: str  # its title
    date: datetime
    category: int | None  # None: "nicht bewertbar" (or the field did not exist)
    category_label: str
    share: float | None
    trend: str  # `Trend` of now against this point; "" for the current assessment
    trend_label: str
    arrow: str
    not_comparable: list[str]  # "Frage MS-01 geändert", ... against the current version


class FieldDevelopment(_Out, frozen=True):
    field_id: str
    title: str
    points: list[FieldPoint]  # oldest first, the current assessment last


class Development(_Out, frozen=True):
    assessments: list[AssessmentPoint]  # oldest first, the current one last
    fields: list[FieldDevelopment]
    # Category number -> the least share of points it needs (the bands of the chart).
    category_floors: dict[int, float] = {}
    # Field id -> measures marked "umgesetzt" since the previous Selbstcheck (filled in
    # by the action plan; empty until then).
    implemented_measures: dict[str, list[str]] = {}
    omitted: list[str] = []  # earlier assessments that could not be shown, and why

    @property
    def previous(self) -> AssessmentPoint | None:
        return self.assessments[-2] if len(self.assessments) > 1 else None


@dataclass(frozen=True)
class Snapshot:
    """An assessment's results as the development needs them."""

    title: str
    date: datetime
    questionnaire: Questionnaire
    outcomes: Sequence[FieldOutcome]
    current: bool = False


def trend(now: int | None, then: int | None) -> Trend:
    """Category 1 is the best, so a smaller number now is better."""
    if now is None or then is None:
        return Trend.NOT_COMPARABLE
    if now < then:
        return Trend.BETTER
    if now > then:
        return Trend.WORSE
    return Trend.SAME


def describe_changes(changes: Sequence[ChangedQuestion]) -> list[str]:
    """ "geändert: MS-01, MS-03", "neu: MS-15", "entfallen: MS-02" – short enough for a
    table cell, and every question named."""
    lines = []
    for kind in QuestionChange:
        ids = [c.question_id for c in changes if c.change == kind]
        if ids:
            lines.append(f"{kind.label}: {', '.join(ids)}")
    return lines


def build_development(current: Snapshot, earlier: Sequence[Snapshot]) -> Development:
    snapshots = [*sorted(earlier, key=lambda s: s.date), current]
    fields = []
    for field in current.questionnaire.fields:
        now = _outcome(current, field.id)
        now_category = now.category.number if now and now.category else None
        points = []
        for snapshot in snapshots:
            outcome = _outcome(snapshot, field.id)
            category = outcome.category if outcome else None
            number = category.number if category else None
            direction = None if snapshot.current else trend(now_category, number)
            changes = (
                []
                if snapshot.questionnaire.version == current.questionnaire.version
                else field_changes(snapshot.questionnaire, current.questionnaire, field.id)
            )
            points.append(
                FieldPoint(
                    assessment=snapshot.title,
                    date=snapshot.date,
                    category=number,
                    category_label=category.label
                    if category
                    else ("nicht bewertbar" if outcome else "Handlungsfeld gab es nicht"),
                    share=outcome.share if outcome else None,
                    trend=direction.value if direction else "",
                    trend_label=direction.label if direction else "",
                    arrow=direction.arrow if direction else "",
                    not_comparable=describe_changes(changes),
                )
            )
        fields.append(FieldDevelopment(field_id=field.id, title=field.title, points=points))
    return Development(
        assessments=[
            AssessmentPoint(
                title=s.title,
                date=s.date,
                questionnaire_version=s.questionnaire.version,
                current=s.current,
            )
            for s in snapshots
        ],
        fields=fields,
        category_floors={c.number: c.min_share for c in current.questionnaire.categories},
    )


def _outcome(snapshot: Snapshot, field_id: str) -> FieldOutcome | None:
    return next((o for o in snapshot.outcomes if o.field.id == field_id), None)


def development_chart_text(development: Development) -> tuple[str, str]:
    """The development chart's title and German text alternative."""
    title = "Entwicklung je Handlungsfeld über die Selbstchecks"
    lines = [
        f"{f.title}: " + ", ".join(_point_text(p) for p in f.points) + "."
        for f in development.fields
    ]
    alt = (
        f"Liniendiagramme, eines je Handlungsfeld. {title}: Punkteanteil der Verwaltung je "
        "Selbstcheck, hinterlegt mit den Bereichen der Kategorien. " + " ".join(lines)
    )
    return title, alt


def _point_text(point: FieldPoint) -> str:
    if point.category is None:
        return f"{point.assessment} {point.category_label}"
    share = f"{round(point.share * 100)}\u00a0%" if point.share is not None else "–"
    return f"{point.assessment} Kategorie {point.category} ({share})"


def assessment_date(assessment: Assessment) -> datetime:
    return assessment.submitted_at or assessment.created_at


async def development_of(
    session: AsyncSession, registry: QuestionnaireRegistry, assessment: Assessment
) -> Development | None:
    """The development up to `assessment`; None when the municipality has no earlier
    submitted Selbstcheck."""
    reference = assessment.submitted_at if assessment.is_submitted else utcnow()
    rows = await session.execute(
        select(Assessment).where(
            Assessment.municipality_id == assessment.municipality_id,
            Assessment.id != assessment.id,
            Assessment.status == AssessmentStatus.SUBMITTED,
        )
    )
    candidates = [a for a in rows.scalars() if reference and assessment_date(a) < reference]
    if not candidates:
        return None
    current = await _snapshot(session, registry, assessment, current=True)
    assert current is not None
    earlier, omitted = [], []
    for candidate in candidates:
        snapshot = await _snapshot(session, registry, candidate)
        if snapshot is None:
            omitted.append(
                f"„{candidate.title}“: Fragebogen-Version {candidate.questionnaire_version} "
                "ist auf diesem System nicht installiert."
            )
        else:
            earlier.append(snapshot)
    if not earlier:
        return Development(assessments=[], fields=[], omitted=omitted)
    return msgspec.structs.replace(build_development(current, earlier), omitted=omitted)


async def _snapshot(
    session: AsyncSession,
    registry: QuestionnaireRegistry,
    assessment: Assessment,
    *,
    current: bool = False,
) -> Snapshot | None:
    try:
        questionnaire = registry.get(assessment.questionnaire_id, assessment.questionnaire_version)
    except KeyError:
        return None
    results = await assessment_results(session, questionnaire, assessment.id)
    return Snapshot(
        title=assessment.title,
        date=assessment_date(assessment),
        questionnaire=questionnaire,
        outcomes=results.outcomes,
        current=current,
    )


async def development_context(
    session: AsyncSession,
    registry: QuestionnaireRegistry,
    assessment: Assessment,
    chart_url: str | None,
) -> dict[str, Any]:
    """What the results page needs for its development section: the development and,
    where the page may link the chart (`chart_url`), the chart with its text."""
    development = await development_of(session, registry, assessment)
    chart = None
    if development is not None and chart_url and len(development.assessments) > 1:
        title, alt = development_chart_text(development)
        chart = {"url": f"{chart_url}?name=entwicklung&format=svg", "title": title, "alt": alt}
    return {"development": development, "development_chart": chart}
