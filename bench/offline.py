"""Offline figures: the app shell gzipped, a delta sync's bytes after one change, opening a cached routine offline.

Run: .venv/bin/python bench/offline.py [--routines 1500] [--pages 15] [--first-sync-sample 150] [--seed 7]
Everything lives in a temporary folder that is removed afterwards; instance/ is never touched. The browser part
serves the demo app on 127.0.0.1 only and drives Debian's Chromium (/usr/bin/chromium) through Playwright.
"""
import argparse
import gzip
import json
import logging
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.monotonic()
WORKDIR = Path(tempfile.mkdtemp(prefix="fickan-bench-offline-"))
# Before the app is imported: the job queue would otherwise open its database under instance/.
os.environ["FICKAN_INSTANCE_PATH"] = str(WORKDIR / "instance")
os.environ["FICKAN_QUEUE"] = "immediate"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from app import create_app  # noqa: E402
from app.demo import DEMO_ROUTINES, seed_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.routines import services  # noqa: E402
from app.routines.importer import LOCAL_IMAGE, import_folder, parse_front_matter  # noqa: E402
from app.routines.models import Routine  # noqa: E402
from app.routines.routes import SYNC_FETCH_HEADER  # noqa: E402
from sync.services import OVERLAP  # noqa: E402
from tests.browser.actions import login  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE_VIEWPORT, RunningServer  # noqa: E402
from tests.routines import factories  # noqa: E402

import load_trace  # noqa: E402  (bench/load_trace.py, beside this file)

AIM_SHELL_BYTES = 100_000  # 100 kB at gzip level 6
AIM_DELTA_RATIO = 1.2
AIM_OFFLINE_MEDIAN_MS = 150.0

GZIP_LEVEL = 6  # the aim is judged on this one: gzip's default, and a common reverse-proxy setting
GZIP_LEVEL_MAX = 9
STAFF, AUTHOR, OWNER = "usk.nord", "kvalitet", "mas"  # the reader; quality writes, the MAS owns and approves
SHELL_ROUTINE = "basala-hygienrutiner"
SHELL_FILES = ["css/app.css", "dist/app.js"]
FEED = "/api/v1/routines/changes"
SYNC_FETCHING = {SYNC_FETCH_HEADER: "1"}  # how the phone's background sync asks for a page
IMAGE_SRC = re.compile(r'<img[^>]*\bsrc="(/rutiner/bilder/[^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
FRESH_RENDERS = 3

CPU_THROTTLE = 4
ROUNDS = 2  # online, offline, online, offline: a drift in the machine's load touches both modes alike
SYNC_DONE = "body[data-routine-sync='done']"
SYNC_SETTLED = "body[data-routine-sync='done'], body[data-routine-sync='failed']"
SYNC_TIMEOUT_MS = 60_000
PAGE_TIMEOUT_MS = 15_000
# Installing the worker precaches the shell before it takes control: on a loaded 2-CPU machine that has
# taken longer than a page's 15 s. Waited for once, with its own bound and a message that says what it was.
WORKER_TIMEOUT_MS = 90_000
WORKER_STATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  const worker = (kind) => (registration && registration[kind] ? registration[kind].state : "none");
  return `installing ${worker("installing")}, waiting ${worker("waiting")}, active ${worker("active")}`;
}"""
OVERALL_TIMEOUT_S = 360  # checked between steps; every browser wait has its own timeout besides
# Once the load event has finished, the navigation entry holds both figures (ms from navigation start).
NAVIGATION_TIMING = """() => {
  const entry = performance.getEntriesByType("navigation")[0];
  return entry && entry.loadEventEnd > 0
    ? {response: entry.responseEnd, interactive: entry.domInteractive, dcl: entry.domContentLoadedEventEnd,
       load: entry.loadEventEnd} : null;
}"""
BUSY_LOOP = """() => {
  const started = performance.now();
  let sum = 0;
  for (let i = 0; i < 5e6; i++) sum += i % 7;
  return performance.now() - started;
}"""


def within_time(doing: str) -> None:
    """Stop between two steps once the run has taken longer than OVERALL_TIMEOUT_S."""
    if time.monotonic() - STARTED > OVERALL_TIMEOUT_S:
        raise TimeoutError(f"bench/offline.py: still {doing} after {OVERALL_TIMEOUT_S} s")


def bench_config(folder: Path) -> dict:
    """A test app's settings, as tests/conftest.py's make_test_config makes them."""
    return {
        "TESTING": True,
        "SECRET_KEY": "bench",
        "INSTANCE_PATH": str(folder),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'fickan.db'}",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "LOG_LEVEL": "WARNING",
    }


def make_template() -> Path:
    """A folder with a database holding the schema and the demo data, the demo images beside it."""
    folder = WORKDIR / "template"
    app = create_app(bench_config(folder))
    with app.app_context():
        db.create_all()
        seed_demo()
    dispose(app)
    return folder


def app_from(template: Path, name: str):
    """A fresh app on a copy of the template's database and uploads."""
    folder = WORKDIR / name
    shutil.copytree(template, folder)
    return create_app(bench_config(folder))


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def signed_in_client(app, username: str = STAFF):
    """A test client logged in through the login form, CSRF token and all."""
    client = app.test_client()
    token = CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": "demo", "csrf_token": token})
    assert response.status_code == 303, f"login as {username}: {response.status_code}"
    return client


