"""The learning page for the workplace meeting: what was reported, what was done, what changed; no names."""
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.paging import PAGE_SIZE, Page, paginate
from app.reports import rules
from app.reports.models import InvestigationEntry, Report, ReportAction
from app.reports.statistics import Filters, as_text, conditions, in_kind_order, local_start
from app.routines.models import Routine, RoutineVersion
from app.timestamps import LOCAL_ZONE, local_now


@dataclass(frozen=True)
class Event:
    """One report as the meeting sees it: the day, the kinds and one line a handler wrote (never the reporter's)."""

    day: date
    kinds: list[str]
    line: str


@dataclass(frozen=True)
class Done:
    """An action decided in the period and how it went; no owner."""

    what: str
    status: str
    effect: str
    effect_note: str


@dataclass(frozen=True)
class Changed:
    """A routine that reports in the period concerned, and its versions published in the period."""

    title: str
    slug: str
    reports: int
    versions: list[tuple[date, str]]


NO_PAGE = Page([], 1, PAGE_SIZE, 0)


@dataclass
class Learning:
    """The counts cover the whole period; the events and actions are one page each, newest first."""

    total: int = 0
    per_kind: dict[str, int] = field(default_factory=dict)
    events: Page = NO_PAGE
    actions: Page = NO_PAGE
    routines: list[Changed] = field(default_factory=list)


def topic_line(topics: list[str]) -> str:
    """The reporter's answers as labels, when no handler has written what happened yet."""
    return ", ".join(rules.TOPIC_LABELS.get(topic, topic) for topic in topics) or "Inte utrett än"


def first_facts(report_ids: list[int]) -> dict[int, str]:
    """The first fact entry of each report: the handler's own words of what happened."""
    facts: dict[int, str] = {}
    for report_id, text in db.session.execute(
            select(InvestigationEntry.report_id, InvestigationEntry.text)
            .where(InvestigationEntry.report_id.in_(report_ids), InvestigationEntry.kind == rules.EntryKind.FACT)
            .order_by(InvestigationEntry.created_at, InvestigationEntry.id)):
        facts.setdefault(report_id, rules.remove_personal_numbers(text.splitlines()[0] if text else ""))
    return facts


def changed_routines(counts: dict[int, int], filters: Filters) -> list[Changed]:
    """The routines the period's reports concerned (how many each), and their versions published in the period."""
    if not counts:
        return []
    end = local_start(filters.end + timedelta(days=1))
    versions: dict[int, list[tuple[date, str]]] = {}
    for routine_id, published_at, summary in db.session.execute(
            select(RoutineVersion.routine_id, RoutineVersion.published_at, RoutineVersion.change_summary)
            .where(RoutineVersion.routine_id.in_(counts), RoutineVersion.published_at >= local_start(filters.start),
                   RoutineVersion.published_at < end).order_by(RoutineVersion.published_at)):
        versions.setdefault(routine_id, []).append((published_at.astimezone(LOCAL_ZONE).date(), summary))
    routines = db.session.scalars(select(Routine).where(Routine.id.in_(counts)))
    return sorted((Changed(routine.current_version.title if routine.current_version else routine.slug, routine.slug,
                           counts[routine.id], versions.get(routine.id, []))
                   for routine in routines), key=lambda changed: (-changed.reports, changed.title))


def learning(user: User, filters: Filters, events_page: int = 1, actions_page: int = 1) -> Learning:
    """What the handled reports of the period and unit teach: counts, events, actions (a page of each), routines."""
    where, result = conditions(user, filters), Learning()
    per_kind = Counter()
    for kinds_json, count in db.session.execute(
            select(as_text(Report.kinds), func.count()).where(*where).group_by(as_text(Report.kinds))):
        result.total += count
        for kind in json.loads(kinds_json):
            per_kind[kind] += count
    result.per_kind = in_kind_order(per_kind)
    newest = paginate(select(Report.id, Report.occurred_at, Report.kinds, Report.topics).where(*where)
                      .order_by(Report.occurred_at.desc(), Report.id.desc()), events_page, scalars=False)
    facts = first_facts([row.id for row in newest.items])
    result.events = replace(newest, items=[Event(row.occurred_at.astimezone(LOCAL_ZONE).date(), list(row.kinds),
                                                 facts.get(row.id) or topic_line(row.topics))
                                           for row in newest.items])
    of_the_reports = ReportAction.report_id.in_(select(Report.id).where(*where))
    actions = paginate(select(ReportAction).where(of_the_reports)
                       .order_by(ReportAction.created_at.desc(), ReportAction.id.desc()), actions_page)
    result.actions = replace(actions, items=[Done(action.what, action.status_label, action.effect_label,
                                                  action.effect_note) for action in actions.items])
    routine_counts = dict(db.session.execute(select(Report.routine_id, func.count()).where(
        *where, Report.routine_id.is_not(None)).group_by(Report.routine_id)).all())
    result.routines = changed_routines(routine_counts, filters)
    return result


def printed_at() -> datetime:
    return local_now()
