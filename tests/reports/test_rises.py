"""Unusual rises: the Poisson test row by row, the demo year's one rise, and who is told of it, once a week."""
import math
import pytest
from sqlalchemy import select

from app.accounts.models import Unit, User
from app.extensions import db
from app.notices.models import InboxItem
from app.reports import rises
from app.timestamps import local_today


@pytest.mark.parametrize(("observed", "expected", "tail"), [
    (0, 2.0, 1.0),
    (1, 1.0, 1 - math.exp(-1)),
    (5, 1.0, 0.0036598),
    (8, 2.0, 0.0010967),
])
def test_the_poisson_tail_is_the_chance_of_at_least_that_many(observed, expected, tail):
    assert rises.poisson_upper_tail(observed, expected) == pytest.approx(tail, abs=1e-6)


@pytest.mark.parametrize(("recent", "year_before", "unusual"), [
    (2, 0, False),    # one or two reports are never news
    (3, 0, False),    # a first few of a kind: expected at least 0.5, p 0.014
    (5, 13, False),   # about one every four weeks before, five now: p 0.004, not below 0.001
    (6, 13, True),    # six: p 0.0006
    (9, 26, True),
    (10, 52, False),  # four expected: ten is high but p 0.008
    (13, 52, True),
])
def test_a_rise_is_unusual_only_when_unlikely_by_chance(recent, year_before, unusual):
    assert rises.is_unusual_rise(recent, year_before) is unusual


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_the_demo_year_ends_with_one_rise_of_care_deviations_in_hemvard_syd(app):
    with app.app_context():
        # The demo's random year may hold a rise by chance besides the one laid on purpose.
        syd = db.session.scalar(select(Unit.id).where(Unit.name == "Hemvård Syd"))
        found = rises.find_rises(local_today())
        [rise] = [rise for rise in found if (rise.unit_id, rise.kind) == (syd, "avvikelse_hsl")]
        assert rise.recent >= 8 and rise.expected < rise.recent / 2


def test_managers_of_the_unit_and_quality_are_told_once_a_week(app):
    with app.app_context():
        today = local_today()
        assert rises.flag_unusual_rises(today) == len(rises.find_rises(today)) >= 1
        db.session.commit()
        assert rises.flag_unusual_rises(today) == 0
        items = db.session.scalars(select(InboxItem).where(
            InboxItem.title == "Ovanligt många rapporter: Avvikelse i vården (HSL), Hemvård Syd")).all()
        told = {db.session.get(User, item.user_id).username for item in items}
        assert {"kvalitet", "mas"} <= told and "chef.nord" not in told and "usk.syd" not in told
        syd = db.session.scalar(select(Unit.id).where(Unit.name == "Hemvård Syd"))
        assert all(item.url.startswith(f"/statistik?enhet={syd}&typ=") for item in items)
