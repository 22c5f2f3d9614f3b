"""Search quality from the users' side: queries written as staff type them, server and phone search side by side.

Run: .venv/bin/python bench/search_quality.py [--verbose] [--queries bench/search_queries.tsv]
                                             [--postgres | --database-url URL] [--no-phone]
                                             [--split tune|held|held2|...|held8|all] [--no-wordlist]
                                             [--reader USER]

The set (bench/search_queries.tsv) has one row per query: the query, its kind (title, title_part, compound,
typo, everyday, question, mixed), the relevant routines (slugs, most relevant first, separated by "|") and
the split: `tune` may be looked at while tuning the search, `held` to `held8` may not (they
measure whether a change generalises). A held split that has once been used as a judge is spent and relabelled
`tune`; `held2` to `held8` are only run when named (--split held8, or --split all), never by default, so
tuning runs cannot see them. Figures for an
earlier labelling stay printable from that commit's set:
  git show COMMIT:bench/search_queries.tsv > /tmp/set.tsv
  .venv/bin/python bench/search_quality.py --queries /tmp/set.tsv
The demo data is seeded into a throwaway database; the server search is
app.routines.search.search_routines() for a reader who sees every unit; the phone search is the real
pwa/js/offline-routines.js (with pwa/js/search/) run under Node (bench/offline_search.mjs) over the records the
phone would store: the sync feed's entries (with the analysed terms the feed carries), the text of each routine
page's .routine-body as routines-sync.js takes it, and the feed's synonyms. Prints MRR@5 and hit@5 per side,
split and kind, empty result lists, and how often the phone's ordered top five equals the server's.
A bench, not a test: the exit code is 0.

--postgres starts a throwaway PostgreSQL on 127.0.0.1 (tests/servers.py); --database-url names a throwaway
PostgreSQL database on this machine (127.0.0.1 or localhost) whose tables are dropped.
Everything lives in a temporary folder that is removed afterwards; instance/ is never touched.
"""
import argparse
import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import throwaway  # bench/throwaway.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = ROOT / "bench" / "search_queries.tsv"
NODE_RUNNER = ROOT / "bench" / "offline_search.mjs"
KINDS = ["title", "title_part", "compound", "typo", "everyday", "question", "mixed"]
# The labels a row may carry; the tables add "all" over the rows run.
SPLITS = ["tune", "held", "held2", "held3", "held4", "held5", "held6", "held7", "held8"]
# Only when named, or with --split all.
UNSEEN_BY_DEFAULT = {"held2", "held3", "held4", "held5", "held6", "held7", "held8"}
TOP = 5
READER = "kvalitet"  # the demo user in the förvaltning: sees every unit's routines, on the server and the phone
BODY_TEXT_LIMIT = 20000  # pwa/js/routines-sync.js keeps this much of a routine's text on the phone


