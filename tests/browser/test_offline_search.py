"""Offline search answers as the server does: a question typed with no network finds the routine the server
finds, in the same order, and a search without an answer says so in plain Swedish.

The same order is asked of a reader who sees every unit: for one who sees fewer, the server weighs words by
the whole library (idf over every routine) and the phone by the routines it holds, so lower places may differ."""
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from app.extensions import db
from app.routines import synonyms
from tests.browser.axe import assert_accessible
from tests.browser.test_offline import login_and_sync, resync_when_back_online
from tests.routines import factories

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


# The word list that splits compounds: its own cache, one entry per build, never in the precache.
LEXICON_ENTRIES = """async () => {
  const found = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    const urls = (await cache.keys()).map((request) => new URL(request.url).pathname)
      .filter((path) => path.includes("lexicon"));
    if (urls.length) found[name] = urls;
  }
  return found;
}"""


def lexicon_url() -> str:
    built = Path(__file__).resolve().parents[2] / "pwa" / "js" / "generated" / "lexicon-url.js"
    return re.search(r'LEXICON_URL = "([^"]+)"', built.read_text(encoding="utf-8")).group(1)


def test_the_word_list_comes_after_the_sync_into_its_own_cache_and_stays_after_logout(page: Page):
    login_and_sync(page)
    assert page.evaluate(LEXICON_ENTRIES) == {"fickan-lexicon": [lexicon_url()]}

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    # Not the user's: the next person on the phone does not download it again.
    assert page.evaluate(LEXICON_ENTRIES) == {"fickan-lexicon": [lexicon_url()]}


def test_an_old_word_list_is_replaced_by_the_one_of_this_build(page: Page):
    login_and_sync(page)
    # As an earlier build left it: another content hash in the same cache.
    page.evaluate("""async () => {
      const cache = await caches.open("fickan-lexicon");
      await cache.put("/static/dist/lexicon-0123456789abcdef.json", new Response('{"lexicon": {}}'));
    }""")
    resync_when_back_online(page)
    assert page.evaluate(LEXICON_ENTRIES) == {"fickan-lexicon": [lexicon_url()]}


def test_without_the_word_list_offline_search_finds_the_words_as_typed_and_says_what_is_missing(page: Page):
    login_and_sync(page)
    page.goto("/rutiner")
    page.evaluate("caches.delete('fickan-lexicon')")
    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Sök rutin").fill("nyckel")
    results = page.locator("#sokresultat")
    expect(results).to_contain_text("bland rutinerna på telefonen")
    assert any("nyckel" in title.lower() for title in titles(page))
    expect(results.locator("[data-no-lexicon]")).to_have_text(
        "Telefonen har inte hämtat ordlistan för sammansatta ord än, så sökningen kan missa rutiner där ordet bara "
        "finns som en del av ett längre ord.")
    assert_accessible(page)

    # Back online, the next sync brings it, and the offline search splits compounds again.
    resync_when_back_online(page)
    assert page.evaluate(LEXICON_ENTRIES) == {"fickan-lexicon": [lexicon_url()]}
    page.context.set_offline(True)
    page.reload()
    page.get_by_label("Sök rutin").fill("hantering")
    expect(results).to_contain_text("på ”hantering”")
    assert any("läkemedelshantering" in title.lower() for title in titles(page))
    expect(results.locator("[data-no-lexicon]")).to_have_count(0)


def test_synonyms_stay_on_the_phone_between_syncs_and_come_again_only_when_changed(page: Page, live_server):
    login_and_sync(page)
    feed = "**/api/v1/routines/changes?*"
    with page.expect_response(feed) as unchanged:
        resync_when_back_online(page)
    assert "synonyms_version=" in unchanged.value.url and "synonyms" not in unchanged.value.json()
    search = page.get_by_label("Sök rutin")

    with live_server.app.app_context():
        synonyms.save_synonym(factories.user("kvalitet"), "pilleri", "läkemedel")
        db.session.commit()
    with page.expect_response(feed) as changed:
        resync_when_back_online(page)
    assert {"word": "pilleri", "means": "läkemedel"} in changed.value.json()["synonyms"]

    page.goto("/rutiner")
    page.context.set_offline(True)
    page.reload()
    for query in ["medicin", "pilleri"]:  # the list kept from the first sync, and the word added since
        search.fill(query)
        expect(page.locator("#sokresultat")).to_contain_text(f"på ”{query}” bland rutinerna på telefonen")
        assert any("läkemedel" in title.lower() for title in titles(page)), (query, titles(page))