def body_of(client, path: str, **kwargs) -> bytes:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, f"GET {path}: {response.status_code}"
    return response.get_data()


def gzipped_size(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level, mtime=0))


# 1. The app shell

def measure_shell(app) -> dict:
    """A routine page's HTML, the stylesheet and the script, raw and gzipped; the service worker apart."""
    client = signed_in_client(app)
    static = Path(app.static_folder)
    parts = [(f"/rutiner/{SHELL_ROUTINE} (HTML, as {STAFF})", body_of(client, f"/rutiner/{SHELL_ROUTINE}"))]
    # Every chunk of the page bundle counts, the ones loaded on demand too: all are precached. The search word
    # list is not a chunk: the phone fetches it after the routines sync (counted apart; bench/shell.py has the
    # whole precache list).
    chunks = sorted(f"dist/chunks/{path.name}" for path in (static / "dist" / "chunks").glob("*.js"))
    parts += [(f"static/{name}", (static / name).read_bytes()) for name in SHELL_FILES + chunks]
    rows = [(name, len(data), gzipped_size(data, GZIP_LEVEL), gzipped_size(data, GZIP_LEVEL_MAX))
            for name, data in parts]
    worker = body_of(client, "/sw.js")
    icons = sum((static / name).stat().st_size for name in ("icons/icon-192.png", "icons/apple-touch-icon.png"))
    lexicon = [(path.name, path.read_bytes()) for path in (static / "dist").glob("lexicon-*.json")]
    return {"rows": rows, "total": sum(row[2] for row in rows), "total_max": sum(row[3] for row in rows),
            "lexicon": [(name, len(data), gzipped_size(data, GZIP_LEVEL)) for name, data in lexicon],
            "worker": (len(worker), gzipped_size(worker, GZIP_LEVEL), gzipped_size(worker, GZIP_LEVEL_MAX)),
            "icons": icons}


# 2. The delta sync

def demo_sources() -> list[dict]:
    """The demo routines' front matter and sections; images left out (they belong to their own routine)."""
    sources = []
    for path in sorted(DEMO_ROUTINES.glob("*.md")):
        meta, body = parse_front_matter(path.read_text(encoding="utf-8"))
        text = "\n".join(line for line in body.splitlines() if not LOCAL_IMAGE.search(line))
        tags = meta["tags"] if isinstance(meta["tags"], list) else [meta["tags"]]
        sections = [part.strip() for part in re.split(r"\n(?=## )", text) if part.strip()]
        sources.append({"title": meta["title"], "kind": meta["kind"], "category": meta.get("category") or "Övrigt",
                        "tags": tags, "sections": sections})
    return sources


def generated_routine(rng: random.Random, sources: list[dict], number: int) -> dict:
    """A local version of a demo routine plus a section or two of others: real care text, a few hundred words."""
    source = sources[number % len(sources)]
    extra = [rng.choice(rng.choice(sources)["sections"]) for _ in range(rng.randint(1, 2))]
    return {"title": f"{source['title']} – lokal anvisning {number}", "kind": source["kind"],
            "category": source["category"], "tags": source["tags"],
            "body_md": "\n\n".join(source["sections"] + extra) + "\n"}


