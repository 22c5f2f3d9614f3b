"""Plain words: law abbreviations after a plain label, no "Sort", writing help in words, one word (brukare) for
the person receiving care on every page a user sees."""
import re

import pytest

from app.reports import rules
from tests.reports.factories import ReportApi, payload


def test_the_deviation_kinds_say_what_they_are_before_the_law():
    assert rules.KIND_LABELS[rules.ReportKind.DEVIATION_SOL] == "Avvikelse i omsorgen (SoL)"
    assert rules.KIND_LABELS[rules.ReportKind.DEVIATION_LSS] == "Avvikelse i stöd och service (LSS)"
    assert rules.KIND_LABELS[rules.ReportKind.DEVIATION_HSL] == "Avvikelse i vården (HSL)"
    for label in rules.KIND_LABELS.values():
        assert not re.match(r"^[A-ZÅÄÖ]{2,}\b", label), label  # never an abbreviation first


def test_the_routine_form_says_typ_av_dokument_and_explains_writing_in_words(client, auth):
    auth.login_as_role("quality")
    html = client.get("/rutiner/ny").get_data(as_text=True)
    assert ">Typ av dokument</label>" in html and ">Sort<" not in html
    assert "Markdown" not in html
    help_text = re.search(r"<details class=\"writing-help\" data-writing-help>.*?</details>", html, re.S).group(0)
    for words in ("En <strong>rubrik</strong>: börja raden med två brädgårdar", "<strong>Steg i ordning</strong>",
                  "<strong>checklista</strong>", "<strong>länk till en annan rutin</strong>"):
        assert words in help_text


def test_the_unit_form_says_typ_av_enhet(client, auth):
    auth.login_as_role("admin")
    html = client.get("/admin/enheter").get_data(as_text=True)
    assert ">Typ av enhet</label>" in html and ">Sort<" not in html


PAGES = {
    "staff": ["/", "/rutiner", "/rapportera", "/rapportera/mina", "/meddelanden"],
    "manager": ["/rapporter", "/statistik", "/statistik/larande", "/rutiner/hantera", "/rapporter/regler"],
    "quality": ["/rapporter", "/rutiner/ny"],
}


@pytest.mark.parametrize(("role", "path"), [(role, path) for role, paths in PAGES.items() for path in paths])
def test_the_person_receiving_care_is_called_brukare_never_kund(client, auth, role, path):
    auth.login_as_role(role)
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r"\b[Kk]und(en|er|erna|ens)?\b", html), path


def test_the_report_page_explains_the_authorities_and_mas(app):
    sent = ReportApi(app.test_client()).login("usk.nord").send(payload(
        text="Brukaren föll och slog i huvudet.", affected=["client"], harm="injury", topics=["fall"]))
    html = ReportApi(app.test_client()).login("chef.nord").get(f"/rapporter/{sent.get_json()['uuid']}").get_data(
        as_text=True)
    assert "Inspektionen för vård och omsorg (IVO)" in html
    assert "MAS (medicinskt ansvarig sjuksköterska)" in html
