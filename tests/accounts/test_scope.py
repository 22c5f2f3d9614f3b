"""Who sees which units' data, for which purpose, on the demo data's unit tree.

Förvaltning (kvalitet, admin) → Hemtjänst och hemsjukvård (chef.omrade, made here) → Hemvård Nord (usk.nord,
samordnare.nord, chef.nord) and Hemvård Syd.
"""
import pytest
from sqlalchemy import select

from app.accounts import scope
from app.accounts.models import Unit
from app.accounts.rules import Role
from app.accounts.scope import Purpose, Reach
from app.extensions import db
from app.reports import handling, services
from app.reports.models import Report
from tests.reports.factories import make_unit, make_user
from tests.routines.factories import unit, user

ADMINISTRATION = "Vård- och omsorgsförvaltningen"
DISTRICT = "Hemtjänst och hemsjukvård"
NORD, SYD = "Hemvård Nord", "Hemvård Syd"
EVERY_UNIT = {ADMINISTRATION, DISTRICT, NORD, SYD}
NOTHING: set[str] = set()

# (username, purpose, the units whose data they see)
SEEN = [
    ("usk.nord", Purpose.HANDLE_REPORTS, NOTHING),
    ("samordnare.nord", Purpose.HANDLE_REPORTS, NOTHING),
    ("chef.nord", Purpose.HANDLE_REPORTS, {NORD}),
    ("chef.omrade", Purpose.HANDLE_REPORTS, {DISTRICT, NORD, SYD}),
    ("kvalitet", Purpose.HANDLE_REPORTS, EVERY_UNIT),
    ("admin", Purpose.HANDLE_REPORTS, NOTHING),
    ("usk.nord", Purpose.REPORT, {NORD}),
    ("chef.omrade", Purpose.REPORT, {DISTRICT, NORD, SYD}),
    ("admin", Purpose.REPORT, EVERY_UNIT),
    ("usk.nord", Purpose.READ_ROUTINES, {ADMINISTRATION, DISTRICT, NORD}),
    ("chef.omrade", Purpose.READ_ROUTINES, EVERY_UNIT),
    ("usk.nord", Purpose.WRITE_ROUTINES, NOTHING),
    ("chef.nord", Purpose.WRITE_ROUTINES, {NORD}),
    ("kvalitet", Purpose.WRITE_ROUTINES, EVERY_UNIT),
    ("admin", Purpose.WRITE_ROUTINES, NOTHING),
    ("samordnare.nord", Purpose.FOLLOW_READING, NOTHING),
    ("chef.omrade", Purpose.FOLLOW_READING, {DISTRICT, NORD, SYD}),
    ("usk.nord", Purpose.SEND_NOTICES, NOTHING),
    ("samordnare.nord", Purpose.SEND_NOTICES, {NORD}),
    ("chef.nord", Purpose.SEND_NOTICES, {NORD}),
    ("admin", Purpose.SEND_NOTICES, EVERY_UNIT),
]


@pytest.fixture
def demo(app):
    """The demo data with a district manager, in an app context."""
    with app.app_context():
        make_user("chef.omrade", Role.MANAGER, DISTRICT)
        yield
        db.session.remove()


def names(unit_ids) -> set[str]:
    return set(db.session.scalars(select(Unit.name).where(Unit.id.in_(unit_ids))))


@pytest.mark.parametrize(("username", "purpose", "seen"), SEEN, ids=[f"{row[0]}-{row[1]}" for row in SEEN])
def test_each_role_sees_the_units_of_its_reach(demo, username, purpose, seen):
    assert names(scope.visible_unit_ids(user(username), purpose)) == seen


@pytest.mark.parametrize(("username", "purpose", "seen"), SEEN, ids=[f"{row[0]}-{row[1]}" for row in SEEN])
def test_the_sql_filter_selects_the_same_units(demo, username, purpose, seen):
    condition = scope.unit_filter(user(username), purpose, Unit.id)
    assert set(db.session.scalars(select(Unit.name).where(condition))) == seen


@pytest.mark.parametrize(("username", "purpose", "seen"), SEEN, ids=[f"{row[0]}-{row[1]}" for row in SEEN])
def test_reaching_one_unit_agrees_with_the_units_seen(demo, username, purpose, seen):
    for name in EVERY_UNIT:
        assert scope.reaches_unit(user(username), purpose, unit(name).id) is (name in seen)


