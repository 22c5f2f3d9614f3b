"""Search latency: 5,000 generated routines, 1,000 mixed queries; p50/p95/max against an indexed slug lookup.

Run: .venv/bin/python bench/search.py [--routines 5000] [--queries 1000] [--seed 7] [--postgres | --database-url URL]
Everything lives in a temporary folder that is removed afterwards; instance/ is never touched.
With --postgres (a throwaway server, tests/servers.py) or --database-url (a throwaway PostgreSQL database)
the same run measures on PostgreSQL. The first search builds the process's index (timed on its own).
"""
import argparse
import contextlib
import itertools
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

WORKDIR = Path(tempfile.mkdtemp(prefix="fickan-bench-search-"))
# Before the app is imported: the job queue would otherwise open its database under instance/.
os.environ["FICKAN_INSTANCE_PATH"] = str(WORKDIR / "instance")
os.environ["FICKAN_QUEUE"] = "immediate"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text, update  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import Unit, User  # noqa: E402
from app.extensions import db  # noqa: E402
from app.routines.models import Routine, RoutineVersion, Synonym  # noqa: E402
from app.routines.folding import fold  # noqa: E402
from app.routines.search import index_routine, search_routines  # noqa: E402
from app.routines.search_index import current_index  # noqa: E402
from app.timestamps import utcnow  # noqa: E402

import throwaway  # noqa: E402  (bench/throwaway.py, beside this file)

AIM_P95_MS = 20.0

# Compounds are made of these, as Swedish care texts make them ("läkemedels" + "hantering").
FIRST_PARTS = [
    "läkemedel", "hygien", "hand", "fall", "tryck", "nutrition", "mun", "brand", "nyckel", "larm",
    "dokumentation", "avvikelse", "sår", "kateter", "insulin", "stomi", "demens", "smärt", "sömn", "vikt",
    "hjälpmedel", "förflyttning", "dusch", "kost", "vätske", "blodsocker", "hud", "palliativ", "besök",
    "signering", "delegering", "journal", "sekretess", "hot", "våld", "smitt", "vaccin", "skydd", "arbets",
    "natt", "kvälls", "morgon", "trygghets", "mat", "tvätt", "städ", "inköp", "rehabilitering", "syn",
    "hörsel", "inkontinens", "lyft", "säng", "rullstol", "dosett", "ordination", "vård", "omsorg", "anhörig",
    "dödsfall", "värdighet", "genomförande", "social", "tand", "fot", "nagel", "ögon", "andning", "syrgas",
]
SECOND_PARTS = [
    "hantering", "rutin", "plan", "bedömning", "prevention", "kontroll", "lista", "ansvar", "utrustning",
    "skydd", "vård", "rapport", "byte", "mätning", "risk", "åtgärd", "uppföljning", "instruktion", "förråd",
    "kedja", "tid", "registrering", "journal", "behandling", "stöd", "träning", "hygien", "larm", "ordning",
    "samtal", "team", "överlämning", "dokumentation", "schema", "besök", "avvikelse", "insats",
]
CARE_WORDS = [
    "brukaren", "brukarens", "personalen", "sjuksköterska", "sjuksköterskan", "undersköterska", "enhetschef",
    "läkare", "anhöriga", "hemmet", "bostaden", "kontakta", "dokumentera", "meddela", "kontrollera", "tvätta",
    "använd", "handskar", "förkläde", "munskydd", "ansvarig", "journalen", "signera", "ordinerade", "dosen",
    "tabletter", "salva", "omläggning", "förband", "blöja", "madrass", "vändschema", "kudde", "rullator",
    "lyftsele", "trygghetslarmet", "nyckeln", "nyckelskåpet", "matlådan", "måltiden", "vätskan", "vikten",
    "blodtrycket", "febern", "infektion", "smittrisk", "hosta", "diarré", "kräkning", "yrsel", "oro",
    "förvirring", "smärta", "sömnlöshet", "ensamhet", "brand", "rökning", "spis", "brandvarnare",
]
FUNCTION_WORDS = [
    "och", "att", "i", "på", "för", "med", "som", "ska", "vid", "när", "om", "inte", "alltid", "efter",
    "innan", "varje", "dag", "vecka", "av", "till", "det", "den", "en", "ett", "är", "har", "kan", "du",
    "vi", "man", "också", "eller", "så", "samt", "enligt", "under", "genom", "direkt", "sedan",
]
CONTEXTS = ["i hemtjänst", "i ordinärt boende", "på natten", "i särskilt boende", "vid hembesök",
            "för undersköterskor", "i hemsjukvården", "vid delegering", "i korttidsboende"]
