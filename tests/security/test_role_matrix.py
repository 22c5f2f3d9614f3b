"""Every route of the URL map × every role: the status each actually gets, on demo data (issue 16).

tests/test_access.py checks that each view declares who may use it; this table checks what each role gets. A new
route has no row and fails `test_every_route_has_a_row`: add one, with the status every role should get.
Requests that change something aim where nothing changes (an empty form, an id that does not exist), so one app
serves the whole table.
"""
import shutil
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts import services as accounts
from app.extensions import db
from app.notices import services as notices
from app.notices.models import InboxItem
from app.quality.models import Task
from app.reports import handling
from app.routines import services as routines
from app.routines.models import RoutineImage
from tests.conftest import AuthActions, csrf_token_from, make_test_config
from tests.reports.factories import ReportApi, jpeg, payload
from tests.routines.factories import settings, unit

# The roles in the order of the table's columns; None is a visitor who has not logged in.
USERS = {"anonymous": None, "staff": "usk.nord", "coordinator": "samordnare.nord", "manager": "chef.nord",
         "nurse": "ssk.nord", "quality": "kvalitet", "mas": "mas", "admin": "admin"}
NO_SUCH_ID = 2**31 - 1
NO_SUCH_UUID = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    path: str
    statuses: str  # one status per role, in the order of USERS
    body: dict | None = None
    json: dict | None = None
    fresh_login: bool = False  # the request ends the login: made with a login of its own

    def expected(self) -> dict[str, int]:
        return dict(zip(USERS, map(int, self.statuses.split()), strict=True))