def routine_file(routine: dict) -> str:
    """A routine as a Markdown file with front matter, the format `flask routines import` reads."""
    return (f"---\ntitle: {routine['title']}\nkind: {routine['kind']}\nscope: central\nowner: {OWNER}\n"
            f"tags: [{', '.join(routine['tags'])}]\nreview: 2027-06-01\ncategory: {routine['category']}\n---\n\n"
            f"{routine['body_md']}")


def add_central_routines(app, visible: int, rng: random.Random) -> dict:
    """Central routines owned by the MAS until STAFF sees `visible`, imported as `flask routines import` does.

    The importer publishes each routine through the routine services (publish, links, search index, event):
    the pages and the feed are the same as for routines written and approved one by one, several times faster.
    """
    sources = demo_sources()
    folder = WORKDIR / "library-files"
    folder.mkdir()
    started = time.perf_counter()
    with app.app_context():
        reader = factories.user(STAFF)
        already = services.count_readable(reader)
        words, slugs = [], set()
        for number in range(1, visible - already + 1):
            generated = generated_routine(rng, sources, number)
            slug = services.slugify(generated["title"])
            (folder / f"{slug}.md").write_text(routine_file(generated), encoding="utf-8")
            words.append(len(generated["body_md"].split()))
            slugs.add(slug)
        if slugs:
            within_time("importing routines")
            created = import_folder(folder).created
            assert set(created) == slugs, "the importer did not create every routine"
        seen = services.count_readable(reader)
    return {"demo": already, "added": len(words), "slugs": slugs, "visible": seen,
            "words": statistics.mean(words) if words else 0, "seconds": time.perf_counter() - started,
            "finished_at": time.monotonic()}


def fetch_pages(client, entries: list[dict], images_on_phone: set[str]) -> dict:
    """What the phone's sync fetches for feed entries: each page, and those of its images it does not hold yet."""
    page_bytes, image_bytes, images = 0, 0, 0
    for entry in entries:
        within_time("fetching routine pages")
        html = body_of(client, entry["url"], headers=SYNC_FETCHING)
        page_bytes += len(html)
        for path in IMAGE_SRC.findall(html.decode()):
            if path not in images_on_phone:
                images_on_phone.add(path)
                image_bytes += len(body_of(client, path))
                images += 1
    return {"pages": len(entries), "page_bytes": page_bytes, "images": images, "image_bytes": image_bytes}


def fetch_first_sync(app, client, entries: list[dict], generated: set[str], sample: int, rng: random.Random,
                     images_on_phone: set[str]) -> dict:
    """A first sync's pages: the demo routines' pages and images fetched, the generated pages estimated from a sample.

    The pages are rendered in one database session that holds every routine and its version: a routine page
    looks up the title of every readable routine, one query each, when its body has a [[link]], and with
    1,500 routines a fresh request takes most of a second. Held in one session those lookups hit memory;
    the bytes are the same (measure_sync times fresh requests apart).
    """
    made = [entry for entry in entries if entry["slug"] in generated]
    sampled = rng.sample(made, min(sample, len(made)))
    with app.app_context():
        held = db.session.scalars(select(Routine).options(selectinload(Routine.current_version))).all()
        exact = fetch_pages(client, [entry for entry in entries if entry["slug"] not in generated], images_on_phone)
        measured = fetch_pages(client, sampled, images_on_phone)
        del held
    estimated = round(measured["page_bytes"] / len(sampled) * len(made)) if sampled else 0
    return {"pages": len(entries), "page_bytes": exact["page_bytes"] + estimated, "exact_pages": exact["pages"],
            "sampled": len(sampled), "generated": len(made), "images": exact["images"] + measured["images"],
            "image_bytes": exact["image_bytes"] + measured["image_bytes"],
            "estimated": len(sampled) < len(made)}


def change_one_routine(app, slug: str) -> tuple[int, int]:
    """Publish a new version with one more paragraph, as the browser test of delta sync does; (number, [[links]])."""
    with app.app_context():
        routine = services.routine_by_slug(slug)
        current = routine.current_version
        services.save_draft(factories.user(AUTHOR), routine, title=current.title, tags=current.tags,
                            body_md=current.body_md + "\nKvittera alltid nyckeln i nyckelskåpet och skriv datum.\n")
        services.submit_for_review(factories.user(AUTHOR), routine, "Kvittens av nycklar")
        version = services.approve(factories.user(OWNER), routine)
        db.session.commit()
        return version.number, version.body_md.count("[[")


