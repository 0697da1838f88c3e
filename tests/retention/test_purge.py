"""Retention periods: single votes and participants go, the counts stay, every report
stays the same; invitation links with names go; nothing before its time."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import (
    Assessment,
    Participant,
    ParticipantTally,
    StaffInvitation,
    Vote,
    VoteTally,
    utcnow,
)
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.export_format import AssessmentExport
from selfcheck.reporting.exports import build_tables
from selfcheck.reporting.service import report_from_export
from selfcheck.retention.purge import PurgeResult, purge
from selfcheck.retention.schedule import purge_daily
from selfcheck.settings import Settings
from tests.cli_runner import run_cli
from tests.retention.conftest import Diverging
from tests.security.routes import snapshot

EXPORTED_AT = datetime(2027, 1, 1, tzinfo=utcnow().tzinfo)


async def _submit(database: Database, assessment: Assessment, days_ago: int) -> None:
    async with database.writing() as session:
        await session.execute(
            update(Assessment)
            .where(Assessment.id == assessment.id)
            .values(status="submitted", submitted_at=utcnow() - timedelta(days=days_ago))
        )
        reloaded = await session.get(Assessment, assessment.id)
        assert reloaded is not None
        await invite(session, reloaded, "Anna Amt", "Sozialamt", is_coordinator=True)


async def _export(database: Database, assessment: Assessment) -> AssessmentExport:
    async with database.reading() as session:
        reloaded = await session.get(Assessment, assessment.id)
        assert reloaded is not None
        return await export_assessment(session, reloaded, exported_at=EXPORTED_AT)


async def _count(database: Database, model: type) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _purge(database: Database, *, days: int = 90, dry_run: bool = False) -> PurgeResult:
    async with database.writing() as session:
        return await purge(
            session, now=utcnow(), workshop_days=days, invitation_days=days, dry_run=dry_run
        )


def _votes_by_group(export: AssessmentExport) -> Counter[tuple[str, str, str | None, str]]:
    """Every vote as (round, item, stakeholder group, value): what any report can use."""
    counted: Counter[tuple[str, str, str | None, str]] = Counter()
    for workshop in export.workshops:
        groups = {p.key: p.stakeholder_group for p in workshop.participants}
        for round_ in workshop.rounds:
            for vote in round_.votes:
                counted[(round_.title, vote.item, groups[vote.participant], vote.value)] += 1
    return counted


async def test_purging_deletes_participants_and_single_votes_but_every_report_stays_the_same(
    database: Database, diverging: Diverging, registry: QuestionnaireRegistry
) -> None:
    await _submit(database, diverging.assessment, days_ago=91)
    before = await _export(database, diverging.assessment)
    questionnaire = registry.get(before.questionnaire.id, before.questionnaire.version)

    result = await _purge(database, days=90)

    assert (result.participants, result.invitations, result.workshops) == (13, 1, 1)
    assert result.votes == sum(_votes_by_group(before).values())
    assert await _count(database, Participant) == 0
    assert await _count(database, Vote) == 0
    assert await _count(database, StaffInvitation) == 0
    assert await _count(database, VoteTally) > 0
    after = await _export(database, diverging.assessment)
    assert report_from_export(registry, after) == report_from_export(registry, before)
    assert _votes_by_group(after) == _votes_by_group(before)
    assert len(after.workshops[0].participants) == 13
    # The tables for download carry the same counts (the votes table has stand-in keys).
    tables_before = build_tables(questionnaire, before, report_from_export(registry, before))
    tables_after = build_tables(questionnaire, after, report_from_export(registry, after))
    assert tables_after[0] == tables_before[0]  # the comparison table


async def test_a_second_purge_adds_to_the_counts_kept(
    database: Database, diverging: Diverging, registry: QuestionnaireRegistry
) -> None:
    await _submit(database, diverging.assessment, days_ago=91)
    before = await _export(database, diverging.assessment)
    await _purge(database)
    # Participants who joined later (e.g. an imported copy) are purged into the same counts.
    async with database.writing() as session:
        session.add(Participant(id="x" * 32, workshop_id=diverging.workshop.id))
    await _purge(database)
    async with database.reading() as session:
        tallied = await session.scalar(select(func.sum(ParticipantTally.participants)))
    assert tallied == 14
    after = await _export(database, diverging.assessment)
    assert _votes_by_group(after) == _votes_by_group(before)


async def test_nothing_is_purged_before_its_time_or_while_the_assessment_is_open(
    database: Database, diverging: Diverging
) -> None:
    untouched = await snapshot(database)
    assert (await _purge(database, days=0)).participants == 0  # open: nothing due
    await _submit(database, diverging.assessment, days_ago=30)
    untouched = await snapshot(database)
    result = await _purge(database, days=31)
    assert (result.participants, result.invitations) == (0, 0)
    assert await snapshot(database) == untouched


async def test_a_dry_run_reports_what_would_go_and_changes_nothing(
    database: Database, diverging: Diverging
) -> None:
    await _submit(database, diverging.assessment, days_ago=91)
    untouched = await snapshot(database)
    result = await _purge(database, dry_run=True)
    assert (result.participants, result.invitations) == (13, 1)
    assert result.summary().startswith("Würde löschen: 13 Workshop-Teilnehmende")
    assert await snapshot(database) == untouched


async def test_the_purge_command_applies_the_configured_periods(
    database: Database, diverging: Diverging, settings: Settings
) -> None:
    await _submit(database, diverging.assessment, days_ago=10)
    env = {
        "SELFCHECK_DATABASE_URL": settings.database_url,
        "SELFCHECK_SECRET_KEY": settings.secret_key,
        "SELFCHECK_RETAIN_WORKSHOP_DAYS": "5",
        "SELFCHECK_RETAIN_INVITATION_DAYS": "20",
    }
    dry = await run_cli("purge", "--dry-run", env=env)
    assert dry.exit_code == 0, dry.output
    assert "Würde löschen: 13 Workshop-Teilnehmende" in dry.output
    assert await _count(database, Participant) == 13
    done = await run_cli("purge", env=env)
    assert done.exit_code == 0, done.output
    assert "Gelöscht: 13 Workshop-Teilnehmende" in done.output
    assert "0 Einladungslink(s)" in done.output  # 10 days < 20 days
    assert await _count(database, Participant) == 0
    assert await _count(database, StaffInvitation) == 1


async def test_the_server_applies_the_periods_by_itself(
    database: Database, diverging: Diverging, settings: Settings
) -> None:
    await _submit(database, diverging.assessment, days_ago=91)
    task = asyncio.create_task(
        purge_daily(database, replace(settings), first_run_after=0, interval=3600)
    )
    try:
        for _ in range(200):  # bounded: the first run happens at once
            if await _count(database, Participant) == 0:
                break
            await asyncio.sleep(0.05)
        assert await _count(database, Participant) == 0
    finally:
        task.cancel()
