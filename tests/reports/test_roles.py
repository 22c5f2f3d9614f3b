"""The nurse, MAS and reports past the manager, page by page: inbox, report page, clock form, statistics."""
import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import User
from app.accounts.rules import Role
from app.extensions import db
from app.reports import rules, statistics
from app.reports.models import Report, ReportClock
from app.timestamps import local_today
from tests.reports.factories import ReportApi, make_user, payload

# Suggests avvikelse_hsl and lex_maria: the nurse's.
HSL = payload(text="Fel dos insulin gavs på kvällen.", affected=["client"], harm="injury", topics=["medication"])
# Suggests a work injury only: not the nurse's.
WORK_INJURY = payload(text="Jag halkade på isen vid porten.", affected=["staff"], harm="injury",
                      topics=["work_environment"])
COMPLAINT = payload(text="Anhörig klagade på maten.", affected=["client"], harm="none", topics=["complaint"])


def send(app, report, username="usk.nord") -> dict:
    response = ReportApi(app.test_client()).login(username).send(dict(report, uuid=payload()["uuid"]))
    assert response.status_code == 201
    return response.get_json()


def as_user(app, username) -> ReportApi:
    return ReportApi(app.test_client()).login(username)


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


# The rule, row by row

@pytest.mark.parametrize(("role", "kinds", "handles"), [
    (Role.NURSE, ["avvikelse_hsl"], True), (Role.NURSE, ["lex_maria"], True),
    (Role.NURSE, ["avvikelse_sol", "avvikelse_hsl"], True), (Role.NURSE, ["avvikelse_sol"], False),
    (Role.NURSE, ["lex_sarah"], False), (Role.NURSE, ["arbetsmiljo_olycka"], False),
    (Role.MANAGER, ["arbetsmiljo_olycka"], True), (Role.QUALITY, ["klagomal"], True),
    (Role.STAFF, ["avvikelse_hsl"], False),
])
def test_a_role_handles_the_kinds_of_its_row(role, kinds, handles):
    assert rules.handles(role, 7, kinds, {7}) is handles


def test_a_nurse_handles_nothing_outside_their_units():
    assert not rules.handles(Role.NURSE, 8, ["avvikelse_hsl"], {7})


# The nurse

def test_the_nurse_s_inbox_lists_the_hsl_reports_of_their_unit_only(app):
    hsl, injury = send(app, HSL), send(app, WORK_INJURY)
    html = as_user(app, "ssk.nord").get("/rapporter").get_data(as_text=True)
    # The inbox shows no report text (health data): the reports are told apart by their links.
    assert hsl["uuid"] in html and injury["uuid"] not in html


@pytest.mark.parametrize(("report", "status"), [(HSL, 200), (WORK_INJURY, 404), (COMPLAINT, 404)])
def test_the_nurse_opens_an_hsl_report_and_no_other(app, report, status):
    body = send(app, report)
    nurse = as_user(app, "ssk.nord")
    assert nurse.get(f"/rapporter/{body['uuid']}").status_code == status
    assert nurse.get(f"/api/v1/reports/{body['uuid']}").status_code == status


def test_a_nurse_of_another_unit_does_not_see_the_report(app):
    with app.app_context():
        make_user("ssk.syd", Role.NURSE, "Hemvård Syd")
    body = send(app, HSL)
    assert as_user(app, "ssk.syd").get(f"/rapporter/{body['uuid']}").status_code == 404


def test_the_nurse_investigates_and_closes_an_hsl_deviation(app):
    body = send(app, HSL)
    nurse = as_user(app, "ssk.nord")
    token = nurse.token
    for status, feedback in (("investigating", ""), ("closed", "Ny rutin för dubbelkontroll av insulin.")):
        response = nurse.client.post(f"/rapporter/{body['uuid']}/status",
                                     data={"status": status, "feedback": feedback, "csrf_token": token})
        assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Report, body["id"]).status == "closed"


def test_the_nurse_cannot_change_a_report_they_do_not_handle(app):
    body = send(app, WORK_INJURY)
    nurse = as_user(app, "ssk.nord")
    response = nurse.client.post(f"/rapporter/{body['uuid']}/status",
                                 data={"status": "investigating", "csrf_token": nurse.token})
    assert response.status_code == 404


def test_the_nurse_s_statistics_count_only_hsl_reports(app):
    send(app, HSL)
    send(app, WORK_INJURY)
    assert as_user(app, "ssk.nord").get("/statistik").status_code == 200
    with app.app_context():
        today = local_today()
        filters = statistics.default_filters(today)
        rows = list(statistics.csv_rows(user("ssk.nord"), filters))[1:]
        assert rows and all(rules.HSL_KINDS & set(row[2].split(";")) for row in rows)
        managers = statistics.summarise(user("chef.nord"), filters, today).total
        assert len(rows) == statistics.summarise(user("ssk.nord"), filters, today).total < managers