def test_quality_handles_every_unit_but_follows_reading_only_below_their_own(demo):
    make_user("kvalitet.syd", Role.QUALITY, SYD)
    assert names(scope.visible_unit_ids(user("kvalitet.syd"), Purpose.HANDLE_REPORTS)) == EVERY_UNIT
    assert names(scope.visible_unit_ids(user("kvalitet.syd"), Purpose.FOLLOW_READING)) == {SYD}


def test_a_new_unit_below_a_district_is_in_its_managers_scope(demo):
    make_unit("Hemvård Väst", parent=DISTRICT)
    assert "Hemvård Väst" in names(scope.visible_unit_ids(user("chef.omrade"), Purpose.HANDLE_REPORTS))
    assert "Hemvård Väst" not in names(scope.visible_unit_ids(user("chef.nord"), Purpose.HANDLE_REPORTS))


@pytest.mark.parametrize(("username", "purpose", "every_unit"), [
    ("kvalitet", Purpose.HANDLE_REPORTS, True), ("chef.omrade", Purpose.HANDLE_REPORTS, False),
    ("admin", Purpose.HANDLE_REPORTS, False), ("admin", Purpose.SEND_NOTICES, True),
    ("kvalitet", Purpose.FOLLOW_READING, False),
])
def test_who_sees_every_unit_whichever_their_own(demo, username, purpose, every_unit):
    assert scope.sees_every_unit(user(username), purpose) is every_unit


def test_the_role_groups_are_read_from_the_reach_table():
    assert scope.HANDLERS == {Role.MANAGER, Role.NURSE, Role.QUALITY}
    assert scope.ROUTINE_WRITERS == {Role.MANAGER, Role.QUALITY}
    assert scope.READING_FOLLOWERS == {Role.MANAGER, Role.QUALITY}
    assert scope.NOTICE_SENDERS == {Role.COORDINATOR, Role.MANAGER, Role.QUALITY, Role.ADMIN}


def test_every_purpose_has_a_row_of_known_roles():
    assert set(scope.REACH) == set(Purpose)
    assert all(set(row) <= set(Role) and set(row.values()) <= set(Reach) for row in scope.REACH.values())


def test_a_role_added_to_the_reports_row_handles_those_reports(demo, monkeypatch):
    monkeypatch.setitem(scope.REACH[Purpose.HANDLE_REPORTS], Role.COORDINATOR, Reach.BELOW)
    coordinator = user("samordnare.nord")
    nord_report = db.session.scalar(select(Report).where(Report.unit_id == unit(NORD).id).limit(1))
    syd_report = db.session.scalar(select(Report).where(Report.unit_id == unit(SYD).id).limit(1))
    assert services.is_handler(coordinator, nord_report) and services.may_read(coordinator, nord_report)
    assert not services.is_handler(coordinator, syd_report)
    assert {report.unit_id for report in handling.inbox(coordinator)} == {unit(NORD).id}


# förvaltning 1 → område 2 → enheter 3, 4; område 5 → enhet 6
PARENT_OF = {1: None, 2: 1, 3: 2, 4: 2, 5: 1, 6: 5}


@pytest.mark.parametrize(("reach", "member_of", "reached"), [
    (None, {3}, set()),
    (Reach.BELOW, {3}, {3}),
    (Reach.BELOW, {2}, {2, 3, 4}),
    (Reach.BELOW_AND_ABOVE, {3}, {1, 2, 3}),
    (Reach.BELOW_AND_ABOVE, {2, 6}, {1, 2, 3, 4, 5, 6}),
    (Reach.ALL, {6}, {1, 2, 3, 4, 5, 6}),
    (Reach.ALL, set(), {1, 2, 3, 4, 5, 6}),
])
def test_the_reach_walks_the_unit_tree(reach, member_of, reached):
    assert scope.units_reached(reach, member_of, PARENT_OF) == reached


def test_the_walk_up_survives_a_cycle_in_bad_data():
    assert scope.units_above({9}, {7: 8, 8: 7, 9: 7}) == {7, 8}
