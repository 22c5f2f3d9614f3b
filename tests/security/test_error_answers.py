"""Values at the edge of their type (year 9999, 20-digit ids, deep JSON) answer 4xx with a Swedish message."""
import pytest

from tests.conftest import USER_OF_ROLE
from tests.reports.factories import ReportApi

HUGE_ID = "9" * 23


@pytest.fixture
def quality(client, auth):
    auth.login_as_role("quality")
    return client


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/statistik?till=9999-12-31", 400, "mellan år 2000 och 2099"),
    ("/statistik/export.csv?till=9999-12-31", 400, "mellan år 2000 och 2099"),
    ("/statistik/larande?till=9999-12-31", 400, "mellan år 2000 och 2099"),
    ("/statistik?fran=0001-01-01", 400, "mellan år 2000 och 2099"),
    (f"/meddelanden/{HUGE_ID}", 404, "Sidan finns inte"),
    (f"/rutiner/bilder/{HUGE_ID}", 404, "Sidan finns inte"),
])
def test_values_at_the_edge_answer_4xx_in_swedish(quality, path, status, message):
    response = quality.get(path)
    assert response.status_code == status, path
    assert message in response.get_data(as_text=True)


def test_json_nested_100000_deep_is_refused_as_bad_json(client):
    api = ReportApi(client).login(USER_OF_ROLE["staff"])
    response = api.send(raw="[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_json"
