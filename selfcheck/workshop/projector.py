"""What the projector may show of a live snapshot (pure)."""

from __future__ import annotations

import msgspec

from selfcheck.workshop.live import ItemView, Snapshot


def projector_snapshot(snapshot: Snapshot) -> Snapshot:
    """While the moderator hides the results, the projector gets the vote counts only:
    no distribution, no median, no administration's rating, not even in its JSON."""
    if not snapshot.results_hidden or snapshot.round is None:
        return snapshot
    items = [_withheld(item) for item in snapshot.round.items]
    return msgspec.structs.replace(
        snapshot, round=msgspec.structs.replace(snapshot.round, items=items)
    )


def _withheld(item: ItemView) -> ItemView:
    return msgspec.structs.replace(
        item,
        counts={},
        median=None,
        revealed=False,
        admin_category=None,
        admin_value=None,
    )
