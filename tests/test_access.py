"""Every route states who may use it, and every role reaches exactly its own pages."""
import pytest

from app.accounts.permissions import declared_access, is_static_endpoint
from tests.conftest import USER_OF_ROLE

EVERYONE = set(USER_OF_ROLE)

# (path, roles that may open it); every other role gets 403.
PAGES = [
    ("/", EVERYONE),
    ("/rutiner", EVERYONE),
    ("/rapportera", EVERYONE),
    ("/meddelanden", EVERYONE),
    ("/rapporter", {"manager", "nurse", "quality"}),
    ("/statistik", {"manager", "nurse", "quality"}),
    ("/arshjul", {"manager", "quality"}),
    ("/arshjul/ny", {"quality"}),
    ("/egenkontroll/formular", {"quality"}),
    ("/att-gora", EVERYONE),
    ("/admin/anvandare", {"admin"}),
    ("/admin/anvandare/ny", {"admin"}),
    ("/admin/anvandare/1", {"admin"}),
    ("/admin/enheter", {"admin"}),
]


def test_every_route_declares_who_may_use_it(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not is_static_endpoint(rule.endpoint) and declared_access(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_a_route_without_a_declaration_is_refused(app, client, auth):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    auth.login_as_role("admin")
    assert client.get("/forgotten").status_code == 403


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize(("path", "allowed"), PAGES, ids=[path for path, _ in PAGES])
def test_each_role_reaches_only_its_pages(client, auth, role, path, allowed):
    auth.login_as_role(role)
    response = client.get(path)
    expected = 200 if role in allowed else 403
    assert response.status_code == expected, f"{role} {path}"


@pytest.mark.parametrize(("path", "_allowed"), PAGES, ids=[path for path, _ in PAGES])
def test_anonymous_visitors_are_sent_to_login(client, path, _allowed):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_forbidden_page_is_swedish_and_keeps_the_app_shell(client, auth):
    auth.login_as_role("staff")
    html = client.get("/rapporter").get_data(as_text=True)
    assert "Du har inte behörighet till det här." in html
    assert 'aria-label="Huvudmeny"' in html


def test_forbidden_htmx_request_gets_a_fragment(client, auth):
    auth.login_as_role("staff")
    response = client.get("/admin/anvandare", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert "<html" not in response.get_data(as_text=True)


def test_anonymous_htmx_request_is_told_where_to_log_in(client):
    response = client.get("/admin/anvandare?q=a", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=/admin/anvandare")


def test_anonymous_api_request_gets_json_401(app, client):
    from app.accounts.permissions import access
    from app.accounts.rules import Access

    app.add_url_rule("/api/v1/probe", "probe", access(Access.SIGNED_IN)(lambda: {"ok": True}))
    response = client.get("/api/v1/probe")
    assert response.status_code == 401
    assert response.get_json() == {"error": {"code": "login_required", "message": "Du behöver logga in."}}


def test_health_check_is_public(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
