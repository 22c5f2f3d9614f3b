"""The phone's search (pwa/js/search/, run in Node) analyses and ranks as the server's (app/routines/)."""
import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.accounts.models import Unit
from app.extensions import db
from app.routines import analysis, search
from app.routines.search_index import current_index, phone_documents
from app.routines.synonyms import Synonyms
from pwa.constants import main as write_generated_modules

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("search_port.mjs")

# Written for this test, the way staff type: questions, compounds, typos, everyday words, run-together words.
QUERIES = [
    "vad gör jag om brukaren har ramlat", "läkemedelshantering", "nyckelförlust", "insul", "hygienrutin",
    "brukaren dog", "bilpol", "lexmaria", "sjuksköterskan", "kissa", "handhygien", "vätskebalans", "hot och våld",
    "fallolycka på natten", "lågt blodsocker", "avvikelse", "larmet går inte", "tryksår", "Värmebölja",
    "basala hygienrutiner", "xyzzy qwerty", "ssk", "brand i köket", "nyckeln borta", "munvard", "läkemdel",
    "insulinpenna", "aggressiv brukare", "förflyttning", "dusch", "?", "a", "hur tvättar man protesen", "lift",
    "hur länge gäller delegeringen", "sväljproblem", "ringa sjuksyster", "passerbricka", "signering",
    "kommer hem från lasarettet", "försenad till brukaren", "strumppådragare", "zqxwvkpjbrandvarnaren", "trygghtslrmm",
    "ont i ryggen", "hänger i mungipan", "rapport till kvällen",
    "undernärd", "förvirring", "ordinerad", "ont i bröstet", "facebook bild", "dottern vill veta",
    "fota med egen telefon", "låsa in", "smittsam",
    # questions and second-language phrasing: phrases by their content words and as typed, question verbs,
    # a verb's own entry, a typo in a compound's second half, a synonym found by its parts
    "vem ringer jag när jag blir sen", "vad ska jag göra innan jag går in hos brukaren", "jag ny jobba här vad läsa",
    "vad säger jag på rapporten", "ringer", "ringa", "nattkamra", "nattlampn", "kanyl", "ffp2", "hjärtattack",
    "viltolycka", "besöken ställs in hela tiden", "körlistan ändrad",
    # compounds split by the library's and the thesaurus's own words; the coverage pass's abbreviations
    "protesborstning", "arbetsklädsbyte", "zqxwborstning", "uvi", "vb läkemedel", "gubben luktar illa", "apt",
    # a phrase inside a longer one found in the same words
    "hon vill inte ta sina tabletter vad gör jag", "han vill inte duscha",
    # a compound clipped to its first part and -is
    "stödisar", "stödis", "diabetis",
]
TEXTS = ["Läkemedelshantering – Hemvård Nord!", "Vad gör jag om brukaren har ramlat?", "ÅÄÖ åäö Ærø Straße İzmir",
         "nr 112, kl. 07:30 och 1 a", "hygien_rutin e-post", "Œuvre façade naïve"]


@pytest.fixture(scope="module")
def generated():
    write_generated_modules([str(ROOT / "pwa" / "js" / "generated" / "constants.js")])


def run_javascript(payload: dict) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is needed for the front-end build and this test"
    done = subprocess.run([node, str(RUNNER)], input=json.dumps(payload), capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def word_list() -> list[str]:
    with gzip.open(analysis.DATA / "words.txt.gz", "rt", encoding="utf-8") as handle:
        return [line.split("\t", 1)[0] for line in handle]


def test_stems_equal_python_on_the_whole_swedish_word_list(generated):
    words = [*word_list(), "sjuksköterskan", "läkemedlen", "högst", "bröst", "fullt", "biets", "å", "12", "ab"]
    got = run_javascript({"stems": words})["stems"]
    different = [(word, analysis.stem(word), js) for word, js in zip(words, got, strict=True)
                 if analysis.stem(word) != js]
    assert different == []


def test_word_class_roots_equal_python_on_the_whole_swedish_word_list(generated):
    stems = sorted({analysis.stem(word) for word in word_list()} | {"undernard", "ordination", "portion"})
    got = run_javascript({"roots": stems})["roots"]
    assert [(stem, analysis.root(stem), js) for stem, js in zip(stems, got, strict=True)
            if analysis.root(stem) != js] == []
    assert got[stems.index("undernard")] == analysis.root("undernaring") == "undernar"


def test_folding_and_content_words_equal_python(generated):
    got = run_javascript({"folds": TEXTS, "content": TEXTS + QUERIES})
    assert got["folds"] == [analysis.fold(text) for text in TEXTS]
    assert got["content"] == [analysis.content_words(text) for text in TEXTS + QUERIES]


def test_compound_splits_equal_python_against_the_word_list(generated):
    words = [*word_list()[::25], "nyckelforlust", "hygienrutin", "lakemedelshantering", "vatskebalans",
             "brukaren", "kateter", "sjukskoterska", "arbetsmiljo", "handhygien", "passerbricka", "signering",
             "tandprotesen", "protesen"]
    analyser = analysis.Analyser(analysis.wordlist_zipf())
    got = run_javascript({"terms": words})["terms"]
    expected = [[analyser.term(word).stem, list(analyser.term(word).parts), list(analyser.term(word).stems)]
                for word in words]
    assert [entry for entry, want in zip(got, expected, strict=True) if entry != want] == []
    assert got[len(words) - 13][:2] == ["nyckelforlust", ["nyckel", "forlust"]]
    assert got[-1][2] == [analysis.stem("protesen"), analysis.stem("protes")]


@pytest.mark.parametrize("nearest", [False, True])
def test_the_phone_ranks_the_demo_routines_as_the_server(app, generated, nearest):
    with app.app_context():
        index = current_index()
        documents = phone_documents(list(index.documents))
        rows = db.session.execute(db.text("SELECT word, means FROM search_synonyms ORDER BY id")).all()
        units = set(db.session.scalars(db.select(Unit.id)))
        expected = []
        for query in QUERIES:
            result = search.search(query, units, limit=20, nearest=nearest)
            expected.append({"ids": [hit.routine_id for hit in result.hits], "corrected": result.corrected,
                             "nearest": result.nearest})
        assert Synonyms.from_rows(rows).terms, "the demo data has synonyms"
    routines = [{"id": routine_id, "search": document} for routine_id, document in documents.items()]
    synonyms = [{"word": word, "means": means} for word, means in rows]
    got = run_javascript({"search": {"routines": routines, "synonyms": synonyms, "queries": QUERIES,
                                     "nearest": nearest}})["search"]
    assert [(query, g) for query, g, e in zip(QUERIES, got, expected, strict=True) if g != e] == []
    assert any(entry["ids"] for entry in got) and not got[QUERIES.index("?")]["ids"]
