"""URLs of built front-end assets, and how long a browser may keep them."""
import functools
import hashlib
import os
import re
from pathlib import Path

from flask import Flask, request, url_for
from werkzeug.security import safe_join

# A URL that names its content never changes meaning: the browser may keep it as long as it likes and need not
# ask again. Besides an HTTP cache, this lets Chromium keep the parsed stylesheet and the compiled app.js in
# memory from one page to the next; with "no-cache" every page fetched both again through the service worker
# and parsed the stylesheet again, before it could draw (bench/offline.py).
IMMUTABLE = "public, max-age=31536000, immutable"
# Built files whose name carries a hash of their content (pwa/build.mjs): esbuild's chunks and the word list.
HASHED_NAME = re.compile(r"dist/(chunks/[\w.-]+-[A-Z0-9]{8}\.js|lexicon-[0-9a-f]{16}\.json)")


def make_asset_url(app: Flask):
    """url_for for a built asset with its content hash, so a new build is never served from an old cache."""
    hashes: dict[str, str] = {}

    def asset_url(filename: str) -> str:
        if filename not in hashes or app.debug:
            path = Path(app.static_folder) / filename
            hashes[filename] = content_hash(path) if path.exists() else "missing"
        return url_for("static", filename=filename, v=hashes[filename])

    return asset_url


def content_hash(path) -> str:
    """A built file's ?v=: the start of its SHA-256 (names_its_content compares with the same)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


@functools.cache
def file_hash(path: str, modified_ns: int, size: int) -> str:
    return content_hash(path)


def names_its_content(static_folder: str, filename: str, version: str | None) -> bool:
    """True for a URL whose content cannot change: a hashed file name, or ?v= the hash of the file served now.

    An older page may still ask for an earlier ?v=: it gets today's file, which must not be kept under that URL.
    The hash is of the file as it is now (asset_url keeps the first it computed until the app restarts).
    """
    if HASHED_NAME.fullmatch(filename):
        return True
    path = safe_join(static_folder, filename)
    if version is None or path is None:
        return False
    stat = os.stat(path)
    return version == file_hash(path, stat.st_mtime_ns, stat.st_size)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = make_asset_url(app)

    @app.after_request
    def keep_fingerprinted_assets(response):
        # A 304 too: the browser takes the headers of a 304 over those it kept, and Werkzeug's say "no-cache".
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if names_its_content(app.static_folder, filename, request.args.get("v")):
                response.headers["Cache-Control"] = IMMUTABLE
        return response
