"""The account rules, row by row."""
import pytest

from app.accounts.rules import (
    MIN_PASSWORD_LENGTH,
    Access,
    Role,
    UnitKind,
    deactivation_problem,
    describe_user_agent,
    may_access,
    parent_kind_problem,
    password_problem,
    role_change_problem,
)
from app.accounts.scope import units_and_below

HANDLERS = frozenset({Role.MANAGER, Role.QUALITY})


@pytest.mark.parametrize("role", [None, *Role])
def test_public_views_are_open_to_everyone(role):
    assert may_access(role, Access.PUBLIC)


def test_signed_in_views_refuse_the_anonymous():
    assert not may_access(None, Access.SIGNED_IN)


@pytest.mark.parametrize("role", list(Role))
def test_signed_in_views_admit_every_role(role):
    assert may_access(role, Access.SIGNED_IN)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.STAFF, False),
        (Role.COORDINATOR, False),
        (Role.MANAGER, True),
        (Role.QUALITY, True),
        (Role.ADMIN, False),
        (None, False),
    ],
)
def test_role_lists_admit_only_the_listed_roles(role, allowed):
    assert may_access(role, HANDLERS) is allowed


def test_an_unknown_role_is_refused_even_for_signed_in_views():
    assert not may_access("superuser", Access.SIGNED_IN)


# förvaltning 1 → område 2 → enheter 3, 4; område 5 → enhet 6
PARENT_OF = {1: None, 2: 1, 3: 2, 4: 2, 5: 1, 6: 5}


@pytest.mark.parametrize(
    ("member_of", "scope"),
    [
        ({3}, {3}),
        ({3, 6}, {3, 6}),
        ({2}, {2, 3, 4}),
        ({1}, {1, 2, 3, 4, 5, 6}),
        (set(), set()),
    ],
)
def test_membership_covers_the_unit_and_everything_below_it(member_of, scope):
    assert units_and_below(member_of, PARENT_OF) == scope


def test_unit_scope_survives_a_cycle_in_bad_data():
    assert units_and_below({9}, {7: 8, 8: 7, 9: None}) == {9}


@pytest.mark.parametrize(
    ("kind", "parent_kind", "ok"),
    [
        (UnitKind.ADMINISTRATION, None, True),
        (UnitKind.ADMINISTRATION, UnitKind.DISTRICT, False),
        (UnitKind.DISTRICT, UnitKind.ADMINISTRATION, True),
        (UnitKind.DISTRICT, None, False),
        (UnitKind.UNIT, UnitKind.DISTRICT, True),
        (UnitKind.UNIT, UnitKind.ADMINISTRATION, False),
        (UnitKind.UNIT, UnitKind.UNIT, False),
    ],
)
def test_units_nest_förvaltning_område_enhet(kind, parent_kind, ok):
    assert (parent_kind_problem(kind, parent_kind) is None) is ok


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("a" * (MIN_PASSWORD_LENGTH - 1), False),
        ("a" * MIN_PASSWORD_LENGTH, True),
        (" " + "a" * MIN_PASSWORD_LENGTH, False),
        ("korrekt häst batteri", True),
    ],
)
def test_password_policy(password, ok):
    assert (password_problem(password) is None) is ok


def test_nobody_deactivates_themselves():
    assert deactivation_problem(actor_id=1, target_id=1, target_role=Role.ADMIN, active_admins=3)


def test_the_last_active_admin_cannot_be_deactivated():
    assert deactivation_problem(actor_id=1, target_id=2, target_role=Role.ADMIN, active_admins=1)


def test_an_admin_can_deactivate_another_user():
    assert deactivation_problem(actor_id=1, target_id=2, target_role=Role.STAFF, active_admins=1) is None


def test_the_last_active_admin_keeps_the_admin_role():
    assert role_change_problem(Role.ADMIN, Role.STAFF, target_active=True, active_admins=1)
    assert role_change_problem(Role.ADMIN, Role.STAFF, target_active=True, active_admins=2) is None
    assert role_change_problem(Role.STAFF, Role.ADMIN, target_active=True, active_admins=1) is None


USER_AGENTS = [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1", "Safari på iPhone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/126.0 Mobile/15E148 Safari/604.1", "Chrome på iPhone"),
    ("Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36", "Samsung Internet på Android"),
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
     "Chrome på Android"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 "
     "Safari/537.36 Edg/126.0", "Edge på Windows"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox på Mac"),
    ("curl/8.5.0", "Okänd webbläsare"),
    ("", "Okänd webbläsare"),
]


@pytest.mark.parametrize(("user_agent", "described"), USER_AGENTS)
def test_a_user_agent_is_described_as_people_say_it(user_agent, described):
    assert describe_user_agent(user_agent) == described
