"""What a report says is read only on its page, where each read is logged: lists show no report text."""
import pytest

from tests.reports.factories import ReportApi, payload

SECRET = "Brukaren Zackarina hittades på golvet vid sängen"


def send(app, username: str, **answers) -> dict:
    response = ReportApi(app.test_client()).login(username).send(payload(**answers))
    assert response.status_code == 201
    return response.get_json()


@pytest.mark.parametrize("path", ["/rapporter", "/rapporter?status=received", "/rapporter?ko=kvalitet"])
def test_the_inbox_shows_no_report_text(app, path):
    sent = send(app, "usk.nord", text=SECRET, harm="injury", topics=["fall"])
    html = ReportApi(app.test_client()).login("kvalitet").get(path).get_data(as_text=True)
    assert sent["uuid"] in html
    assert "Zackarina" not in html


def test_similar_reports_show_no_text_of_the_others(app):
    earlier = send(app, "usk.nord", text=SECRET, harm="injury", topics=["fall"])
    later = send(app, "usk.nord", text="Föll i badrummet.", harm="injury", topics=["fall"])
    html = ReportApi(app.test_client()).login("chef.nord").get(f"/rapporter/{later['uuid']}").get_data(as_text=True)
    similar = html[html.index("data-similar-reports"):]
    assert earlier["uuid"] in similar
    assert "Zackarina" not in html
