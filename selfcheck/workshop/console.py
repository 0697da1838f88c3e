"""What the moderator's console bar offers: a pure rule over the workshop's rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from selfcheck.db.models import Round
from selfcheck.vocabulary import RoundStatus


@dataclass(frozen=True)
class ConsoleState:
    current: Round | None  # the open round, else the one closed last, else the first prepared
    next_draft: Round | None  # the prepared round that "Nächste Runde" opens

    @property
    def can_open(self) -> bool:
        return self.current is not None and self.current.status == RoundStatus.DRAFT

    @property
    def can_close(self) -> bool:
        return self.current is not None and self.current.status == RoundStatus.OPEN

    @property
    def can_reopen(self) -> bool:
        return self.current is not None and self.current.status == RoundStatus.CLOSED

    @property
    def can_open_next(self) -> bool:
        """Only while nothing runs: closing decides which votes count, so it stays a step
        of its own (with its confirmation)."""
        return self.next_draft is not None and not self.can_close and not self.can_open


def console_state(rounds: Sequence[Round]) -> ConsoleState:
    """`rounds` in the order they were prepared (by id)."""
    running = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    closed = [r for r in rounds if r.status == RoundStatus.CLOSED and r.closed_at is not None]
    last_closed = max(closed, key=lambda r: (r.closed_at, r.id)) if closed else None
    drafts = [r for r in rounds if r.status == RoundStatus.DRAFT]
    current = running or last_closed or (drafts[0] if drafts else None)
    after = [r for r in drafts if r is not current and (current is None or r.id > current.id)]
    others = [r for r in drafts if r is not current]
    candidates = after or others
    return ConsoleState(current=current, next_draft=candidates[0] if candidates else None)
