"""Finding 14: a thumbnail read is logged as a thumbnail, the full photo as the photo."""
from tests.reports.factories import ReportApi, jpeg_with_gps, payload
from tests.reports.test_reading import access_log


def test_reading_a_thumbnail_is_logged_as_a_thumbnail(app):
    phone = ReportApi(app.test_client()).login("usk.nord")
    sent = phone.send(payload(text="Brukaren ramlade."), photos=[jpeg_with_gps()]).get_json()
    manager = ReportApi(app.test_client()).login("chef.nord")
    base = f"/api/v1/reports/{sent['uuid']}/photos/1"
    assert manager.get(f"{base}/thumbnail").status_code == 200
    assert manager.get(base).status_code == 200
    assert access_log(app, sent["id"]) == [("chef.nord", "thumbnail", 1), ("chef.nord", "photo", 1)]


def test_the_access_log_on_the_report_page_names_the_thumbnail(app):
    phone = ReportApi(app.test_client()).login("usk.nord")
    sent = phone.send(payload(text="Brukaren ramlade."), photos=[jpeg_with_gps()]).get_json()
    ReportApi(app.test_client()).login("chef.nord").get(f"/api/v1/reports/{sent['uuid']}/photos/1/thumbnail")
    html = ReportApi(app.test_client()).login("kvalitet").get(f"/rapporter/{sent['uuid']}").get_data(as_text=True)
    assert "Foto (miniatyr) 1" in html
