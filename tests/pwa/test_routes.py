"""The installable app's server side: manifest, service worker script and the offline page."""
import hashlib
import json
import re
from pathlib import Path

import pytest


def test_manifest_names_the_app_in_swedish_with_icons_and_standalone_display(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["lang"] == "sv" and manifest["short_name"] == "Fickan" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as icon_response:
            assert icon_response.status_code == 200 and icon_response.mimetype == "image/png"


def test_service_worker_is_served_at_the_root_never_from_an_http_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]


def test_service_worker_precaches_exactly_the_shell_urls_the_pages_link_to(client, auth):
    script = client.get("/sw.js").get_data(as_text=True)
    manifest = json.loads(re.search(r"self\.__WB_MANIFEST=(\[.*?\]);", script).group(1))
    precached = {entry["url"] for entry in manifest}
    auth.login_as_role("staff")
    page = client.get("/rutiner").get_data(as_text=True)
    linked = set(re.findall(r'(?:src|href)="(/static/(?:dist|css)/[^"]+)"', page))
    assert linked and linked <= precached
    assert any(entry["url"] == "/offline" and entry["revision"] for entry in manifest)


def test_a_new_release_changes_the_service_worker_script(app, client):
    app.config["RELEASE"] = "first"
    first = client.get("/sw.js").data
    app.config["RELEASE"] = "second"
    assert client.get("/sw.js").data != first


def test_the_offline_page_holds_nothing_of_the_user_who_fetched_it(client, auth):
    auth.login_as_role("staff")
    page = client.get("/offline").get_data(as_text=True)
    assert "Sidan finns inte på telefonen" in page
    assert "csrf-token" not in page and "fickan-user" not in page and "Logga ut" not in page
    assert "Amina" not in page and "Hemvård Nord" not in page
    assert "data-outbox-pending" in page


def test_pages_tell_caches_they_differ_for_htmx_requests(client, auth):
    auth.login_as_role("staff")
    assert "HX-Request" in client.get("/rutiner").headers["Vary"]


def test_every_page_links_the_manifest_and_names_the_signed_in_user_for_the_phone(client, auth):
    auth.login_as_role("staff")
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'name="fickan-user"' in page and 'name="fickan-release"' in page


def test_the_search_word_list_is_not_precached_but_served_under_its_content_hash(app, client):
    built = Path(__file__).resolve().parents[2] / "pwa" / "js" / "generated" / "lexicon-url.js"
    if not built.exists():
        pytest.skip("the front end is not built (npm run build publishes the word list)")
    script = client.get("/sw.js").get_data(as_text=True)
    manifest = json.loads(re.search(r"self\.__WB_MANIFEST=(\[.*?\]);", script).group(1))
    assert manifest and not any("lexicon" in entry["url"] for entry in manifest)

    url = re.search(r'LEXICON_URL = "([^"]+)"', built.read_text(encoding="utf-8")).group(1)
    assert url in script  # the worker knows this build's list, so a new list is a new worker
    with client.get(url) as response:
        assert response.status_code == 200
        body = response.get_data()
    assert hashlib.sha256(body).hexdigest()[:16] in url
    stored = json.loads(body)
    assert "CC BY-SA 4.0" in stored["notice"] and stored["lexicon"]
