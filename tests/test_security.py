"""Security headers, error pages and what users never see."""
import pytest


@pytest.fixture
def failing_route(app):
    from app.accounts.permissions import access
    from app.accounts.rules import Access

    def explode():
        raise RuntimeError("secret internals /etc/passwd")

    app.add_url_rule("/explode", "explode", access(Access.PUBLIC)(explode))
    app.add_url_rule("/api/v1/explode", "api_explode", access(Access.PUBLIC)(explode))
    app.config["PROPAGATE_EXCEPTIONS"] = False


def test_content_security_policy_forbids_inline_scripts_and_framing(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_security_headers_are_set(client):
    headers = client.get("/login").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=(self)" in headers["Permissions-Policy"]


def test_pages_have_no_inline_scripts(client, auth):
    auth.login_as_role("admin")
    for path in ["/login", "/", "/admin/anvandare"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " onclick=" not in html, path


def test_an_unexpected_error_shows_a_swedish_page_without_internals(client, failing_route):
    response = client.get("/explode")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Något gick fel hos oss" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_an_unexpected_api_error_is_json(client, failing_route):
    response = client.get("/api/v1/explode")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"


def test_not_found_is_swedish(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte." in response.get_data(as_text=True)


def test_too_large_request_is_refused(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"username": "x" * 4096})
    assert response.status_code == 413


def test_password_fields_are_password_inputs_and_no_attribute_says_none(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'type="password"' in html
    assert '"None"' not in html
