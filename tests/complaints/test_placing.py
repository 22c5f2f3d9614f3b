"""A complaint about a unit the person could not name: quality places it in the right unit, whose managers then
handle it and are told; the move is signed in the investigation."""
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.accounts.models import Unit, User
from app.complaints import services
from app.extensions import db
from app.notices.models import InboxItem
from app.reports.models import InvestigationEntry
from app.reports.services import find_report
from tests.complaints.factories import complaint_by_code, submit_and_follow, unit_id

FRIDAY = datetime(2026, 12, 4, 9, 0, tzinfo=timezone.utc)
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def unknown(client, app, clock):
    """A complaint from the public page with the unit "Vet inte": its report's uuid."""
    clock.pin(FRIDAY)
    _path, code = submit_and_follow(client, unit_id="")
    with app.app_context():
        return complaint_by_code(code).report.uuid


def place(client, report_uuid, unit):
    page = f"/rapporter/{report_uuid}"
    token = FORM_TOKEN.search(client.get(page).get_data(as_text=True)).group(1)
    return client.post(f"{page}/klagomal/enhet", data={"csrf_token": token, "unit_id": unit})


def told(username: str, report_uuid: str) -> list[InboxItem]:
    user = db.session.scalar(select(User).where(User.username == username))
    return [item for item in db.session.scalars(select(InboxItem).where(InboxItem.user_id == user.id))
            if report_uuid in item.url]


def test_quality_places_it_and_the_units_manager_then_handles_it_and_is_told(client, auth, app, unknown):
    auth.login_as_role("quality")
    page = client.get(f"/rapporter/{unknown}").get_data(as_text=True)
    assert "Vilken enhet gäller det?" in page
    response = place(client, unknown, unit_id(app))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#klagomal-meddelande")
    with app.app_context():
        complaint = services.complaint_of(find_report(unknown))
        assert complaint.unit_known and complaint.report.unit.name == "Hemvård Nord"
        entry = db.session.scalar(select(InvestigationEntry).where(InvestigationEntry.report_id == complaint.report_id))
        assert "gäller Hemvård Nord" in entry.text and entry.kind == "fact"
        assert [item.title for item in told("chef.nord", unknown)] == ["Ny rapport från Hemvård Nord"]
        assert not told("usk.nord", unknown)
    page = client.get(f"/rapporter/{unknown}").get_data(as_text=True)
    assert "Vilken enhet gäller det?" not in page and "<dd>Hemvård Nord</dd>" in page
    auth.logout()
    auth.login_as_role("manager")
    assert client.get(f"/rapporter/{unknown}").status_code == 200


def test_a_placed_complaint_cannot_be_placed_again(client, auth, app, unknown):
    auth.login_as_role("quality")
    assert place(client, unknown, unit_id(app)).status_code == 303
    response = client.post(f"/rapporter/{unknown}/klagomal/enhet", data={
        "csrf_token": FORM_TOKEN.search(client.get("/rapporter").get_data(as_text=True)).group(1),
        "unit_id": unit_id(app, "Hemvård Syd")})
    assert response.status_code == 422
    assert "Klagomålet har redan en enhet." in response.get_data(as_text=True)
    with app.app_context():
        assert services.complaint_of(find_report(unknown)).report.unit.name == "Hemvård Nord"


@pytest.mark.parametrize("unit", ["", "abc", "999999", "district"])
def test_no_unit_or_one_that_is_not_an_enhet_is_refused_and_nothing_moves(client, auth, app, unknown, unit):
    if unit == "district":
        with app.app_context():
            unit = str(db.session.scalar(select(Unit.id).where(Unit.parent_id.is_(None))))
    auth.login_as_role("quality")
    response = place(client, unknown, unit)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="klagomal-meddelande" role="alert"[^>]*>Välj vilken enhet klagomålet gäller.<', html)
    assert 'aria-describedby="complaint-unit-hjalp klagomal-meddelande"' in html
    with app.app_context():
        complaint = services.complaint_of(find_report(unknown))
        assert not complaint.unit_known and not told("chef.nord", unknown)


def test_a_unit_manager_who_does_not_handle_it_cannot_place_it(client, auth, app, unknown):
    auth.login_as_role("manager")
    response = client.post(f"/rapporter/{unknown}/klagomal/enhet", data={
        "csrf_token": FORM_TOKEN.search(client.get("/rapporter").get_data(as_text=True)).group(1),
        "unit_id": unit_id(app)})
    assert response.status_code == 404
    with app.app_context():
        assert not services.complaint_of(find_report(unknown)).unit_known


def test_staff_cannot_reach_the_route(client, auth, unknown):
    auth.login_as_role("staff")
    assert auth.post(f"/rapporter/{unknown}/klagomal/enhet", {"unit_id": "1"}).status_code == 403
