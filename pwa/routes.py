"""The installable app: web manifest, the service worker at the root scope, and the offline page."""
import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, url_for

from app.accounts.permissions import access
from app.accounts.rules import Access

bp = Blueprint("pwa", __name__)

SERVICE_WORKER_BUNDLE = "dist/sw.js"
CHUNKS = "dist/chunks"
ICONS = [
    {"file": "icons/icon-192.png", "sizes": "192x192", "purpose": "any"},
    {"file": "icons/icon-512.png", "sizes": "512x512", "purpose": "any"},
    {"file": "icons/maskable-512.png", "sizes": "512x512", "purpose": "maskable"},
]
# What a page needs to draw itself with no network; each URL carries its content hash.
SHELL_ASSETS = ["dist/app.js", "css/app.css", "icons/icon-192.png", "icons/apple-touch-icon.png"]
# Inputs of a release besides the built files: a changed offline page must reach phones too.
RELEASE_TEMPLATES = ["pwa/offline.html", "base.html"]


@cache
def file_digest(path: Path, modified: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release_of_app() -> str:
    """An identifier that changes whenever the shell the service worker serves changes."""
    configured = current_app.config.get("RELEASE")
    if configured:
        return configured
    static = Path(current_app.static_folder)
    templates = Path(current_app.root_path).parent / "templates"
    inputs = [static / SERVICE_WORKER_BUNDLE] + [static / asset for asset in SHELL_ASSETS]
    inputs += [templates / name for name in RELEASE_TEMPLATES]
    combined = hashlib.sha256()
    for path in inputs:
        combined.update(file_digest(path, path.stat().st_mtime).encode() if path.exists() else b"missing")
    return combined.hexdigest()[:16]


def chunk_urls() -> list[str]:
    """The page bundle's chunks: their names carry their content hash already."""
    chunks = Path(current_app.static_folder) / CHUNKS
    return sorted(url_for("static", filename=f"{CHUNKS}/{path.name}") for path in chunks.glob("*.js"))


def precache_entries(release: str) -> list[dict]:
    asset_url = current_app.jinja_env.globals["asset_url"]
    entries = [{"url": asset_url(asset), "revision": None} for asset in SHELL_ASSETS]
    entries += [{"url": url, "revision": None} for url in chunk_urls()]
    entries.append({"url": url_for("pwa.offline"), "revision": release})
    return entries


@bp.get("/manifest.webmanifest")
@access(Access.PUBLIC)
def manifest():
    asset_url = current_app.jinja_env.globals["asset_url"]
    body = {
        "id": "/",
        "name": "Fickan – rutiner och rapporter i hemtjänsten",
        "short_name": "Fickan",
        "description": "Rutiner som fungerar utan täckning, och rapporter om avvikelser och tillbud.",
        "lang": "sv",
        "dir": "ltr",
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": "#0b5d4b",
        "background_color": "#f2f5f4",
        "icons": [
            {"src": asset_url(icon["file"]), "sizes": icon["sizes"], "type": "image/png", "purpose": icon["purpose"]}
            for icon in ICONS
        ],
    }
    response = Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
@access(Access.PUBLIC)
def service_worker():
    bundle = Path(current_app.static_folder) / SERVICE_WORKER_BUNDLE
    if not bundle.exists():
        abort(404)
    release = release_of_app()
    # The precache list comes from the server, so its URLs are exactly those the pages link to.
    preamble = (f"self.__FICKAN_RELEASE={json.dumps(release)};"
                f"self.__WB_MANIFEST={json.dumps(precache_entries(release))};\n")
    response = Response(preamble + bundle.read_text(encoding="utf-8"), mimetype="text/javascript")
    # The browser must see a new version at once: never from an HTTP cache.
    response.headers["Cache-Control"] = "no-cache, no-store, must-revalidate"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
@access(Access.PUBLIC)
def offline():
    # The same page for everyone: it is cached on the phone and must hold nothing of a user.
    return render_template("pwa/offline.html", offline_shell=True)
