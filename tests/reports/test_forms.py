"""The handling page's forms, row by row: what a handler posts, and what is refused with which Swedish message."""
from datetime import date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from app.forms import first_error
from app.reports.forms import (ActionForm, ActionProgressForm, AssessmentForm, ClockStopForm, EntryForm, KindsForm,
                               StatusForm)
from app.reports import services
from app.timestamps import LOCAL_ZONE
from tests.conftest import csrf_token_from
from tests.reports.factories import ReportApi, payload


def posted(form_class, fields: dict, **options):
    """The form as the view builds it from a POST of `fields` (a list value posts the name once per item)."""
    return form_class(formdata=MultiDict(list(flat(fields))), meta={"csrf": False}, **options)


def flat(fields: dict):
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            yield name, item


@pytest.fixture
def request_context(app):
    with app.test_request_context(method="POST"):
        yield


REFUSED = [
    (KindsForm, {"kinds": ["klagomal"], "reason": " "}, "Skriv varför typerna ska vara så (motiveringen sparas)."),
    (KindsForm, {"reason": "Bara ett klagomål."}, "Välj minst en typ."),
    (KindsForm, {"kinds": ["klagomal", "påhittad"], "reason": "Motiverat."}, "Okänd typ."),
    (EntryForm, {"kind": "gissning", "text": "Något."}, "Välj om det är fakta eller en bedömning."),
    (EntryForm, {"text": "Något."}, "Välj om det är fakta eller en bedömning."),
    (AssessmentForm, {"noticed_at": "i går kväll"}, "Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM."),
    (AssessmentForm, {"noticed_at": "2026-13-01T10:00"}, "Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM."),
    (AssessmentForm, {"causes": ["routine", "personen"]}, "Okänd orsakskategori."),
    (AssessmentForm, {"probability": "5", "consequence": "2"}, "Sannolikhet och konsekvens är 1–4."),
    (AssessmentForm, {"probability": "hög", "consequence": "2"}, "Sannolikhet och konsekvens är 1–4."),
    (ActionForm, {"what": "Gör något.", "owner_name": "Sjuksköterskan", "due_on": "15/12"},
     "Skriv datumet som ÅÅÅÅ-MM-DD."),
    (ActionForm, {"what": "Gör något.", "owner_name": "Sjuksköterskan", "due_on": "2026-02-30"},
     "Skriv datumet som ÅÅÅÅ-MM-DD."),
    (ActionForm, {"what": "Gör något.", "owner_id": "chefen", "due_on": "2026-12-15"},
     "Välj vem som ansvarar i listan."),
    (ActionProgressForm, {"status": "glömd"}, "Okänd status för åtgärden."),
    (ActionProgressForm, {"status": "done", "effect": "kanske"}, "Okänd effekt."),
    (ClockStopForm, {"outcome": "", "note": "Ringde IVO."}, "Välj vad som har gjorts."),
]


@pytest.mark.parametrize(("form_class", "fields", "message"), REFUSED)
def test_a_form_refuses_what_the_rules_tables_do_not_know(request_context, form_class, fields, message):
    form = posted(form_class, fields)
    assert not form.validate()
    assert first_error(form) == message


STATUS_REFUSED = [
    ("investigating", {"status": "closed", "feedback": "  "},
     "Skriv en återkoppling till den som rapporterade innan du avslutar."),
    ("received", {"status": "closed", "feedback": "Klart."}, "Rapporten kan inte gå från mottagen till avslutad."),
    ("received", {"status": "arkiverad"}, "Välj en ny status."),
    ("received", {}, "Välj en ny status."),
]


@pytest.mark.parametrize(("current", "fields", "message"), STATUS_REFUSED)
def test_the_status_form_refuses_a_move_the_rules_do_not_allow(request_context, current, fields, message):
    form = posted(StatusForm, fields, current_status=current)
    assert not form.validate()
    assert first_error(form) == message


