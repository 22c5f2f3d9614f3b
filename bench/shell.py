"""The precached app shell, gzipped: what a phone downloads when the service worker installs, and the word list apart.

Run: .venv/bin/python bench/shell.py   (after `npm run build`; it builds nothing)
It reads the precache list the server puts in front of /sw.js (pwa/routes.py) and the files in static/dist; the
offline page, also precached, is rendered by the app. Everything lives in a temporary folder removed afterwards.
"""
import gzip
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

WORKDIR = Path(tempfile.mkdtemp(prefix="fickan-bench-shell-"))
# Before the app is imported: the job queue would otherwise open its database under instance/.
os.environ["FICKAN_INSTANCE_PATH"] = str(WORKDIR / "instance")
os.environ["FICKAN_QUEUE"] = "immediate"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402

AIM_SHELL_BYTES = 100_000  # as bench/offline.py: 100 kB at gzip level 6
GZIP_LEVEL = 6
MANIFEST = re.compile(r"self\.__WB_MANIFEST=(\[.*?\]);")
LEXICON = "dist/lexicon-*.json"


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def precached_files(client, static: Path) -> list[tuple[str, bytes]]:
    """Each precache entry's URL and body: a built file read from static/, anything else asked of the app."""
    script = client.get("/sw.js")
    assert script.status_code == 200, "no static/dist/sw.js: run `npm run build` first"
    entries = json.loads(MANIFEST.search(script.get_data(as_text=True)).group(1))
    files = []
    for entry in entries:
        path = urlsplit(entry["url"]).path
        if path.startswith("/static/"):
            files.append((path, (static / path.removeprefix("/static/")).read_bytes()))
        else:
            response = client.get(path)
            assert response.status_code == 200, f"GET {path}: {response.status_code}"
            files.append((path, response.get_data()))
    return files


def main() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "INSTANCE_PATH": str(WORKDIR / "instance"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{WORKDIR / 'fickan.db'}", "LOG_LEVEL": "WARNING"})
    static = Path(app.static_folder)
    files = precached_files(app.test_client(), static)
    print(f"Precached app shell (the list in front of /sw.js), bytes; gzip level {GZIP_LEVEL}")
    print(f"   {'file':<58}{'raw':>10}{'gzip':>10}")
    total = 0
    for path, data in files:
        size = gzipped_size(data)
        total += size
        print(f"   {path:<58}{len(data):>10,}{size:>10,}")
    print(f"   {'precache total':<58}{sum(len(data) for _, data in files):>10,}{total:>10,}")
    lexicons = sorted(static.glob(LEXICON))
    assert len(lexicons) == 1, f"expected one {LEXICON} in static/, found {len(lexicons)}: rebuild"
    lexicon = lexicons[0].read_bytes()
    precached = any("lexicon" in path for path, _ in files)
    print(f"\nSearch word list, fetched after the routines sync into its own cache"
          f"{' (ALSO PRECACHED)' if precached else ', not precached'}:")
    print(f"   {'/static/' + lexicons[0].relative_to(static).as_posix():<58}{len(lexicon):>10,}"
          f"{gzipped_size(lexicon):>10,}")
    met = total < AIM_SHELL_BYTES
    print(f"\nAim: precached shell < {AIM_SHELL_BYTES / 1000:.0f} kB gzipped: {total / 1000:.1f} kB, "
          f"{'met' if met else 'MISSED'}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
