"""Distributions over municipalities (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from selfcheck.questionnaire.schema import Category
from selfcheck.reporting.peer_section import (
    MIN_MUNICIPALITIES,
    TOO_FEW,
    PeerCategory,
    PeerDistribution,
)

UNRATED_LABEL = "nicht bewertbar"


def distribution(
    values: Sequence[int | None], categories: Sequence[Category], *, count_unrated: bool
) -> PeerDistribution:
    """Categories 1..4 (zeros included) over one value per municipality.

    `None` is "nicht bewertbar" for the administration (`count_unrated`), and "no workshop
    figure" for the workshop, which then does not contribute at all."""
    contributing = [v for v in values if v is not None or count_unrated]
    if len(contributing) < MIN_MUNICIPALITIES:
        return PeerDistribution(shown=False, municipalities=None, categories=[], message=TOO_FEW)
    counts = Counter(contributing)
    total = len(contributing)
    rows = [
        PeerCategory(
            number=c.number, label=c.label, count=counts[c.number], share=counts[c.number] / total
        )
        for c in categories
    ]
    if count_unrated:
        unrated = counts[None]
        rows.append(
            PeerCategory(number=None, label=UNRATED_LABEL, count=unrated, share=unrated / total)
        )
    return PeerDistribution(shown=True, municipalities=total, categories=rows, message="")


def category_label(number: int | None, categories: Sequence[Category]) -> str:
    for category in categories:
        if category.number == number:
            return f"{category.number} – {category.label}"
    return UNRATED_LABEL
