"""The /rapportera form works without JavaScript; Mina rapporter; the rule table page."""
import io
import re
import uuid

import pytest

from app.extensions import db
from app.reports.models import Report
from tests.reports.factories import ReportApi, jpeg, latest_report, payload, report_count


def form_page(client):
    return client.get("/rapportera").get_data(as_text=True)


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def send_form(client, auth, **fields):
    html = form_page(client)
    data = {"csrf_token": hidden(html, "csrf_token"), "uuid": hidden(html, "uuid"), "text": "Brukaren ramlade.",
            "photos": (io.BytesIO(b""), "")}
    data.update(fields)
    return client.post("/rapportera", data=data, content_type="multipart/form-data")


@pytest.fixture
def staff(client, auth):
    auth.login_as_role("staff")
    return client


def test_the_form_has_the_contract_labels_and_field_names(staff):
    html = form_page(staff)
    assert '<label class="label" for="text">Vad hände?</label>' in html
    assert re.search(r'<label class="label" for="photos">Lägg till foto</label>', html)
    photo_input = re.search(r'<input[^>]*id="photos"[^>]*>', html).group(0)
    assert 'type="file"' in photo_input and "multiple" in photo_input and 'accept="image/*"' in photo_input
    assert "capture" not in photo_input
    assert re.search(r'<button type="submit" class="button button-primary button-wide">Skicka</button>', html)
    assert "data-report-form" in html
    for name in ("uuid", "created_at", "text", "affected", "harm", "topics", "occurred_at", "unit_id", "place",
                 "client_reference", "immediate_action", "bypass_manager", "photos"):
        assert f'name="{name}"' in html, name
    assert html.count("<fieldset") == 4 and html.count("<legend") == 4
    assert "vem som gjorde fel" in html  # the form never asks for a culprit
    uuid.UUID(hidden(html, "uuid"), version=4)


def test_the_form_sends_a_report_and_redirects_to_my_reports(app, staff, auth):
    response = send_form(staff, auth, affected=["staff"], harm="injury", topics=["work_environment"],
                         occurred_at="2026-11-23T07:15", photos=(io.BytesIO(jpeg()), "foto.jpg"))
    assert response.status_code == 303 and response.headers["Location"] == "/rapportera/mina"
    page = staff.get("/rapportera/mina").get_data(as_text=True)
    assert "Rapporten är skickad" in page and "Brukaren ramlade." in page and "Mottagen" in page
    with app.app_context():
        report = latest_report()
        assert report.kinds == ["arbetsmiljo_olycka"] and len(report.photos) == 1
        assert report.occurred_at.isoformat() == "2026-11-23T06:15:00+00:00"


def test_gäller_det_din_chef_is_asked_and_no_is_the_default(staff):
    html = form_page(staff)
    assert "Gäller det din chef?" in html
    assert re.search(r'<input type="radio" name="bypass_manager" value="false" checked>', html)


def test_the_form_sends_a_report_past_the_manager(app, staff, auth):
    assert send_form(staff, auth, bypass_manager="true").status_code == 303
    with app.app_context():
        assert latest_report().bypass_manager


def test_sending_the_form_twice_stores_one_report(app, staff, auth):
    html = form_page(staff)
    data = {"csrf_token": hidden(html, "csrf_token"), "uuid": hidden(html, "uuid"), "text": "Dubbelklick"}
    assert staff.post("/rapportera", data=data).status_code == 303
    assert staff.post("/rapportera", data=data).status_code == 303
    with app.app_context():
        assert report_count() == 1


def test_the_form_needs_csrf(app, staff):
    response = staff.post("/rapportera", data={"uuid": str(uuid.uuid4()), "text": "Utan token"})
    assert response.status_code == 400
    with app.app_context():
        assert report_count() == 0


def test_an_empty_text_shows_the_form_again_with_the_error(app, staff, auth):
    response = send_form(staff, auth, text="  ", place="Köket")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Skriv vad som hände." in html
    assert 'aria-invalid="true"' in html and 'value="Köket"' in html
    with app.app_context():
        assert report_count() == 0


def test_a_personal_number_in_the_text_is_asked_about_then_removed(app, staff, auth):
    response = send_form(staff, auth, text="Brukaren 19121212-1212 ramlade.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Det ser ut som ett personnummer" in html
    with app.app_context():
        assert report_count() == 0
    response = send_form(staff, auth, text="Brukaren 19121212-1212 ramlade.", personnummer="remove")
    assert response.status_code == 303
    with app.app_context():
        assert latest_report().text == "Brukaren [personnummer borttaget] ramlade."


def test_the_reporter_may_keep_the_number_after_the_warning(app, staff, auth):
    assert send_form(staff, auth, text="Brukaren 121212-1212 ramlade.", personnummer="keep").status_code == 303
    with app.app_context():
        assert latest_report().text == "Brukaren 121212-1212 ramlade."


def test_a_personal_number_as_client_reference_is_refused(app, staff, auth):
    response = send_form(staff, auth, client_reference="19121212-1212")
    assert response.status_code == 422 and "Skriv inte personnummer här" in response.get_data(as_text=True)


def test_a_script_in_the_text_is_shown_as_text(app, client):
    phone = ReportApi(client).login("usk.nord")
    phone.send(payload(text="<script>alert('x')</script>"))
    html = client.get("/rapportera/mina").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_my_reports_lists_only_my_own_and_has_an_outbox_placeholder(app, client):
    ReportApi(app.test_client()).login("usk.syd").send(payload(text="Syds rapport"))
    phone = ReportApi(client).login("usk.nord")
    phone.send(payload(text="Nords rapport"))
    html = client.get("/rapportera/mina").get_data(as_text=True)
    assert "Nords rapport" in html and "Syds rapport" not in html
    assert re.search(r'<section class="outbox" data-outbox hidden', html)
    assert "<ul class=\"list\" data-outbox-list></ul>" in html and "Väntar på telefonen" in html


def test_feedback_is_shown_on_my_reports(app, client):
    phone = ReportApi(client).login("usk.nord")
    body = phone.send(payload()).get_json()
    with app.app_context():
        report = db.session.get(Report, body["id"])
        report.status, report.feedback = "closed", "Tack, vi har bytt rutin för dosetter."
        db.session.commit()
    html = client.get("/rapportera/mina").get_data(as_text=True)
    assert "Avslutad" in html and "Tack, vi har bytt rutin för dosetter." in html


def test_a_quality_user_chooses_among_every_unit_below_theirs(client, auth):
    auth.login_as_role("quality")
    html = form_page(client)
    assert '<select class="input" id="unit_id" name="unit_id"' in html
    assert "Hemvård Nord" in html and "Hemvård Syd" in html


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("coordinator", 403), ("admin", 403),
                                              ("manager", 200), ("quality", 200)])
def test_the_rule_table_is_for_managers_and_quality(client, auth, role, status):
    auth.login_as_role(role)
    response = client.get("/rapporter/regler")
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "Möjlig vårdskada (Lex Maria)" in html and "Möjligt missförhållande (Lex Sarah)" in html
        assert "vårdskada" in html and "annars" in html
