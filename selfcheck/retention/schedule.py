"""The server applies the retention periods itself, once a day (and once soon after it
starts, so a server restarted daily still purges)."""

from __future__ import annotations

import asyncio
import logging

from selfcheck.db.engine import Database
from selfcheck.db.models import utcnow
from selfcheck.retention.purge import purge
from selfcheck.settings import Settings

logger = logging.getLogger("selfcheck.retention")

FIRST_RUN_AFTER_SECONDS = 60.0
INTERVAL_SECONDS = 24 * 60 * 60.0


async def purge_daily(
    database: Database,
    settings: Settings,
    *,
    first_run_after: float = FIRST_RUN_AFTER_SECONDS,
    interval: float = INTERVAL_SECONDS,
) -> None:
    """Runs until cancelled. A failed run is logged and tried again the next day; with
    several workers each runs it, which is harmless (the second finds nothing due)."""
    await asyncio.sleep(first_run_after)
    while True:
        try:
            async with database.writing() as session:
                await purge(
                    session,
                    now=utcnow(),
                    workshop_days=settings.retain_workshop_days,
                    invitation_days=settings.retain_invitation_days,
                )
        except Exception:
            logger.exception("Die Aufbewahrungsfristen konnten nicht angewandt werden.")
        await asyncio.sleep(interval)