def rows(world: dict) -> list[Row]:
    """The table: {n} stand for the demo-like objects of `world`."""
    r, s, a, d, n = world["report"], world["syd_report"], world["action"], world["in_review"], world["nord_routine"]
    t = world
    return [
        # anon staff coord manag nurse quali mas  admin
        Row("home.index", "GET", "/", "302 200 200 200 200 200 200 200"),
        Row("home.healthz", "GET", "/healthz", "200 200 200 200 200 200 200 200"),
        Row("accounts.login", "GET", "/login", "200 302 302 302 302 302 302 302"),
        Row("accounts.login", "POST", "/login", "200 200 200 200 200 200 200 200", body={"username": "x"}),
        Row("accounts.logout", "POST", "/logout", "302 303 303 303 303 303 303 303", fresh_login=True),
        Row("accounts.sessions", "GET", "/inloggningar", "302 200 200 200 200 200 200 200"),
        Row("accounts.end_session", "POST", f"/inloggningar/{NO_SUCH_ID}/avsluta", "302 303 303 303 303 303 303 303"),
        Row("admin.index", "GET", "/admin/", "302 403 403 403 403 403 403 302"),
        Row("admin.users", "GET", "/admin/anvandare", "302 403 403 403 403 403 403 200"),
        Row("admin.edit_user", "GET", f"/admin/anvandare/{world['staff_id']}", "302 403 403 403 403 403 403 200"),
        Row("admin.edit_user", "POST", f"/admin/anvandare/{NO_SUCH_ID}", "302 403 403 403 403 403 403 404"),
        Row("admin.set_active", "POST", f"/admin/anvandare/{NO_SUCH_ID}/aktiv", "302 403 403 403 403 403 403 404"),
        Row("admin.reset_password", "POST", f"/admin/anvandare/{NO_SUCH_ID}/losenord",
            "302 403 403 403 403 403 403 404"),
        Row("admin.end_sessions", "POST", f"/admin/anvandare/{NO_SUCH_ID}/utloggning",
            "302 403 403 403 403 403 403 404"),
        Row("admin.new_user", "GET", "/admin/anvandare/ny", "302 403 403 403 403 403 403 200"),
        Row("admin.new_user", "POST", "/admin/anvandare/ny", "302 403 403 403 403 403 403 422"),
        Row("admin.units", "GET", "/admin/enheter", "302 403 403 403 403 403 403 200"),
        Row("admin.units", "POST", "/admin/enheter", "302 403 403 403 403 403 403 422"),
        # The phone's API: 401 rather than a redirect to the login page.
        Row("sync.current_session", "GET", "/api/v1/session", "401 200 200 200 200 200 200 200"),
        Row("sync.routine_changes", "GET", "/api/v1/routines/changes", "401 200 200 200 200 200 200 200"),
        Row("sync.push_key", "GET", "/api/v1/push/key", "200 200 200 200 200 200 200 200"),
        Row("sync.subscribe_to_push", "POST", "/api/v1/push/subscriptions", "401 422 422 422 422 422 422 422",
            json={}),
        Row("sync.unsubscribe_from_push", "DELETE", "/api/v1/push/subscriptions", "401 422 422 422 422 422 422 422",
            json={}),
        Row("sync.create_report", "POST", "/api/v1/reports", "401 400 400 400 400 400 400 400"),
        Row("sync.my_reports", "GET", "/api/v1/reports/mine", "401 200 200 200 200 200 200 200"),
        # Its reporter and those who handle it read the report; to anyone else it does not exist.
        # A medication report of Hemvård Nord: its reporter reads it; its manager, the unit's nurses (health care),
        # quality and MAS handle it; to anyone else it does not exist.
        Row("sync.report", "GET", f"/api/v1/reports/{r}", "401 200 404 200 200 200 200 404"),
        Row("sync.report", "GET", f"/api/v1/reports/{s}", "401 404 404 404 404 200 200 404"),
        Row("sync.report_photo", "GET", f"/api/v1/reports/{r}/photos/1", "401 200 404 200 200 200 200 404"),
        Row("sync.report_thumbnail", "GET", f"/api/v1/reports/{r}/photos/1/thumbnail",
            "401 200 404 200 200 200 200 404"),
        Row("pwa.manifest", "GET", "/manifest.webmanifest", "200 200 200 200 200 200 200 200"),
        Row("pwa.service_worker", "GET", "/sw.js", "200 200 200 200 200 200 200 200"),
        Row("pwa.offline", "GET", "/offline", "200 200 200 200 200 200 200 200"),
        Row("notices.inbox", "GET", "/meddelanden", "302 200 200 200 200 200 200 200"),
        Row("notices.send", "POST", "/meddelanden", "302 403 422 422 403 422 422 422"),
        # The notice went to the staff of Hemvård Nord: someone else's inbox item does not exist.
        Row("notices.show", "GET", f"/meddelanden/{world['staff_item']}", "302 200 404 404 404 404 404 404"),
        Row("notices.settings", "GET", "/meddelanden/installningar", "302 200 200 200 200 200 200 200"),
        Row("notices.send_test", "POST", "/meddelanden/installningar/test", "302 303 303 303 303 303 303 303"),
        Row("notices.recipients", "GET", "/meddelanden/mottagare", "302 403 200 200 403 200 200 200"),
        Row("reports.inbox", "GET", "/rapporter", "302 403 403 200 200 200 200 403"),
        Row("reports.handle", "GET", f"/rapporter/{r}", "302 403 403 200 200 200 200 403"),
        Row("reports.handle", "GET", f"/rapporter/{s}", "302 403 403 404 404 200 200 403"),
        Row("reports.export", "GET", f"/rapporter/{r}/utskrift", "302 403 403 200 200 200 200 403"),
        Row("reports.classification_rules", "GET", "/rapporter/regler", "302 403 403 200 200 200 200 403"),
        Row("reports.add_entry", "POST", f"/rapporter/{NO_SUCH_UUID}/anteckningar", "302 403 403 404 404 404 404 403"),
        Row("reports.add_action", "POST", f"/rapporter/{NO_SUCH_UUID}/atgarder", "302 403 403 404 404 404 404 403"),
        # An empty form: refused (422) to those who handle the report of Syd, 404 to those who do not.
        Row("reports.update_action", "POST", f"/rapporter/{s}/atgarder/{a}", "302 403 403 404 404 422 422 403"),
        Row("reports.record_assessment", "POST", f"/rapporter/{NO_SUCH_UUID}/bedomning",
            "302 403 403 404 404 404 404 403"),
        Row("reports.link_routine", "POST", f"/rapporter/{NO_SUCH_UUID}/rutin", "302 403 403 404 404 404 404 403"),
        Row("reports.change_status", "POST", f"/rapporter/{r}/status", "302 403 403 422 422 422 422 403"),
        Row("reports.stop_clock", "POST", f"/rapporter/{NO_SUCH_UUID}/tidsfrister/IMY",
            "302 403 403 404 404 404 404 403"),
        Row("reports.confirm_kinds", "POST", f"/rapporter/{NO_SUCH_UUID}/typer", "302 403 403 404 404 404 404 403"),
        Row("reports.statistics", "GET", "/statistik", "302 403 403 200 200 200 200 403"),
        Row("reports.statistics_csv", "GET", "/statistik/export.csv", "302 403 403 200 200 200 200 403"),
        Row("reports.learning", "GET", "/statistik/larande", "302 403 403 200 200 200 200 403"),
        Row("reports.new", "GET", "/rapportera", "302 200 200 200 200 200 200 200"),
        Row("reports.create", "POST", "/rapportera", "302 422 422 422 422 422 422 422"),
        Row("reports.mine", "GET", "/rapportera/mina", "302 200 200 200 200 200 200 200"),
        Row("routines.index", "GET", "/rutiner", "302 200 200 200 200 200 200 200"),
        Row("routines.show", "GET", f"/rutiner/{n}", "302 200 200 200 200 200 200 200"),
        Row("routines.show", "GET", "/rutiner/digitala-las-i-hemvard-syd", "302 404 404 404 404 200 200 200"),
        Row("routines.changes", "GET", f"/rutiner/{n}/andringar", "302 200 200 200 200 200 200 200"),
        Row("routines.history", "GET", f"/rutiner/{n}/historik", "302 200 200 200 200 200 200 200"),
        Row("routines.readers", "GET", f"/rutiner/{n}/lasningar", "302 403 403 200 403 200 200 403"),
        Row("routines.confirm_read", "POST", "/rutiner/finns-inte/last", "302 404 404 404 404 404 404 404"),
        Row("routines.favourite", "POST", "/rutiner/finns-inte/favorit", "302 404 404 404 404 404 404 404"),
        Row("routines.propose", "POST", "/rutiner/finns-inte/forslag", "302 404 404 404 404 404 404 404"),
        Row("routines.edit", "GET", f"/rutiner/{n}/redigera", "302 403 403 200 403 200 200 403"),
        Row("routines.edit", "GET", "/rutiner/digitala-las-i-hemvard-syd/redigera", "302 403 403 404 403 200 200 403"),
        Row("routines.edit", "POST", f"/rutiner/{n}/redigera", "302 403 403 422 403 422 422 403"),
        Row("routines.archive", "GET", f"/rutiner/{n}/arkivera", "302 403 403 200 403 200 200 403"),
        Row("routines.archive", "POST", f"/rutiner/{n}/arkivera", "302 403 403 200 403 200 200 403"),
        Row("routines.submit", "POST", f"/rutiner/{n}/skicka", "302 403 403 303 403 303 303 403"),
        # In review: its owner (mas) and those who may edit it (quality) see it, nobody else.
        Row("routines.review", "GET", f"/rutiner/{d}/granska", "302 403 403 404 403 200 200 403"),
        Row("routines.decide", "POST", f"/rutiner/{d}/granska", "302 403 403 404 403 403 303 403"),
        Row("routines.upload_image", "POST", "/rutiner/bilder", "302 403 403 400 403 400 400 403"),
        Row("routines.image", "GET", f"/rutiner/bilder/{world['image']}", "302 200 200 200 200 200 200 200"),
        Row("routines.preview", "POST", "/rutiner/forhandsgranska", "302 403 403 200 403 200 200 403"),
        Row("routines.proposals", "GET", "/rutiner/forslag", "302 403 403 200 403 200 200 403"),
        Row("routines.answer", "POST", f"/rutiner/forslag/{NO_SUCH_ID}", "302 403 403 404 403 404 404 403"),
        Row("routines.manage", "GET", "/rutiner/hantera", "302 403 403 200 403 200 200 403"),
        Row("routines.new", "GET", "/rutiner/ny", "302 403 403 200 403 200 200 403"),
        Row("routines.new", "POST", "/rutiner/ny", "302 403 403 422 403 422 422 403"),
        Row("search_words.search_misses", "GET", "/rutiner/sokningar-utan-traff", "302 403 403 403 403 200 200 403"),
        Row("search_words.synonym_list", "GET", "/rutiner/synonymer", "302 403 403 403 403 200 200 403"),
        Row("search_words.synonym_list", "POST", "/rutiner/synonymer", "302 403 403 403 403 422 422 403"),
        Row("search_words.delete_synonym", "POST", f"/rutiner/synonymer/{NO_SUCH_ID}/ta-bort",
            "302 403 403 403 403 404 404 403"),
        # The quality year: quality plans it, managers read their units' part, staff never see the wheel.
        Row("quality.wheel_page", "GET", "/arshjul", "302 403 403 200 403 200 200 403"),
        Row("quality.activity", "GET", f"/arshjul/{t['activity']}", "302 403 403 200 403 200 200 403"),
        Row("quality.activity", "GET", f"/arshjul/{NO_SUCH_ID}", "302 403 403 404 403 404 404 403"),
        Row("quality.new_activity", "GET", "/arshjul/ny", "302 403 403 403 403 200 200 403"),
        Row("quality.new_activity", "POST", "/arshjul/ny", "302 403 403 403 403 422 422 403"),
        Row("quality.edit_activity", "GET", f"/arshjul/{t['activity']}/andra", "302 403 403 403 403 200 200 403"),
        Row("quality.edit_activity", "POST", f"/arshjul/{NO_SUCH_ID}/andra", "302 403 403 403 403 404 404 403"),
        Row("quality.round_result", "GET", f"/arshjul/{NO_SUCH_ID}/omgang/2026-03-31",
            "302 403 403 404 403 404 404 403"),
        Row("quality.round_csv", "GET", f"/arshjul/{NO_SUCH_ID}/omgang/2026-03-31.csv",
            "302 403 403 404 403 404 404 403"),
        Row("quality.forms", "GET", "/egenkontroll/formular", "302 403 403 403 403 200 200 403"),
        Row("quality.new_form", "GET", "/egenkontroll/formular/ny", "302 403 403 403 403 200 200 403"),
        Row("quality.new_form", "POST", "/egenkontroll/formular/ny", "302 403 403 403 403 422 422 403"),
        Row("quality.edit_form", "GET", f"/egenkontroll/formular/{NO_SUCH_ID}", "302 403 403 403 403 404 404 403"),
        Row("quality.edit_form", "POST", f"/egenkontroll/formular/{NO_SUCH_ID}", "302 403 403 403 403 404 404 403"),
        # A task of Hemvård Nord's managers: theirs and quality's; to anyone else it does not exist.
        Row("tasks.index", "GET", "/att-gora", "302 200 200 200 200 200 200 200"),
        Row("tasks.task", "GET", f"/att-gora/{t['nord_task']}", "302 404 404 200 404 200 200 404"),
        Row("tasks.task", "GET", f"/att-gora/{NO_SUCH_ID}", "302 404 404 404 404 404 404 404"),
        Row("tasks.done", "POST", f"/att-gora/{NO_SUCH_ID}/klar", "302 404 404 404 404 404 404 404"),
        Row("tasks.hand", "POST", f"/att-gora/{NO_SUCH_ID}/lamna", "302 404 404 404 404 404 404 404"),
        Row("tasks.submit", "POST", f"/att-gora/{NO_SUCH_ID}/skicka", "302 404 404 404 404 404 404 404"),
        # The phone's egenkontroll answers: a version that does not exist is refused (409) to whoever may
        # answer the task; to anyone else the task is not theirs (403).
        Row("sync.submit_self_check", "POST", "/api/v1/self-checks", "401 403 403 409 403 409 409 403",
            json={"uuid": NO_SUCH_UUID, "task_id": t["nord_task"], "version_id": NO_SUCH_ID, "answers": {}}),
        Row("tasks.finish_action", "POST", f"/att-gora/atgard/{NO_SUCH_ID}", "302 404 404 404 404 404 404 404"),
        # Synpunkter: the public pages are everyone's; a follow link that is not a case's is 404 to all.
        Row("complaints.form", "GET", "/synpunkter", "200 200 200 200 200 200 200 200"),
        Row("complaints.easy_form", "GET", "/synpunkter/lattlast", "200 200 200 200 200 200 200 200"),
        Row("complaints.submit", "POST", "/synpunkter", "422 422 422 422 422 422 422 422"),
        Row("complaints.receipt", "GET", "/synpunkter/kvitto", "302 302 302 302 302 302 302 302"),
        Row("complaints.follow", "GET", "/synpunkter/gissad-kod-som-inte-finns", "404 404 404 404 404 404 404 404"),
        Row("complaints.register_form", "GET", "/rapportera/klagomal", "302 200 200 200 200 200 200 200"),
        Row("complaints.register", "POST", "/rapportera/klagomal", "302 422 422 422 422 422 422 422"),
        Row("complaints.acknowledge", "POST", f"/rapporter/{NO_SUCH_UUID}/klagomal/mottaget",
            "302 403 403 404 404 404 404 403"),
        Row("complaints.answer", "POST", f"/rapporter/{NO_SUCH_UUID}/klagomal/svar", "302 403 403 404 404 404 404 403"),
        Row("complaints.no_answer", "POST", f"/rapporter/{NO_SUCH_UUID}/klagomal/inget-svar",
            "302 403 403 404 404 404 404 403"),
        Row("complaints.place", "POST", f"/rapporter/{NO_SUCH_UUID}/klagomal/enhet", "302 403 403 404 404 404 404 403"),
        Row("complaints.tertial", "GET", "/statistik/klagomal", "302 403 403 200 200 200 200 403"),
    ]


