"""One shape for the domains' errors, one NotAllowed, one helper for a schema's field errors."""
import pytest

from app.errors import DomainError, InvalidInput, NotAllowed, invalid_input
from app.notices import services as notices
from app.reports import handling
from app.reports import services as reports
from app.reports.schemas import load_report
from app.routines import services as routines
from tests.notices.conftest import subscribe


@pytest.mark.parametrize("error_class", [reports.ReportError, notices.NoticeError, routines.RoutineError,
                                         handling.HandlingError])
def test_every_domain_error_takes_a_code_then_a_swedish_message(error_class):
    error = error_class("title_required", "Skriv en rubrik.")
    assert isinstance(error, DomainError)
    assert (error.code, error.message, str(error), error.status) == ("title_required", "Skriv en rubrik.",
                                                                     "Skriv en rubrik.", 422)


def test_every_domain_refuses_with_the_same_not_allowed():
    assert routines.NotAllowed is notices.NotAllowed is NotAllowed
    assert (NotAllowed().code, NotAllowed().status) == ("forbidden", 403)


def test_an_error_on_a_field_names_the_field():
    error = notices.NoticeError("units_required", "Välj minst en enhet.", field="units")
    assert error.fields == {"units": [{"code": "units_required", "message": "Välj minst en enhet."}]}


def test_field_errors_come_in_the_given_order_and_the_first_is_the_error():
    error = invalid_input({"b": ["x", "x"], "a": ["y"]}, lambda field, message: (f"{field}_bad", message), ["a", "b"])
    assert isinstance(error, InvalidInput)
    assert list(error.fields) == ["a", "b"] and error.fields["b"] == [{"code": "b_bad", "message": "x"}]
    assert (error.code, error.message) == ("a_bad", "y")


def test_a_report_that_fails_its_schema_is_invalid_input_naming_the_field():
    with pytest.raises(InvalidInput) as raised:
        load_report({"uuid": "not-a-uuid", "text": "Föll", "created_at": "2026-11-23T14:05:00+01:00"})
    assert raised.value.code == "bad_uuid" and list(raised.value.fields) == ["uuid"]


def test_a_subscription_that_fails_its_schema_is_answered_as_json_with_its_field(app, client, auth):
    auth.login("usk.nord")
    response = subscribe(client, {"endpoint": "nope", "keys": {"p256dh": "x", "auth": "y"}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["endpoint", "keys"]
