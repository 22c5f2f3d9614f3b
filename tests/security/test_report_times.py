"""Finding 14: a report's times must be plausible; year 1 or 9999 from a phone is refused (422), not stored."""
from datetime import UTC, datetime

import pytest

from app.reports.schemas import plausible_time
from tests.conftest import USER_OF_ROLE
from tests.reports.factories import ReportApi, payload

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def staff(client, clock):
    clock.pin(NOW)
    return ReportApi(client).login(USER_OF_ROLE["staff"])


@pytest.mark.parametrize("field", ["created_at", "occurred_at"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00", "1999-12-31T23:59:00Z",
                                    "9999-12-31T23:59:59+01:00", "9999-12-31T23:59:59-14:00",
                                    "2026-03-03T09:01:00Z"])
def test_an_implausible_time_is_refused_in_swedish(staff, field, moment):
    response = staff.send(payload(**{field: moment}))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["fields"][field][0]["code"] == "implausible_time"
    assert "telefonens klocka" in error["fields"][field][0]["message"]


@pytest.mark.parametrize("moment", ["2000-01-01T00:00:00Z", "2026-03-02T09:00:00Z", "2026-03-03T08:59:00Z"])
def test_a_phone_clock_a_little_fast_or_an_old_report_is_accepted(staff, moment):
    assert staff.send(payload(created_at=moment, occurred_at=moment)).status_code == 201


@pytest.mark.parametrize(("moment", "plausible"), [
    (datetime(1999, 12, 31, 23, 59, tzinfo=UTC), False), (datetime(2000, 1, 1, tzinfo=UTC), True),
    (datetime(2026, 3, 3, 9, 0, tzinfo=UTC), True), (datetime(2026, 3, 3, 9, 0, 1, tzinfo=UTC), False),
])
def test_the_rule_of_plausible_times(moment, plausible):
    assert plausible_time(moment, NOW) is plausible