def load_queries(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t" if path.suffix == ".tsv" else ","))
    queries = []
    for number, row in enumerate(rows, start=2):
        relevant = [slug.strip() for slug in row["relevant"].split("|") if slug.strip()]
        if row["kind"] not in KINDS or row["split"] not in SPLITS or not relevant:
            raise SystemExit(f"{path}:{number}: bad row {row}")
        queries.append({"query": row["query"], "kind": row["kind"], "relevant": relevant, "split": row["split"]})
    return queries


# ---------------------------------------------------------------------------------------------
# Scoring


def reciprocal_rank(got: list[str], relevant: list[str]) -> float:
    for rank, slug in enumerate(got[:TOP], start=1):
        if slug in relevant:
            return 1 / rank
    return 0.0


def columns(queries: list[dict]) -> list[str]:
    """The splits present in this run, then "all"."""
    return [split for split in SPLITS if any(q["split"] == split for q in queries)] + ["all"]


def summarise(queries: list[dict], results: list[list[str]]) -> dict:
    """{split: {kind or "all": (n, MRR@5, hit@5, empty)}}."""
    table: dict = {}
    for split in columns(queries):
        groups = defaultdict(list)
        for query, got in zip(queries, results, strict=True):
            if split in ("all", query["split"]):
                groups[query["kind"]].append((query, got))
                groups["all"].append((query, got))
        table[split] = {}
        for kind, members in groups.items():
            ranks = [reciprocal_rank(got, query["relevant"]) for query, got in members]
            table[split][kind] = (len(members), sum(ranks) / len(ranks),
                                  sum(rank > 0 for rank in ranks) / len(ranks), sum(not got for _, got in members))
    return table


def print_table(title: str, table: dict) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<12}" + "".join(f"{split:>26}" for split in table))
    print(f"  {'':<12}" + "".join(f"{'n  MRR@5  hit@5  empty':>26}" for _ in table))
    for kind in [*KINDS, "all"]:
        cells = []
        for split in table:
            if kind in table[split]:
                n, mrr, hit, empty = table[split][kind]
                cells.append(f"{n:>3} {mrr:>6.2f} {hit:>6.0%} {empty:>6}")
            else:
                cells.append("-")
        print(f"  {kind:<12}" + "".join(f"{cell:>26}" for cell in cells))


def print_misses(name: str, queries: list[dict], results: list[list[str]]) -> None:
    misses = [(q, got) for q, got in zip(queries, results, strict=True) if reciprocal_rank(got, q["relevant"]) == 0]
    print(f"\n{name}: {len(misses)} misses (no relevant routine in the top {TOP})")
    for query, got in misses:
        print(f"  [{query['kind']}/{query['split']}] {query['query']!r}")
        print(f"      expected: {' | '.join(query['relevant'])}")
        print(f"      got:      {' | '.join(got[:TOP]) or '(nothing)'}")


def print_agreement(queries: list[dict], server: list[list[str]], phone: list[list[str]]) -> None:
    """How often the phone's ordered top five equals the server's; queries where both are empty counted apart."""
    print(f"\nPhone top {TOP} against server top {TOP}: the ordered lists of routines compared; queries where "
          "both sides are empty are counted apart and left out of the percentages")
    print(f"  {'split':<8}{'n':>5}{'both empty':>12}{'compared':>10}{'same list':>11}{'same set':>10}"
          f"{'same first':>12}{'one empty':>11}")
    for split in columns(queries):
        pairs = [(s[:TOP], p[:TOP]) for q, s, p in zip(queries, server, phone, strict=True)
                 if split in ("all", q["split"])]
        found = [(s, p) for s, p in pairs if s or p]
        if not found:
            print(f"  {split:<8}{len(pairs):>5}{len(pairs):>12}{0:>10}{'-':>11}{'-':>10}{'-':>12}{0:>11}")
            continue
        same_list = sum(s == p for s, p in found) / len(found)
        same_set = sum(set(s) == set(p) for s, p in found) / len(found)
        same_first = sum(s[:1] == p[:1] for s, p in found) / len(found)
        one_empty = sum(not s or not p for s, p in found)
        print(f"  {split:<8}{len(pairs):>5}{len(pairs) - len(found):>12}{len(found):>10}{same_list:>11.0%}"
              f"{same_set:>10.0%}{same_first:>12.0%}{one_empty:>11}")


def print_disagreements(queries: list[dict], server: list[list[str]], phone: list[list[str]]) -> None:
    different = [(q, s[:TOP], p[:TOP]) for q, s, p in zip(queries, server, phone, strict=True) if s[:TOP] != p[:TOP]]
    print(f"\nPhone and server differ on {len(different)} queries")
    for query, s, p in different:
        print(f"  [{query['kind']}/{query['split']}] {query['query']!r}")
        print(f"      server: {' | '.join(s) or '(nothing)'}")
        print(f"      phone:  {' | '.join(p) or '(nothing)'}")