def test_a_nurse_reads_and_reports_like_staff(app, client, auth):
    auth.login("ssk.nord")
    assert client.get("/rutiner").status_code == 200
    assert client.get("/rapportera").status_code == 200


# MAS

def clock_form(html: str, code: str) -> bool:
    return f"/tidsfrister/{code}" in html


@pytest.mark.parametrize(("username", "form"), [("mas", True), ("kvalitet", False), ("chef.nord", False),
                                                ("ssk.nord", False)])
def test_only_mas_gets_the_lex_maria_clock_form_and_everyone_handling_sees_the_clock(app, username, form):
    body = send(app, HSL)
    html = as_user(app, username).get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    assert 'data-clock="lex_maria"' in html
    assert clock_form(html, "lex_maria") is form


@pytest.mark.parametrize(("username", "status", "stopped"), [
    ("mas", 303, True), ("kvalitet", 403, False), ("chef.nord", 403, False), ("ssk.nord", 403, False),
])
def test_only_mas_records_the_ivo_notification_for_lex_maria(app, username, status, stopped):
    body = send(app, HSL)
    handler = as_user(app, username)
    response = handler.client.post(f"/rapporter/{body['uuid']}/tidsfrister/lex_maria",
                                   data={"outcome": "done", "note": "Anmält 1/12", "csrf_token": handler.token})
    assert response.status_code == status
    with app.app_context():
        record = db.session.scalar(select(ReportClock).where(ReportClock.report_id == body["id"]))
        assert (record is not None and record.stopped_at is not None) is stopped


def test_a_quality_user_without_mas_still_records_lex_sarah(app):
    body = send(app, payload(text="Brukaren blev hotad.", affected=["client"], harm="risk",
                             topics=["threat_violence"]))
    handler = as_user(app, "kvalitet")
    response = handler.client.post(f"/rapporter/{body['uuid']}/tidsfrister/lex_sarah",
                                   data={"outcome": "not_needed", "csrf_token": handler.token})
    assert response.status_code == 303


def test_mas_is_a_responsibility_of_quality_users_only(app):
    with app.app_context(), pytest.raises(accounts.AccountError):
        accounts.update_user(None, user("chef.nord"), display_name="Johan Ek", title="", role=Role.MANAGER,
                             units=user("chef.nord").units, is_mas=True)


def test_admin_gives_the_mas_responsibility(app, client, auth):
    auth.login("admin")
    with app.app_context():
        kvalitet = user("kvalitet")
        user_id, unit_ids = kvalitet.id, [unit.id for unit in kvalitet.units]
    response = auth.post(f"/admin/anvandare/{user_id}", {
        "display_name": "Maria Nyström", "title": "", "role": "quality", "units": unit_ids, "is_mas": "y",
    }, token_from=f"/admin/anvandare/{user_id}")
    assert response.status_code == 303
    with app.app_context():
        assert user("kvalitet").is_mas


# A report past the manager ("Gäller det din chef?")

BYPASS = dict(COMPLAINT, text="Chefen skäller på oss inför brukarna.", bypass_manager=True)


@pytest.mark.parametrize(("username", "status"), [("chef.nord", 404), ("kvalitet", 200), ("mas", 200),
                                                  ("usk.nord", 200)])
def test_a_report_past_the_manager_does_not_exist_to_the_manager(app, username, status):
    body = send(app, BYPASS)
    reader = as_user(app, username)
    assert reader.get(f"/api/v1/reports/{body['uuid']}").status_code == status
    if username != "usk.nord":
        assert reader.get(f"/rapporter/{body['uuid']}").status_code == status


def totals(app) -> tuple[int, int]:
    with app.app_context():
        today = local_today()
        filters = statistics.default_filters(today)
        return tuple(statistics.summarise(user(name), filters, today).total for name in ("chef.nord", "kvalitet"))


def test_a_report_past_the_manager_is_absent_from_the_manager_s_inbox_and_statistics(app):
    manager_before, quality_before = totals(app)
    body = send(app, BYPASS)
    assert body["uuid"] not in as_user(app, "chef.nord").get("/rapporter").get_data(as_text=True)
    assert totals(app) == (manager_before, quality_before + 1)


def test_a_report_past_the_manager_is_in_quality_s_queue(app):
    body = send(app, BYPASS)
    html = as_user(app, "kvalitet").get("/rapporter?ko=kvalitet").get_data(as_text=True)
    assert body["uuid"] in html
    page = as_user(app, "kvalitet").get(f"/rapporter/{body['uuid']}").get_data(as_text=True)
    assert "data-bypass-manager" in page
    assert as_user(app, "kvalitet").get(f"/api/v1/reports/{body['uuid']}").get_json()["bypass_manager"] is True


@pytest.mark.parametrize(("value", "status"), [(True, 201), (False, 201), (None, 201), ("kanske", 422)])
def test_bypass_manager_is_yes_or_no(app, value, status):
    response = ReportApi(app.test_client()).login("usk.nord").send(dict(COMPLAINT, uuid=payload()["uuid"],
                                                                        bypass_manager=value))
    assert response.status_code == status
