"""Health and user data is never kept by a browser or proxy: `Cache-Control: private, no-store`."""
import pytest

from app.privacy import is_never_cached
from app.reports.demo import report_uuid

PRIVATE = "private, no-store"


@pytest.fixture
def quality(client, auth):
    auth.login_as_role("quality")
    return client


@pytest.mark.parametrize("path", [
    "/rapporter", f"/rapporter/{report_uuid(0)}", f"/rapporter/{report_uuid(0)}/utskrift", "/rapporter/regler",
    "/statistik", "/statistik/export.csv", "/statistik/larande",
    "/rapportera/mina", "/meddelanden",
    "/api/v1/session", "/api/v1/reports/mine", f"/api/v1/reports/{report_uuid(0)}",
])
def test_pages_with_report_or_statistics_data_are_never_stored(quality, path):
    response = quality.get(path)
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == PRIVATE


@pytest.mark.parametrize("path", ["/admin/anvandare", "/admin/enheter", "/admin/anvandare/1"])
def test_admin_pages_with_user_data_are_never_stored(client, auth, path):
    auth.login_as_role("admin")
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["Cache-Control"] == PRIVATE


def test_routine_pages_may_be_kept(quality):
    assert "no-store" not in quality.get("/rutiner").headers.get("Cache-Control", "")


@pytest.mark.parametrize(("path", "never"), [
    ("/rapporter", True), ("/rapporter/abc", True), ("/statistik/export.csv", True), ("/admin", True),
    ("/meddelanden/skicka", True), ("/rapportera", False), ("/rapportera/mina", False), ("/rapporterade", False),
    ("/meddelanden", False), ("/rutiner/rapporter", False), ("/administration", False),
    ("/synpunkter", True), ("/synpunkter/abc", True), ("/rapportera/klagomal", False),
])
def test_the_never_cached_paths_match_whole_segments(path, never):
    assert is_never_cached(path) is never
