"""The demo data's year of reports: idempotent, consistent with the rules, spread over units and months."""
from sqlalchemy import func, select

from app.accounts.models import Unit
from app.complaints.demo import COMPLAINT_COUNT
from app.extensions import db
from app.reports import rules
from app.reports.demo import REPORT_COUNT, RISE_DAYS, report_uuid, seed_reports
from app.reports.models import Report, ReportKindRow


def demo_reports() -> list[Report]:
    return list(db.session.scalars(select(Report).where(
        Report.uuid.in_([report_uuid(index) for index in range(REPORT_COUNT)]))))


def test_seeding_again_adds_nothing(app):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Report))
        assert seed_reports() == 0
        # The demo's complaints are reports too (app/complaints/demo.py).
        assert db.session.scalar(select(func.count()).select_from(Report)) == before == REPORT_COUNT + COMPLAINT_COUNT


def test_the_suggested_kinds_are_what_the_classification_rules_say(app):
    with app.app_context():
        for report in demo_reports():
            assert report.suggested_kinds == rules.classify(report.affected, report.harm, report.topics)


def test_closed_demo_reports_have_feedback_and_open_ones_none(app):
    with app.app_context():
        for report in demo_reports():
            assert bool(report.feedback) == (report.status == "closed") == (report.closed_at is not None)


def test_the_demo_year_covers_both_home_care_units_and_twelve_months(app):
    with app.app_context():
        reports = demo_reports()
        units = {db.session.get(Unit, report.unit_id).name for report in reports}
        months = {report.received_at.strftime("%Y-%m") for report in reports}
        assert units == {"Hemvård Nord", "Hemvård Syd"} and len(months) >= 12


def test_every_demo_report_has_its_kinds_as_rows(app):
    with app.app_context():
        rows = {}
        for report_id, kind in db.session.execute(select(ReportKindRow.report_id, ReportKindRow.kind)):
            rows.setdefault(report_id, set()).add(kind)
        kinds = {report.id: set(report.kinds) for report in demo_reports()}
        assert kinds == {report_id: rows[report_id] for report_id in kinds}


def test_a_larger_seed_keeps_the_year_spread_and_only_its_last_reports_make_the_rise(app):
    """bench/stats.py seeds 100,000 reports: they must look like a year, not like one month of falls."""
    count = REPORT_COUNT + 600
    with app.app_context():
        now = max(db.session.scalars(select(Report.received_at)))
        assert seed_reports(now=now, count=count) == 600
        added = list(db.session.scalars(select(Report).where(
            Report.uuid.in_([report_uuid(index) for index in range(REPORT_COUNT, count)]))))
        recent = [report for report in added if (now - report.received_at).days < RISE_DAYS]
        # A year spread evenly puts about 26/365 of them in the last 26 days; the rise adds only RISE_REPORTS.
        assert len(recent) < len(added) * 0.2
        months = {report.received_at.strftime("%Y-%m") for report in added}
        assert len(months) >= 12
