"""What a push may say: never a report's text, always under 4 KB; and who hears of a routine change."""
import json
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.notices import delivery, services
from app.notices.models import InboxItem
from app.notices.payload import PayloadTemplates
from app.reports import services as reports
from app.reports.schemas import load_report
from app.routines.models import ReadConfirmation, RoutineOpening
from app.timestamps import utcnow
from tests.notices.conftest import subscribe
from tests.notices.test_push_delivery import publish_new_version
from tests.reports.factories import payload
from tests.routines.factories import published_routine, user

REPORT_TEXT = "Brukaren Karl Svensson föll i badrummet och fick ett sår i pannan."


def test_a_report_status_push_never_contains_the_report_text(app, client, auth, receiver):
    auth.login("usk.nord")
    browser = receiver.new_browser()
    subscribe(client, browser.subscription(receiver.origin))

    with app.app_context():
        sent = load_report(payload(text=REPORT_TEXT, place="Badrummet"))
        report, _ = reports.create_report(user("usk.nord"), sent, [])
        report.status, report_uuid = "investigating", report.uuid
        services.notify_reporter(report)
        [item] = db.session.scalars(select(InboxItem).where(InboxItem.kind == "report",
                                                            InboxItem.user_id == user("usk.nord").id)).all()
        assert REPORT_TEXT not in item.title + item.body
        assert item.url == "/rapportera/mina"

    [message] = receiver.delivered(browser.path)
    plaintext = json.dumps(message.payload, ensure_ascii=False)
    assert message.payload["notification"]["title"].startswith("Din rapport ")
    assert message.payload["notification"]["title"].endswith("har fått status Under utredning")
    assert "Under utredning" in message.payload["notification"]["body"]
    for secret in ("Karl", "Svensson", "badrummet", "Badrummet", "pannan", report_uuid):
        assert secret not in plaintext
    assert message.plaintext_bytes < 4096


def test_the_payload_stays_under_4_kb_however_long_the_text():
    message = delivery.Message(title="Å" * 500, body="ä" * 10_000, path="/meddelanden/1", topic="notice-1",
                               importance="important", kind="notice", inbox_id=1, inbox_path="/meddelanden/1")
    encoded = delivery.payload_for(message, "https://fickan.kommun.example")
    assert len(encoded) < 4096
    document = json.loads(encoded)
    assert document["web_push"] == 8030
    assert set(document["notification"]) >= {"title", "body", "navigate", "tag"}
    assert document["notification"]["navigate"] == "https://fickan.kommun.example/meddelanden/1"


def test_a_reader_who_confirmed_an_earlier_version_hears_of_the_new_one(app):
    with app.app_context():
        routine = published_routine(title="Läkemedelsöverlämning")
        db.session.add(ReadConfirmation(user_id=user("usk.syd").id, routine_id=routine.id, version_number=1))
        db.session.commit()
        version = publish_new_version(routine)
        assert [u.username for u in services.routine_change_recipients(routine, version)] == ["usk.syd"]


def test_a_reader_who_opened_it_recently_hears_of_it_but_not_one_who_opened_it_long_ago(app):
    with app.app_context():
        routine = published_routine(title="Larm och passage")
        db.session.add_all([
            RoutineOpening(user_id=user("usk.nord").id, routine_id=routine.id,
                           last_opened_at=utcnow() - timedelta(days=10)),
            RoutineOpening(user_id=user("usk.syd").id, routine_id=routine.id,
                           last_opened_at=utcnow() - timedelta(days=90)),
        ])
        db.session.commit()
        version = publish_new_version(routine)
        assert [u.username for u in services.routine_change_recipients(routine, version)] == ["usk.nord"]


def test_people_who_can_no_longer_read_a_unit_routine_are_not_told(app):
    with app.app_context():
        routine = published_routine(title="Nycklar i Nord", author="chef.nord", owner="chef.nord",
                                    approver="kvalitet", scope="Hemvård Nord")
        for username in ("usk.nord", "usk.syd"):
            db.session.add(RoutineOpening(user_id=user(username).id, routine_id=routine.id))
        db.session.commit()
        routine.current_version.important_change = True
        recipients = {u.username for u in services.routine_change_recipients(routine, routine.current_version)}
        assert "usk.nord" in recipients and "usk.syd" not in recipients


def test_a_routine_change_lands_in_the_inbox_and_opening_it_leads_to_the_routine(app, client, auth):
    with app.app_context():
        routine = published_routine(title="Munvård på kvällen")
        routine_id, slug = routine.id, routine.slug
        db.session.add(RoutineOpening(user_id=user("usk.nord").id, routine_id=routine_id))
        db.session.commit()
        publish_new_version(routine)
        [item] = db.session.scalars(select(InboxItem)).all()
    auth.login("usk.nord")

    response = client.get(f"/meddelanden/{item.id}")

    assert response.status_code == 303 and response.headers["Location"] == f"/rutiner/{slug}"
    with app.app_context():
        assert db.session.get(InboxItem, item.id).read_at is not None


def test_a_payload_filled_in_from_the_notices_template_is_byte_for_byte_what_payload_for_gives():
    base_url = "https://fickan.kommun.example"
    messages = [
        delivery.Message(title="Ny nyckelrutin", body="Nycklarna hämtas i receptionen. " * 3, path="/meddelanden/7",
                         topic="notice-3", kind="notice", inbox_id=7, inbox_path="/meddelanden/7"),
        delivery.Message(title='Citat "så här" \\ och \x00 och\nrad', body="é\u2028\U0001F600", path="/rutiner/4",
                         topic="routine-4", importance="important", kind="routine", inbox_id=12345678901,
                         inbox_path="/meddelanden/12345678901"),
        delivery.Message(title="Testavisering", body="Fungerar.", path="/installningar", topic="test-1", kind="test"),
        delivery.Message(title="Å" * 500, body="ä" * 10_000, path="/meddelanden/1", topic="notice-1",
                         importance="important", kind="notice", inbox_id=1, inbox_path="/meddelanden/1"),
    ]
    templates = PayloadTemplates()
    for message in messages + messages:  # the second round from the templates made in the first
        for origin in (base_url, "https://annan.kommun.example/fickan"):
            assert templates.payload(message, origin) == delivery.payload_for(message, origin)