def timed_fetch(client, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    body = body_of(client, path, headers=SYNC_FETCHING)
    return (time.perf_counter() - started) * 1000, body


def measure_sync(app, library: dict, sample: int, rng: random.Random) -> dict:
    """A full first sync, one changed routine, then the delta sync the phone makes with its token."""
    # The feed looks OVERLAP back from a token: one issued sooner after the library was written would
    # send the newest routines again. A real library has been quiet for longer than that.
    quiet_for = OVERLAP.total_seconds() + 1 - (time.monotonic() - library["finished_at"])
    if quiet_for > 0:
        time.sleep(quiet_for)
    client = signed_in_client(app)
    started = time.perf_counter()
    first_feed = body_of(client, FEED)
    first = json.loads(first_feed)
    images_on_phone: set[str] = set()
    full = fetch_first_sync(app, client, first["routines"], library["slugs"], sample, rng, images_on_phone)
    full_seconds = time.perf_counter() - started
    within_time("syncing")

    slug = rng.choice(sorted(library["slugs"]) or [entry["slug"] for entry in first["routines"]])
    version, links = change_one_routine(app, slug)
    # As the phone asks: with the version of the synonym list it holds, so the list is left out when unchanged.
    delta_feed = body_of(client, f"{FEED}?since={first['token']}&synonyms_version={first['synonyms_version']}")
    delta = json.loads(delta_feed)
    old_app_feed = body_of(client, f"{FEED}?since={first['token']}")  # an app from before the version
    fetched = fetch_pages(client, delta["routines"], images_on_phone)
    renders = [timed_fetch(client, f"/rutiner/{slug}") for _ in range(FRESH_RENDERS)]
    page = renders[-1][1]
    delta_bytes = len(delta_feed) + fetched["page_bytes"] + fetched["image_bytes"]
    return {"first_feed": len(first_feed), "first_listed": len(first["routines"]), "full": full,
            "full_seconds": full_seconds, "first_total": len(first_feed) + full["page_bytes"] + full["image_bytes"],
            "slug": slug, "version": version, "links": links, "delta_feed": len(delta_feed),
            "render_ms": statistics.median(ms for ms, _ in renders),
            "delta_listed": [entry["slug"] for entry in delta["routines"]], "delta_removed": delta["removed"],
            "delta_full": delta["full"], "synonyms": len(delta.get("synonyms", [])), "fetched": fetched,
            "old_app_feed": len(old_app_feed), "first_synonyms": len(first["synonyms"]),
            "delta_bytes": delta_bytes, "page": len(page), "ratio": delta_bytes / len(page),
            "waited": max(quiet_for, 0)}


# 3. Opening a cached routine

def requests_reaching(app) -> list[str]:
    """The paths of requests that reach the server, recorded around the app (as test_offline.py's RequestLog)."""
    paths: list[str] = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        paths.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    app.wsgi_app = recording
    return paths


def emulate_network(cdp, online: bool) -> None:
    # context.set_offline keeps the service worker off the network, but after a page.goto the page itself
    # may say navigator.onLine === true again (seen with Chromium 156 and Playwright 1.65): the page's own
    # emulation keeps it true to the mode, so the app behaves as it does on a phone with no network.
    cdp.send("Network.emulateNetworkConditions",
             {"offline": not online, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def wait_for_worker(page) -> None:
    """Until the service worker controls the page (the pages below must come from it), at most WORKER_TIMEOUT_MS."""
    try:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=WORKER_TIMEOUT_MS)
    except PlaywrightTimeout:
        raise TimeoutError(f"bench/offline.py: the service worker did not control the page within "
                           f"{WORKER_TIMEOUT_MS // 1000} s ({page.evaluate(WORKER_STATE)}; load average "
                           f"{os.getloadavg()[0]:.1f})") from None


def open_timed(page, cdp, slug: str, online: bool) -> dict:
    """Open one routine page by its URL, throttled; its navigation timing once the load event has finished."""
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})
    emulate_network(cdp, online)
    response = page.goto(f"/rutiner/{slug}", wait_until="load", timeout=PAGE_TIMEOUT_MS)
    if response is None or response.status != 200 or page.locator(f"article[data-routine='{slug}']").count() != 1:
        raise RuntimeError(f"/rutiner/{slug} did not open as the routine page")
    if page.evaluate("navigator.onLine") != online:
        raise RuntimeError(f"/rutiner/{slug} opened with navigator.onLine !== {online}")
    timing = page.wait_for_function(NAVIGATION_TIMING, timeout=PAGE_TIMEOUT_MS).json_value()
    return timing | {"from_worker": response.from_service_worker}


