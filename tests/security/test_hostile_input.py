"""Input made to hurt: a huge search word, huge images, a flood of reports, deep JSON, dates at the end of time."""
import time
import tracemalloc

import pytest

from app.routines import search
from app.routines.typos import MAX_WORD_LENGTH, Vocabulary
from tests.conftest import USER_OF_ROLE

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
