"""POST /api/v1/reports: durable, idempotent on the phone's UUID, and strict about what it accepts."""
import io
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.reports import services
from app.reports.models import Report, ReportPhoto
from tests.reports.factories import ReportApi, decompression_bomb, jpeg, payload, report_count


@pytest.fixture
def api(client):
    return ReportApi(client).login("usk.nord")


def stored_files(app):
    folder = Path(app.config["UPLOAD_DIR"]) / "reports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_new_report_is_created_and_classified(app, api):
    report = payload()
    response = api.send(report)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["uuid"] == report["uuid"] and isinstance(body["id"], int)
    assert body["status"] == "received" and body["warnings"] == []
    with app.app_context():
        stored = db.session.get(Report, body["id"])
        assert stored.unit.name == "Hemvård Nord" and stored.reporter.username == "usk.nord"
        assert stored.kinds == ["avvikelse_hsl", "lex_maria"] and stored.suggested_kinds == stored.kinds
        assert stored.occurred_at == stored.created_at


def test_sending_the_same_report_again_answers_200_with_the_same_body(app, api):
    report = payload()
    first = api.send(report, photos=[jpeg()])
    again = api.send(report, photos=[jpeg()])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    with app.app_context():
        assert report_count() == 1
        assert db.session.scalar(select(db.func.count()).select_from(ReportPhoto)) == 1
    assert len(stored_files(app)) == 2  # one photo and its thumbnail, not two of each


def test_a_copy_arriving_between_lookup_and_insert_meets_the_unique_constraint(app, api, monkeypatch):
    report = payload()
    assert api.send(report).status_code == 201
    real_find = services.find_report
    calls = []

    def find_nothing_the_first_time(report_uuid):
        calls.append(report_uuid)
        return None if len(calls) == 1 else real_find(report_uuid)

    monkeypatch.setattr(services, "find_report", find_nothing_the_first_time)
    again = api.send(report, photos=[jpeg()])
    assert again.status_code == 200, again.get_data(as_text=True)
    assert len(calls) == 2  # the lookup missed, the insert failed, the existing row was returned
    with app.app_context():
        assert report_count() == 1
    assert stored_files(app) == []  # the second copy's photo files were removed again


