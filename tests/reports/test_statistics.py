"""The statistics dashboard: what each role counts, the figures, the charts with their tables, the CSV export."""
import re
from collections import Counter
from datetime import date, datetime, timedelta
from statistics import median

import pytest
from sqlalchemy import insert, select

from app.accounts.models import Unit, User
from app.accounts.rules import Role, UnitKind
from app.extensions import db
from app.reports import handling, statistics
from app.reports.models import Report, ReportAction
from app.timestamps import local_today
from tests.conftest import DATABASES, demo_database
from tests.reports.factories import ReportApi, make_unit, make_user, payload

FALL = payload(text="Föll i badrummet.", affected=["client"], harm="injury", topics=["fall"])
MEDICATION = payload(text="Fel tablett.", affected=["client"], harm="risk", topics=["medication"])


def send(app, username, report):
    response = ReportApi(app.test_client()).login(username).send(dict(report, uuid=payload()["uuid"]))
    assert response.status_code == 201
    return response.get_json()


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def this_year():
    today = local_today()
    return statistics.Filters(today - timedelta(days=30), today + timedelta(days=1))


def unit_id(name):
    return db.session.scalar(select(Unit.id).where(Unit.name == name))


def in_area(filters=None, **changes):
    """The filters narrowed to the test's own area (none of the demo data's reports are there)."""
    filters = filters or this_year()
    return statistics.Filters(filters.start, filters.end, changes.get("unit_id", unit_id("Testområde")),
                              changes.get("kind"))


@pytest.fixture
def area(app):
    """A district of the test's own with two units, each with a staff member and a manager."""
    with app.app_context():
        make_unit("Testområde", "Vård- och omsorgsförvaltningen", UnitKind.DISTRICT)
        for name, suffix in (("Hemvård Öst", "ost"), ("Hemvård Väst", "vast")):
            make_unit(name, "Testområde")
            make_user(f"usk.{suffix}", Role.STAFF, name)
            make_user(f"chef.{suffix}", Role.MANAGER, name)


@pytest.fixture
def reports(app, area):
    send(app, "usk.ost", FALL)
    send(app, "usk.ost", MEDICATION)
    send(app, "usk.vast", FALL)


def test_a_manager_counts_their_units_and_quality_counts_all(app, area):
    with app.app_context():
        filters, today = this_year(), local_today()
        before = statistics.summarise(user("kvalitet"), filters, today).total
    send(app, "usk.ost", FALL)
    send(app, "usk.ost", MEDICATION)
    send(app, "usk.vast", FALL)
    with app.app_context():
        assert statistics.summarise(user("chef.ost"), filters, today).total == 2
        assert statistics.summarise(user("chef.vast"), filters, today).total == 1
        assert statistics.summarise(user("kvalitet"), filters, today).total == before + 3
        assert statistics.summarise(user("kvalitet"), in_area(filters), today).total == 3


def test_harm_falls_and_medication_are_counted_separately(app, reports):
    with app.app_context():
        summary = statistics.summarise(user("kvalitet"), in_area(), local_today())
        assert (summary.with_harm, summary.falls, summary.medication, summary.harm_share) == (2, 2, 1, 67)
        assert summary.per_kind["lex_maria"] == 3


def test_filtering_by_unit_and_kind(app, reports):
    with app.app_context():
        quality, today = user("kvalitet"), local_today()
        assert statistics.summarise(quality, in_area(unit_id=unit_id("Hemvård Väst")), today).total == 1
        assert statistics.summarise(quality, in_area(kind="lex_maria"), today).total == 3
        assert statistics.summarise(quality, in_area(kind="klagomal"), today).total == 0


def test_the_time_to_closed_is_the_median_in_days(app, reports):
    with app.app_context():
        ost = unit_id("Hemvård Öst")
        for days, report in zip((2, 4), db.session.scalars(select(Report).where(Report.unit_id == ost)), strict=True):
            report.status, report.closed_at = "closed", report.received_at + timedelta(days=days)
        db.session.commit()
        assert statistics.summarise(user("kvalitet"), in_area(), local_today()).median_days_to_closed == 3.0


