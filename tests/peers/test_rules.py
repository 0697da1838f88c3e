"""Distributions over municipalities: withheld below five."""

from __future__ import annotations

from selfcheck.peers.rules import distribution
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.peer_section import TOO_FEW


def test_four_municipalities_show_nothing_not_even_their_number(
    world_questionnaire: Questionnaire,
) -> None:
    shown = distribution([1, 1, 2, None], world_questionnaire.categories, count_unrated=True)
    assert not shown.shown
    assert shown.municipalities is None
    assert shown.categories == []
    assert shown.message == TOO_FEW == "Noch zu wenige Kommunen für einen Vergleich (mindestens 5)."


def test_five_municipalities_show_the_share_per_category(
    world_questionnaire: Questionnaire,
) -> None:
    shown = distribution([1, 1, 2, 4, None], world_questionnaire.categories, count_unrated=True)
    assert shown.shown and shown.municipalities == 5
    assert [(c.number, c.count) for c in shown.categories] == [
        (1, 2), (2, 1), (3, 0), (4, 1), (None, 1)
    ]  # fmt: skip
    assert shown.categories[0].share == 0.4


def test_municipalities_without_a_workshop_figure_do_not_count_for_the_workshop(
    world_questionnaire: Questionnaire,
) -> None:
    medians = [2, 2, 3, 1, None, None]
    assert not distribution(medians, world_questionnaire.categories, count_unrated=False).shown
