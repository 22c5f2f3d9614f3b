"""Reading reports and their photos: only the reporter and those who handle the report, and every read is logged."""
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.rules import Role
from app.extensions import db
from app.reports import services
from app.reports.models import Report
from tests.reports.factories import GPS_TAG, ReportApi, jpeg_with_gps, make_user, payload, sideways_jpeg


@pytest.fixture
def other_managers(app):
    """A manager of Hemvård Syd, and one of the district above both home-care units."""
    with app.app_context():
        make_user("chef.syd", Role.MANAGER, "Hemvård Syd")
        make_user("chef.omrade", Role.MANAGER, "Hemtjänst och hemsjukvård")


@pytest.fixture
def sent(app, other_managers):
    """A report from usk.nord with two photos, one of them with GPS in its EXIF."""
    phone = ReportApi(app.test_client()).login("usk.nord")
    response = phone.send(payload(text="Brukaren ramlade i badrummet."), photos=[jpeg_with_gps(), sideways_jpeg()])
    assert response.status_code == 201
    return response.get_json()


def reader(app, username):
    return ReportApi(app.test_client()).login(username)


def access_log(app, report_id):
    with app.app_context():
        report = db.session.get(Report, report_id)
        return [(access.user.username, access.what, access.photo_number) for access in services.accesses(report)]


def test_the_stored_photo_has_no_exif_and_no_gps(app, sent):
    with app.app_context():
        photo = db.session.get(Report, sent["id"]).photos[0]
        path = services.photo_path(photo)
        assert path.parent.parent == Path(app.instance_path) / "uploads"
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {} and image.getexif().get(GPS_TAG) is None
        assert "exif" not in image.info
    assert b"PhoneMaker" not in data


def test_a_sideways_photo_is_stored_upright(app, sent):
    with app.app_context():
        photo = db.session.get(Report, sent["id"]).photos[1]
        path = services.photo_path(photo)
        assert (photo.width, photo.height) == (40, 60)
    with Image.open(path) as image:
        assert image.size == (40, 60)
        red, _green, blue = image.convert("RGB").getpixel((20, 5))
        assert red > 200 and blue < 60  # what was the left (red) half is now on top


def test_photos_are_stored_under_instance_not_static(app, sent):
    with app.app_context():
        photo = db.session.get(Report, sent["id"]).photos[0]
        assert str(services.photo_path(photo)).startswith(app.instance_path)
        assert not str(services.photo_path(photo)).startswith(app.static_folder)


