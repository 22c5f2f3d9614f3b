"""Coordinators' notices: who they reach, the recipient preview, the inbox and its read state."""
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.accounts import services as accounts
from app.extensions import db
from app.notices.models import InboxItem, Notice
from app.timestamps import local_today, utcnow
from tests.conftest import AuthActions
from tests.routines.factories import unit

RECIPIENTS = re.compile(r'data-recipient-count="(\d+)">Meddelandet når \d+ person')


def add_user(app, username, role, unit_name):
    with app.app_context():
        accounts.create_user(None, username=username, display_name=username, role=role, password="demo",
                             units=[unit(unit_name)], check_password_policy=False)


def unit_id(app, name):
    with app.app_context():
        return unit(name).id


def notice_form(app, units=("Hemvård Nord",), roles=("staff",), title="Ny nyckelrutin från måndag",
                body="Nycklarna hämtas i receptionen från och med måndag.", importance="normal"):
    return {"title": title, "body": body, "importance": importance, "units": [unit_id(app, name) for name in units],
            "roles": list(roles), "expires_on": ""}


def send(auth, form):
    return auth.post("/meddelanden", data=form, token_from="/meddelanden")


def recipients_of_last_notice(app):
    with app.app_context():
        notice = db.session.scalars(select(Notice).order_by(Notice.id.desc())).first()
        items = db.session.scalars(select(InboxItem).where(InboxItem.notice_id == notice.id))
        return sorted(item.user.username for item in items)


def second_client(app, username):
    client = app.test_client()
    AuthActions(client).login(username)
    return client


def test_a_coordinators_notice_reaches_the_staff_of_their_own_unit_by_default(app, client, auth):
    add_user(app, "usk.nord2", "staff", "Hemvård Nord")
    auth.login("samordnare.nord")
    page = client.get("/meddelanden").get_data(as_text=True)
    assert "Skicka meddelande" in page and 'name="title"' in page

    response = send(auth, notice_form(app))

    assert response.status_code == 303
    assert recipients_of_last_notice(app) == ["usk.nord", "usk.nord2"]


def test_a_notice_to_a_district_reaches_the_units_below_it(app, client, auth):
    auth.login("kvalitet")
    send(auth, notice_form(app, units=("Hemtjänst och hemsjukvård",)))
    assert recipients_of_last_notice(app) == ["usk.nord", "usk.syd"]


def test_a_coordinator_of_a_district_reaches_the_units_below_it(app, client, auth):
    add_user(app, "samordnare.omrade", "coordinator", "Hemtjänst och hemsjukvård")
    auth.login("samordnare.omrade")
    send(auth, notice_form(app, units=("Hemtjänst och hemsjukvård",)))
    assert recipients_of_last_notice(app) == ["usk.nord", "usk.syd"]


def test_the_chosen_roles_decide_who_gets_it(app, client, auth):
    auth.login("samordnare.nord")
    send(auth, notice_form(app, roles=("manager",)))
    assert recipients_of_last_notice(app) == ["chef.nord"]


def test_a_coordinator_cannot_send_to_a_unit_outside_their_own(app, client, auth):
    auth.login("samordnare.nord")
    response = send(auth, notice_form(app, units=("Hemvård Syd",)))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalars(select(InboxItem)).all() == []


def test_the_recipient_preview_counts_those_the_notice_reaches(app, client, auth):
    add_user(app, "usk.nord2", "staff", "Hemvård Nord")
    auth.login("kvalitet")
    form = notice_form(app, units=("Hemvård Nord", "Hemvård Syd"), roles=("staff", "manager"))

    preview = client.get("/meddelanden/mottagare", query_string={"units": form["units"], "roles": form["roles"]},
                         headers={"HX-Request": "true"}).get_data(as_text=True)
    send(auth, form)

    assert "<html" not in preview
    assert "Meddelandet når 4 personer" in preview
    assert int(RECIPIENTS.search(preview).group(1)) == len(recipients_of_last_notice(app)) == 4


def test_the_compose_form_shows_the_default_reach(app, client, auth):
    auth.login("samordnare.nord")
    assert "Meddelandet når 1 person<" in client.get("/meddelanden").get_data(as_text=True)


