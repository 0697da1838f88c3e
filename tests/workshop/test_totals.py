from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcheck.db.engine import Database
from selfcheck.errors import NotFound
from selfcheck.workshop import votes
from selfcheck.workshop.groups import NO_GROUP, OTHERS, STAKEHOLDER_GROUPS
from selfcheck.workshop.totals import (
    ItemTotals,
    RoundTotals,
    admin_categories,
    admin_comparison,
    median_category,
    merge_small_groups,
    public_totals,
)
from tests.workshop.factories import (
    QUESTIONNAIRE,
    close,
    join_many,
    make_workshop,
    open_new_round,
    vote,
)


async def _totals(database: Database, round_id: int) -> RoundTotals:
    async with database.reading() as session:
        return await votes.round_totals(session, round_id)


async def test_totals_count_votes_per_item_and_value(database: Database) -> None:
    workshop = await make_workshop(database)
    people = await join_many(database, workshop, [None] * 5)
    round_ = await open_new_round(database, workshop, "mood", None)
    for person, (ms, vw) in zip(
        people, [("1", "2"), ("1", "3"), ("2", "3"), ("2", "2"), ("4", "4")], strict=True
    ):
        await vote(database, person, round_.id, "MS", ms)
        await vote(database, person, round_.id, "VW", vw)

    totals = await _totals(database, round_.id)
    assert totals.items == [
        ItemTotals(item_key="MS", n=5, counts={"1": 2, "2": 2, "4": 1}),
        ItemTotals(item_key="VW", n=5, counts={"2": 2, "3": 2, "4": 1}),
        ItemTotals(item_key="TH", n=0, counts={}),
    ]
    assert (totals.round_id, totals.workshop_id) == (round_.id, workshop.id)
    assert (totals.kind, totals.status) == ("mood", "open")


async def test_totals_count_voters_once_and_everyone_who_joined(database: Database) -> None:
    workshop = await make_workshop(database)
    anna, ben, _silent = await join_many(database, workshop, [None, "politik", None])
    round_ = await open_new_round(database, workshop, "mood", None)
    await vote(database, anna, round_.id, "MS", "1")
    await vote(database, anna, round_.id, "TH", "1")
    await vote(database, ben, round_.id, "VW", "2")
    totals = await _totals(database, round_.id)
    assert (totals.voters, totals.joined) == (2, 3)


async def test_totals_of_a_round_ignore_other_rounds_and_workshops(database: Database) -> None:
    ours = await make_workshop(database)
    theirs = await make_workshop(database, "Anderer Workshop")
    [anna] = await join_many(database, ours, [None])
    strangers = await join_many(database, theirs, [None] * 4)
    earlier = await open_new_round(database, ours, "field", "MS")
    await vote(database, anna, earlier.id, "MS", "4")
    await close(database, ours, earlier.id)
    foreign = await open_new_round(database, theirs, "field", "MS")
    for stranger in strangers:
        await vote(database, stranger, foreign.id, "MS", "1")
    current = await open_new_round(database, ours, "field", "MS")
    await vote(database, anna, current.id, "MS", "2")

    totals = await _totals(database, current.id)
    assert totals.items == [ItemTotals(item_key="MS", n=1, counts={"2": 1})]
    assert (totals.voters, totals.joined) == (1, 1)
    assert (await _totals(database, earlier.id)).status == "closed"


async def test_totals_of_an_unknown_round_are_not_found(database: Database) -> None:
    async with database.reading() as session:
        with pytest.raises(NotFound):
            await votes.round_totals(session, 424242)


async def test_totals_serialise_to_json_for_the_live_view(database: Database) -> None:
    workshop = await make_workshop(database)
    [anna] = await join_many(database, workshop, [None])
    round_ = await open_new_round(database, workshop)
    await vote(database, anna, round_.id, "MS", "3")
    totals = await _totals(database, round_.id)
    encoded = msgspec.json.encode(totals)
    assert msgspec.json.decode(encoded, type=RoundTotals) == totals
    assert msgspec.json.decode(encoded)["items"][0]["counts"] == {"3": 1}


def _totals_with(*items: ItemTotals, status: str = "open", kind: str = "mood") -> RoundTotals:
    return RoundTotals(
        round_id=1, workshop_id=1, kind=kind, status=status, items=list(items), voters=0, joined=0
    )


def test_a_distribution_below_the_minimum_is_withheld_but_its_size_is_shown() -> None:
    small = ItemTotals(item_key="MS", n=2, counts={"1": 2})
    enough = ItemTotals(item_key="VW", n=3, counts={"1": 1, "4": 2})
    nobody = ItemTotals(item_key="TH", n=0, counts={})
    shown = public_totals(_totals_with(small, enough, nobody), min_n=3)
    assert shown.items == [
        ItemTotals(item_key="MS", n=2, counts={}, suppressed=True),
        enough,
        ItemTotals(item_key="TH", n=0, counts={}, suppressed=True),
    ]


def test_groups_at_the_minimum_are_shown_in_the_join_page_order() -> None:
    shown = merge_small_groups(
        {"wirtschaft": {"1": 3}, NO_GROUP: {"2": 4}, "verwaltung": {"1": 1, "3": 2}}, 3
    )
    assert [(g.group, g.label, g.n, g.counts) for g in shown] == [
        ("verwaltung", "Verwaltung", 3, {"1": 1, "3": 2}),
        ("wirtschaft", "Wirtschaft", 3, {"1": 3}),
        (NO_GROUP, "Ohne Angabe", 4, {"2": 4}),
    ]


