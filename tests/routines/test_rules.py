"""The routine rules, row by row."""
from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.rules import Role
from app.accounts.scope import Reach, units_reached
from app.extensions import db
from app.routines.models import Routine
from app.routines.rules import (
    TRANSITIONS,
    VersionStatus,
    approval_problem,
    may_edit,
    may_move,
    may_read,
    possible_approvers,
    review_is_overdue_sql,
    submit_problem,
)
from tests.conftest import DATABASES, demo_database

# förvaltning 1 → område 2 → enheter 3 (Nord), 4 (Syd)
PARENT_OF = {1: None, 2: 1, 3: 2, 4: 2}


@pytest.mark.parametrize(
    ("member_of", "visible"),
    [
        ({3}, {1, 2, 3}),
        ({4}, {1, 2, 4}),
        ({2}, {1, 2, 3, 4}),
        ({1}, {1, 2, 3, 4}),
    ],
)
def test_members_see_their_units_those_below_and_those_above(member_of, visible):
    assert units_reached(Reach.BELOW_AND_ABOVE, member_of, PARENT_OF) == visible


@pytest.mark.parametrize(
    ("scope", "visible", "readable"),
    [(None, set(), True), (3, {1, 2, 3}, True), (4, {1, 2, 3}, False), (2, {1, 2, 3}, True)],
)
def test_who_reads_a_routine(scope, visible, readable):
    assert may_read(scope, visible) is readable


@pytest.mark.parametrize(
    ("role", "scope", "managed", "editable"),
    [
        (Role.QUALITY, None, set(), True),
        (Role.QUALITY, 4, set(), True),
        (Role.MANAGER, 3, {3}, True),
        (Role.MANAGER, 4, {3}, False),
        (Role.MANAGER, None, {3}, False),
        (Role.STAFF, 3, {3}, False),
        (Role.COORDINATOR, 3, {3}, False),
        (Role.ADMIN, None, {1, 2, 3, 4}, False),
    ],
)
def test_who_writes_a_routine(role, scope, managed, editable):
    assert may_edit(role, scope, managed) is editable


def test_the_author_cannot_approve_their_own_version():
    assert approval_problem(actor_id=5, author_id=5, owner_id=5, approver_id=None)


def test_only_the_owner_or_named_approver_approves():
    assert approval_problem(actor_id=7, author_id=5, owner_id=6, approver_id=None)
    assert approval_problem(actor_id=6, author_id=5, owner_id=6, approver_id=None) is None
    assert approval_problem(actor_id=7, author_id=5, owner_id=6, approver_id=7) is None


def test_an_owner_writing_needs_a_named_approver():
    assert possible_approvers(author_id=5, owner_id=5, approver_id=None) == set()
    assert submit_problem("Ny dosering", author_id=5, owner_id=5, approver_id=None)
    assert submit_problem("Ny dosering", author_id=5, owner_id=5, approver_id=8) is None


def test_a_change_summary_is_required_to_submit():
    assert submit_problem("  ", author_id=5, owner_id=6, approver_id=None)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, True),
        (VersionStatus.DRAFT, VersionStatus.PUBLISHED, False),
        (VersionStatus.IN_REVIEW, VersionStatus.PUBLISHED, True),
        (VersionStatus.IN_REVIEW, VersionStatus.RETURNED, True),
        (VersionStatus.RETURNED, VersionStatus.IN_REVIEW, True),
        (VersionStatus.RETURNED, VersionStatus.PUBLISHED, False),
        (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, True),
        (VersionStatus.SUPERSEDED, VersionStatus.PUBLISHED, False),
    ],
)
def test_version_workflow_transitions(current, target, allowed):
    assert may_move(current, target) is allowed


def test_every_status_has_a_transition_row():
    assert set(TRANSITIONS) == set(VersionStatus)


# (review due on, today, overdue)
REVIEWS = [
    (date(2026, 3, 1), date(2026, 3, 1), False),
    (date(2026, 3, 1), date(2026, 3, 2), True),
    (date(2026, 3, 1), date(2026, 2, 28), False),
    (date(2025, 12, 31), date(2026, 1, 1), True),
]


@pytest.fixture(params=DATABASES)
def demo(request, tmp_path):
    """An app context on the demo data, on SQLite and on PostgreSQL."""
    with demo_database(request, tmp_path):
        yield


def test_review_is_overdue_the_day_after_the_date(demo):
    routine = db.session.scalar(select(Routine).limit(1))
    found = []
    for due_on, today, _overdue in REVIEWS:
        routine.review_due_on = due_on
        db.session.flush()
        found.append(db.session.scalar(select(review_is_overdue_sql(Routine.review_due_on, today))
                                       .where(Routine.id == routine.id)))
    assert [bool(value) for value in found] == [row[2] for row in REVIEWS]
