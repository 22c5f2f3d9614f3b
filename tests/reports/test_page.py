"""The handling page's values (reports/page.py) for demo reports: what a handler sees of one report at one moment."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.reports import services
from app.reports.demo import CONFIRM_REASON, DOWNGRADE_REASON, report_uuid
from app.reports.page import HANDLING_TABLES, handling_page

# Demo reports by index (deterministic: a seeded generator): a closed Lex Sarah and work-environment case of
# Hemvård Nord, a closed Lex Maria case of Hemvård Syd linked to a routine, and a just received Lex Maria case.
CLOSED_LEX_SARAH = 23
LINKED_TO_ROUTINE = 29
RECEIVED_LEX_MARIA = 33


@pytest.fixture
def context(app):
    with app.app_context():
        yield


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def demo_report(index: int):
    return services.find_report(report_uuid(index))


def test_a_closed_case_shows_its_history_investigation_actions_and_stopped_clocks(context):
    report = demo_report(CLOSED_LEX_SARAH)
    page = handling_page(user("chef.nord"), report, report.closed_at + timedelta(days=1), {})
    assert page.report is report and page.next_statuses == ("investigating",)
    assert [change.reason in (CONFIRM_REASON, DOWNGRADE_REASON) for change in page.history] == [True]
    assert [entry.kind for entry in page.entries][:1] == ["fact"]
    assert len(page.actions) == 1 and page.actions[0].status == "done"
    assert {state.clock.code for state in page.clocks} == {"lex_sarah", "av"}
    assert all(state.stopped and not state.overdue for state in page.clocks)


def test_a_received_case_s_clock_runs_from_when_it_was_written(context):
    report = demo_report(RECEIVED_LEX_MARIA)
    just_before = handling_page(user("kvalitet"), report, report.created_at + timedelta(hours=47), {})
    just_after = handling_page(user("kvalitet"), report, report.created_at + timedelta(hours=49), {})
    assert [(state.clock.code, state.overdue) for state in just_before.clocks] == [("lex_maria", False)]
    assert [(state.clock.code, state.overdue) for state in just_after.clocks] == [("lex_maria", True)]
    assert (just_before.history, just_before.actions, just_before.next_statuses) == ([], [], ("investigating",))


def test_a_configured_clock_duration_is_used(context):
    report = demo_report(RECEIVED_LEX_MARIA)
    page = handling_page(user("kvalitet"), report, report.created_at + timedelta(hours=2),
                         {"FICKAN_CLOCK_LEX_MARIA_HOURS": "1"})
    assert [state.overdue for state in page.clocks] == [True]


def test_today_is_the_day_in_stockholm(context):
    late_evening_utc = datetime(2026, 3, 10, 23, 30, tzinfo=timezone.utc)
    page = handling_page(user("chef.nord"), demo_report(CLOSED_LEX_SARAH), late_evening_utc, {})
    assert (page.now, page.today) == (late_evening_utc, date(2026, 3, 11))


def test_only_quality_gets_the_access_log(context):
    report = demo_report(CLOSED_LEX_SARAH)
    services.record_access(user("chef.nord"), report, "report")
    now = report.closed_at + timedelta(days=1)
    assert handling_page(user("chef.nord"), report, now, {}).accesses is None
    assert [access.what for access in handling_page(user("kvalitet"), report, now, {}).accesses] == ["report"]


def test_the_linked_routine_and_the_routines_to_choose_from(context):
    report = demo_report(LINKED_TO_ROUTINE)
    page = handling_page(user("kvalitet"), report, report.closed_at + timedelta(days=1), {})
    assert page.linked_routine is not None and page.linked_routine.id == report.routine_id
    assert page.linked_routine in page.routines


def test_the_owners_to_choose_from_are_the_unit_s_active_users(context):
    report = demo_report(CLOSED_LEX_SARAH)
    page = handling_page(user("chef.nord"), report, report.closed_at, {})
    usernames = {owner.username for owner in page.owners}
    assert {"chef.nord", "usk.nord"} <= usernames and "usk.syd" not in usernames
    assert all(owner.active for owner in page.owners)


def test_the_template_gets_the_page_s_values_and_the_rules_tables(context):
    report = demo_report(CLOSED_LEX_SARAH)
    values = handling_page(user("chef.nord"), report, report.closed_at, {}).template_context()
    assert values["report"] is report and set(HANDLING_TABLES) <= set(values)
    assert {"history", "entries", "actions", "clocks", "similar", "owners", "routines", "linked_routine",
            "accesses", "next_statuses", "today", "now"} <= set(values)