def test_small_groups_are_merged_into_weitere() -> None:
    shown = merge_small_groups(
        {"verwaltung": {"1": 5}, "politik": {"2": 2}, "wirtschaft": {"2": 1, "4": 1}}, 3
    )
    assert [(g.group, g.n, g.counts) for g in shown] == [
        ("verwaltung", 5, {"1": 5}),
        (OTHERS, 4, {"2": 3, "4": 1}),
    ]


def test_a_lone_small_group_pulls_the_smallest_shown_group_into_weitere() -> None:
    """Left out alone, its one vote would be the overall total minus the shown groups."""
    shown = merge_small_groups(
        {"verwaltung": {"1": 6}, "politik": {"2": 3}, "wirtschaft": {"4": 1}}, 3
    )
    assert [(g.group, g.n, g.counts) for g in shown] == [
        ("verwaltung", 6, {"1": 6}),
        (OTHERS, 4, {"2": 3, "4": 1}),
    ]


def test_nothing_is_shown_when_all_votes_together_stay_below_the_minimum() -> None:
    assert merge_small_groups({"verwaltung": {"1": 1}, "politik": {"2": 1}}, 3) == []
    assert merge_small_groups({}, 3) == []


_group_keys = st.sampled_from([*STAKEHOLDER_GROUPS, NO_GROUP])
_counts = st.dictionaries(st.sampled_from("1234"), st.integers(0, 6), max_size=4)


@given(st.dictionaries(_group_keys, _counts), st.integers(1, 6))
def test_no_shown_number_rests_on_fewer_votes_than_the_minimum(
    by_group: dict[str, dict[str, int]], min_n: int
) -> None:
    shown = merge_small_groups(by_group, min_n)
    total = sum(sum(counts.values()) for counts in by_group.values())
    assert all(g.n >= min_n and g.n == sum(g.counts.values()) for g in shown)
    assert len({g.group for g in shown}) == len(shown)
    hidden = total - sum(g.n for g in shown)
    # What is left out can't be recovered as "overall minus shown" unless it is >= N.
    assert hidden == 0 or hidden >= min_n or total < min_n
    for g in shown:
        if g.group != OTHERS:
            assert g.counts == {v: c for v, c in sorted(by_group[g.group].items()) if c}


async def test_the_group_breakdown_applies_the_minimum_from_the_database(
    database: Database,
) -> None:
    workshop = await make_workshop(database)
    groups = ["verwaltung"] * 4 + ["politik"] * 2 + [None] * 2 + ["wirtschaft"]
    people = await join_many(database, workshop, groups)
    round_ = await open_new_round(database, workshop, "mood", None)
    for person in people:
        await vote(database, person, round_.id, "MS", "1" if person.stakeholder_group else "2")
    await vote(database, people[0], round_.id, "VW", "3")

    async with database.reading() as session:
        breakdown = await votes.group_breakdown(session, round_.id, 3)
    assert breakdown.min_n == 3
    assert [item.item_key for item in breakdown.items] == ["MS", "VW", "TH"]
    ms, vw, th = breakdown.items
    assert [(g.group, g.n, g.counts) for g in ms.groups] == [
        ("verwaltung", 4, {"1": 4}),
        (OTHERS, 5, {"1": 3, "2": 2}),
    ]
    assert vw.groups == [] and th.groups == []


async def test_the_group_breakdown_of_an_unknown_round_is_not_found(database: Database) -> None:
    async with database.reading() as session:
        with pytest.raises(NotFound):
            await votes.group_breakdown(session, 424242, 3)


def test_the_administrations_category_is_hidden_while_the_round_is_open() -> None:
    totals = _totals_with(ItemTotals(item_key="MS", n=0, counts={}), status="open")
    [comparison] = admin_comparison(totals, {"MS": 2})
    assert comparison.revealed is False and comparison.admin_category is None


def test_the_administrations_category_is_shown_once_the_round_is_closed() -> None:
    totals = _totals_with(
        ItemTotals(item_key="MS", n=0, counts={}),
        ItemTotals(item_key="VW", n=0, counts={}),
        status="closed",
    )
    shown = admin_comparison(totals, {"MS": 2, "VW": None})
    assert [(c.item_key, c.revealed, c.admin_category) for c in shown] == [
        ("MS", True, 2),
        ("VW", True, None),
    ]


def test_the_workshop_may_reveal_the_administrations_view_immediately() -> None:
    totals = _totals_with(ItemTotals(item_key="TH", n=0, counts={}), status="open")
    [comparison] = admin_comparison(totals, {"TH": 4}, reveal_immediately=True)
    assert comparison.revealed is True and comparison.admin_category == 4


def test_question_rounds_compare_with_the_administrations_answer() -> None:
    totals = _totals_with(
        ItemTotals(item_key="MS-01", n=0, counts={}),
        ItemTotals(item_key="MS-02", n=0, counts={}),
        status="closed",
        kind="questions",
    )
    shown = admin_comparison(totals, {"MS": 1}, answers={"MS-01": "teilweise"})
    assert [(c.item_key, c.admin_value, c.admin_category) for c in shown] == [
        ("MS-01", "teilweise", None),
        ("MS-02", None, None),
    ]


def test_admin_categories_come_from_the_scored_answers() -> None:
    answers = {"MS-01": "ja", "MS-02": "ja", "MS-03": "teilweise", "VW-01": "nein"}
    assert admin_categories(QUESTIONNAIRE, answers) == {"MS": 1, "VW": 4, "TH": None}


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({}, None),
        ({"3": 1}, 3),
        ({"1": 1, "4": 1}, 1),  # lower median of an even number of votes
        ({"1": 2, "3": 30, "4": 2}, 3),
        ({"1": 5, "2": 1, "4": 3}, 1),
        ({"2": 2, "4": 3}, 4),
    ],
)
def test_median_category_is_a_category_someone_chose(
    counts: dict[str, int], median: int | None
) -> None:
    assert median_category(counts) == median