def test_closing_with_feedback_is_accepted(request_context):
    form = posted(StatusForm, {"status": "closed", "feedback": "Vi har ändrat rutinen."}, current_status="actions")
    assert form.validate(), form.errors
    assert (form.status.data, form.feedback.data) == ("closed", "Vi har ändrat rutinen.")


def test_confirmed_kinds_are_the_posted_codes(request_context):
    form = posted(KindsForm, {"kinds": ["klagomal", "avvikelse_sol"], "reason": "Båda gäller."})
    assert form.validate(), form.errors
    assert form.kinds.data == ["klagomal", "avvikelse_sol"]


def test_the_noticed_time_is_read_as_stockholm_time(request_context):
    form = posted(AssessmentForm, {"noticed_at": "2026-07-01T14:30", "causes": ["routine"], "probability": "2",
                                   "consequence": "3", "diary_number": "SN 2026/14"})
    assert form.validate(), form.errors
    assert form.noticed_at.data == datetime(2026, 7, 1, 14, 30, tzinfo=LOCAL_ZONE)
    assert form.noticed_at.data.utcoffset().total_seconds() == 2 * 3600  # summer time
    assert (form.causes.data, form.probability.data, form.consequence.data) == (["routine"], 2, 3)


def test_blank_assessment_fields_are_left_out(request_context):
    form = posted(AssessmentForm, {"noticed_at": "", "probability": "", "consequence": "", "diary_number": ""})
    assert form.validate(), form.errors
    assert (form.noticed_at.data, form.causes.data, form.probability.data, form.consequence.data) == (
        None, [], None, None)


def test_an_action_reads_its_owner_and_due_date(request_context):
    form = posted(ActionForm, {"what": "Inför dubbelsignering.", "owner_id": "7", "due_on": "2026-12-15"})
    assert form.validate(), form.errors
    assert (form.owner_id.data, form.owner_name.data, form.due_on.data) == (7, "", date(2026, 12, 15))


def test_an_action_without_a_listed_owner_or_date_is_left_to_the_service(request_context):
    # Who is responsible and by when are the service's rules (the API and the CLI add actions too).
    form = posted(ActionForm, {"what": "Inför dubbelsignering.", "owner_id": "", "due_on": ""})
    assert form.validate(), form.errors
    assert (form.owner_id.data, form.due_on.data) == (None, None)


def test_an_action_without_an_effect_is_not_yet_evaluated(request_context):
    form = posted(ActionProgressForm, {"status": "running"})
    assert form.validate(), form.errors
    assert (form.status.data, form.effect.data, form.effect_note.data) == ("running", "", "")


def test_a_clock_is_stopped_with_an_outcome_of_the_table(request_context):
    form = posted(ClockStopForm, {"outcome": "not_needed", "note": "Ingen skada."})
    assert form.validate(), form.errors
    assert form.outcome.data == "not_needed"


# Through the page: a refused form is shown beside the form, and nothing is saved

def handled_report(app) -> tuple[ReportApi, str, str]:
    """A report sent from the phone, and its manager's client with the page's CSRF token."""
    sent = ReportApi(app.test_client()).login("usk.nord").send(payload())
    assert sent.status_code == 201
    report_uuid = sent.get_json()["uuid"]
    manager = ReportApi(app.test_client()).login("chef.nord")
    return manager, report_uuid, csrf_token_from(manager.client, f"/rapporter/{report_uuid}")


def test_a_bad_noticed_time_is_shown_and_nothing_is_saved(app):
    manager, report_uuid, token = handled_report(app)
    response = manager.client.post(f"/rapporter/{report_uuid}/bedomning",
                                   data={"noticed_at": "i går", "diary_number": "SN 1", "csrf_token": token})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM." in html and 'value="i går"' in html
    with app.app_context():
        assert services.find_report(report_uuid).diary_number == ""


def test_a_status_that_does_not_exist_is_refused_with_a_message(app):
    manager, report_uuid, token = handled_report(app)
    response = manager.client.post(f"/rapporter/{report_uuid}/status", data={"csrf_token": token})
    assert response.status_code == 422 and "Välj en ny status." in response.get_data(as_text=True)
