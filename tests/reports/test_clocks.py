"""Legal clocks per kind, reminders of overdue clocks and actions (each once), and reports linked to routines."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select

from app.accounts.models import User
from app.extensions import db
from app.notices.models import InboxItem
from app.reports import clock_rules, clocks, handling
from app.reports.models import Report
from app.routines.models import ChangeProposal, Routine
from app.timestamps import LOCAL_ZONE, utcnow
from tests.conftest import template_made_from
from tests.reports.factories import ReportApi, payload

UTC = timezone.utc
DISCOVERED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10.00 in Stockholm

LEX_MARIA = payload(text="Fel dos insulin gavs.", affected=["client"], harm="injury", topics=["medication"])
LEX_SARAH = payload(text="Brukaren blev hotad.", affected=["client"], harm="risk", topics=["threat_violence"])
PERSONAL_DATA = payload(text="Journalutdrag skickat till fel adress.", affected=["nobody"], harm="none",
                        topics=["information"])
WORK_INJURY = payload(text="Jag halkade på isen vid porten.", affected=["staff"], harm="injury",
                      topics=["work_environment"])
COMPLAINT = payload(text="Anhörig klagade.", affected=["client"], harm="none", topics=["complaint"])


# The table, row by row

@pytest.mark.parametrize(("code", "hours", "authority"), [
    ("lex_sarah", 24, "IVO"), ("lex_maria", 48, "IVO"), ("av", None, "Arbetsmiljöverket"), ("imy", 72, "IMY"),
])
def test_each_legal_clock_has_its_authority_and_default_duration(code, hours, authority):
    clock = clock_rules.CLOCK_BY_CODE[code]
    assert (clock.hours, clock.authority) == (hours, authority)


@pytest.mark.parametrize(("code", "law_time", "source", "statutory_hours"), [
    ("lex_sarah", "snarast", "SOSFS 2011:5", None), ("lex_maria", "snarast", "HSLF-FS 2017:40", None),
    ("av", "utan dröjsmål", "arbetsmiljöförordningen (1977:1166) 2 §", None),
    ("imy", "inom 72 timmar från upptäckten", "(GDPR) artikel 33", 72),
])
def test_each_clock_says_what_the_law_says_with_its_source(code, law_time, source, statutory_hours):
    clock = clock_rules.CLOCK_BY_CODE[code]
    assert clock.law_time == law_time and source in clock.source and clock.statutory_hours == statutory_hours
    assert "timmar" not in clock.duty  # the duty is what to do; the time is the law's words, or ours, apart


@pytest.mark.parametrize(("hours", "phrase"), [(24, "24 timmar efter upptäckten"), (1, "1 timme efter upptäckten"),
                                               (None, "samma dag som händelsen upptäcktes")])
def test_an_internal_deadline_in_words(hours, phrase):
    assert clock_rules.hours_phrase(hours) == phrase


@pytest.mark.parametrize(("kinds", "codes"), [
    (["lex_sarah"], ["lex_sarah"]), (["lex_maria", "avvikelse_hsl"], ["lex_maria"]),
    (["arbetsmiljo_olycka"], ["av"]), (["arbetsmiljo_tillbud"], ["av"]), (["informationssakerhet"], ["imy"]),
    (["klagomal", "avvikelse_sol"], []),
])
def test_the_kinds_decide_which_clocks_run(kinds, codes):
    assert [clock.code for clock in clock_rules.clocks_for(kinds)] == codes


def test_imy_is_due_72_hours_after_discovery():
    due = clock_rules.clock_due(clock_rules.CLOCK_BY_CODE["imy"], DISCOVERED, {}, LOCAL_ZONE)
    assert due == DISCOVERED + timedelta(hours=72)


def test_a_configured_duration_overrides_the_default():
    overrides = {"FICKAN_CLOCK_IMY_HOURS": "48"}
    due = clock_rules.clock_due(clock_rules.CLOCK_BY_CODE["imy"], DISCOVERED, overrides, LOCAL_ZONE)
    assert due == DISCOVERED + timedelta(hours=48)


def test_the_work_environment_authority_is_due_the_same_day():
    due = clock_rules.clock_due(clock_rules.CLOCK_BY_CODE["av"], DISCOVERED, {}, LOCAL_ZONE)
    assert due.astimezone(LOCAL_ZONE) == datetime(2026, 11, 24, 0, 0, tzinfo=LOCAL_ZONE)


def test_a_stopped_clock_is_never_overdue():
    due = DISCOVERED + timedelta(hours=1)
    assert clock_rules.clock_is_overdue(due, False, due)
    assert not clock_rules.clock_is_overdue(due, True, due + timedelta(days=9))


# Reports with clocks

def send(app, report) -> dict:
    response = ReportApi(app.test_client()).login("usk.nord").send(dict(report, uuid=payload()["uuid"]))
    assert response.status_code == 201
    return response.get_json()


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def tell_everything_overdue() -> None:
    long_after = utcnow() + timedelta(days=365)
    clocks.remind_overdue_clocks(long_after, {})
    clocks.remind_overdue_actions(long_after)
    db.session.execute(delete(InboxItem).where(InboxItem.kind == "deadline"))
    db.session.commit()


@pytest.fixture(scope="module")
def template_database(template_database, tmp_path_factory):
    """The demo data's overdue clocks and actions told already, so each test sees only its own reminders."""
    return template_made_from(template_database, tmp_path_factory.mktemp("clocks"), tell_everything_overdue)


