"""Demo reports (CONTRACT.md): a year of realistic home-care reports, so the statistics mean something at once.

Deterministic (a fixed random seed, uuid5 keys) and idempotent: a report whose uuid exists is not added again.
Inserted in bulk: the test suite seeds a template database with this once per session.
"""
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app.accounts.models import Unit, User
from app.extensions import db
from app.reports import clock_rules, rules
from app.reports.models import (InvestigationEntry, KindChange, Report, ReportAction, ReportClock, ReportKindRow,
                                minutes_between)
from app.reports.demo_scenarios import DEMO_REPORT_UNITS, SCENARIOS, Scenario, Variant
from app.routines.models import ChangeProposal, Routine
from app.timestamps import local_month, utcnow

NAMESPACE = uuid.UUID("6f1c2a34-0d7e-4c55-9b1a-f1ccae2d0001")
REPORT_COUNT = 330
# The demo year ends with one unusual rise (app/reports/rises.py): falls in Hemvård Syd in the last four weeks.
RISE_REPORTS, RISE_UNIT, RISE_TOPIC, RISE_DAYS = 8, "Hemvård Syd", "fall", 26
RANDOM_SEED = 20261123
LEX = {rules.ReportKind.LEX_SARAH, rules.ReportKind.LEX_MARIA}


CONFIRM_REASON = "Bekräftat enligt förslaget."
DOWNGRADE_REASON = "Ingen allvarlig skada eller risk för allvarlig skada – hanteras som avvikelse."


def report_uuid(index: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"demo-report-{index}"))


def status_for(rng: random.Random, age_days: float) -> str:
    """Old reports are mostly closed; the newest are received or under investigation."""
    if age_days < 7:
        return rng.choices(["received", "investigating"], [60, 40])[0]
    if age_days < 30:
        return rng.choices(["received", "investigating", "actions", "closed"], [10, 35, 25, 30])[0]
    if age_days < 60:
        return rng.choices(["investigating", "actions", "closed"], [10, 20, 70])[0]
    return rng.choices(["actions", "closed"], [5, 95])[0]


def confirmed_kinds(scenario: Scenario, suggested: list[str]) -> list[str]:
    kinds = suggested if scenario.serious else [kind for kind in suggested if kind not in LEX]
    return kinds or [str(rules.ReportKind.DEVIATION_SOL)]


@dataclass
class Batch:
    """The rows to insert, per table."""

    reports: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    clocks: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)