@pytest.fixture(scope="module")
def matrix_app(template_database, tmp_path_factory):
    """One app on a copy of the demo data for the whole table."""
    folder = tmp_path_factory.mktemp("matrix")
    shutil.copy(template_database, folder / "fickan.db")
    shutil.copytree(template_database.parent / "uploads", folder / "uploads", dirs_exist_ok=True)
    # Every role comes from the same address here: the limits per address are not what this table tests.
    config = make_test_config(folder, folder / "fickan.db") | {
        "LOGIN_RATE_LIMIT_PER_IP": "1000 per minute", "LOGIN_RATE_LIMIT_PER_USERNAME": "1000 per minute",
        "COMPLAINT_RATE_LIMIT": "1000 per minute"}
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def world(matrix_app) -> dict:
    """Demo-like objects: a report of Hemvård Nord with a photo and one of Syd, an action, a notice, a draft."""
    app = matrix_app
    report = ReportApi(app.test_client()).login("usk.nord").send(payload(), photos=[jpeg()]).get_json()["uuid"]
    syd_report = ReportApi(app.test_client()).login("usk.syd").send(payload()).get_json()["uuid"]
    with app.app_context():
        syd = handling.find_report(syd_report)
        action = handling.add_action(accounts.find_user("kvalitet"), syd, what="Byt lyftsele.", owner_id=None,
                                     owner_name="Sara", due_on=syd.created_at.date())
        notices.send_notice(accounts.find_user("samordnare.nord"), title="Nya nycklar", body="Hämta dem.",
                            importance="normal", expires_on=None, unit_ids=[unit("Hemvård Nord").id],
                            roles=["staff"])
        draft = routines.create_routine(accounts.find_user("kvalitet"), settings(owner="mas"),
                                        title="Rutin i granskning", tags="", body_md="Text.")
        db.session.flush()
        routines.submit_for_review(accounts.find_user("kvalitet"), draft, "Ny")
        db.session.commit()
        staff = accounts.find_user("usk.nord")
        return {
            "report": report, "syd_report": syd_report, "action": action.id, "in_review": draft.slug,
            "nord_routine": "nyckelhantering-hemvard-nord", "staff_id": staff.id,
            "staff_item": db.session.scalar(select(InboxItem.id).where(InboxItem.user_id == staff.id)
                                            .order_by(InboxItem.id.desc())),
            "image": db.session.scalar(select(RoutineImage.id).order_by(RoutineImage.id)),
            "activity": db.session.scalar(select(Task.activity_id).where(Task.unit_id == unit("Hemvård Nord").id)
                                          .order_by(Task.id)),
            "nord_task": db.session.scalar(select(Task.id).where(Task.unit_id == unit("Hemvård Nord").id,
                                                                 Task.assigned_role == "manager")
                                           .order_by(Task.id)),
        }