def deadline_items() -> list[tuple[str, str]]:
    items = db.session.scalars(select(InboxItem).where(InboxItem.kind == "deadline").order_by(InboxItem.id))
    return [(db.session.get(User, item.user_id).username, item.topic) for item in items]


def test_the_report_page_shows_the_clock_due_and_then_overdue(app, clock):
    written = clock.pin(DISCOVERED)
    body = send(app, dict(PERSONAL_DATA, created_at=written.isoformat()))
    phone = ReportApi(app.test_client()).login("kvalitet")
    clock.advance(timedelta(hours=71))
    html = phone.get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    assert 'data-clock="imy" data-clock-state="due"' in html and "IMY" in html
    clock.advance(timedelta(hours=2))
    html = phone.get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    assert 'data-clock="imy" data-clock-state="overdue"' in html and "Försenad" in html


def clocks_section(html: str) -> str:
    return html[html.index('id="tidsfrister"'):html.index("</section>", html.index('id="tidsfrister"'))]


def test_the_report_page_tells_the_law_s_words_apart_from_our_internal_deadline(app):
    body = send(app, LEX_SARAH)
    html = ReportApi(app.test_client()).login("kvalitet").get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    section = clocks_section(html)
    assert "Anmälningar och frister" in html and "Lagstadgade" not in html
    assert "Lagen: anmäl snarast (SOSFS 2011:5 (Lex Sarah))." in section
    assert "Vår interna frist: 24 timmar efter upptäckten." in section
    assert "Enligt vår interna frist senast" in section


def test_imy_s_72_hours_are_both_the_law_s_and_ours(app):
    body = send(app, PERSONAL_DATA)
    html = ReportApi(app.test_client()).login("kvalitet").get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    section = clocks_section(html)
    assert "Lagen: anmäl inom 72 timmar från upptäckten (dataskyddsförordningen (GDPR) artikel 33)." in section
    assert "Vår interna frist: 72 timmar efter upptäckten – samma som lagens." in section


def test_a_configured_internal_deadline_is_shown_as_ours(app):
    app.config["LEGAL_CLOCK_HOURS"] = {"FICKAN_CLOCK_LEX_MARIA_HOURS": "12"}
    body = send(app, LEX_MARIA)
    html = ReportApi(app.test_client()).login("mas").get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    section = clocks_section(html)
    assert "Lagen: anmäl snarast (HSLF-FS 2017:40 (Lex Maria))." in section
    assert "Vår interna frist: 12 timmar efter upptäckten." in section


def test_an_overdue_lex_maria_clock_is_told_to_mas_once(app):
    body = send(app, LEX_MARIA)
    with app.app_context():
        report = db.session.get(Report, body["id"])
        later = report.created_at + timedelta(hours=49)
        assert clocks.remind_overdue_clocks(report.created_at + timedelta(hours=47), {}) == 0
        assert clocks.remind_overdue_clocks(later, {}) == 1
        assert clocks.remind_overdue_clocks(later + timedelta(hours=1), {}) == 0
        topic = f"clock-{report.id}-lex_maria"
        assert deadline_items() == [("mas", topic)]


def test_an_overdue_work_injury_clock_past_the_manager_is_told_to_quality(app):
    body = send(app, dict(WORK_INJURY, bypass_manager=True))
    with app.app_context():
        report = db.session.get(Report, body["id"])
        assert clocks.remind_overdue_clocks(report.created_at + timedelta(days=2), {}) == 1
        told = {username for username, topic in deadline_items() if topic == f"clock-{report.id}-av"}
        assert told and "chef.nord" not in told and told <= {"kvalitet", "mas"}


def deadline_urls() -> list[str]:
    return list(db.session.scalars(select(InboxItem.url).where(InboxItem.kind == "deadline")))


def test_an_overdue_clock_reminder_opens_the_report_s_handling_page(app):
    body = send(app, LEX_MARIA)
    with app.app_context():
        report = db.session.get(Report, body["id"])
        clocks.remind_overdue_clocks(report.created_at + timedelta(hours=49), {})
        assert set(deadline_urls()) == {f"/rapporter/{body['uuid']}"}


