"""Complaints in /statistik (per unit, month, channel, outcome) and the tertial summary page."""
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.accounts.services import find_user
from app.complaints import rules, statistics
from app.complaints.models import Complaint
from app.extensions import db
from app.reports import handling
from app.reports import statistics as report_statistics
from app.reports.models import Report
from app.timestamps import local_today
from tests.conftest import DATABASES, demo_database
from tests.complaints.factories import submit_and_follow, unit_id

# Before the demo data's year (laid back from the day the suite runs), so only these complaints count.
MARCH = datetime(2024, 3, 10, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def complaints(client, app, clock):
    """Three complaints in March 2024: two about Nord (one anonymous), one about an unknown unit."""
    clock.pin(MARCH)
    submit_and_follow(client, unit_id=unit_id(app))
    submit_and_follow(client, unit_id=unit_id(app), answer_way="email", email="a@example.org", name="A")
    submit_and_follow(client, unit_id="")
    clock.pin(datetime(2024, 6, 1, 9, 0, tzinfo=timezone.utc))


def chart_count(html: str, label: str) -> int | None:
    """The number a chart row shows beside `label` (reports/_chart.html: a table row with the value as text)."""
    row = rf'<th scope="row">{re.escape(label)}</th><td>.*?<span class="chart-value">(\d+)</span>'
    found = re.search(row, html, re.S)
    return int(found.group(1)) if found else None


def test_the_dashboard_counts_complaints_per_unit_channel_and_outcome(client, auth, complaints):
    auth.login_as_role("quality")
    html = client.get("/statistik?fran=2024-01-01&till=2024-05-31").get_data(as_text=True)
    assert "data-complaint-total>3<" in html
    assert chart_count(html, "Hemvård Nord") == 2
    assert chart_count(html, "Okänd enhet") == 1
    assert chart_count(html, "Webbformuläret") == 3
    assert chart_count(html, "Pågår") == 3
    assert chart_count(html, "2024-03") == 3


def test_a_manager_counts_only_the_complaints_they_handle(client, auth, complaints):
    auth.login_as_role("manager")
    html = client.get("/statistik?fran=2024-01-01&till=2024-05-31").get_data(as_text=True)
    assert "data-complaint-total>2<" in html
    assert "Okänd enhet" not in html


def test_the_tertial_page_sums_up_the_tertial(client, auth, complaints):
    auth.login_as_role("quality")
    response = client.get("/statistik/klagomal?tertial=2024-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "tertial 1 2024" in html
    assert "data-complaint-total>3<" in html
    # One wanted an answer and has none yet.
    assert "data-in-time>0 (0 %)<" in html


def test_the_tertial_page_shows_the_last_whole_tertial_by_default(client, auth, complaints):
    auth.login_as_role("quality")
    assert "tertial 1 2024" in client.get("/statistik/klagomal").get_data(as_text=True)


def test_a_made_up_tertial_is_refused(client, auth):
    auth.login_as_role("quality")
    assert client.get("/statistik/klagomal?tertial=2026-7").status_code == 400
    assert client.get("/statistik/klagomal?tertial=nej").status_code == 400


def test_staff_do_not_see_the_tertial_page(client, auth):
    auth.login_as_role("staff")
    assert client.get("/statistik/klagomal").status_code == 403


@pytest.mark.parametrize(("day", "tertial"), [(date(2026, 1, 1), (2026, 1)), (date(2026, 4, 30), (2026, 1)),
                                             (date(2026, 5, 1), (2026, 2)), (date(2026, 12, 31), (2026, 3))])
def test_tertials_are_four_months(day, tertial):
    assert rules.tertial_of(day) == tertial


def test_tertial_days():
    assert rules.tertial_days(2026, 3) == (date(2026, 9, 1), date(2026, 12, 31))
    assert rules.tertial_days(2026, 2) == (date(2026, 5, 1), date(2026, 8, 31))


def test_outcomes():
    assert rules.outcome(True, "", False) == rules.Outcome.ANSWERED
    assert rules.outcome(False, "anonymous", True) == rules.Outcome.NO_ANSWER
    assert rules.outcome(False, "", True) == rules.Outcome.NOT_WANTED
    assert rules.outcome(False, "", False) == rules.Outcome.OPEN


def test_answered_in_time_counts_the_due_day():
    received = date(2026, 3, 10)
    assert rules.answered_in_time(received, date(2026, 4, 7), {})
    assert not rules.answered_in_time(received, date(2026, 4, 8), {})
    assert not rules.answered_in_time(received, None, {})


@pytest.fixture(params=DATABASES)
def demo_year(request, tmp_path):
    with demo_database(request, tmp_path):
        yield


@pytest.mark.parametrize("username", ["kvalitet", "chef.nord"])
def test_the_demo_years_complaints_match_a_count_by_hand(demo_year, username):
    """The summary starts from the complaints, not from a year of reports: it must still count the same ones."""
    handler, today = find_user(username), local_today()
    filters = report_statistics.Filters(today - timedelta(days=400), today, None, None)
    handled = set(db.session.scalars(select(Report.id).where(handling.handled_scope(handler))))
    complaints = [complaint for complaint in db.session.scalars(select(Complaint)) if complaint.report_id in handled]
    summary = statistics.summarise(handler, filters, {})
    assert len(complaints) > 5
    assert summary.total == len(complaints)
    assert summary.per_channel == dict(Counter(complaint.channel for complaint in complaints))