def open_each(page, cdp, warm_up: str, slugs: list[str], online: bool) -> list[dict]:
    """Open the warm-up page (not counted), then each page once."""
    timings = []
    for slug in [warm_up, *slugs]:
        within_time("opening routine pages in Chromium")
        timings.append(open_timed(page, cdp, slug, online))
        if online:  # a page load may start a sync: let it end before the next page competes with it
            page.wait_for_selector(SYNC_SETTLED, state="attached", timeout=SYNC_TIMEOUT_MS)
    return timings[1:]


def back_online(page, context, cdp) -> None:
    """Go online again and wait for the sync the `online` event starts, as the offline browser tests do."""
    page.evaluate("document.body.dataset.routineSync = 'waiting'")
    context.set_offline(False)
    emulate_network(cdp, online=True)
    page.wait_for_selector(SYNC_SETTLED, state="attached", timeout=SYNC_TIMEOUT_MS)


def busy_loop_ms(page, cdp, rate: int) -> float:
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    return statistics.median(page.evaluate(BUSY_LOOP) for _ in range(3))


def traced_open(browser, page, context, cdp, slug: str, path: Path) -> list[str]:
    """Open one more routine offline while Chromium traces (after the measured pages) and sum the trace up."""
    context.set_offline(True)
    browser.start_tracing(page=page, path=str(path), categories=load_trace.CATEGORIES)
    try:
        timing = open_timed(page, cdp, slug, online=False)
    finally:
        browser.stop_tracing()
    back_online(page, context, cdp)
    return load_trace.summarise(path, timing)


def measure_opening(app, page_count: int, rng: random.Random, trace_path: Path | None = None) -> dict:
    """The demo app on 127.0.0.1, a phone-sized Chromium synced as STAFF; routine pages opened online and offline."""
    started = time.perf_counter()
    with app.app_context():
        slugs = sorted(routine.slug for routine in services.readable_routines(factories.user(STAFF)))
    chosen = rng.sample(slugs, min(page_count + 1, len(slugs)))
    reached = requests_reaching(app)
    server = RunningServer(app)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=f"http://127.0.0.1:{server.port}",
                                      locale="sv-SE")
        page = context.new_page()
        login_started = time.perf_counter()
        login(page, STAFF)
        page.wait_for_selector(SYNC_DONE, state="attached", timeout=SYNC_TIMEOUT_MS)
        wait_for_worker(page)
        first_sync = time.perf_counter() - login_started
        cdp = context.new_cdp_session(page)
        online, offline, reached_offline = [], [], []
        for _ in range(ROUNDS):
            online += open_each(page, cdp, chosen[0], chosen[1:], online=True)
            context.set_offline(True)
            mark = len(reached)
            offline += open_each(page, cdp, chosen[0], chosen[1:], online=False)
            reached_offline += reached[mark:]
            back_online(page, context, cdp)
        trace = traced_open(browser, page, context, cdp, chosen[1], trace_path) if trace_path else []
        throttled, unthrottled = busy_loop_ms(page, cdp, CPU_THROTTLE), busy_loop_ms(page, cdp, 1)
        version = browser.version
        browser.close()
    finally:
        playwright.stop()
        server.stop()
    return {"online": online, "offline": offline, "pages": len(chosen) - 1, "readable": len(slugs),
            "first_sync": first_sync, "throttle_check": throttled / unthrottled, "chromium": version,
            "reached_offline": reached_offline, "seconds": time.perf_counter() - started, "trace": trace}


# Report

def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report_shell(shell: dict) -> None:
    print(f"1. App shell: what a routine page needs to draw itself, in bytes; gzip level {GZIP_LEVEL} "
          f"(level {GZIP_LEVEL_MAX} for comparison)")
    print(f"   {'file':<54}{'raw':>10}{f'gzip -{GZIP_LEVEL}':>10}{f'gzip -{GZIP_LEVEL_MAX}':>10}")
    for name, raw, level, level_max in shell["rows"]:
        print(f"   {name:<54}{raw:>10,}{level:>10,}{level_max:>10,}")
    raw_total = sum(row[1] for row in shell["rows"])
    print(f"   {'shell total':<54}{raw_total:>10,}{shell['total']:>10,}{shell['total_max']:>10,}")
    raw, level, level_max = shell["worker"]
    print(f"   {'for information: /sw.js as served (with precache list)':<54}{raw:>10,}{level:>10,}{level_max:>10,}")
    print(f"   for information: the two precached icons, {shell['icons']:,} bytes of PNG")
    for name, raw, level in shell["lexicon"]:
        print(f"   for information: the search word list {name}, not precached, fetched after the routines sync: "
              f"{raw:,} bytes, {level:,} gzipped")
    print()