class Builder:
    """Makes the rows of one demo report after another from a seeded random generator."""

    def __init__(self, now: datetime, users: dict[str, User], units: dict[str, int], routines: dict[str, int],
                 count: int = REPORT_COUNT):
        self.rng, self.now = random.Random(RANDOM_SEED), now
        # The rise is the last few of however many reports are made, not of the demo's own count.
        self.first_of_rise = count - RISE_REPORTS
        self.users, self.units, self.routines = users, units, routines
        self.batch = Batch()
        self.weights = [scenario.weight for scenario in SCENARIOS]

    def pick(self, index: int):
        """The unit and the kind of event; the last few reports make the year's unusual rise."""
        shares = [unit[3] for unit in DEMO_REPORT_UNITS]
        unit, scenario = self.rng.choices(DEMO_REPORT_UNITS, shares)[0], self.rng.choices(SCENARIOS, self.weights)[0]
        if index < self.first_of_rise:
            return unit, scenario
        return (next(unit for unit in DEMO_REPORT_UNITS if unit[0] == RISE_UNIT),
                next(scenario for scenario in SCENARIOS if RISE_TOPIC in scenario.topics))

    def report(self, index: int) -> dict:
        rng = self.rng
        (unit_name, reporters, handler_name, _share), scenario = self.pick(index)
        variant = rng.choice(scenario.variants)
        reporter = rng.choices([name for name, _ in reporters], [weight for _, weight in reporters])[0]
        age = rng.uniform(0.5, RISE_DAYS) if index >= self.first_of_rise else rng.uniform(0.2, 364)
        created = self.now - timedelta(days=age)
        created = created.replace(hour=rng.choice((7, 8, 9, 10, 12, 13, 15, 17, 19, 21, 22)), minute=rng.randrange(60))
        if created > self.now:
            created -= timedelta(days=1)
        age = (self.now - created).total_seconds() / 86400
        suggested = [str(kind) for kind in rules.classify(scenario.affected, scenario.harm, scenario.topics)]
        status = status_for(rng, age)
        handler = self.users["mas"] if scenario.serious and "lex_maria" in suggested else self.users[handler_name]
        kinds = suggested if status == "received" else confirmed_kinds(scenario, suggested)
        received = created + timedelta(minutes=rng.choice((0, 0, 0, 1, 5, 40)))
        row = dict(
            uuid=report_uuid(index), reporter_id=self.users[reporter].id, unit_id=self.units[unit_name],
            text=variant.text, affected=list(scenario.affected), harm=scenario.harm, topics=list(scenario.topics),
            place=variant.place, client_reference=rng.choice(("", "", "K.L.", "A.B.", "nr 3")),
            immediate_action=scenario.immediate_action, suggested_kinds=suggested, kinds=kinds,
            kinds_confirmed_at=None, status=status, feedback="",
            occurred_at=created - timedelta(minutes=rng.randrange(5, 180)),
            created_at=created, received_at=received, updated_at=received, closed_at=None,
            flagged=rules.needs_quality(kinds), noticed_at=None, causes=[], risk_probability=None,
            risk_consequence=None, diary_number="", routine_id=None,
        )
        self.batch.reports.append(row)
        if status != "received":
            self.handle(row, scenario, variant, handler, age)
        # A bulk insert passes by the model's validators, which keep these.
        row["received_month"] = local_month(row["received_at"])
        row["minutes_to_closed"] = minutes_between(row["received_at"], row["closed_at"])
        return row

    def handle(self, row: dict, scenario: Scenario, variant: Variant, handler: User, age: float) -> None:
        rng, received = self.rng, row["received_at"]
        started = received + timedelta(hours=rng.uniform(2, min(72, age * 24 * 0.8)))
        row["kinds_confirmed_at"] = started
        reason = CONFIRM_REASON if row["kinds"] == row["suggested_kinds"] else DOWNGRADE_REASON
        self.batch.changes.append(dict(report_uuid=row["uuid"], actor_id=handler.id,
                                       previous_kinds=row["suggested_kinds"], kinds=row["kinds"], reason=reason,
                                       created_at=started))
        self.batch.entries.append(dict(report_uuid=row["uuid"], author_id=handler.id, signed_name=handler.display_name,
                                       signed_title=handler.title, kind="fact", text=variant.fact, created_at=started))
        row["noticed_at"] = row["occurred_at"]
        for clock in clock_rules.clocks_for(row["kinds"]):
            outcome = "done" if scenario.serious else "not_needed"
            self.batch.clocks.append(dict(report_uuid=row["uuid"], code=clock.code, outcome=outcome,
                                          note="Bedömt vid utredningen.", stopped_by_id=handler.id,
                                          stopped_at=started, overdue_notified_at=None))
        if row["status"] == "investigating":
            return
        row["causes"] = [cause for cause in rules.CAUSE_LABELS
                         if cause in rng.sample(scenario.causes, rng.randint(1, len(scenario.causes)))]
        probability, consequence = scenario.risk
        row["risk_probability"] = max(1, min(4, probability + rng.choice((-1, 0, 0, 1))))
        row["risk_consequence"] = consequence
        if scenario.serious:
            row["diary_number"] = f"SN {row['created_at'].year}/{rng.randint(100, 999)}"
        closed = row["status"] == "closed"
        if closed:
            days = min(age * 0.9, rng.lognormvariate(2.3, 0.6))
            row["closed_at"] = received + timedelta(days=max(days, 0.5))
            row["feedback"] = scenario.feedback
            row["updated_at"] = row["closed_at"]
        for what in rng.sample(scenario.actions, rng.randint(1, min(2, len(scenario.actions)))):
            self.action(row, what, handler, started, closed)
        if closed and scenario.routines and rng.random() < 0.25:
            self.link_routine(row, scenario, handler, started)

    def action(self, row: dict, what: str, handler: User, started: datetime, closed: bool) -> None:
        rng = self.rng
        due = (started + timedelta(days=rng.randint(7, 30))).date()
        action = dict(report_uuid=row["uuid"], what=what, owner_id=handler.id, owner_name="", due_on=due,
                      status="planned", effect="", effect_note="", effect_evaluated_at=None, created_by_id=handler.id,
                      created_at=started, done_at=None, overdue_notified_at=None)
        if closed:
            done = min(row["closed_at"], started + timedelta(days=rng.randint(3, 25)))
            action.update(status="done", done_at=done)
            evaluated = done + timedelta(days=30)
            if evaluated < self.now and rng.random() < 0.8:
                effect = rng.choices(["worked", "partly", "did_not_work"], [60, 27, 13])[0]
                notes = {"worked": "Inga liknande händelser sedan dess.",
                         "partly": "Färre händelser, men det har hänt igen en gång.",
                         "did_not_work": "Samma sak har hänt igen; ny åtgärd behövs."}
                action.update(effect=effect, effect_note=notes[effect], effect_evaluated_at=evaluated)
        else:
            action["status"] = rng.choice(["planned", "running"])
        self.batch.actions.append(action)

    def link_routine(self, row: dict, scenario: Scenario, handler: User, started: datetime) -> None:
        slugs = [slug for slug in scenario.routines if slug in self.routines]
        if not slugs:
            return
        routine_id = self.routines[self.rng.choice(slugs)]
        row["routine_id"] = routine_id
        unit_name = next(name for name, unit_id in self.units.items() if unit_id == row["unit_id"])
        self.batch.proposals.append(dict(
            routine_id=routine_id, author_id=handler.id, report_uuid=row["uuid"], created_at=started,
            text=f"Granskning begärd efter en avvikelse från {unit_name} "
                 f"({row['occurred_at'].date().isoformat()}): rutinen behöver bli tydligare om det som hände.",
            answer="", answered_by_id=None, answered_at=None))