def signed_in(app, role: str):
    client = app.test_client()
    if USERS[role]:
        assert AuthActions(client).login(USERS[role]).status_code == 303
    return client


def answer(app, client, role: str, row: Row) -> int:
    if row.fresh_login:
        client = signed_in(app, role)
    token = csrf_token_from(client, "/" if USERS[role] else "/login")
    if row.method == "GET":
        return client.get(row.path).status_code
    if row.json is not None:
        return client.open(row.path, method=row.method, json=row.json, headers={"X-CSRFToken": token}).status_code
    return client.open(row.path, method=row.method, data={**(row.body or {}), "csrf_token": token}).status_code


def test_every_route_has_a_row(matrix_app, world):
    routes = {(rule.endpoint, method) for rule in matrix_app.url_map.iter_rules() if rule.endpoint != "static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    table = rows(world)
    assert routes - {(row.endpoint, row.method) for row in table} == set(), "routes without a row in the table"
    adapter = matrix_app.url_map.bind("localhost")
    wrong = [(row.path, row.endpoint) for row in table
             if adapter.match(row.path.split("?")[0], method=row.method)[0] != row.endpoint]
    assert wrong == []


@pytest.mark.parametrize("role", list(USERS))
def test_each_role_gets_the_status_of_the_table(matrix_app, world, role):
    client = signed_in(matrix_app, role)
    got = {f"{row.method} {row.path}": answer(matrix_app, client, role, row) for row in rows(world)}
    expected = {f"{row.method} {row.path}": row.expected()[role] for row in rows(world)}
    assert {key: status for key, status in got.items() if status != expected[key]} == {}, (
        f"{role}: got {got}")
