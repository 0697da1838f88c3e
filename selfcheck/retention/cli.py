"""`selfcheck purge`: apply the retention periods now (the server also does it daily)."""

from __future__ import annotations

import asyncio
import logging

import click

from selfcheck.settings import get_settings


@click.command(
    "purge",
    help="Löscht, was seine Aufbewahrungsfrist erreicht hat: Workshop-Teilnehmende mit ihren "
    "einzelnen Stimmen (SELFCHECK_RETAIN_WORKSHOP_DAYS; die Summen bleiben für den Bericht) "
    "und Einladungslinks (SELFCHECK_RETAIN_INVITATION_DAYS), jeweils in Tagen nach dem "
    "Abschluss des Selbstchecks.",
)
@click.option("--dry-run", is_flag=True, help="Nur anzeigen, was gelöscht würde.")
def purge_command(dry_run: bool) -> None:
    from selfcheck.db.engine import Database
    from selfcheck.db.migrate import upgrade
    from selfcheck.db.models import utcnow
    from selfcheck.retention.purge import PurgeResult, purge

    settings = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    upgrade(settings.database_url)

    async def run() -> PurgeResult:
        database = Database.connect(settings.database_url)
        try:
            session_scope = database.reading() if dry_run else database.writing()
            async with session_scope as session:
                return await purge(
                    session,
                    now=utcnow(),
                    workshop_days=settings.retain_workshop_days,
                    invitation_days=settings.retain_invitation_days,
                    dry_run=dry_run,
                )
        finally:
            await database.dispose()

    result = asyncio.run(run())
    click.echo(result.summary())