SYLLABLES = ["ba", "be", "bo", "da", "de", "do", "fa", "fe", "ga", "gö", "ha", "he", "ja", "ka", "kä", "la", "le",
             "lå", "ma", "me", "mö", "na", "ne", "ny", "pa", "pe", "ra", "re", "rö", "sa", "se", "sjö", "sk", "st",
             "ta", "te", "tö", "va", "ve", "vä", "ar", "er", "en", "et", "ing", "ning", "lig", "het", "skap"]
EVERYDAY_SYNONYMS = {
    "medicin": "läkemedel", "mediciner": "läkemedel", "piller": "läkemedel, tabletter", "ramla": "fall",
    "ramlat": "fall", "trilla": "fall", "liggsår": "trycksår", "tvätta": "hygien", "sprit": "handdesinfektion",
    "tänder": "munvård, tandvård", "mat": "nutrition, kost", "slå": "våld", "hota": "hot", "dog": "dödsfall",
    "blöja": "inkontinens", "kiss": "inkontinens", "lyftkran": "lyft", "rullstol": "förflyttning",
    "sjuk": "smitta, infektion", "feber": "infektion", "ont": "smärta", "glömsk": "demens",
    "sova": "sömn", "vatten": "vätske", "vikten": "vikt", "ögondroppar": "ögon", "syre": "syrgas",
}


def make_pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Swedish-looking filler words, so the vocabulary is as large as a real library's."""
    words: set[str] = set()
    for _ in range(count * 3):
        if len(words) >= count:
            break
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def make_compounds() -> list[str]:
    compounds = []
    for first in FIRST_PARTS:
        for second in SECOND_PARTS:
            if first != second:
                joint = "s" if first.endswith(("ning", "tion", "het", "medel", "vård")) else ""
                compounds.append(first + joint + second)
    return compounds


