"""Abuse and privacy on the public page: rate limits, the honeypot, size limits, no files, CSRF, personnummer."""
import io

import pytest
from app.complaints.rules import MAX_TEXT_LENGTH, TOO_MANY_MESSAGE
from tests.complaints.factories import (answers, complaint_by_code, form_token, new_complaint_count, submit,
                                        submit_and_follow)


def complaint_count(app) -> int:
    with app.app_context():
        return new_complaint_count()


@pytest.fixture
def app_config(app_config):
    return {**app_config, "COMPLAINT_RATE_LIMIT": "3 per 10 minutes"}


def test_a_burst_from_one_address_is_refused_with_429_in_swedish(client, app):
    token = form_token(client)
    statuses = [client.post("/synpunkter", data={**answers(), "csrf_token": token}).status_code for _ in range(5)]
    assert statuses[:3] == [303, 303, 303]
    assert statuses[3:] == [429, 429]
    refused = client.post("/synpunkter", data={**answers(), "csrf_token": token})
    assert TOO_MANY_MESSAGE in refused.get_data(as_text=True)
    assert complaint_count(app) == 3


def test_the_limit_counts_per_address(client, app):
    token = form_token(client)
    for _ in range(3):
        client.post("/synpunkter", data={**answers(), "csrf_token": token})
    other = client.post("/synpunkter", data={**answers(), "csrf_token": token},
                        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 303


def test_reading_the_page_is_not_limited(client):
    for _ in range(6):
        assert client.get("/synpunkter").status_code == 200


def test_a_filled_honeypot_stores_nothing(client, app):
    response = submit(client, webbplats="http://spam.example")
    assert response.status_code == 400
    assert "Det gick inte att skicka." in response.get_data(as_text=True)
    assert complaint_count(app) == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client):
    html = client.get("/synpunkter").get_data(as_text=True)
    assert '<div class="honeypot" aria-hidden="true">' in html
    assert 'name="webbplats" value="" tabindex="-1"' in html


def test_too_long_a_text_is_refused(client, app):
    response = submit(client, text="a" * (MAX_TEXT_LENGTH + 1))
    assert response.status_code == 422
    assert "Texten är för lång" in response.get_data(as_text=True)
    assert complaint_count(app) == 0


def test_too_long_contact_fields_are_refused(client):
    assert submit(client, name="n" * 121).status_code == 422


def test_a_large_body_is_refused_before_it_is_read(client, app):
    response = submit(client, text="a" * 70_000)
    assert response.status_code == 413
    assert complaint_count(app) == 0


def test_files_are_not_accepted(client, app):
    data = {**answers(), "csrf_token": form_token(client), "photo": (io.BytesIO(b"GIF89a"), "a.gif")}
    response = client.post("/synpunkter", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert complaint_count(app) == 0


def test_the_form_needs_its_csrf_token(client, app):
    response = submit(client, with_token=False)
    assert response.status_code == 400
    assert "Ladda om sidan" in response.get_data(as_text=True)
    assert complaint_count(app) == 0


def test_a_personal_identity_number_is_warned_of_first(client, app):
    response = submit(client, text="Det gäller min pappa 19121212-1212 som inte fick mat.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det ser ut som ett personnummer" in html
    assert complaint_count(app) == 0


def test_the_personal_identity_number_can_be_removed_before_sending(client, app):
    _path, code = submit_and_follow(client, text="Det gäller min pappa 19121212-1212 som inte fick mat.",
                                    personnummer="remove")
    with app.app_context():
        text = complaint_by_code(code).report.text
    assert "1212" not in text
    assert "[personnummer borttaget]" in text


def test_the_personal_identity_number_can_be_kept(client, app):
    _path, code = submit_and_follow(client, text="Pappa 19121212-1212 fick ingen mat.", personnummer="keep")
    with app.app_context():
        assert "19121212-1212" in complaint_by_code(code).report.text


def test_no_page_reveals_a_units_other_cases(client, app):
    first, _ = submit_and_follow(client, text="Första klagomålet om Nord.")
    second, _ = submit_and_follow(client, text="Andra klagomålet om Nord.")
    html = client.get(second).get_data(as_text=True)
    assert "Första" not in html and first not in html
