"""The report rules that queries need too: the Python rule and its SQL condition agree on the same rows."""
from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.reports import rules
from app.reports.models import Report, ReportAction
from app.reports.rules import ActionStatus, Harm
from app.reports.rules import ReportKind as K
from tests.conftest import DATABASES, demo_database

# (kinds, harm, urgent)
URGENCY = [
    ([K.LEX_SARAH], Harm.NONE, True),
    ([K.LEX_MARIA, K.DEVIATION_HSL], Harm.RISK, True),
    ([K.INFORMATION_SECURITY], Harm.UNKNOWN, True),
    ([K.DEVIATION_SOL], Harm.INJURY, True),
    ([K.WORK_INJURY], Harm.INJURY, True),
    ([K.DEVIATION_SOL], Harm.RISK, False),
    ([K.COMPLAINT], Harm.NONE, False),
    ([K.WORK_NEAR_MISS], Harm.UNKNOWN, False),
]

DUE = date(2026, 3, 10)
# (status, due on, today, overdue)
OVERDUE_ACTIONS = [
    (ActionStatus.PLANNED, DUE, date(2026, 3, 11), True),
    (ActionStatus.RUNNING, DUE, date(2026, 4, 1), True),
    (ActionStatus.PLANNED, DUE, DUE, False),
    (ActionStatus.RUNNING, DUE, date(2026, 3, 9), False),
    (ActionStatus.DONE, DUE, date(2026, 3, 11), False),
    (ActionStatus.PLANNED, None, date(2026, 3, 11), False),
]


@pytest.fixture(params=DATABASES)
def demo(request, tmp_path):
    """An app context on the demo data, on SQLite and on PostgreSQL."""
    with demo_database(request, tmp_path):
        yield


@pytest.mark.parametrize(("kinds", "harm", "urgent"), URGENCY)
def test_a_report_is_urgent_for_quality_kinds_or_an_injury(kinds, harm, urgent):
    assert rules.is_urgent(kinds, harm) is urgent


def test_the_sql_urgency_agrees_row_by_row(demo):
    reports = db.session.scalars(select(Report).order_by(Report.id).limit(len(URGENCY))).all()
    for report, (kinds, harm, _urgent) in zip(reports, URGENCY, strict=True):
        # As intake and classification store them: `flagged` holds needs_quality(kinds).
        report.kinds, report.flagged, report.harm = kinds, rules.needs_quality(kinds), harm
    db.session.flush()
    found = dict(db.session.execute(select(Report.id, rules.is_urgent_sql(Report.flagged, Report.harm))
                                    .where(Report.id.in_([report.id for report in reports]))).all())
    assert [bool(found[report.id]) for report in reports] == [row[2] for row in URGENCY]


@pytest.mark.parametrize(("status", "due_on", "today", "overdue"), OVERDUE_ACTIONS)
def test_an_action_is_overdue_when_not_done_after_its_due_date(status, due_on, today, overdue):
    assert rules.action_is_overdue(status, due_on, today) is overdue


def test_the_sql_overdue_actions_agree_row_by_row(demo):
    report = db.session.scalar(select(Report).limit(1))
    author = db.session.scalar(select(User).where(User.username == "chef.nord"))
    actions = [ReportAction(report_id=report.id, what="Test", due_on=due_on, status=status, created_by_id=author.id)
               for status, due_on, _today, _overdue in OVERDUE_ACTIONS]
    db.session.add_all(actions)
    db.session.flush()
    found = [db.session.scalar(select(rules.action_is_overdue_sql(ReportAction.status, ReportAction.due_on, today))
                               .where(ReportAction.id == action.id))
             for action, (_status, _due_on, today, _overdue) in zip(actions, OVERDUE_ACTIONS, strict=True)]
    assert [bool(value) for value in found] == [row[3] for row in OVERDUE_ACTIONS]
