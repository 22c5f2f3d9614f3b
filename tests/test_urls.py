"""path_for: the paths url_for builds, the same in a request, in a job and in a CLI command."""
import pytest
from flask import has_request_context, url_for

from app.urls import path_for, path_maker

REPORT_UUID = "6a1f6b6e-2a5c-4d6b-9a3e-0f1e2d3c4b5a"

# The paths services stored and pushed as literals before they were built from the URL map.
STORED_PATHS = [
    ("routines.show", {"slug": "munvard-pa-kvallen"}, "/rutiner/munvard-pa-kvallen"),
    ("reports.mine", {}, "/rapportera/mina"),
    ("reports.handle", {"report_uuid": REPORT_UUID}, f"/rapporter/{REPORT_UUID}"),
    ("reports.handle", {"report_uuid": REPORT_UUID, "_anchor": "atgarder"}, f"/rapporter/{REPORT_UUID}#atgarder"),
    ("notices.show", {"item_id": 42}, "/meddelanden/42"),
    ("notices.settings", {}, "/meddelanden/installningar"),
]


@pytest.mark.parametrize(("endpoint", "values", "path"), STORED_PATHS)
def test_outside_a_request_the_path_is_the_one_services_stored_before(app, endpoint, values, path):
    with app.app_context():
        assert path_for(endpoint, **values) == path


@pytest.mark.parametrize(("endpoint", "values", "path"), STORED_PATHS)
def test_in_a_request_the_path_is_url_for_s(app, endpoint, values, path):
    with app.test_request_context("/rapporter"):
        assert path_for(endpoint, **values) == url_for(endpoint, **values) == path


def test_a_path_built_outside_a_request_leaves_no_request_behind(app):
    with app.app_context():
        path_for("reports.mine")
        assert not has_request_context()


@pytest.mark.parametrize("item_id", [1, 7, 42, 2**31 - 2, 2**31 - 1])
def test_a_path_maker_gives_url_for_s_path_for_every_id(app, item_id):
    with app.test_request_context("/"):
        assert path_maker("notices.show", "item_id")(item_id) == url_for("notices.show", item_id=item_id)
