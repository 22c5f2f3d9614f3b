"""The statistics dashboard: what each role counts, the figures, the charts with their tables, the CSV export."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.accounts.models import Unit, User
from app.accounts.rules import Role
from app.extensions import db
from app.reports import statistics
from app.reports.models import Report
from tests.reports.factories import ReportApi, make_user, payload

FALL = payload(text="Föll i badrummet.", affected=["client"], harm="injury", topics=["fall"])
MEDICATION = payload(text="Fel tablett.", affected=["client"], harm="risk", topics=["medication"])


def send(app, username, report):
    response = ReportApi(app.test_client()).login(username).send(dict(report, uuid=payload()["uuid"]))
    assert response.status_code == 201
    return response.get_json()


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def this_year():
    today = datetime.now(timezone.utc).date()
    return statistics.Filters(today - timedelta(days=30), today + timedelta(days=1))


@pytest.fixture
def reports(app):
    send(app, "usk.nord", FALL)
    send(app, "usk.nord", MEDICATION)
    send(app, "usk.syd", FALL)


def test_a_manager_counts_the_reports_of_their_units_and_quality_all(app, reports):
    with app.app_context():
        make_user("chef.syd", Role.MANAGER, "Hemvård Syd")
        filters, today = this_year(), date.today()
        assert statistics.summarise(user("chef.nord"), filters, today).total == 2
        assert statistics.summarise(user("chef.syd"), filters, today).total == 1
        assert statistics.summarise(user("kvalitet"), filters, today).total == 3


def test_harm_falls_and_medication_are_counted_separately(app, reports):
    with app.app_context():
        summary = statistics.summarise(user("kvalitet"), this_year(), date.today())
        assert (summary.with_harm, summary.falls, summary.medication, summary.harm_share) == (2, 2, 1, 67)
        assert summary.per_kind["lex_maria"] == 3


def test_filtering_by_unit_and_kind(app, reports):
    with app.app_context():
        syd = db.session.scalar(select(Unit.id).where(Unit.name == "Hemvård Syd"))
        base = this_year()
        quality = user("kvalitet")
        assert statistics.summarise(quality, statistics.Filters(base.start, base.end, unit_id=syd),
                                    date.today()).total == 1
        assert statistics.summarise(quality, statistics.Filters(base.start, base.end, kind="lex_maria"),
                                    date.today()).total == 3
        assert statistics.summarise(quality, statistics.Filters(base.start, base.end, kind="klagomal"),
                                    date.today()).total == 0


def test_the_time_to_closed_is_the_median_in_days(app, reports):
    with app.app_context():
        for days, report in zip((2, 4), db.session.scalars(select(Report).order_by(Report.id))):
            report.status, report.closed_at = "closed", report.received_at + timedelta(days=days)
        db.session.commit()
        assert statistics.summarise(user("kvalitet"), this_year(), date.today()).median_days_to_closed == 3.0


def test_the_months_of_the_period_are_all_listed():
    assert statistics.month_keys(date(2025, 11, 5), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_the_dashboard_draws_svg_charts_with_tables(app, reports):
    html = ReportApi(app.test_client()).login("chef.nord").get("/statistik").get_data(as_text=True)
    assert html.count('<svg role="img"') == 3 and 'data-chart-table="per-manad"' in html
    assert '<dd data-total>2</dd>' in html and "Hemvård Syd" not in html


def test_a_manager_cannot_filter_on_a_unit_outside_their_scope(app, reports):
    with app.app_context():
        syd = db.session.scalar(select(Unit.id).where(Unit.name == "Hemvård Syd"))
    html = ReportApi(app.test_client()).login("chef.nord").get(f"/statistik?enhet={syd}").get_data(as_text=True)
    assert '<dd data-total>2</dd>' in html


def test_the_csv_export_has_the_filtered_reports_without_names_or_text(app, reports):
    response = ReportApi(app.test_client()).login("kvalitet").get("/statistik/export.csv?typ=lex_maria")
    lines = response.get_data(as_text=True).strip().splitlines()
    assert response.mimetype == "text/csv" and lines[0].startswith("mottagen,enhet,typer")
    assert len(lines) == 4 and "Föll" not in response.get_data(as_text=True)
    assert "Amina" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("username", "status"), [("usk.nord", 403), ("samordnare.nord", 403), ("admin", 403)])
def test_other_roles_get_no_csv(app, username, status):
    assert ReportApi(app.test_client()).login(username).get("/statistik/export.csv").status_code == status
