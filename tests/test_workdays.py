"""Swedish working days: weekends and public holidays are not counted."""
from datetime import date

import pytest

from app.workdays import add_working_days, easter_sunday, is_working_day, midsummer_eve


@pytest.mark.parametrize(("year", "easter"), [(2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
                                              (2027, date(2027, 3, 28))])
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 11, 23), True), (date(2026, 11, 28), False), (date(2026, 4, 3), False),  # Långfredagen
    (date(2026, 4, 6), False), (date(2026, 5, 14), False), (date(2026, 6, 19), False),  # Annandag påsk, Kristi
    (date(2026, 12, 24), False), (date(2027, 1, 6), False), (date(2026, 6, 18), True),  # himmelsfärd, midsommar
])
def test_which_days_are_working_days(day, working):
    assert is_working_day(day) is working


def test_midsummer_eve_is_the_friday_between_19_and_25_june():
    assert midsummer_eve(2026) == date(2026, 6, 19) and midsummer_eve(2027) == date(2027, 6, 25)


@pytest.mark.parametrize(("start", "count", "end"), [
    (date(2026, 11, 23), 2, date(2026, 11, 25)),  # Monday → Wednesday
    (date(2026, 11, 26), 2, date(2026, 11, 30)),  # Thursday → Monday
    (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday → Monday
    (date(2026, 12, 23), 2, date(2026, 12, 29)),  # past Christmas
])
def test_adding_working_days(start, count, end):
    assert add_working_days(start, count) == end
