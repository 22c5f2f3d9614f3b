"""The public page /synpunkter: no login, no JavaScript, a receipt with a private follow link."""
import re
import secrets

from sqlalchemy import func, select

from app.complaints.rules import follow_token
from app.extensions import db
from app.reports.models import Report
from tests.complaints.factories import (complaint_by_code, form_token, new_complaint_count, submit, submit_and_follow,
                                        unit_id)


def test_public_page_answers_without_login_with_a_form_whose_button_says_skicka(client):
    response = client.get("/synpunkter")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<button type="submit"[^>]*>Skicka</button>', html)
    assert 'for="text">Vad vill du berätta?</label>' in html
    assert "<option value=\"\">Vet inte</option>" in html
    assert "<script" not in html  # works without JavaScript, and loads none


def test_public_page_lists_the_units_but_not_the_districts(client):
    html = client.get("/synpunkter").get_data(as_text=True)
    assert "Hemvård Nord" in html and "Hemvård Syd" in html
    assert "Hemtjänst och hemsjukvård" not in html


def test_easy_to_read_version_has_the_same_form(client):
    html = client.get("/synpunkter/lattlast").get_data(as_text=True)
    assert "Säg vad du tycker" in html
    assert 'name="version" value="lattlast"' in html
    assert ">Skicka</button>" in html


def test_login_page_links_to_the_public_page(client):
    assert 'href="/synpunkter"' in client.get("/login").get_data(as_text=True)


def test_receipt_holds_the_case_code_and_the_follow_link(client, app):
    path, code = submit_and_follow(client)
    assert path.startswith("/synpunkter/")
    with app.app_context():
        complaint = complaint_by_code(code)
        assert complaint is not None
        # Only the hash is stored: the token is not in the database.
        assert path.rsplit("/", 1)[1] not in (complaint.follow_token_hash, complaint.follow_seed)


def test_follow_page_shows_mottagen_until_the_status_changes(client):
    path, code = submit_and_follow(client)
    html = client.get(path).get_data(as_text=True)
    assert re.search(r"data-complaint-status>Mottagen<", html)
    assert code in html


def test_follow_page_shows_nothing_of_what_was_written(client):
    path, _code = submit_and_follow(client, text="Min mamma Greta fick fel mat.", name="Anna Andersson",
                                    email="anna@example.org", answer_way="email")
    html = client.get(path).get_data(as_text=True)
    assert "Greta" not in html and "Anna Andersson" not in html and "anna@example.org" not in html


def test_a_guessed_token_is_404(client):
    submit_and_follow(client)
    assert client.get(f"/synpunkter/{secrets.token_urlsafe(32)}").status_code == 404
    assert client.get("/synpunkter/x").status_code == 404
    assert client.get("/synpunkter/" + "A" * 300).status_code == 404


def test_a_token_made_with_another_secret_is_404(client, app):
    _path, code = submit_and_follow(client)
    with app.app_context():
        seed = complaint_by_code(code).follow_seed
    assert client.get(f"/synpunkter/{follow_token(seed, 'another-secret')}").status_code == 404


def test_anonymous_complaint_needs_only_the_text(client, app):
    _path, code = submit_and_follow(client, complainant="", answer_way="none")
    with app.app_context():
        assert complaint_by_code(code).anonymous


def test_empty_text_is_refused_in_swedish(client, app):
    response = submit(client, text="  ")
    assert response.status_code == 422
    assert "Skriv vad du vill berätta." in response.get_data(as_text=True)
    with app.app_context():
        assert new_complaint_count() == 0


def test_an_answer_by_email_needs_an_email_address(client):
    response = submit(client, answer_way="email")
    assert response.status_code == 422
    assert "Skriv din e-postadress" in response.get_data(as_text=True)


def test_an_answer_by_letter_needs_name_and_address(client):
    response = submit(client, answer_way="letter", name="Bo")
    assert response.status_code == 422
    assert "namn och din adress" in response.get_data(as_text=True)


def test_an_unknown_unit_is_refused(client):
    assert submit(client, unit_id="999999").status_code == 422


def test_refused_form_keeps_the_answers(client):
    html = submit(client, answer_way="email", text="Bra personal!").get_data(as_text=True)
    assert "Bra personal!</textarea>" in html


def test_easy_version_stays_easy_after_an_error(client):
    html = submit(client, text="", version="lattlast").get_data(as_text=True)
    assert "Säg vad du tycker" in html


def test_complaint_is_a_report_of_kind_klagomal_on_the_chosen_unit(client, app):
    _path, code = submit_and_follow(client, unit_id=unit_id(app))
    with app.app_context():
        report = complaint_by_code(code).report
        assert report.kinds == ["klagomal"]
        assert report.unit.name == "Hemvård Nord"
        assert report.reporter_id is None
        assert report.status == "received"
        assert complaint_by_code(code).channel == "webb"


def test_unknown_unit_sits_on_the_top_unit(client, app):
    _path, code = submit_and_follow(client, unit_id="")
    with app.app_context():
        complaint = complaint_by_code(code)
        assert not complaint.unit_known
        assert complaint.report.unit.parent_id is None


def test_no_report_is_created_when_the_form_is_refused(client, app):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Report))
    submit(client, text="")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == before


def test_follow_page_is_not_cached_nor_sent_as_referrer(client):
    path, _code = submit_and_follow(client)
    response = client.get(path)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert '<meta name="referrer" content="no-referrer">' in response.get_data(as_text=True)


def test_receipt_without_a_submission_goes_back_to_the_form(client):
    response = client.get("/synpunkter/kvitto")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/synpunkter")


def test_public_form_works_for_a_signed_in_user_too(client, auth):
    auth.login_as_role("staff")
    assert form_token(client)
    assert submit(client).status_code == 303


def test_the_page_states_the_configured_targets(client, app):
    app.config.update(COMPLAINT_ACKNOWLEDGE_WORKDAYS=3, COMPLAINT_ANSWER_DAYS=21)
    html = client.get("/synpunkter").get_data(as_text=True)
    assert "inom 3 arbetsdagar och att svara inom 3 veckor" in html