def test_the_months_of_the_period_are_all_listed():
    assert statistics.month_keys(date(2025, 11, 5), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_the_dashboard_draws_its_charts_as_tables_with_bars_to_scale(app, reports):
    html = ReportApi(app.test_client()).login("chef.ost").get("/statistik").get_data(as_text=True)
    assert html.count('class="chart-table"') == 3 and 'data-chart-table="per-manad"' in html
    # The longest bar fills its cell; labels and numbers are page text (they scale), never SVG text.
    assert '<rect width="100.0"' in html and "<text" not in html
    assert '<dd data-total>2</dd>' in html and "Hemvård Väst" not in html and "Hemvård Nord" not in html


def test_the_demo_data_gives_the_dashboard_a_year_of_reports(app):
    html = ReportApi(app.test_client()).login("chef.nord").get("/statistik").get_data(as_text=True)
    total = int(re.search(r"<dd data-total>(\d+)</dd>", html).group(1))
    assert 100 <= total <= 250 and "Hemvård Syd" not in html


def test_a_manager_cannot_filter_on_a_unit_outside_their_scope(app, reports):
    with app.app_context():
        vast = unit_id("Hemvård Väst")
    html = ReportApi(app.test_client()).login("chef.ost").get(f"/statistik?enhet={vast}").get_data(as_text=True)
    assert '<dd data-total>2</dd>' in html


def test_the_csv_export_has_the_filtered_reports_without_names_or_text(app, reports):
    with app.app_context():
        area_id = unit_id("Testområde")
    response = ReportApi(app.test_client()).login("kvalitet").get(
        f"/statistik/export.csv?typ=lex_maria&enhet={area_id}")
    lines = response.get_data(as_text=True).strip().splitlines()
    assert response.mimetype == "text/csv" and lines[0].startswith("mottagen,enhet,typer")
    assert len(lines) == 4 and "Föll" not in response.get_data(as_text=True)
    assert "Amina" not in response.get_data(as_text=True)


def test_the_csv_export_of_the_demo_year_has_no_free_text(app):
    response = ReportApi(app.test_client()).login("kvalitet").get("/statistik/export.csv")
    body = response.get_data(as_text=True)
    assert len(body.splitlines()) > 300
    assert not any(name in body for name in ("Amina", "Lars Berg", "Johan Ek", "dosetten", "badrumsmattan"))


@pytest.mark.parametrize(("username", "status"), [("usk.nord", 403), ("samordnare.nord", 403), ("admin", 403)])
def test_other_roles_get_no_csv(app, username, status):
    assert ReportApi(app.test_client()).login(username).get("/statistik/export.csv").status_code == status


def received_at_local(report_id: int, *local_time: int) -> None:
    """Set when a report arrived, given as year, month, day, hour, minute in Stockholm."""
    db.session.get(Report, report_id).received_at = datetime(*local_time, tzinfo=statistics.LOCAL_ZONE)


def test_a_report_counts_in_the_local_month_it_arrived_in_across_summer_time(app, reports):
    with app.app_context():
        ids = sorted(db.session.scalars(select(Report.id).where(Report.unit_id.in_(
            [unit_id("Hemvård Öst"), unit_id("Hemvård Väst")]))))
        # 23.30 on the last of January is 22.30 UTC; 00.30 on the first of April is still 31 March in UTC.
        received_at_local(ids[0], 2026, 1, 31, 23, 30)
        received_at_local(ids[1], 2026, 4, 1, 0, 30)
        received_at_local(ids[2], 2026, 3, 31, 23, 59)
        db.session.commit()
        filters = in_area(statistics.Filters(date(2026, 1, 1), date(2026, 4, 30)))
        summary = statistics.summarise(user("kvalitet"), filters, date(2026, 5, 1))
        assert summary.per_month == {"2026-01": 1, "2026-02": 0, "2026-03": 1, "2026-04": 1}
        assert summary.per_month_and_kind[("2026-04", "lex_maria")] == 1


def test_the_median_of_an_odd_number_is_the_middle_one(app, reports):
    with app.app_context():
        ids = db.session.scalars(select(Report).where(Report.unit_id.in_(
            [unit_id("Hemvård Öst"), unit_id("Hemvård Väst")])).order_by(Report.id)).all()
        for days, report in zip((10, 1, 2.5), ids, strict=True):
            report.status, report.closed_at = "closed", report.received_at + timedelta(days=days)
        db.session.commit()
        assert statistics.summarise(user("kvalitet"), in_area(), local_today()).median_days_to_closed == 2.5


def test_the_kind_filter_follows_the_kinds_a_handler_confirmed(app, reports):
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.unit_id == unit_id("Hemvård Väst")))
        handling.confirm_kinds(user("chef.vast"), report, ["avvikelse_hsl"], "Ingen allvarlig skada.")
        db.session.commit()
        quality, today = user("kvalitet"), local_today()
        assert statistics.summarise(quality, in_area(kind="lex_maria"), today).total == 2
        assert statistics.summarise(quality, in_area(kind="avvikelse_hsl"), today).total == 3
        assert statistics.summarise(quality, in_area(), today).per_kind["lex_maria"] == 2


