"""Swedish working days: weekdays that are not public holidays (nor the eves Swedish workplaces keep free)."""
from datetime import date, timedelta


def easter_sunday(year: int) -> date:
    """Easter Sunday of the year (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday) // 433
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def midsummer_eve(year: int) -> date:
    """The Friday between 19 and 25 June."""
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)


def holidays(year: int) -> set[date]:
    """The public holidays (helgdagar) on weekdays that matter here, and midsommar-, jul- and nyårsafton."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]
    moving = [easter - timedelta(days=2), easter + timedelta(days=1), easter + timedelta(days=39),
              midsummer_eve(year)]
    return {date(year, month, day) for month, day in fixed} | set(moving)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (`day` itself need not be one)."""
    while count > 0:
        day += timedelta(days=1)
        count -= is_working_day(day)
    return day
