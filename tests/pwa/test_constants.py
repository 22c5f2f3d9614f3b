"""The phone's copy of what it shares with the server is generated from the server's constants and equals them."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.reports import rules as report_rules
from app.reports.services import WARNED_FIELDS
from app.routines import rules as routine_rules
from app.routines.routes import SYNC_FETCH_HEADER
from pwa.constants import javascript_module, shared_constants

JS_SOURCES = Path(__file__).resolve().parents[2] / "pwa" / "js"
BUILT_MODULE = JS_SOURCES / "generated" / "constants.js"

# Runs the generated module in Node and prints its exports, with each string run through the pattern.
READ_MODULE = """
const constants = await import(process.argv[1]);
const pattern = new RegExp(constants.PERSONAL_NUMBER_PATTERN, "g");
const samples = JSON.parse(process.argv[2]);
const spans = samples.map((text) => [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length]));
console.log(JSON.stringify({ exports: { ...constants }, spans }));
"""

# Numbers the pattern must find or pass over; the date and Luhn checks come after it, on both sides.
PATTERN_SAMPLES = [
    "Brukaren 19121212-1212 ramlade.", "Ring 070-123 45 67.", "121212+1212 och 201212121212",
    "Kod 1234-121212-1212", "Datum 2026-11-23 kl 10", "Samordningsnummer 701063-2391",
]


def run_module(tmp_path, samples: list[str]) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is needed for the front-end build and this test"
    module = tmp_path / "constants.mjs"
    module.write_text(javascript_module(shared_constants()), encoding="utf-8")
    result = subprocess.run([node, "--input-type=module", "-e", READ_MODULE, "--", str(module), json.dumps(samples)],
                            capture_output=True, text=True, check=True, timeout=30)
    return json.loads(result.stdout)


def test_the_generated_module_exports_the_server_constants(tmp_path):
    exports = run_module(tmp_path, [])["exports"]
    assert exports["MAX_PHOTOS"] == report_rules.MAX_PHOTOS
    assert exports["WARNED_FIELDS"] == list(WARNED_FIELDS)
    assert set(exports["RESERVED_SLUGS"]) == routine_rules.RESERVED_SLUGS
    assert exports["SYNC_FETCH_HEADER"] == SYNC_FETCH_HEADER
    assert exports["ROUTINE_KIND_LABELS"] == {str(kind): label for kind, label in routine_rules.KIND_LABELS.items()}
    assert exports["PERSONAL_NUMBER_REPLACEMENT"] == report_rules.PERSONAL_NUMBER_REPLACEMENT
    assert exports == shared_constants()


def test_the_personal_number_pattern_matches_the_same_text_in_javascript(tmp_path):
    spans = run_module(tmp_path, PATTERN_SAMPLES)["spans"]
    expected = [[list(match.span()) for match in report_rules.PERSONAL_NUMBER.finditer(text)]
                for text in PATTERN_SAMPLES]
    assert spans == expected and any(spans)


@pytest.mark.parametrize("name", sorted(shared_constants()))
def test_no_hand_written_script_keeps_its_own_copy(name):
    declaration = re.compile(rf"\b(const|let|var)\s+{name}\s*=")
    copies = [path.relative_to(JS_SOURCES) for path in JS_SOURCES.rglob("*.js")
              if "generated" not in path.parts and declaration.search(path.read_text(encoding="utf-8"))]
    assert copies == []


def test_the_built_module_is_current():
    if not BUILT_MODULE.exists():
        pytest.skip("the front end is not built (npm run build writes the module)")
    assert BUILT_MODULE.read_text(encoding="utf-8") == javascript_module(shared_constants())


def test_the_phones_word_list_carries_its_licence_and_credit(tmp_path):
    from pwa.constants import main as write_generated_modules

    write_generated_modules([str(tmp_path / "constants.js")])
    stored = json.loads((tmp_path / "lexicon.json").read_text(encoding="utf-8"))
    notice = stored["notice"]
    assert stored["lexicon"] and all(key.isdigit() for key in stored["lexicon"])
    assert "Robyn Speer" in notice and "CC BY-SA 4.0" in notice and "creativecommons.org/licenses/by-sa/4.0" in notice
