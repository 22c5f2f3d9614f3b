"""The quality year's rules: recurrences across year ends, reminder steps, answers; and the SQL beside them."""
from datetime import date, datetime, timezone

import pytest

from app.quality import rules
from app.quality.rules import MonthDay, Recurrence, Step
from app.timestamps import local_today


def days(*texts):
    return [MonthDay.parse(text) for text in texts]


def test_yearly_dates_fall_each_year_across_the_year_end():
    found = rules.occurrences(Recurrence.YEARLY, days("12-31", "01-01"), date(2026, 12, 1), date(2027, 1, 31))
    assert found == [date(2026, 12, 31), date(2027, 1, 1)]


def test_twice_a_year_is_the_date_and_six_months_later():
    found = rules.occurrences(Recurrence.TWICE_A_YEAR, days("09-15"), date(2026, 1, 1), date(2027, 12, 31))
    assert found == [date(2026, 3, 15), date(2026, 9, 15), date(2027, 3, 15), date(2027, 9, 15)]


def test_each_tertial_wraps_over_the_year_end():
    found = rules.occurrences(Recurrence.TERTIAL, days("11-30"), date(2026, 11, 1), date(2027, 11, 30))
    assert found == [date(2026, 11, 30), date(2027, 3, 30), date(2027, 7, 30), date(2027, 11, 30)]


def test_monthly_on_the_31st_falls_on_the_last_day_of_short_months():
    found = rules.occurrences(Recurrence.MONTHLY, days("01-31"), date(2027, 1, 1), date(2027, 4, 30))
    assert found == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_29_february_falls_on_the_28th_outside_leap_years():
    found = rules.occurrences(Recurrence.YEARLY, days("02-29"), date(2027, 1, 1), date(2028, 12, 31))
    assert found == [date(2027, 2, 28), date(2028, 2, 29)]


def test_occurrences_include_both_ends_and_nothing_outside():
    found = rules.occurrences(Recurrence.MONTHLY, days("03-15"), date(2027, 3, 15), date(2027, 4, 15))
    assert found == [date(2027, 3, 15), date(2027, 4, 15)]
    assert rules.occurrences(Recurrence.MONTHLY, days("03-15"), date(2027, 3, 16), date(2027, 4, 14)) == []


def test_months_of_a_rule_for_the_wheel():
    assert rules.months_of(Recurrence.TWICE_A_YEAR, days("03-01")) == [3, 9]
    assert rules.months_of(Recurrence.TERTIAL, days("01-31")) == [1, 5, 9]
    assert rules.months_of(Recurrence.MONTHLY, days("01-01")) == list(range(1, 13))


@pytest.mark.parametrize("text", ["", "13-01", "00-10", "03-32", "mars", "03/15"])
def test_unreadable_dates_are_refused_in_swedish(text):
    with pytest.raises(ValueError, match="MM-DD"):
        rules.parse_dates(text)


def test_dates_are_read_with_commas_or_spaces_and_sorted():
    assert [str(day) for day in rules.parse_dates("9-15, 03-15 03-15")] == ["03-15", "09-15"]


DUE = date(2027, 3, 15)


@pytest.mark.parametrize(("today", "steps"), [
    (date(2027, 2, 28), []),
    (date(2027, 3, 1), [Step.LEAD]),
    (date(2027, 3, 14), [Step.LEAD]),
    (date(2027, 3, 15), [Step.DUE]),
    (date(2027, 3, 16), [Step.OVERDUE]),
    (date(2027, 3, 21), [Step.OVERDUE]),
    (date(2027, 3, 22), [Step.OVERDUE, Step.QUALITY]),
])
def test_reminder_steps_by_day(today, steps):
    assert rules.reminder_steps(DUE, 14, today) == steps


def test_no_lead_reminder_without_a_lead_time():
    assert rules.reminder_steps(DUE, 0, date(2027, 3, 14)) == []


def test_lead_reminder_across_the_year_end():
    assert rules.reminder_steps(date(2027, 1, 5), 14, date(2026, 12, 22)) == [Step.LEAD]
    assert rules.reminder_steps(date(2027, 1, 5), 14, date(2026, 12, 21)) == []


@pytest.mark.parametrize(("moment", "expected"), [
    # Spring: clocks go from 02:00 to 03:00 on 28 March 2027 (01:00 UTC).
    (datetime(2027, 3, 27, 22, 59, tzinfo=timezone.utc), [Step.LEAD]),  # 23:59 on the 27th, winter time
    (datetime(2027, 3, 27, 23, 0, tzinfo=timezone.utc), [Step.DUE]),  # midnight, the 28th
    (datetime(2027, 3, 28, 21, 59, tzinfo=timezone.utc), [Step.DUE]),  # 23:59 on the 28th, summer time
    (datetime(2027, 3, 28, 22, 0, tzinfo=timezone.utc), [Step.OVERDUE]),  # midnight, the 29th
])
def test_reminders_follow_the_swedish_day_over_the_spring_change(clock, moment, expected):
    clock.pin(moment)
    assert rules.reminder_steps(date(2027, 3, 28), 7, local_today()) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    # Autumn: clocks go from 03:00 back to 02:00 on 31 October 2027 (01:00 UTC).
    (datetime(2027, 10, 30, 21, 59, tzinfo=timezone.utc), [Step.LEAD]),  # 23:59 on the 30th, summer time
    (datetime(2027, 10, 30, 22, 0, tzinfo=timezone.utc), [Step.DUE]),  # midnight, the 31st
    (datetime(2027, 10, 31, 22, 59, tzinfo=timezone.utc), [Step.DUE]),  # 23:59 on the 31st, winter time
    (datetime(2027, 10, 31, 23, 0, tzinfo=timezone.utc), [Step.OVERDUE]),  # midnight, 1 November
])
def test_reminders_follow_the_swedish_day_over_the_autumn_change(clock, moment, expected):
    clock.pin(moment)
    assert rules.reminder_steps(date(2027, 10, 31), 7, local_today()) == expected


@pytest.mark.parametrize(("kind", "value", "ok"), [
    ("ja_nej", "ja", True), ("ja_nej", "delvis", True), ("ja_nej", "kanske", False), ("ja_nej", "", False),
    ("skala", "5", True), ("skala", "6", False), ("tal", "2,5", True), ("tal", "två", False),
    ("text", "Allt väl", True), ("text", "", True), ("tal", "", False),
])
def test_answers_must_fit_the_question(kind, value, ok):
    assert (rules.answer_problem(kind, value) is None) == ok


def test_only_a_no_to_a_question_that_asks_for_it_needs_action():
    assert rules.needs_action("ja_nej", True, "nej")
    assert not rules.needs_action("ja_nej", True, "delvis")
    assert not rules.needs_action("ja_nej", False, "nej")


def test_a_handed_task_is_only_the_colleagues():
    assert rules.open_to(7, "staff", {1}, 7, "manager", 1)
    assert not rules.open_to(8, "manager", {1}, 7, "manager", 1)
    assert rules.open_to(8, "manager", {1}, None, "manager", 1)
    assert not rules.open_to(8, "manager", {2}, None, "manager", 1)