def ids_of(uuids: list[str]) -> dict[str, int]:
    """Report ids by uuid, asked in slices: SQLite takes at most 32,766 values in one statement."""
    ids = {}
    for start in range(0, len(uuids), 10_000):
        part = uuids[start:start + 10_000]
        ids.update(db.session.execute(select(Report.uuid, Report.id).where(Report.uuid.in_(part))).all())
    return ids


def insert_children(rows: list[dict], model, ids: dict[str, int], wanted: set[str]) -> None:
    rows = [dict(row, report_id=ids[row["report_uuid"]]) for row in rows if row["report_uuid"] in wanted]
    for row in rows:
        del row["report_uuid"]
    if rows:
        db.session.execute(insert(model), rows)


def seed_reports(now: datetime | None = None, count: int = REPORT_COUNT) -> int:
    """Add the demo reports that are missing; returns how many were added."""
    users = {user.username: user for user in db.session.scalars(select(User))}
    units = dict(db.session.execute(select(Unit.name, Unit.id)).all())
    if any(name not in units for name, *_ in DEMO_REPORT_UNITS) or "kvalitet" not in users:
        return 0
    existing = set(ids_of([report_uuid(index) for index in range(count)]))
    if len(existing) == count:
        return 0
    routines = dict(db.session.execute(select(Routine.slug, Routine.id)).all())
    builder = Builder(now or utcnow(), users, units, routines, count)
    for index in range(count):
        builder.report(index)
    batch = builder.batch
    # In the order they arrived, as a real database holds them (the statistics read them by time).
    new_reports = sorted((row for row in batch.reports if row["uuid"] not in existing),
                         key=lambda row: row["received_at"])
    wanted = {row["uuid"] for row in new_reports}
    db.session.execute(insert(Report), new_reports)
    ids = ids_of(list(wanted))
    # Nor does it pass by Report.kinds' mirroring: the kinds' rows are written here.
    db.session.execute(insert(ReportKindRow), [dict(report_id=ids[row["uuid"]], kind=kind)
                                               for row in new_reports for kind in row["kinds"]])
    insert_children(batch.changes, KindChange, ids, wanted)
    insert_children(batch.entries, InvestigationEntry, ids, wanted)
    insert_children(batch.actions, ReportAction, ids, wanted)
    insert_children(batch.clocks, ReportClock, ids, wanted)
    insert_children(batch.proposals, ChangeProposal, ids, wanted)
    db.session.commit()
    return len(new_reports)