class Corpus:
    """Generated routine text: words in a Zipf spread (a few very common, most rare), plus each routine's topic."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.compounds = make_compounds()
        self.pseudo = make_pseudo_words(rng, 4000)
        self.common = CARE_WORDS + FIRST_PARTS + SECOND_PARTS
        rest = self.common + self.compounds + self.pseudo
        rng.shuffle(rest)
        self.ranked = FUNCTION_WORDS + rest
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(self.ranked))))

    def sentence(self, topic: list[str]) -> str:
        words = self.rng.choices(self.ranked, cum_weights=self.cumulative, k=self.rng.randint(6, 16))
        for _ in range(self.rng.randint(0, 2)):
            words.insert(self.rng.randrange(1, len(words)), self.rng.choice(topic))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def routine(self) -> tuple[str, list[str], str]:
        """Title, tags and Markdown body about one topic."""
        first, second = self.rng.choice(FIRST_PARTS), self.rng.choice(SECOND_PARTS)
        compound = first + ("s" if first.endswith(("ning", "tion", "het", "medel", "vård")) else "") + second
        other = self.rng.choice(self.compounds)
        topic = [compound, first, second, other, *self.rng.sample(CARE_WORDS, 3)]
        title = self.rng.choice([f"{compound.capitalize()} {self.rng.choice(CONTEXTS)}", f"Rutin för {compound}",
                                 f"{compound.capitalize()} och {other}", f"Checklista: {compound}",
                                 compound.capitalize()])
        tags = [first, second, *self.rng.sample(self.compounds, self.rng.randint(0, 2))]
        sections = []
        for heading in self.rng.sample(["Syfte", "Ansvar", "Gör så här", "Tänk på", "Dokumentation",
                                        "Om något går fel", "Bakgrund"], self.rng.randint(2, 4)):
            paragraph = " ".join(self.sentence(topic) for _ in range(self.rng.randint(2, 5)))
            items = "\n".join(f"- {self.sentence(topic)}" for _ in range(self.rng.randint(0, 4)))
            sections.append(f"## {heading}\n\n{paragraph}\n\n{items}")
        return title, tags, "\n\n".join(sections)


def make_units() -> tuple[list[int], list[int]]:
    """A förvaltning, 4 områden with 6 enheter each; returns (all unit ids, one staff member's visible ids)."""
    top = Unit(name="Bench förvaltning", kind="forvaltning")
    db.session.add(top)
    db.session.flush()
    ids, visible = [top.id], []
    for district_number in range(4):
        district = Unit(name=f"Bench område {district_number}", kind="omrade", parent_id=top.id)
        db.session.add(district)
        db.session.flush()
        ids.append(district.id)
        for unit_number in range(6):
            unit = Unit(name=f"Bench enhet {district_number}.{unit_number}", kind="enhet", parent_id=district.id)
            db.session.add(unit)
            db.session.flush()
            ids.append(unit.id)
            if district_number == 0 and unit_number == 0:
                visible = [top.id, district.id, unit.id]
    return ids, visible


def generate(routine_count: int, rng: random.Random) -> dict:
    """Units, an owner, routines with one published version each (a few archived or unpublished), synonyms."""
    corpus = Corpus(rng)
    unit_ids, visible = make_units()
    owner = User(username="bench.owner", display_name="Bench", role="quality", password_hash="-")
    db.session.add(owner)
    db.session.flush()
    now = utcnow()
    slugs, archived, unpublished, documents = [], 0, 0, []
    for number in range(routine_count):
        title, tags, body = corpus.routine()
        slug = f"{fold(title).replace(' ', '-').replace(':', '')[:100]}-{number}"
        scope = None if rng.random() < 0.4 else rng.choice(unit_ids)
        is_archived, is_unpublished = rng.random() < 0.03, rng.random() < 0.02
        archived += is_archived
        unpublished += is_unpublished
        slugs.append(slug)
        documents.append({"slug": slug, "title": title, "tags": tags, "body": body,
                          "scope": scope, "archived": is_archived, "unpublished": is_unpublished})
    db.session.execute(insert(Routine), [
        {"slug": d["slug"], "kind": "rutin", "category": "Bench", "scope_unit_id": d["scope"], "owner_id": owner.id,
         "review_due_on": date(2030, 1, 1), "archived_at": now if d["archived"] else None,
         "created_at": now, "changed_at": now} for d in documents])
    routine_ids = dict(db.session.execute(text("SELECT slug, id FROM routines WHERE category = 'Bench'")).all())
    db.session.execute(insert(RoutineVersion), [
        {"routine_id": routine_ids[d["slug"]], "number": None if d["unpublished"] else 1,
         "status": "draft" if d["unpublished"] else "published", "title": d["title"], "tags": d["tags"],
         "body_md": d["body"], "author_id": owner.id, "created_at": now} for d in documents])
    version_ids = dict(db.session.execute(text(
        "SELECT routine_id, id FROM routine_versions WHERE status = 'published'")).all())
    db.session.execute(update(Routine), [{"id": routine_id, "current_version_id": version_id}
                                         for routine_id, version_id in version_ids.items()])
    for count, d in enumerate(documents, start=1):
        if not d["unpublished"]:
            index_routine(routine_ids[d["slug"]], d["title"], d["tags"], d["body"])
        if count % 500 == 0:
            db.session.commit()
    synonyms = dict(EVERYDAY_SYNONYMS)
    for pseudo in corpus.pseudo[-400:]:
        if len(synonyms) >= 300:
            break
        synonyms.setdefault(pseudo, ", ".join(rng.sample(FIRST_PARTS + corpus.compounds, rng.randint(1, 3))))
    db.session.add_all(Synonym(word=word, means=means) for word, means in synonyms.items())
    db.session.commit()
    return {"corpus": corpus, "slugs": slugs, "visible": visible, "synonyms": synonyms,
            "archived": archived, "unpublished": unpublished, "units": len(unit_ids)}


def with_typo(rng: random.Random, word: str) -> str:
    """One random edit (two for long words, sometimes): dropped, doubled, swapped or wrong letter."""
    for _ in range(2 if len(word) >= 9 and rng.random() < 0.3 else 1):
        position = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            word = word[:position] + word[position + 1:]
        elif kind == 1:
            word = word[:position] + word[position] + word[position:]
        elif kind == 2:
            word = word[:position - 1] + word[position] + word[position - 1] + word[position + 1:]
        else:
            word = word[:position] + rng.choice("aeiounrstl") + word[position + 1:]
    return word


def make_queries(count: int, rng: random.Random, corpus: Corpus, synonyms: dict) -> list[tuple[str, str]]:
    """(kind, query) pairs: plain words, compound parts, missing diacritics, typos, synonyms, two words."""
    with_diacritics = [w for w in corpus.common + corpus.compounds if fold(w) != w]
    long_words = [w for w in corpus.common + corpus.compounds if len(w) >= 5]
    kinds = {
        "plain": lambda: rng.choice(corpus.common + corpus.compounds + corpus.pseudo[:300]),
        "compound part": lambda: rng.choice(SECOND_PARTS + FIRST_PARTS),
        "no diacritics": lambda: fold(rng.choice(with_diacritics)),
        "typo": lambda: with_typo(rng, rng.choice(long_words)),
        "synonym": lambda: rng.choice(list(synonyms)),
        "two words": lambda: f"{rng.choice(FIRST_PARTS + CARE_WORDS)} {rng.choice(SECOND_PARTS + CARE_WORDS)}",
    }
    names = list(kinds)
    return [(name, kinds[name]()) for name in (names[i % len(names)] for i in range(count))]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(function, *args) -> tuple[float, float, object]:
    """Wall-clock and CPU milliseconds of one call (CPU shows the cost when other work shares the machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result


def database_description() -> str:
    if db.engine.dialect.name == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (in-memory index)"
    version = db.session.execute(text("SHOW server_version")).scalar()
    return f"PostgreSQL {version} (in-memory index)"


def lookup_plan() -> str:
    explain = "EXPLAIN QUERY PLAN" if db.engine.dialect.name == "sqlite" else "EXPLAIN"
    row = db.session.execute(text(f"{explain} SELECT id, slug FROM routines WHERE slug = 'x'")).first()
    return str(row[-1]).strip()


def run(routine_count: int, query_count: int, seed: int, database_url: str | None) -> None:
    rng = random.Random(seed)
    app = create_app({"INSTANCE_PATH": str(WORKDIR / "instance"), "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING",
                      "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{WORKDIR / 'bench.db'}"})
    with app.app_context():
        if database_url:
            db.drop_all()
        db.create_all()
        setup_ms, _, data = timed(generate, routine_count, rng)
        visible = set(data["visible"])
        index_ms, _, index = timed(current_index)
        vocabulary_ms, _, words = timed(index.vocabulary)
        queries = make_queries(query_count, rng, data["corpus"], data["synonyms"])
        for _, query in queries[:20]:  # warm the caches; not measured
            search_routines(query, visible)

        wall: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        found: dict[str, int] = {}
        for kind, query in queries:
            elapsed, used, hits = timed(search_routines, query, visible)
            wall.setdefault(kind, []).append(elapsed)
            cpu.setdefault(kind, []).append(used)
            found[kind] = found.get(kind, 0) + bool(hits)
        lookup = text("SELECT id, slug FROM routines WHERE slug = :slug")
        baseline = [timed(lambda slug: db.session.execute(lookup, {"slug": slug}).all(), rng.choice(data["slugs"]))
                    for _ in range(query_count)]
        description, plan = database_description(), lookup_plan()
        db.session.rollback()
        if database_url:
            db.drop_all()
        db.engine.dispose()
    report(locals())


def report(r: dict) -> None:
    data, wall, cpu, found, words = r["data"], r["wall"], r["cpu"], r["found"], r["words"]
    every = [t for values in wall.values() for t in values]
    every_cpu = [t for values in cpu.values() for t in values]
    baseline = [t for t, _, _ in r["baseline"]]
    baseline_cpu = [t for _, t, _ in r["baseline"]]
    p95, baseline_p95 = percentile(every, 0.95), percentile(baseline, 0.95)
    print(f"Fickan search bench — {r['description']}, seed {r['seed']}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  {r['routine_count']} routines ({data['archived']} archived, {data['unpublished']} unpublished), "
          f"{data['units']} units, {len(data['synonyms'])} synonyms; typo vocabulary "
          f"{len(words.frequency)} words + {len(words.part_frequency)} compound parts")
    print(f"  set-up (generate + index): {r['setup_ms'] / 1000:.1f} s; in-memory index build: {r['index_ms']:.0f} ms, "
          f"typo vocabulary: {r['vocabulary_ms']:.0f} ms (once per process; a changed routine is re-read alone)")
    print(f"  visible units: {len(r['visible'])} of {data['units']} (one staff member's enhet, område, förvaltning); "
          f"limit 20; wall-clock ms (CPU ms of this process in brackets)")
    print()
    print(f"  {'queries':<15}{'n':>5}{'p50':>16}{'p95':>16}{'max':>16}{'found':>7}")

    def row(name, values, cpu_values, hits=None, digits=2):
        cells = [f"{percentile(values, q):.{digits}f} ({percentile(cpu_values, q):.{digits}f})" for q in (0.5, 0.95)]
        cells.append(f"{max(values):.{digits}f} ({max(cpu_values):.{digits}f})")
        share = "" if hits is None else f"{hits / len(values):.0%}"
        print(f"  {name:<15}{len(values):>5}" + "".join(f"{c:>16}" for c in cells) + f"{share:>7}")

    for kind in wall:
        row(kind, wall[kind], cpu[kind], found[kind])
    row("all", every, every_cpu, sum(found.values()))
    row("baseline", baseline, baseline_cpu, digits=3)
    print(f"  baseline: SELECT id, slug FROM routines WHERE slug = ?  ({r['plan']})")
    print()
    print(f"  p95 search / p95 baseline: {p95 / baseline_p95:.0f}× "
          f"(CPU: {percentile(every_cpu, 0.95) / percentile(baseline_cpu, 0.95):.0f}×)")
    print(f"  aim p95 < {AIM_P95_MS:.0f} ms: {'met' if p95 < AIM_P95_MS else 'NOT met'} "
          f"(wall p95 {p95:.2f} ms, CPU p95 {percentile(every_cpu, 0.95):.2f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--routines", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="a THROWAWAY PostgreSQL database (its tables are dropped); "
                                              "default: a temporary SQLite file")
    where.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL for the run")
    try:
        # Inside: --help and a bad argument exit here, and the temporary folder must go then too.
        arguments = parser.parse_args()
        with contextlib.ExitStack() as stack:
            url = throwaway.database_url(stack, arguments.database_url, arguments.postgres, "search")
            run(arguments.routines, arguments.queries, arguments.seed, url)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
