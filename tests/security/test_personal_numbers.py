"""A personal identity number is found however its parts are joined: other dashes, spaces, separators."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.reports import rules
from tests.conftest import USER_OF_ROLE
from tests.reports.factories import ReportApi, payload

PERSONAL_NUMBER_JS = Path(__file__).resolve().parents[2] / "pwa" / "js" / "outbox" / "personal-number.js"

# 19121212-1212 is the Tax Agency's test person; each row writes it another way.
WRITTEN = [
    "121212–1212",  # en dash
    "121212—1212",  # em dash
    "121212‐1212",  # Unicode hyphen
    "121212‑1212",  # non-breaking hyphen
    "121212−1212",  # minus sign
    "19121212－1212",  # full-width hyphen-minus
    "121212 1212",  # no-break space
    "121212 – 1212",
    "12 12 12-1212",
    "12-12-12-1212",
    "1912-12-12-1212",
    "1912.12.12 1212",
    "12/12/12-1212",
    "１２１２１２-１２１２",  # full-width digits
    "Brukaren 121212–1212 ramlade",
]
NOT_PERSONAL_NUMBERS = ["Larmet kom 2026-11-23 kl 14.05", "ring 070-123 45 67", "Kod 1234-121212-1212",
                        "121212–1213", "12 13 12-1212"]


@pytest.mark.parametrize("text", WRITTEN)
def test_a_personal_number_is_found_however_it_is_written(text):
    assert rules.has_personal_number(text)
    assert not rules.has_personal_number(rules.remove_personal_numbers(text))


@pytest.mark.parametrize("text", NOT_PERSONAL_NUMBERS)
def test_dates_phone_numbers_and_wrong_check_digits_are_not_personal_numbers(text):
    assert not rules.has_personal_number(text)


@pytest.mark.parametrize("reference", ["121212–1212", "12 12 12 1212", "1912-12-12-1212"])
def test_a_personal_number_as_client_reference_is_refused_however_it_is_written(client, reference):
    api = ReportApi(client).login(USER_OF_ROLE["staff"])
    response = api.send(payload(client_reference=reference))
    assert response.status_code == 422
    assert "client_reference" in response.get_json()["error"]["fields"]


def test_the_phone_finds_the_same_numbers(tmp_path):
    node = shutil.which("node")
    assert node, "Node.js is needed for the front-end build and this test"
    script = ("const m = await import(process.argv[1]); const texts = JSON.parse(process.argv[2]);"
              "console.log(JSON.stringify(texts.map((t) => [m.personalNumbersIn(t), m.withoutPersonalNumbers(t)])));")
    texts = WRITTEN + NOT_PERSONAL_NUMBERS
    arguments = ["--", str(PERSONAL_NUMBER_JS), json.dumps(texts)]
    result = subprocess.run([node, "--input-type=module", "-e", script, *arguments],
                            capture_output=True, text=True, check=True, timeout=30)
    found = [[text[start:end] for start, end in rules.find_personal_numbers(text)] for text in texts]
    expected = [[numbers, rules.remove_personal_numbers(text)] for numbers, text in zip(found, texts, strict=True)]
    assert json.loads(result.stdout) == expected
