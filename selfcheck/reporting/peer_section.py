"""The shape of "Ihre Kommune im Vergleich" in a report (filled by the peers package).

Only distributions over at least `MIN_MUNICIPALITIES` municipalities are shown; below
that the figures are withheld (no counts at all), so no other municipality can be
singled out.
"""

from __future__ import annotations

from typing import Final

import msgspec

MIN_MUNICIPALITIES: Final = 5
TOO_FEW: Final = "Noch zu wenige Kommunen für einen Vergleich (mindestens 5)."


class _Out(msgspec.Struct, frozen=True, kw_only=True):
    pass


class PeerCategory(_Out, frozen=True):
    number: int | None  # None: "nicht bewertbar"
    label: str
    count: int
    share: float


class PeerDistribution(_Out, frozen=True):
    shown: bool
    municipalities: int | None  # withheld (None) when not shown
    categories: list[PeerCategory]  # empty when not shown
    message: str  # why nothing is shown; "" when shown


class OwnFieldComparison(_Out, frozen=True):
    field_id: str
    title: str
    own_category: int | None
    own_label: str
    others: PeerDistribution
    own_workshop_median: int | None
    own_workshop_label: str
    others_workshop: PeerDistribution


class PeerSection(_Out, frozen=True):
    """`enabled`: the moderator switched the comparison on for this report."""

    enabled: bool
    fields: list[OwnFieldComparison] = []