def report_sync(library: dict, sync: dict) -> None:
    full, fetched = sync["full"], sync["fetched"]
    print(f"2. Delta sync after one change among {library['visible']:,} routines visible to {STAFF}; "
          f"uncompressed body bytes (HTTP headers not counted), Flask test client")
    print(f"   library: {library['demo']} demo + {library['added']:,} central routines imported as `flask routines "
          f"import` does, mean {library['words']:.0f} words; written in {library['seconds']:.0f} s")
    about = "about " if full["estimated"] else ""
    print(f"   full first sync: feed {sync['first_feed']:,} ({sync['first_listed']:,} routines) + "
          f"{full['pages']:,} pages {about}{full['page_bytes']:,} + {full['images']} images {full['image_bytes']:,} "
          f"= {about}{sync['first_total']:,} bytes")
    print(f"     pages: the {full['exact_pages']} demo ones fetched, the {full['generated']:,} generated ones "
          f"{'estimated from' if full['estimated'] else 'all'} {full['sampled']:,} fetched at random "
          f"({sync['full_seconds']:.0f} s through the test client)")
    print(f"   changed: /rutiner/{sync['slug']} (version {sync['version']} published, one paragraph added; "
          f"{sync['links']} [[links]] in its body)")
    print(f"   delta feed lists {', '.join(sync['delta_listed']) or 'nothing'}; removed {sync['delta_removed']}; "
          f"full={sync['delta_full']}; {sync['synonyms']} of the {sync['first_synonyms']} synonyms ride along "
          f"(the phone names the version it holds)")
    print(f"   delta sync: feed {sync['delta_feed']:,} + {fetched['pages']} page {fetched['page_bytes']:,} + "
          f"{fetched['images']} new images {fetched['image_bytes']:,} = {sync['delta_bytes']:,} bytes")
    print(f"   baseline, that one page alone: {sync['page']:,} bytes")
    old_app = sync["delta_bytes"] - sync["delta_feed"] + sync["old_app_feed"]
    print(f"   for information: an app that names no synonym version gets the list every time: feed "
          f"{sync['old_app_feed']:,}, delta sync {old_app:,} bytes = {old_app / sync['page']:.2f}× the page")
    print(f"   delta sync / one page: {sync['ratio']:.2f}×  (a full first sync is "
          f"{sync['first_total'] / sync['delta_bytes']:,.0f}× the delta)")
    print(f"   for information: the server took {sync['render_ms']:.0f} ms for that page in a fresh request "
          f"(median of {FRESH_RENDERS}); the first sync's pages shared one database session (see fetch_first_sync)")
    print()


