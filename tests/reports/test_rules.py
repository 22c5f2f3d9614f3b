"""The classification table and the personal identity number detector, row by row."""
import pytest

from app.reports import rules
from app.reports.rules import CLASSIFICATION, ReportKind as K, classify

# (what happened, affected, harm, topics, the kinds suggested): one or more scenarios per row of the table.
SCENARIOS = [
    ("wrong tablets given, no harm seen", ["client"], "none", ["medication"], [K.DEVIATION_HSL]),
    ("wrong tablets, the client could have been hurt", ["client"], "risk", ["medication"],
     [K.DEVIATION_HSL, K.LEX_MARIA]),
    ("client fell and broke a hip", ["client"], "injury", ["fall"], [K.DEVIATION_HSL, K.LEX_MARIA]),
    ("pressure sore from missed turning", ["client"], "injury", ["care"],
     [K.DEVIATION_SOL, K.DEVIATION_HSL, K.LEX_SARAH, K.LEX_MARIA]),
    ("the visit was forgotten, nobody hurt", ["client"], "none", ["other"], [K.DEVIATION_SOL]),
    ("forgotten visit left the client without food", ["client"], "risk", ["other"], [K.DEVIATION_SOL, K.LEX_SARAH]),
    ("a colleague shouted at a client", ["client"], "none", ["threat_violence"], [K.DEVIATION_SOL, K.LEX_SARAH]),
    ("a client hit me and the client next door saw it", ["client", "staff"], "none", ["threat_violence"],
     [K.DEVIATION_SOL, K.LEX_SARAH, K.WORK_NEAR_MISS]),
    ("a relative complains about late visits", ["client"], "none", ["complaint"], [K.DEVIATION_SOL, K.COMPLAINT]),
    ("a relative suggests better key handling", [], "unknown", ["complaint"], [K.COMPLAINT]),
    ("I cut my hand on a broken glass", ["staff"], "injury", ["work_environment"], [K.WORK_INJURY]),
    ("I nearly slipped on an icy stair", ["staff"], "risk", ["work_environment"], [K.WORK_NEAR_MISS]),
    ("a client's dog bit me", ["staff"], "injury", ["threat_violence"], [K.WORK_INJURY]),
    ("a client threatened me", ["staff"], "none", ["threat_violence"], [K.WORK_NEAR_MISS]),
    ("a loose rug in the hall, nobody hurt yet", ["nobody"], "risk", ["work_environment"], [K.WORK_NEAR_MISS]),
    ("a neighbour tripped over our equipment", ["other"], "injury", ["work_environment"], [K.WORK_INJURY]),
    ("the key list was left in the car", ["nobody"], "risk", ["information"], [K.INFORMATION_SECURITY]),
    ("a care plan was sent to the wrong relative", ["client"], "none", ["information"],
     [K.DEVIATION_SOL, K.INFORMATION_SECURITY]),
    ("nothing more said than the text", [], "unknown", [], [K.DEVIATION_SOL]),
]


@pytest.mark.parametrize(("affected", "harm", "topics", "expected"), [scenario[1:] for scenario in SCENARIOS],
                         ids=[scenario[0] for scenario in SCENARIOS])
def test_each_scenario_gets_its_kinds(affected, harm, topics, expected):
    assert classify(affected, harm, topics) == expected


def example_answers(row: rules.Rule) -> tuple[set, str, set]:
    """The smallest answers that meet every condition of the row."""
    affected = {sorted(row.affected)[0]} if row.affected else set()
    harm = sorted(row.harm)[0] if row.harm else "unknown"
    topics = {sorted(row.topics)[0]} if row.topics else set()
    return affected, harm, topics


@pytest.mark.parametrize("row", CLASSIFICATION, ids=[row.name for row in CLASSIFICATION])
def test_every_row_suggests_its_kinds_when_its_conditions_hold(row):
    affected, harm, topics = example_answers(row)
    assert row.matches(affected, harm, topics)
    assert set(row.kinds) <= set(classify(affected, harm, topics))


@pytest.mark.parametrize("row", CLASSIFICATION, ids=[row.name for row in CLASSIFICATION])
def test_every_row_stays_silent_when_a_condition_fails(row):
    affected, harm, topics = example_answers(row)
    if row.affected:
        assert not row.matches(set(rules.Affected) - row.affected, harm, topics)
    if row.harm:
        assert not row.matches(affected, next(iter(set(rules.Harm) - row.harm)), topics)
    if row.topics:
        assert not row.matches(affected, harm, set(rules.Topic) - row.topics)


@pytest.mark.parametrize("row", CLASSIFICATION, ids=[row.name for row in CLASSIFICATION])
def test_every_row_is_exercised_by_a_scenario(row):
    assert any(row.matches(set(affected), harm, set(topics)) for _name, affected, harm, topics, *_ in SCENARIOS)


def test_every_row_has_a_reason_and_a_unique_name():
    assert len({row.name for row in CLASSIFICATION}) == len(CLASSIFICATION)
    assert all(row.why and row.kinds for row in CLASSIFICATION)


def test_every_kind_has_a_label_and_lex_sarah_and_maria_are_urgent():
    assert set(rules.KIND_LABELS) == set(rules.ReportKind)
    assert rules.URGENT_KINDS == {K.LEX_SARAH, K.LEX_MARIA}


def test_a_report_with_no_answers_is_still_a_deviation():
    assert classify([], "unknown", []) == list(rules.FALLBACK_KINDS)


# Personal identity numbers. 19121212-1212 is the Tax Agency's test person (Tolvan Tolvansson).

@pytest.mark.parametrize("text", [
    "19121212-1212", "121212-1212", "121212+1212", "1212121212", "191212121212", "20121212 1212",
    "Brukaren 121212-1212 ramlade", "pnr:19121212-1212.", "19121272-1219",  # a samordningsnummer (day + 60)
])
def test_personal_numbers_are_found(text):
    assert rules.has_personal_number(text)


@pytest.mark.parametrize("text", [
    "19121212-1213",  # the check digit is wrong
    "121312-1212",  # no 13th month
    "ring 070-123 45 67", "0701234567", "Larmet kom 2026-11-23 kl 14.05", "12345678901234",
    "Rum 1212", "Kod 121212", "",
])
def test_other_numbers_are_not_taken_for_personal_numbers(text):
    assert not rules.has_personal_number(text)


def test_personal_numbers_can_be_removed_from_a_text():
    text = "Brukaren (19121212-1212) och maken 121212-1212 var hemma."
    cleaned = rules.remove_personal_numbers(text)
    assert cleaned == "Brukaren ([personnummer borttaget]) och maken [personnummer borttaget] var hemma."
    assert not rules.has_personal_number(cleaned)


def test_the_luhn_check():
    assert rules.luhn_ok("8112189876") and not rules.luhn_ok("8112189875")


@pytest.mark.parametrize(("role", "user_id", "unit_id", "handled", "expected"), [
    ("staff", 1, 5, set(), True),  # the reporter
    ("staff", 2, 5, {5}, False),  # a colleague
    ("coordinator", 2, 5, {5}, False),
    ("manager", 2, 5, {5}, True),
    ("manager", 2, 5, {6}, False),  # another unit's manager
    ("quality", 2, 5, set(), True),
    ("admin", 2, 5, {5}, False),
    ("nurse", 2, 5, {5}, False),  # not an HSL report
])
def test_who_may_read_a_report(role, user_id, unit_id, handled, expected):
    assert rules.may_read(role, user_id, 1, unit_id, ["avvikelse_sol"], handled) is expected
