"""Values at the edge of their type (year 9999, 20-digit ids, deep JSON) answer 4xx with a Swedish message."""
from datetime import UTC, datetime

import pytest

from tests.conftest import USER_OF_ROLE, csrf_token_from
from tests.reports.factories import ReportApi, payload
from tests.routines.factories import unit

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


def nord_id(app) -> int:
    with app.app_context():
        return unit("Hemvård Nord").id


@pytest.mark.parametrize("expires_on", ["9999-12-31", "2999-01-01"])
def test_a_notice_expiring_at_the_end_of_time_is_refused_in_swedish(app, client, auth, clock, expires_on):
    clock.pin(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    auth.login_as_role("coordinator")
    form = {"title": "Nya nycklar", "body": "Hämta dem på kontoret.", "importance": "normal",
            "expires_on": expires_on, "units": [str(nord_id(app))], "roles": ["staff"]}
    response = auth.post("/meddelanden", form, token_from="/meddelanden")
    assert response.status_code == 422
    assert "högst ett år framåt" in response.get_data(as_text=True)


def test_a_notice_a_year_ahead_is_sent(app, client, auth, clock):
    clock.pin(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    auth.login_as_role("coordinator")
    form = {"title": "Nya nycklar", "body": "Hämta dem på kontoret.", "importance": "normal",
            "expires_on": "2027-03-02", "units": [str(nord_id(app))], "roles": ["staff"]}
    assert auth.post("/meddelanden", form, token_from="/meddelanden").status_code == 303


def post_action(app, owner_id: str):
    sent = ReportApi(app.test_client()).login("usk.nord").send(payload())
    manager = ReportApi(app.test_client()).login("chef.nord")
    path = f"/rapporter/{sent.get_json()['uuid']}"
    form = {"what": "Byt lyftsele.", "owner_id": owner_id, "owner_name": "", "due_on": "2026-12-15",
            "csrf_token": csrf_token_from(manager.client, path)}
    return manager.client.post(f"{path}/atgarder", data=form)


def test_an_action_owner_id_beyond_any_database_id_is_refused_in_swedish(app):
    response = post_action(app, HUGE_ID)
    assert response.status_code == 422
    assert "Välj den som ansvarar i listan" in response.get_data(as_text=True)
