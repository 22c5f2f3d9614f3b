"""Offline search answers as the server does: a question typed with no network finds the routine the server
finds, in the same order, and a search without an answer says so in plain Swedish.

The same order is asked of a reader who sees every unit: for one who sees fewer, the server weighs words by
the whole library (idf over every routine) and the phone by the routines it holds, so lower places may differ."""
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.test_offline import login_and_sync

QUESTION = "vad gör jag om brukaren har ramlat"


def titles(page: Page) -> list[str]:
    return page.locator("#sokresultat .list-title").all_inner_texts()


def test_a_question_typed_offline_finds_what_the_server_finds(page: Page):
    login_and_sync(page, "kvalitet")
    page.goto("/rutiner")
    page.get_by_label("Sök rutin").fill(QUESTION)
    expect(page.locator("#sokresultat")).to_contain_text(f"på ”{QUESTION}”")
    expect(page.locator("#sokresultat .list-title").first).to_be_visible()
    online = titles(page)
    assert "fall" in online[0].lower()

    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Sök rutin").fill(QUESTION)
    expect(page.locator("#sokresultat")).to_contain_text("bland rutinerna på telefonen")
    assert titles(page) == online
    expect(page.locator("#sokresultat mark").first).to_be_visible()
    assert_accessible(page)


def test_offline_hits_tell_their_kind_and_unit_as_the_server_does(page: Page):
    login_and_sync(page, "kvalitet")
    page.goto("/rutiner")
    page.get_by_label("Sök rutin").fill("nyckel")
    expect(page.locator("#sokresultat")).to_contain_text("på ”nyckel”")
    online = page.locator("#sokresultat .list-item .muted").all_inner_texts()
    assert "Rutin · Hemvård Nord" in online and "Rutin · Gäller alla enheter" in online

    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Sök rutin").fill("nyckel")
    expect(page.locator("#sokresultat")).to_contain_text("bland rutinerna på telefonen")
    assert page.locator("#sokresultat .list-item .muted").all_inner_texts() == online


def test_a_misspelt_word_offline_is_corrected_as_on_the_server(page: Page):
    login_and_sync(page)
    page.goto("/rutiner")
    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Sök rutin").fill("läkemdel")
    expect(page.locator("#sokresultat")).to_contain_text("Menade du")
    assert any("läkemedel" in title.lower() for title in titles(page))


def test_an_offline_search_without_an_answer_says_so_in_plain_swedish(page: Page):
    login_and_sync(page)
    page.goto("/rutiner")
    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Sök rutin").fill("xqzwv")
    status = page.get_by_role("status").filter(has_text="xqzwv")
    expect(status).to_have_text("Ingen rutin på telefonen hittades för ”xqzwv”.")
    expect(page.locator("#sokresultat")).to_contain_text("Prova ett annat ord, eller färre ord.")
    assert titles(page) == []
    assert_accessible(page)
