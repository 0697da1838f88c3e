"""Stakeholder groups a participant may pick when joining (optional, nothing else is asked)."""

from __future__ import annotations

from typing import Final

# Stored key -> German label, in the order the join page lists them.
STAKEHOLDER_GROUPS: Final[dict[str, str]] = {
    "verwaltung": "Verwaltung",
    "politik": "Politik",
    "zivilgesellschaft": "Zivilgesellschaft",
    "wirtschaft": "Wirtschaft",
    "migration": "Migrantenorganisationen / Integrationsrat",
    "sonstige": "Sonstige",
}

# Pseudo-groups of the breakdown: participants who picked no group, and the merged rest.
NO_GROUP: Final = "ohne_angabe"
OTHERS: Final = "weitere"
BREAKDOWN_LABELS: Final[dict[str, str]] = {
    **STAKEHOLDER_GROUPS,
    NO_GROUP: "Ohne Angabe",
    OTHERS: "Weitere (zusammengefasst)",
}


def group_label(key: str) -> str:
    return BREAKDOWN_LABELS.get(key, key)
