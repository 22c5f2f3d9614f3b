"""Told on arrival: who hears of a new report at once, and how urgently (no report text ever leaves in a push)."""
import logging
from dataclasses import dataclass, field

from app.accounts.models import User
from app.accounts.rules import Responsibility, Role
from app.notices.rules import Importance
from app.notices.services import add_report_received, push
from app.reports import rules
from app.reports.handlers import responsible_groups
from app.reports.models import Report

log = logging.getLogger("fickan.reports")

# (the kinds that call them, who is told among the report's handlers). The unit's managers and nurses hear of
# every report they handle (rules.handles: a nurse only of HSL ones, no manager of a report past the manager);
# quality hears at once, marked urgent, of the cases that are theirs, Lex Maria going to MAS.
UNIT_HANDLERS = frozenset({Role.MANAGER, Role.NURSE})
URGENT_TO: list[tuple[frozenset[rules.ReportKind], frozenset]] = [
    (frozenset({rules.ReportKind.LEX_SARAH, rules.ReportKind.INFORMATION_SECURITY}), frozenset({Role.QUALITY})),
    (frozenset({rules.ReportKind.LEX_MARIA}), frozenset({Responsibility.MAS})),
]


def recipients(report: Report) -> dict[User, str]:
    """Each user to tell of the new report, with the importance of the message."""
    told: dict[User, str] = {}
    unit_importance = Importance.IMPORTANT if rules.is_urgent(report.suggested_kinds, report.harm) \
        else Importance.NORMAL
    urgent = [who for kinds, who in URGENT_TO if kinds & set(report.suggested_kinds)]
    # Past the manager, to quality instead.
    bypassed = [frozenset({Role.QUALITY})] if report.bypass_manager else []
    unit_handlers, *groups = responsible_groups(report, [UNIT_HANDLERS, *urgent, *bypassed])
    for user in unit_handlers:
        told[user] = unit_importance
    for users in groups[:len(urgent)]:
        told.update(dict.fromkeys(users, Importance.IMPORTANT))
    for users in groups[len(urgent):]:
        for user in users:
            told.setdefault(user, unit_importance)
    return {user: importance for user, importance in told.items() if user.id != report.reporter_id}


@dataclass
class Announcement:
    """The telling of one new report: its recipients, read before the report is written (nothing then waits on a
    write lock for them); its inbox items, added in the report's own transaction; their push, after its commit."""

    report: Report
    told: dict[User, str]
    item_ids: list[int] = field(default_factory=list)

    def add_items(self) -> None:
        """Once the report is flushed (its id names the items' topic) and before its commit."""
        self.item_ids = add_report_received(self.report, self.told)

    def push(self, report_id: int) -> None:
        """Once the report and the items are committed."""
        if self.item_ids:
            push(self.item_ids)
        log.info("report announced", extra={"report": report_id, "told": len(self.told)})


def tell_of_new_report(report: Report) -> Announcement:
    """Who hears of a report about to be stored, for an inbox item and a push each (Announcement)."""
    return Announcement(report, recipients(report))
