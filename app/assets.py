"""URLs of built front-end assets."""
import hashlib
from pathlib import Path

from flask import Flask, url_for


def make_asset_url(app: Flask):
    """url_for for a built asset with its content hash, so a new build is never served from an old cache."""
    hashes: dict[str, str] = {}

    def asset_url(filename: str) -> str:
        if filename not in hashes or app.debug:
            path = Path(app.static_folder) / filename
            hashes[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else "missing"
        return url_for("static", filename=filename, v=hashes[filename])

    return asset_url
