"""Pure rules: months, overdue, titles."""

from __future__ import annotations

from datetime import date

import pytest

from selfcheck.actionplan.rules import is_overdue, month_label, parse_month, short_title
from selfcheck.errors import InvalidInput
from selfcheck.vocabulary import MeasureStatus


def test_a_month_is_read_in_iso_and_german_spelling() -> None:
    assert parse_month("2027-03") == date(2027, 3, 1)
    assert parse_month("3.2027") == date(2027, 3, 1)
    assert parse_month(" ") is None
    assert month_label(date(2027, 3, 1)) == "März 2027"


def test_a_month_that_is_none_is_refused_in_german() -> None:
    with pytest.raises(InvalidInput, match="Bitte geben Sie einen Monat an"):
        parse_month("2027-13")
    with pytest.raises(InvalidInput):
        parse_month("nächstes Jahr")


def test_a_past_deadline_is_overdue_only_while_the_measure_is_open() -> None:
    today = date(2027, 4, 2)
    assert is_overdue(date(2027, 3, 1), MeasureStatus.PLANNED, today)
    assert not is_overdue(date(2027, 4, 1), MeasureStatus.PLANNED, today)  # still this month
    assert not is_overdue(date(2027, 3, 1), MeasureStatus.DONE, today)
    assert not is_overdue(None, MeasureStatus.PLANNED, today)


def test_a_long_text_becomes_a_title_of_its_first_sentence() -> None:
    assert short_title("Erst dies. Dann das.") == "Erst dies."
    assert len(short_title("wort " * 100)) <= 200
