"""Vote totals as plain msgspec structs (they go to the live view as JSON), and the pure
rules applied before anything is shown: the minimum-N rule and the comparison with the
administration's result. No I/O here; `votes.py` fills the structs from the database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.scoring import score
from selfcheck.vocabulary import RoundKind, RoundStatus
from selfcheck.workshop.groups import NO_GROUP, OTHERS, STAKEHOLDER_GROUPS, group_label


class ItemTotals(msgspec.Struct, frozen=True, kw_only=True):
    item_key: str  # field id (field and mood rounds) or question id (question rounds)
    n: int  # votes on this item
    counts: dict[str, int]  # value -> votes; values nobody chose are left out
    # True once the minimum-N rule withheld the counts (n is still given).
    suppressed: bool = False


class RoundTotals(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    workshop_id: int
    kind: str
    status: str
    items: list[ItemTotals]  # in round order
    voters: int  # participants with at least one vote in this round
    joined: int  # participants who joined the workshop


class GroupDistribution(msgspec.Struct, frozen=True, kw_only=True):
    group: str  # a stakeholder group key, "ohne_angabe" or "weitere"
    label: str
    n: int
    counts: dict[str, int]


class ItemBreakdown(msgspec.Struct, frozen=True, kw_only=True):
    item_key: str
    groups: list[GroupDistribution]


class RoundBreakdown(msgspec.Struct, frozen=True, kw_only=True):
    round_id: int
    min_n: int
    items: list[ItemBreakdown]


class AdminComparison(msgspec.Struct, frozen=True, kw_only=True):
    item_key: str
    # False: not to be shown yet; the fields below are then None whatever the result is.
    revealed: bool
    admin_category: int | None = None  # field and mood rounds; None also: "nicht bewertbar"
    admin_value: str | None = None  # question rounds: the administration's answer


def is_shown(n: int, min_n: int) -> bool:
    """A distribution is shown from `min_n` votes on (and never with no vote at all)."""
    return n >= max(min_n, 1)


def public_totals(totals: RoundTotals, min_n: int) -> RoundTotals:
    """The totals as they may be shown: counts of items below `min_n` votes withheld."""
    return msgspec.structs.replace(
        totals, items=[_public_item(item, min_n) for item in totals.items]
    )


def _public_item(item: ItemTotals, min_n: int) -> ItemTotals:
    if is_shown(item.n, min_n):
        return item
    return msgspec.structs.replace(item, counts={}, suppressed=True)


def merge_small_groups(
    counts_by_group: Mapping[str, Mapping[str, int]], min_n: int
) -> list[GroupDistribution]:
    """Group distributions that respect the minimum-N rule.

    Groups below `min_n` votes are merged into "weitere". If "weitere" then holds some but
    fewer than `min_n` votes, it could not be shown; but leaving it out alone is not enough,
    since the overall distribution minus the shown groups would reveal it. So the smallest
    shown groups move into "weitere" until it reaches `min_n` (or everything is merged and,
    still below `min_n`, left out). Thus no shown number, and no difference of shown
    numbers, rests on fewer than `min_n` votes.
    """
    shown = {g: dict(c) for g, c in counts_by_group.items() if is_shown(sum(c.values()), min_n)}
    rest = _sum_counts(c for g, c in counts_by_group.items() if g not in shown)
    while 0 < sum(rest.values()) < min_n and shown:
        smallest = min(shown, key=lambda g: (sum(shown[g].values()), _group_order(g)))
        rest = _sum_counts([rest, shown.pop(smallest)])
    result = [_distribution(g, shown[g]) for g in sorted(shown, key=_group_order)]
    if is_shown(sum(rest.values()), min_n):
        result.append(_distribution(OTHERS, rest))
    return result


def _sum_counts(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for one in counts:
        for value, count in one.items():
            total[value] = total.get(value, 0) + count
    return total


def _distribution(group: str, counts: Mapping[str, int]) -> GroupDistribution:
    return GroupDistribution(
        group=group,
        label=group_label(group),
        n=sum(counts.values()),
        counts={value: counts[value] for value in sorted(counts) if counts[value]},
    )


def _group_order(group: str) -> int:
    order = [*STAKEHOLDER_GROUPS, NO_GROUP]
    return order.index(group) if group in order else len(order)


def admin_categories(
    questionnaire: Questionnaire, answers: Mapping[str, str]
) -> dict[str, int | None]:
    """The administration's category per field id (None: "nicht bewertbar")."""
    return {result.field_id: result.category for result in score(questionnaire, answers)}


def admin_comparison(
    totals: RoundTotals,
    categories: Mapping[str, int | None],
    *,
    answers: Mapping[str, str] | None = None,
    reveal_immediately: bool = False,
) -> list[AdminComparison]:
    """The administration's result beside each item of a round, for the projector.

    Field and mood rounds get the category of the item's field from `categories`;
    question rounds get the administration's answer from `answers` (question id -> value).
    Unless `reveal_immediately` (the workshop's setting), nothing is revealed before the
    round is closed, so that the administration's view does not steer the votes.
    """
    revealed = reveal_immediately or totals.status == RoundStatus.CLOSED
    if not revealed:
        return [AdminComparison(item_key=i.item_key, revealed=False) for i in totals.items]
    if totals.kind == RoundKind.QUESTIONS:
        given = answers or {}
        return [
            AdminComparison(item_key=i.item_key, revealed=True, admin_value=given.get(i.item_key))
            for i in totals.items
        ]
    return [
        AdminComparison(
            item_key=i.item_key, revealed=True, admin_category=categories.get(i.item_key)
        )
        for i in totals.items
    ]


def median_category(counts: Mapping[str, int]) -> int | None:
    """The lower median of category votes ("1".."4"); None without votes.

    Categories are ordered, not numbers to average: the median is a category someone chose.
    """
    votes = sorted((int(value), count) for value, count in counts.items() if count > 0)
    total = sum(count for _, count in votes)
    if total == 0:
        return None
    position = (total - 1) // 2
    for category, count in votes:
        if position < count:
            return category
        position -= count
    raise AssertionError("unreachable: position lies within the votes")