def test_the_unit_manager_reads_the_report_with_photo_links(app, sent):
    response = reader(app, "chef.nord").get(f"/api/v1/reports/{sent['uuid']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["text"] == "Brukaren ramlade i badrummet." and body["status"] == "received"
    assert body["status_label"] == "Mottagen" and body["reporter"]["name"] == "Amina Hassan"
    assert [kind["code"] for kind in body["kinds"]] == ["avvikelse_hsl", "lex_maria"]
    first = body["photos"][0]
    assert first["url"] == f"/api/v1/reports/{sent['uuid']}/photos/1"
    assert first["thumbnail_url"] == f"/api/v1/reports/{sent['uuid']}/photos/1/thumbnail"
    assert (first["width"], first["height"]) == (64, 48)


@pytest.mark.parametrize("username", ["chef.nord", "chef.omrade", "kvalitet", "mas"])
def test_handlers_see_the_photo_and_thumbnail(app, sent, username):
    handler = reader(app, username)
    photo = handler.get(f"/api/v1/reports/{sent['uuid']}/photos/1")
    thumbnail = handler.get(f"/api/v1/reports/{sent['uuid']}/photos/1/thumbnail")
    assert (photo.status_code, thumbnail.status_code) == (200, 200)
    assert photo.mimetype == "image/jpeg" and "no-store" in photo.headers["Cache-Control"]
    with Image.open(io.BytesIO(thumbnail.data)) as image:
        assert max(image.size) <= 320


@pytest.mark.parametrize("username", ["usk.syd", "samordnare.nord", "chef.syd", "admin"])
def test_others_get_404_for_the_report_and_its_photos(app, sent, username):
    other = reader(app, username)
    for path in ("", "/photos/1", "/photos/1/thumbnail"):
        response = other.get(f"/api/v1/reports/{sent['uuid']}{path}")
        assert response.status_code == 404, (username, path)
        assert response.get_json()["error"]["code"] == "not_found"
    assert access_log(app, sent["id"]) == []


def test_a_report_that_does_not_exist_is_also_404(app, sent):
    assert reader(app, "kvalitet").get("/api/v1/reports/6a1f6b6e-2a5c-4d6b-9a3e-0f1e2d3c4b5a").status_code == 404
    assert reader(app, "kvalitet").get(f"/api/v1/reports/{sent['uuid']}/photos/9").status_code == 404


def test_the_reporter_reads_their_own_report_without_the_handlers_fields(app, sent):
    body = reader(app, "usk.nord").get(f"/api/v1/reports/{sent['uuid']}").get_json()
    assert body["uuid"] == sent["uuid"] and len(body["photos"]) == 2
    assert "reporter" not in body and "kinds" not in body


def test_every_read_is_logged(app, sent):
    manager = reader(app, "chef.nord")
    manager.get(f"/api/v1/reports/{sent['uuid']}")
    manager.get(f"/api/v1/reports/{sent['uuid']}/photos/2")
    reader(app, "kvalitet").get(f"/api/v1/reports/{sent['uuid']}/photos/1/thumbnail")
    assert access_log(app, sent["id"]) == [("chef.nord", "report", None), ("chef.nord", "photo", 2),
                                           ("kvalitet", "thumbnail", 1)]


def test_reading_needs_a_login(app, sent):
    response = app.test_client().get(f"/api/v1/reports/{sent['uuid']}/photos/1")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "login_required"


def test_mine_lists_only_my_own_reports(app, sent):
    other = reader(app, "usk.syd")
    assert other.send(payload(text="Dörren gick inte att låsa.")).status_code == 201
    mine = reader(app, "usk.nord").get("/api/v1/reports/mine").get_json()["reports"]
    with app.app_context():
        own = set(db.session.scalars(select(Report.uuid).join(User, Report.reporter_id == User.id)
                                     .where(User.username == "usk.nord")))
    # Every own report (the demo data's year included), newest first, and nobody else's.
    assert {report["uuid"] for report in mine} == own and len(mine) == len(own)
    assert mine[0]["uuid"] == sent["uuid"]
    assert mine[0] == mine[0] | {"text": "Brukaren ramlade i badrummet.", "status": "received",
                                 "status_label": "Mottagen", "feedback": None, "photo_count": 2}
    assert {"created_at", "occurred_at", "received_at", "unit"} <= set(mine[0])
    theirs = other.get("/api/v1/reports/mine").get_json()["reports"]
    assert theirs[0]["text"] == "Dörren gick inte att låsa."
    assert sent["uuid"] not in {report["uuid"] for report in theirs}


def test_mine_shows_feedback_once_given(app, sent):
    with app.app_context():
        report = db.session.get(Report, sent["id"])
        report.status, report.feedback = "closed", "Tack! Vi har satt upp ett handtag i badrummet."
        db.session.commit()
    mine = reader(app, "usk.nord").get("/api/v1/reports/mine").get_json()["reports"]
    assert (mine[0]["status"], mine[0]["status_label"], mine[0]["feedback"]) == (
        "closed", "Avslutad", "Tack! Vi har satt upp ett handtag i badrummet.")


def test_a_manager_may_report_for_a_unit_below_their_own(app, other_managers):
    with app.app_context():
        from tests.routines.factories import unit

        syd = unit("Hemvård Syd").id
    response = reader(app, "chef.omrade").send(payload(unit_id=syd))
    assert response.status_code == 201