def test_two_copies_sent_at_the_same_moment_make_one_report(app):
    report = payload()
    phones = [ReportApi(app.test_client()).login("usk.nord") for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def send(phone):
        barrier.wait()
        results.append(phone.send(report, photos=[jpeg()]))

    threads = [threading.Thread(target=send, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(response.status_code for response in results) == [200, 201]
    assert results[0].get_json() == results[1].get_json()
    with app.app_context():
        assert report_count() == 1
    assert len(stored_files(app)) == 2


def test_a_uuid_used_by_someone_else_is_a_conflict(app, client, api):
    report = payload()
    assert api.send(report).status_code == 201
    other = ReportApi(app.test_client()).login("usk.syd")
    response = other.send(report)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "uuid_taken"


def test_the_api_needs_the_csrf_header(app, api):
    api.token = None
    response = api.send(payload())
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf_failed"
    with app.app_context():
        assert report_count() == 0


def test_without_a_login_the_answer_is_401_json(client):
    response = ReportApi(client).send(payload())
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "login_required"


def test_an_expired_login_is_401_json_and_nothing_is_stored(app, api):
    with app.app_context():
        from app.accounts import services as accounts

        user = accounts.find_user("usk.nord")
        accounts.reset_password(None, user, "ett-nytt-losenord")  # ends the user's sessions
    response = api.send(payload())
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"
    with app.app_context():
        assert report_count() == 0


def test_the_phone_may_send_the_report_part_as_a_json_file(app, api):
    report = payload()
    response = api.client.post("/api/v1/reports", headers={"X-CSRFToken": api.token},
                               content_type="multipart/form-data",
                               data={"report": (io.BytesIO(json.dumps(report).encode()), "blob",
                                                "application/json")})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_plain_json_body_is_a_report_without_photos(api):
    response = api.client.post("/api/v1/reports", json=payload(), headers={"X-CSRFToken": api.token})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_optional_answers_are_stored(app, api):
    report = payload(place="Brukarens badrum", client_reference="AB 12", immediate_action="Ringde sjuksköterskan.",
                     occurred_at="2026-11-23T17:45", unit_id=None)
    body = api.send(report).get_json()
    with app.app_context():
        stored = db.session.get(Report, body["id"])
        assert (stored.place, stored.client_reference, stored.immediate_action) == (
            "Brukarens badrum", "AB 12", "Ringde sjuksköterskan.")
        # A time without a zone is Swedish local time (UTC+1 in November).
        assert stored.occurred_at.isoformat() == "2026-11-23T16:45:00+00:00"


def test_a_script_in_the_text_is_stored_verbatim(app, api):
    text = "<script>alert('x')</script> Brukaren ramlade"
    body = api.send(payload(text=text)).get_json()
    with app.app_context():
        assert db.session.get(Report, body["id"]).text == text


def test_a_personal_number_in_the_text_is_accepted_with_a_warning(api):
    response = api.send(payload(text="Brukaren 19121212-1212 fick fel dos."))
    assert response.status_code == 201
    warnings = response.get_json()["warnings"]
    assert [(warning["code"], warning["field"]) for warning in warnings] == [("personnummer", "text")]
    assert "personnummer" in warnings[0]["message"]


# Bad input: a clear 4xx with a code and a Swedish message, and nothing stored.

INVALID_ANSWERS = [
    ("empty_text", {"text": "   "}, "text", "text_required"),
    ("missing_text", {"text": None}, "text", "null"),
    ("text_is_a_number", {"text": 123}, "text", "not_text"),
    ("affected_is_not_a_list", {"affected": "client"}, "affected", "not_list"),
    ("unknown_topic", {"topics": ["weather"]}, "topics", "bad_choice"),
    ("unknown_harm", {"harm": "maybe"}, "harm", "bad_choice"),
    ("unit_is_text", {"unit_id": "nord"}, "unit_id", "not_number"),
    ("created_at_is_not_a_time", {"created_at": "igår"}, "created_at", "bad_datetime"),
    ("uuid_version_1", {"uuid": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}, "uuid", "bad_uuid"),
    ("uuid_not_a_uuid", {"uuid": "rapport-1"}, "uuid", "bad_uuid"),
    ("client_reference_is_a_personal_number", {"client_reference": "121212-1212"}, "client_reference",
     "personnummer"),
    ("another_unit", {"unit_id": "SYD"}, "unit_id", "unit_not_allowed"),
]


@pytest.mark.parametrize(("answers", "field", "code"), [case[1:] for case in INVALID_ANSWERS],
                         ids=[case[0] for case in INVALID_ANSWERS])
def test_invalid_answers_are_refused_with_a_field_error(app, api, answers, field, code):
    if answers.get("unit_id") == "SYD":
        with app.app_context():
            from tests.routines.factories import unit

            answers = {"unit_id": unit("Hemvård Syd").id}
    report = payload(**answers)
    if answers.get("text", "") is None:
        del report["text"]
        code = "text_required"
    response = api.send(report, photos=[jpeg()])
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert error["fields"][field][0]["code"] == code
    with app.app_context():
        assert report_count() == 0
    assert stored_files(app) == []


def test_several_field_errors_come_back_together_in_form_order(api):
    response = api.send(payload(text="", harm="maybe", uuid="x"))
    error = response.get_json()["error"]
    assert set(error["fields"]) == {"uuid", "text", "harm"}
    assert error["code"] == "bad_uuid"  # the first field of the form


@pytest.mark.parametrize(("raw", "status", "code"), [
    (None, 400, "report_missing"),
    ("{not json", 400, "bad_json"),
    ("[1, 2]", 422, "invalid"),
    ('"text"', 422, "invalid"),
])
def test_a_missing_or_malformed_report_part_is_refused(app, api, raw, status, code):
    response = api.send(raw=raw, photos=[jpeg()]) if raw else api.send(photos=[jpeg()])
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == code
    with app.app_context():
        assert report_count() == 0


@pytest.mark.parametrize(("photo", "code"), [
    (b"not an image at all", "bad_image"),
    (b"%PDF-1.7\n", "bad_image"),
    (jpeg()[:200], "bad_image"),  # truncated
    (decompression_bomb(), "too_many_pixels"),
])
def test_a_bad_photo_is_refused_and_nothing_is_stored(app, api, photo, code):
    response = api.send(payload(), photos=[jpeg(), photo])
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"].startswith("Foto 2:")
    with app.app_context():
        assert report_count() == 0
    assert stored_files(app) == []


def test_six_photos_are_too_many(app, api):
    response = api.send(payload(), photos=[jpeg()] * 6)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "too_many_photos"
    with app.app_context():
        assert report_count() == 0


def test_five_photos_are_fine(app, api):
    response = api.send(payload(), photos=[jpeg(color=color) for color in ("red", "green", "blue", "white", "black")])
    assert response.status_code == 201
    with app.app_context():
        assert [photo.number for photo in db.session.get(Report, response.get_json()["id"]).photos] == [1, 2, 3, 4, 5]


def test_a_request_over_ten_megabytes_is_413_json(app, api):
    response = api.send(payload(), photos=[b"\xff\xd8" + b"0" * (10 * 1024 * 1024)])
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and "för stort" in error["message"]
    with app.app_context():
        assert report_count() == 0


def test_a_photo_over_the_per_photo_limit_is_413(app, api, monkeypatch):
    monkeypatch.setattr("app.reports.rules.MAX_PHOTO_BYTES", 1000)
    response = api.send(payload(), photos=[jpeg(size=(400, 400), color="red") + b"\x00" * 2000])
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "photo_too_large"
    with app.app_context():
        assert report_count() == 0


def test_a_failing_commit_leaves_no_photo_files(app, api, monkeypatch):
    def fail():
        raise RuntimeError("disk full")

    monkeypatch.setattr(db.session, "commit", fail)
    response = api.send(payload(), photos=[jpeg()])
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "server_error"
    assert stored_files(app) == []
