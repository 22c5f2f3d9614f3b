"""/api/v1 is the phone ↔ server protocol: one blueprint (sync) serves all of it, at the paths CONTRACT.md fixes."""
import pytest

# (method, path) pairs of CONTRACT.md and SYNC.md, with the path of a rule as Flask writes it.
CONTRACT_ROUTES = [
    ("GET", "/api/v1/routines/changes"),
    ("POST", "/api/v1/push/subscriptions"),
    ("DELETE", "/api/v1/push/subscriptions"),
    ("POST", "/api/v1/reports"),
    ("GET", "/api/v1/reports/mine"),
    ("GET", "/api/v1/reports/<uuid:report_uuid>"),
]


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")]


def test_every_api_route_belongs_to_the_sync_blueprint(app):
    assert {rule.endpoint.split(".")[0] for rule in api_rules(app)} == {"sync"}


@pytest.mark.parametrize(("method", "path"), CONTRACT_ROUTES)
def test_the_contract_paths_are_served(app, method, path):
    assert any(rule.rule == path and method in rule.methods for rule in api_rules(app))


def test_the_inbox_has_no_json_api(app, client, auth):
    auth.login_as_role("staff")
    assert client.get("/api/v1/inbox").status_code == 404