# ---------------------------------------------------------------------------------------------
# The phone's input: the feed and the routine pages as routines-sync.js reads them


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class RoutineBodyText(HTMLParser):
    """The textContent of `article[data-routine] .routine-body` (the first one), as the phone's DOMParser gives it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_article = False
        self.depth = 0  # open elements inside .routine-body, itself included; 0 = outside
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article" and "data-routine" in attributes:
            self.in_article = True
        if self.done or tag in VOID_ELEMENTS:
            return
        if self.depth:
            self.depth += 1
        elif self.in_article and "routine-body" in (attributes.get("class") or "").split():
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth -= 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID_ELEMENTS:
            self.depth -= 1
            self.done = self.done or self.depth == 0

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join("".join(self.parts).split())[:BODY_TEXT_LIMIT]


def phone_records(client, reader: str = READER) -> tuple[list[dict], list[dict]]:
    """(routine records, synonyms) as the phone stores them after its first sync as `reader`."""
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"username": reader, "password": "demo", "csrf_token": token})
    if response.status_code not in (302, 303):
        raise SystemExit(f"login as {reader} failed: {response.status_code}")
    feed = client.get("/api/v1/routines/changes", headers={"Accept": "application/json"}).get_json()
    records = []
    for entry in feed["routines"]:
        page = client.get(entry["url"], headers={"X-Fickan-Sync": "1"})
        parser = RoutineBodyText()
        parser.feed(page.get_data(as_text=True))
        records.append({key: entry[key] for key in ("id", "slug", "title", "kind", "category", "version", "url",
                                                    "updated_at")}
                       | {"tags": entry.get("tags") or [], "text": parser.text(), "images": [],
                          "search": entry.get("search")})
    return records, feed.get("synonyms") or []


def run_phone(records: list[dict], synonyms: list[dict], queries: list[dict]) -> list[list[str]] | str:
    """The phone's ranking per query (slugs), or why it could not run."""
    node = shutil.which("node")
    if node is None:
        return "node is not on PATH"
    # The phone's search reads modules the build generates from the Python (pwa/constants.py).
    subprocess.run([sys.executable, "-m", "pwa.constants", str(ROOT / "pwa/js/generated/constants.js")],
                   check=True, cwd=ROOT)
    payload = json.dumps({"routines": records, "synonyms": synonyms, "queries": [q["query"] for q in queries]})
    done = subprocess.run([node, str(NODE_RUNNER)], input=payload, capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    if done.returncode != 0:
        return f"node exited with {done.returncode}: {done.stderr.strip()[-2000:]}"
    slug_of = {record["id"]: record["slug"] for record in records}
    return [[slug_of[routine_id] for routine_id in ids] for ids in json.loads(done.stdout)["results"]]


# ---------------------------------------------------------------------------------------------
# The server


def local_url(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"--database-url must name a database on this machine (127.0.0.1), not {host}")
    return url


def run(args, workdir: Path, database_url: str | None) -> None:
    from app import create_app
    from app.accounts.models import Unit
    from app.demo import seed_demo
    from app.extensions import db
    from app.routines.models import Routine
    from app.routines.search import search_routines

    queries = [q for q in load_queries(args.queries)
               if args.split in ("all", q["split"]) or (args.split is None and q["split"] not in UNSEEN_BY_DEFAULT)]
    if args.no_wordlist:
        from app.routines import search_index
        search_index.USE_WORDLIST = False
    app = create_app({
        "INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{workdir / 'bench.db'}",
        "JOB_QUEUE": "immediate", "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
    })
    with app.app_context():
        if database_url:
            db.drop_all()
        db.create_all()
        seed_demo()
        dialect = db.engine.dialect.name
        slug_of = dict(db.session.query(Routine.id, Routine.slug).all())
        known = set(slug_of.values())
        unknown = sorted({slug for q in queries for slug in q["relevant"]} - known)
        if unknown:
            raise SystemExit(f"slugs in the set that are not demo routines: {', '.join(unknown)}")
        units = {unit_id for (unit_id,) in db.session.query(Unit.id).all()}
        if args.reader != READER:
            from app.routines.services import visible_scope_ids
            from tests.routines.factories import user
            units = visible_scope_ids(user(args.reader))
        server = [[slug_of[hit.routine_id] for hit in search_routines(q["query"], units)] for q in queries]
        db.session.rollback()
    phone: list[list[str]] | str = "skipped (--no-phone)"
    records: list[dict] = []
    if not args.no_phone:
        with app.test_client() as client:
            records, synonyms = phone_records(client, args.reader)
        phone = run_phone(records, synonyms, queries)
    with app.app_context():
        if database_url:
            db.drop_all()
        db.session.remove()
        db.engine.dispose()

    counts = ", ".join(f"{sum(q['split'] == split for q in queries)} {split}" for split in columns(queries)[:-1])
    print(f"Fickan search quality — {len(queries)} queries ({counts}) over "
          f"{len(known)} demo routines; relevance judged by hand; MRR@{TOP} and hit@{TOP}")
    print_table(f"Server search (in-memory index on {'SQLite' if dialect == 'sqlite' else 'PostgreSQL'}, "
                f"{args.reader} sees {len(units)} units)", summarise(queries, server))
    if isinstance(phone, str):
        print(f"\nPhone search (pwa/js/offline-routines.js under Node): not run — {phone}")
    else:
        print_table(f"Phone search (pwa/js/offline-routines.js and pwa/js/search/ under Node, {len(records)} "
                    f"routines from the sync feed as {args.reader})", summarise(queries, phone))
        print_agreement(queries, server, phone)
        terms = sum(len(json.dumps(record["search"], ensure_ascii=False, separators=(",", ":")).encode())
                    for record in records)
        text = sum(len(record["text"].encode()) for record in records)
        print(f"\nOn the phone (IndexedDB, as JSON): the analysed terms {terms:,} bytes and the text {text:,} bytes "
              f"for {len(records)} routines; the word list (pwa/js/generated/lexicon.json) is "
              f"fetched after the first sync, not precached")
    if args.verbose:
        print_misses("Server", queries, server)
        if not isinstance(phone, str):
            print_misses("Phone", queries, phone)
            print_disagreements(queries, server, phone)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="the query set (TSV or CSV)")
    parser.add_argument("--verbose", action="store_true", help="print every miss: query, expected, top five")
    parser.add_argument("--no-phone", action="store_true", help="only the server search")
    parser.add_argument("--split", choices=[*SPLITS, "all"],
                        help="only this split's queries (tune with --split tune: held rows stay unseen); by default "
                             "every split but held2 to held8, which run only when named (or with all)")
    parser.add_argument("--reader", default=READER,
                        help="the demo user both sides search as (default: kvalitet, who sees every unit)")
    parser.add_argument("--no-wordlist", action="store_true",
                        help="split compounds with the library's own words only, not the Swedish word list")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help="run the server side on a throwaway PostgreSQL")
    where.add_argument("--database-url", help="a throwaway PostgreSQL database on 127.0.0.1 (its tables are dropped)")
    try:
        args = parser.parse_args()
    except SystemExit:  # --help, or a usage error already explained
        sys.exit(0)

    workdir = Path(tempfile.mkdtemp(prefix="fickan-bench-quality-"))
    # Before the app is imported: the job queue would otherwise open its database under instance/.
    os.environ["FICKAN_INSTANCE_PATH"] = str(workdir / "instance")
    os.environ["FICKAN_QUEUE"] = "immediate"
    sys.path.insert(0, str(ROOT))
    try:
        with contextlib.ExitStack() as stack:
            given = local_url(args.database_url) if args.database_url else None
            database_url = throwaway.database_url(stack, given, args.postgres, "quality")
            run(args, workdir, database_url)
    except SystemExit as stop:
        print(stop, file=sys.stderr)
    except Exception:  # a bench reports, it does not fail the build
        traceback.print_exc()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
