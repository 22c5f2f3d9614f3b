"""Input made to hurt: a huge search word, huge images, a flood of reports, deep JSON, dates at the end of time."""
import time
import tracemalloc

import pytest

from app.routines import search
from app.routines.typos import MAX_WORD_LENGTH, Vocabulary
from tests.conftest import USER_OF_ROLE
from tests.reports.factories import ReportApi, decompression_bomb, payload

LONG_WORD = "handhygien" * 400  # 4,000 letters, one word


@pytest.fixture
def search_ready(app):
    with app.app_context():
        search.search("handhygien", set())  # the index and the vocabulary are built once per process
        yield


def test_a_4000_letter_query_is_searched_quickly_in_little_memory(search_ready):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        search.search(LONG_WORD, set(), limit=30, nearest=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 4_000_000


def test_words_longer_than_any_word_of_the_library_are_not_corrected():
    vocabulary = Vocabulary(["handhygien"])
    assert vocabulary.corrections("handhygein") == ["handhygien"]
    assert vocabulary.corrections("a" * (MAX_WORD_LENGTH + 1)) == []
    assert vocabulary.nearest("b" * (MAX_WORD_LENGTH + 1)) is None


def test_the_search_page_answers_a_4000_letter_query(client, auth):
    auth.login(USER_OF_ROLE["staff"])
    started = time.perf_counter()
    response = client.get(f"/rutiner?q={LONG_WORD}")
    assert response.status_code == 200
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize("size", [(7000, 7000), (5001, 5001)])
def test_a_photo_over_25_million_pixels_is_refused_before_it_is_decoded(client, size):
    api = ReportApi(client).login(USER_OF_ROLE["staff"])
    response = api.send(payload(), photos=[decompression_bomb(*size)])
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "too_many_pixels"


@pytest.fixture
def three_reports_a_minute(app_config):
    app_config["REPORT_RATE_LIMIT_PER_USER"] = "3 per minute"


def test_reports_are_rate_limited_per_user_across_the_form_and_the_api(three_reports_a_minute, app, client):
    api = ReportApi(client).login(USER_OF_ROLE["staff"])
    assert [api.send(payload()).status_code for _ in range(2)] == [201, 201]
    form = {"csrf_token": api.token, "uuid": payload()["uuid"], "text": "Brukaren ramlade.", "personnummer": ""}
    assert client.post("/rapportera", data=form).status_code == 303
    refused = api.send(payload())
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    assert client.post("/rapportera", data=dict(form, uuid=payload()["uuid"])).status_code == 429
    other = ReportApi(app.test_client()).login("usk.syd")
    assert other.send(payload()).status_code == 201