def report_opening(opening: dict) -> dict:
    print(f"3. Opening a cached routine by its URL: Chromium {opening['chromium']}, 360×740, CPU throttled "
          f"{CPU_THROTTLE}× (CDP Emulation.setCPUThrottlingRate)")
    print(f"   {opening['pages']} different routine pages of the {opening['readable']} {STAFF} reads, opened once "
          f"per mode in each of {ROUNDS} rounds (online, offline, ...), each mode after a warm-up page")
    print(f"   login + first sync took {opening['first_sync']:.1f} s; ms from navigation start (navigation timing "
          f"entry): the document in hand, parsed, its app.js module run, loaded")
    print(f"   {'':<44}{'response end':>13}{'interactive':>12}{'DOMContentLoaded':>18}{'load event end':>18}")
    print(f"   {'':<44}{'median':>13}{'median':>12}{'median':>9}{'p90':>9}{'median':>9}{'p90':>9}")
    medians = {}
    for mode, label in [("online", "online: network first, server on 127.0.0.1"),
                        ("offline", "offline: the copy on the phone")]:
        timings = opening[mode]
        dcl, load = [t["dcl"] for t in timings], [t["load"] for t in timings]
        medians[mode] = (statistics.median(dcl), statistics.median(load))
        via_worker = sum(t["from_worker"] for t in timings)
        print(f"   {label:<44}{statistics.median(t['response'] for t in timings):>13.0f}"
              f"{statistics.median(t['interactive'] for t in timings):>12.0f}"
              f"{medians[mode][0]:>9.0f}{percentile(dcl, 0.9):>9.0f}{medians[mode][1]:>9.0f}"
              f"{percentile(load, 0.9):>9.0f}   ({via_worker}/{len(timings)} through the worker)")
    reached = opening["reached_offline"]
    print(f"   requests that reached the server while offline: {len(reached)}{' ' + str(reached) if reached else ''}; "
          f"navigator.onLine matched the mode on every page")
    print(f"   offline / online median: DOMContentLoaded {medians['offline'][0] / medians['online'][0]:.2f}×, "
          f"load {medians['offline'][1] / medians['online'][1]:.2f}×")
    if opening["trace"]:
        print(f"   trace of one more offline open (not counted above; tracing slows it): {opening['trace_path']}")
        for line in opening["trace"]:
            print(line)
    print(f"   throttle check: a busy loop in the page ran {opening['throttle_check']:.1f}× slower at "
          f"{CPU_THROTTLE}×. Only the page's main thread is throttled:")
    print("   Chromium refuses the command for a service worker (\"only supported for pages, not workers\"), "
          "so the worker runs at full speed")
    print()
    return medians


def report(shell: dict, library: dict, sync: dict, opening: dict, load: float, seconds: float) -> None:
    print(f"Fickan offline bench — load average {load:.1f} on {os.cpu_count()} CPUs at the start")
    print()
    report_shell(shell)
    report_sync(library, sync)
    offline_load = report_opening(opening)["offline"][1]
    print("Summary")
    print(f"   {'figure':<50}{'value':>10}  {'aim':<10}")
    for name, value, aim, met in [
        (f"app shell, gzip -{GZIP_LEVEL}", f"{shell['total'] / 1000:.1f} kB", f"< {AIM_SHELL_BYTES // 1000} kB",
         shell["total"] < AIM_SHELL_BYTES),
        ("delta sync / one page, uncompressed", f"{sync['ratio']:.2f}×", f"< {AIM_DELTA_RATIO}×",
         sync["ratio"] < AIM_DELTA_RATIO),
        (f"cached routine offline, {CPU_THROTTLE}× CPU, median load", f"{offline_load:.0f} ms",
         f"< {AIM_OFFLINE_MEDIAN_MS:.0f} ms", offline_load < AIM_OFFLINE_MEDIAN_MS),
    ]:
        print(f"   {name:<50}{value:>10}  {aim:<10}{'met' if met else 'missed'}")
    print(f"   (kB = 1,000 bytes; whole run {seconds:.0f} s: writing the library {library['seconds']:.0f} s, "
          f"Chromium {opening['seconds']:.0f} s, waiting for a quiet library {sync['waited']:.0f} s, "
          f"first sync {sync['full_seconds']:.0f} s)")


def run(routine_count: int, page_count: int, sample: int, seed: int, trace_path: Path | None = None) -> None:
    started, load = time.perf_counter(), os.getloadavg()[0]
    rng = random.Random(seed)
    template = make_template()
    demo, library_app = app_from(template, "demo"), app_from(template, "library")
    try:
        library = add_central_routines(library_app, routine_count, rng)
        shell = measure_shell(demo)
        # Meanwhile the library grows quiet (see measure_sync).
        opening = measure_opening(demo, page_count, rng, trace_path)
        sync = measure_sync(library_app, library, sample, rng)
    finally:
        dispose(demo)
        dispose(library_app)
    opening["trace_path"] = trace_path
    report(shell, library, sync, opening, load, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routines", type=int, default=1500, help="routines visible to the staff member")
    parser.add_argument("--pages", type=int, default=15, help="routine pages opened per mode in Chromium")
    parser.add_argument("--first-sync-sample", type=int, default=150,
                        help="generated pages fetched to estimate a full first sync (all of them: exact)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trace", type=Path, help="also write a Chrome trace of one offline open here and sum it up")
    arguments = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the live server's access log
    try:
        run(arguments.routines, arguments.pages, arguments.first_sync_sample, arguments.seed,
            arguments.trace.resolve() if arguments.trace else None)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