def test_lex_sarah_tells_the_unit_manager_and_quality(app):
    body = send(app, LEX_SARAH)
    with app.app_context():
        report = db.session.get(Report, body["id"])
        clocks.remind_overdue_clocks(report.created_at + timedelta(hours=25), {})
        assert {username for username, _topic in deadline_items()} == {"chef.nord", "kvalitet", "mas"}


def test_a_clock_stopped_by_the_handler_is_not_reminded(app):
    body = send(app, WORK_INJURY)
    with app.app_context():
        report = db.session.get(Report, body["id"])
        clocks.stop_clock(user("chef.nord"), report, "av", "done", "Anmält 23/11", report.created_at)
        db.session.commit()
        assert clocks.remind_overdue_clocks(report.created_at + timedelta(days=2), {}) == 0
        assert deadline_items() == []


def test_a_closed_report_has_no_running_clocks_to_remind(app):
    body = send(app, PERSONAL_DATA)
    with app.app_context():
        report, chef = db.session.get(Report, body["id"]), user("chef.nord")
        handling.change_status(chef, report, "investigating")
        db.session.commit()
        handling.change_status(chef, report, "closed", "Klart, anmält till IMY.")
        db.session.commit()
        assert clocks.remind_overdue_clocks(report.created_at + timedelta(days=5), {}) == 0


def test_only_a_clock_of_the_report_can_be_stopped(app):
    body = send(app, COMPLAINT)
    with app.app_context(), pytest.raises(handling.HandlingError):
        clocks.stop_clock(user("chef.nord"), db.session.get(Report, body["id"]), "imy", "done", "", DISCOVERED)


def test_an_overdue_action_is_told_to_the_unit_managers_once(app):
    body = send(app, COMPLAINT)
    with app.app_context():
        chef = user("chef.nord")
        action = handling.add_action(chef, db.session.get(Report, body["id"]), what="Ny rutin för nycklar",
                                     owner_id=None, owner_name="Sara", due_on=date(2026, 11, 20))
        db.session.commit()
        now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
        assert clocks.remind_overdue_actions(datetime(2026, 11, 20, 12, 0, tzinfo=UTC)) == 0
        assert clocks.remind_overdue_actions(now) == 1
        assert clocks.remind_overdue_actions(now + timedelta(days=1)) == 0
        assert deadline_items() == [("chef.nord", f"action-{action.id}")]


def test_an_overdue_action_reminder_opens_the_report_s_actions(app):
    body = send(app, COMPLAINT)
    with app.app_context():
        handling.add_action(user("chef.nord"), db.session.get(Report, body["id"]), what="Ny rutin för nycklar",
                            owner_id=None, owner_name="Sara", due_on=date(2026, 11, 20))
        clocks.remind_overdue_actions(datetime(2026, 11, 21, 12, 0, tzinfo=UTC))
        assert deadline_urls() == [f"/rapporter/{body['uuid']}#atgarder"]


def test_the_periodic_job_reminds_with_the_configured_durations(app):
    from app.reports.jobs import remind_overdue_deadlines
    written = utcnow() - timedelta(hours=1)
    body = send(app, dict(PERSONAL_DATA, created_at=written.isoformat()))
    app.config["LEGAL_CLOCK_HOURS"] = {"FICKAN_CLOCK_IMY_HOURS": "0"}
    with app.app_context():
        remind_overdue_deadlines.call_local()
        report = db.session.get(Report, body["id"])
        assert (f"clock-{report.id}-imy") in {topic for _user, topic in deadline_items()}


# Concerns a routine

def test_linking_a_report_to_a_routine_asks_its_owner_for_a_review(app):
    body = send(app, LEX_MARIA)
    with app.app_context():
        routine = db.session.scalars(select(Routine).where(Routine.current_version_id.is_not(None))).first()
        slug, owner = routine.slug, routine.owner.username
        request = handling.link_routine(user("kvalitet"), db.session.get(Report, body["id"]), routine,
                                        "Rutinen säger inget om dubbelkontroll.")
        db.session.commit()
        assert db.session.get(Report, body["id"]).routine_id == routine.id
        assert request.report_id == body["id"] and "Hemvård Nord" in request.text
        assert "insulin" not in request.text
        assert db.session.scalar(select(ChangeProposal).where(ChangeProposal.report_id == body["id"])) is not None
    html = ReportApi(app.test_client()).login(owner).get(f"/rutiner/{slug}").get_data(as_text=True)
    assert "data-review-requests" in html and "dubbelkontroll" in html
    staff_html = ReportApi(app.test_client()).login("usk.nord").get(f"/rutiner/{slug}").get_data(as_text=True)
    assert "data-review-requests" not in staff_html


def test_linking_needs_a_reason(app):
    body = send(app, LEX_MARIA)
    with app.app_context(), pytest.raises(handling.HandlingError):
        routine = db.session.scalars(select(Routine)).first()
        handling.link_routine(user("chef.nord"), db.session.get(Report, body["id"]), routine, "")
        db.session.commit()
