"""How long a browser may keep the built files: for ever when the URL names the content, else ask each time."""
from pathlib import Path

from app.assets import IMMUTABLE

STATIC = Path(__file__).resolve().parents[2] / "static"


def asset_url(app, filename: str) -> str:
    with app.test_request_context():
        return app.jinja_env.globals["asset_url"](filename)


def test_a_url_with_the_content_hash_of_the_file_is_kept_for_good(app, client):
    # Chromium then reuses the parsed stylesheet and app.js from one page to the next.
    for filename in ("css/app.css", "dist/app.js", "icons/icon-192.png"):
        with client.get(asset_url(app, filename)) as response:
            assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE


def test_a_revalidated_file_stays_kept_for_good(app, client):
    # The headers of a 304 replace those the browser kept: Werkzeug's "no-cache" would undo the first answer.
    url = asset_url(app, "css/app.css")
    with client.get(url) as first:
        etag = first.headers["ETag"]
    with client.get(url, headers={"If-None-Match": etag}) as response:
        assert response.status_code == 304 and response.headers["Cache-Control"] == IMMUTABLE


def test_an_earlier_hash_or_none_gets_the_file_of_today_but_asks_again_next_time(app, client):
    # A page cached under an earlier build names an earlier hash: today's file must not be kept under it.
    for url in ("/static/css/app.css?v=000000000000", "/static/css/app.css"):
        with client.get(url) as response:
            assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"


def test_chunks_and_the_word_list_are_kept_for_good_by_their_hashed_names(client):
    built = sorted((STATIC / "dist" / "chunks").glob("*.js")) + sorted((STATIC / "dist").glob("lexicon-*.json"))
    assert any(path.name.startswith("htmx.esm-") for path in built), "run the build first (npm run build)"
    for path in built:
        with client.get(f"/static/{path.relative_to(STATIC).as_posix()}") as response:
            assert response.headers["Cache-Control"] == IMMUTABLE, path.name


def test_source_maps_are_not_kept(client):
    source_map = next((STATIC / "dist" / "chunks").glob("*.js.map"))
    with client.get(f"/static/dist/chunks/{source_map.name}") as response:
        assert response.headers["Cache-Control"] == "no-cache"


def test_a_file_changed_under_a_running_app_is_not_kept_under_its_old_hash(app, client, tmp_path):
    (tmp_path / "css").mkdir()
    stylesheet = tmp_path / "css" / "app.css"
    stylesheet.write_text("body { color: black; }")
    app.static_folder = str(tmp_path)
    url = asset_url(app, "css/app.css")
    with client.get(url) as response:
        assert response.headers["Cache-Control"] == IMMUTABLE
    stylesheet.write_text("body { color: navy; }")
    with client.get(url) as response:
        assert response.get_data(as_text=True) == "body { color: navy; }"
        assert response.headers["Cache-Control"] == "no-cache"
