"""The console bar's choice of round and buttons: a pure rule over the rounds."""

from __future__ import annotations

from datetime import UTC, datetime

from selfcheck.db.models import Round
from selfcheck.workshop.console import console_state


def _round(round_id: int, status: str, closed_minute: int | None = None) -> Round:
    closed_at = datetime(2026, 12, 2, 10, closed_minute, tzinfo=UTC) if closed_minute else None
    return Round(id=round_id, kind="mood", title=f"R{round_id}", status=status, closed_at=closed_at)


def test_the_first_prepared_round_is_offered_for_opening() -> None:
    state = console_state([_round(1, "draft"), _round(2, "draft")])
    assert state.current is not None and state.current.id == 1
    assert state.can_open and not state.can_open_next and not state.can_close


def test_while_a_round_runs_only_closing_is_offered() -> None:
    state = console_state([_round(1, "closed", 5), _round(2, "open"), _round(3, "draft")])
    assert state.current is not None and state.current.id == 2
    assert state.can_close and not state.can_open_next and not state.can_reopen


def test_after_closing_the_next_prepared_round_and_reopening_are_offered() -> None:
    state = console_state([_round(1, "closed", 5), _round(2, "draft"), _round(3, "draft")])
    assert state.current is not None and state.current.id == 1
    assert state.next_draft is not None and state.next_draft.id == 2
    assert state.can_open_next and state.can_reopen


def test_the_round_closed_last_is_the_current_one() -> None:
    state = console_state([_round(1, "closed", 30), _round(2, "closed", 10)])
    assert state.current is not None and state.current.id == 1
    assert state.next_draft is None and not state.can_open_next


def test_a_draft_prepared_before_the_current_round_is_still_offered() -> None:
    state = console_state([_round(1, "draft"), _round(2, "closed", 10)])
    assert state.next_draft is not None and state.next_draft.id == 1


def test_without_rounds_nothing_is_offered() -> None:
    state = console_state([])
    assert state.current is None and state.next_draft is None
    assert not (state.can_open or state.can_close or state.can_reopen or state.can_open_next)