def test_staff_cannot_compose_or_preview(app, client, auth):
    auth.login("usk.nord")
    assert "Skicka meddelande" not in client.get("/meddelanden").get_data(as_text=True)
    assert send(auth, notice_form(app)).status_code == 403
    assert client.get("/meddelanden/mottagare?roles=staff").status_code == 403


def test_a_new_notice_is_unread_and_opening_it_marks_it_read(app, client, auth):
    auth.login("samordnare.nord")
    add_user(app, "usk.nord2", "staff", "Hemvård Nord")
    send(auth, notice_form(app))
    staff = second_client(app, "usk.nord")

    inbox = staff.get("/meddelanden").get_data(as_text=True)
    assert 'data-unread-count="1"' in inbox
    assert "inbox-item unread" in inbox and "Ny nyckelrutin från måndag" in inbox
    assert "Läst av 0 av 2" in client.get("/meddelanden").get_data(as_text=True)

    item_id = int(re.search(r'data-inbox-item="(\d+)"', inbox).group(1))
    opened = staff.get(f"/meddelanden/{item_id}").get_data(as_text=True)

    assert "Nycklarna hämtas i receptionen" in opened
    assert 'data-unread-count="0"' in staff.get("/").get_data(as_text=True)
    assert "inbox-item unread" not in staff.get("/meddelanden").get_data(as_text=True)
    assert "Läst av 1 av 2" in client.get("/meddelanden").get_data(as_text=True)


def test_a_user_cannot_read_another_users_inbox_item(app, client, auth):
    auth.login("samordnare.nord")
    send(auth, notice_form(app))
    with app.app_context():
        [item] = db.session.scalars(select(InboxItem)).all()
    other = second_client(app, "usk.syd")

    assert other.get(f"/meddelanden/{item.id}").status_code == 404
    with app.app_context():
        assert db.session.get(InboxItem, item.id).read_at is None


def test_expired_notices_drop_out_of_the_inbox(app, client, auth):
    auth.login("samordnare.nord")
    send(auth, notice_form(app, title="Gammal nyhet"))
    with app.app_context():
        for item in db.session.scalars(select(InboxItem)):
            item.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    staff = second_client(app, "usk.nord")

    page = staff.get("/meddelanden").get_data(as_text=True)
    assert "Gammal nyhet" not in page
    assert 'data-unread-count="0"' in page


def test_the_expiry_date_is_kept_to_the_end_of_that_day(app, client, auth, clock):
    # Half past midnight in Stockholm, still the day before in UTC: the date chosen is a local one.
    clock.pin(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))
    auth.login("samordnare.nord")
    form = notice_form(app) | {"expires_on": (local_today() + timedelta(days=3)).isoformat()}
    send(auth, form)
    with app.app_context():
        notice = db.session.scalars(select(Notice)).one()
        assert notice.expires_at > utcnow() + timedelta(days=3)
        assert {item.expires_at for item in db.session.scalars(select(InboxItem))} == {notice.expires_at}


def test_a_notice_without_a_title_is_refused_with_the_form_again(app, client, auth):
    auth.login("samordnare.nord")
    response = send(auth, notice_form(app, title=""))
    assert response.status_code == 422
    assert "Skriv en rubrik." in response.get_data(as_text=True)


def test_an_important_notice_is_pushed_with_high_urgency_and_its_own_topic(app, client, auth, receiver):
    from tests.notices.conftest import subscribe

    staff = second_client(app, "usk.nord")
    browser = receiver.new_browser()
    assert subscribe(staff, browser.subscription(receiver.origin)).status_code == 201
    auth.login("samordnare.nord")

    send(auth, notice_form(app, importance="important", body="Läs det här. " * 300))

    [message] = receiver.delivered(browser.path)
    with app.app_context():
        notice = db.session.scalars(select(Notice)).one()
    assert message.headers["Topic"] == f"notice-{notice.id}"
    assert (message.headers["Urgency"], message.headers["TTL"]) == ("high", str(3 * 24 * 3600))
    assert message.payload["notification"]["title"] == "Ny nyckelrutin från måndag"
    assert message.payload["notification"]["body"].endswith("…")
    assert message.plaintext_bytes < 4096