def test_open_and_overdue_actions_are_those_of_the_filtered_reports(app, reports):
    with app.app_context():
        ost, vast = (db.session.scalar(select(Report).where(Report.unit_id == unit_id(name)))
                     for name in ("Hemvård Öst", "Hemvård Väst"))
        chef, today = user("chef.ost"), local_today()
        def add(actor, report, what, days):
            return handling.add_action(actor, report, what=what, owner_id=None, owner_name="Enhetschefen",
                                       due_on=today + timedelta(days=days))
        add(chef, ost, "Gå igenom rutinen.", -1)
        handling.update_action(chef, add(chef, ost, "Byt matta.", -5), status="done")
        db.session.commit()
        add(user("chef.vast"), vast, "Ny larmknapp.", 3)
        summary = statistics.summarise(user("kvalitet"), in_area(), today)
        assert (summary.open_actions, summary.overdue_actions) == (2, 1)
        summary = statistics.summarise(user("kvalitet"), in_area(unit_id=unit_id("Hemvård Öst")), today)
        assert (summary.open_actions, summary.overdue_actions) == (1, 1)


@pytest.fixture(params=DATABASES)
def demo_year(request, tmp_path):
    """An app context on the demo data, on SQLite or (if set) PostgreSQL."""
    with demo_database(request, tmp_path):
        yield


def counted_by_hand(reports: list[Report], actions: list[ReportAction], today: date) -> dict:
    """The dashboard's figures worked out in Python from the rows, one report at a time."""
    months, per_kind, causes = Counter(), Counter(), Counter()
    for report in reports:
        months[report.received_at.astimezone(statistics.LOCAL_ZONE).strftime("%Y-%m")] += 1
        per_kind.update(report.kinds)
        causes.update(report.causes)
    lead = sorted((report.closed_at - report.received_at).total_seconds() // 60 for report in reports
                  if report.closed_at)
    ids = {report.id for report in reports}
    open_actions = [action for action in actions if action.report_id in ids and action.status != "done"]
    return dict(total=len(reports), months=+months, per_kind=+per_kind, causes=+causes,
                harm=sum(report.harm == "injury" for report in reports),
                falls=sum("fall" in report.topics for report in reports),
                medication=sum("medication" in report.topics for report in reports),
                median=round(median(lead) / 1440, 1) if lead else None, open=len(open_actions),
                overdue=sum(action.due_on < today for action in open_actions))


def as_counted(summary: statistics.Summary) -> dict:
    return dict(total=summary.total, months=+Counter(summary.per_month), per_kind=Counter(summary.per_kind),
                causes=Counter(dict(summary.causes)), harm=summary.with_harm, falls=summary.falls,
                medication=summary.medication, median=summary.median_days_to_closed, open=summary.open_actions,
                overdue=summary.overdue_actions)


@pytest.mark.parametrize(("username", "kind"), [("kvalitet", None), ("chef.nord", None), ("kvalitet", "avvikelse_hsl"),
                                                ("chef.nord", "arbetsmiljo_tillbud")])
def test_the_demo_years_figures_match_a_count_by_hand(demo_year, username, kind):
    today = local_today()
    filters = statistics.Filters(today - timedelta(days=400), today, None, kind)
    handler = user(username)
    reports = [report for report in db.session.scalars(select(Report).where(handling.handled_scope(handler)))
               if kind is None or kind in report.kinds]
    expected = counted_by_hand(reports, list(db.session.scalars(select(ReportAction))), today)
    assert expected["total"] > 20 and expected["median"] and expected["open"] and expected["causes"]
    assert as_counted(statistics.summarise(handler, filters, today)) == expected


def test_a_report_written_without_its_arrival_time_gets_the_month_of_the_time_it_gets(app, reports):
    with app.app_context():
        row = {column.key: getattr(db.session.scalars(select(Report)).first(), column.key)
               for column in Report.__table__.columns if column.key not in ("id", "received_at", "received_month")}
        db.session.execute(insert(Report), [dict(row, uuid=payload()["uuid"])])
        report = db.session.scalar(select(Report).order_by(Report.id.desc()))
        assert report.received_month == report.received_at.astimezone(statistics.LOCAL_ZONE).strftime("%Y-%m")
