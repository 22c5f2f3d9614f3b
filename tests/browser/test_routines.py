"""The routine library in a phone-sized Chromium: search, reading, checklists, confirmations, proposals,
the editor and the approval workflow, and axe-core on every routine page."""
import re

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.accounts.services import find_user
from app.routines import services
from app.routines import proposals
from tests.browser.actions import login, open_with_htmx_held, path_of, release_htmx
from tests.browser.axe import assert_accessible

# Demo routines (app/routines/demo_routines): owners and kinds the tests rely on.
MEDICINES = "lakemedelshantering-i-hemtjanst"  # central, owner mas
HYGIENE = "basala-hygienrutiner"  # central routine with an image, owner mas
CHECKLIST = "checklista-vid-nytt-uppdrag"  # central checklist, owner kvalitet
PROCESS = "fallrisk-fran-bedomning-till-uppfoljning"  # central process, owner kvalitet
KEYS_NORD = "nyckelhantering-hemvard-nord"  # Hemvård Nord, owner chef.nord, no approver

FIRST_CHECK_ITEM = re.compile(r"^Kontrollera att du har läst biståndsbeslutet")
SECOND_CHECK_ITEM = re.compile(r"^Kontrollera att nyckel eller digitalt lås finns")

ADDED_LINE = "Byt handskar mellan varje brukare, även om de ser rena ut."
SUMMARY = "Nytt: byt handskar mellan varje brukare."


def is_htmx(request) -> bool:
    return request.headers.get("hx-request") == "true"


# Steps through the browser

def open_editor_and_add_line(page: Page, slug: str, line: str, approver: str | None = None) -> None:
    """On the routine's editor: append a paragraph to the text (and name an approver) and save the draft."""
    page.goto(f"/rutiner/{slug}/redigera")
    if approver:
        page.get_by_label("Godkänns också av (valfritt)").select_option(label=approver)
    text = page.get_by_label("Text", exact=True)
    text.fill(text.input_value().rstrip() + f"\n\n{line}\n")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("status")).to_have_text("Utkastet är sparat.")


def send_for_approval(page: Page, summary: str) -> None:
    page.get_by_label("Vad har ändrats?", exact=True).fill(summary)
    page.get_by_role("button", name="Skicka för godkännande").click()


def draft_and_send_for_approval(page: Page, slug: str, line: str = ADDED_LINE, summary: str = SUMMARY,
                                approver: str | None = None) -> None:
    open_editor_and_add_line(page, slug, line, approver)
    send_for_approval(page, summary)
    expect(page.get_by_role("status")).to_have_text("Utkastet är skickat för godkännande.")
    assert path_of(page.url) == "/rutiner/hantera"


# Steps straight through the services, for pages that need a state to look at

def change_routine(app, slug: str, line: str = ADDED_LINE, summary: str = SUMMARY,
                   author: str = "kvalitet", approver: str | None = "mas") -> None:
    """The author adds a line and sends it for approval; the approver, if given, publishes it."""
    with app.app_context():
        routine = services.routine_by_slug(slug)
        current = routine.current_version
        services.save_draft(find_user(author), routine, title=current.title, tags=current.tags,
                            body_md=current.body_md + f"\n\n{line}\n")
        db.session.commit()
        services.submit_for_review(find_user(author), routine, summary)
        db.session.commit()
        if approver:
            services.approve(find_user(approver), routine)
            db.session.commit()


def propose(app, slug: str, username: str, text: str) -> None:
    with app.app_context():
        proposals.propose_change(find_user(username), services.routine_by_slug(slug), text)
        db.session.commit()


# Search

def test_staff_member_finds_routine_by_typing_without_diacritics_and_opens_it(page, live_server):
    login(page, "usk.nord")
    page.goto("/rutiner")

    with page.expect_response(lambda response: is_htmx(response.request) and "q=lakemedel" in response.url):
        page.get_by_label("Sök rutin").press_sequentially("lakemedel")

    results = page.locator("#sokresultat")
    hit = results.get_by_role("link", name=re.compile(r"^Läkemedelshantering i hemtjänst"))
    expect(hit).to_be_visible()
    expect(hit.locator("mark").first).to_be_visible()

    hit.click()
    expect(page).to_have_url(f"{live_server.url}/rutiner/{MEDICINES}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Läkemedelshantering i hemtjänst")


# Reading

def test_ticked_checklist_items_survive_a_reload(page):
    login(page, "usk.nord")
    page.goto(f"/rutiner/{CHECKLIST}")
    first = page.get_by_role("checkbox", name=FIRST_CHECK_ITEM)
    second = page.get_by_role("checkbox", name=SECOND_CHECK_ITEM)

    first.check()
    page.reload()

    expect(first).to_be_checked()
    expect(second).not_to_be_checked()


# Playwright's blocked service workers answer register() with nothing, which Workbox does not expect.
@pytest.mark.allow_browser_errors("reading 'waiting'")
def test_ticks_made_before_the_phone_has_noted_who_signed_in_survive_that_noting(open_page):
    # The phone notes its user (and forgets any other user's data) in the background code, after the load. A
    # quick user ticks before that: hold the background code back until then. No service worker, so the chunk
    # comes from the network, where the test can hold it.
    page = open_page(service_workers="block")
    held = []
    page.route("**/static/dist/chunks/background-*", lambda route: held.append(route))
    login(page, "usk.nord")
    page.goto(f"/rutiner/{CHECKLIST}")
    first = page.get_by_role("checkbox", name=FIRST_CHECK_ITEM)
    first.check()
    for route in held:
        route.continue_()
    page.unroute("**/static/dist/chunks/background-*")
    # The routine sync starts once the phone has noted its user.
    page.wait_for_selector("body[data-routine-sync]", state="attached", timeout=15_000)
    page.reload()
    expect(first).to_be_checked()


def test_emptying_the_checklist_clears_ticks_also_after_reload(page):
    login(page, "usk.nord")
    page.goto(f"/rutiner/{CHECKLIST}")
    first = page.get_by_role("checkbox", name=FIRST_CHECK_ITEM)
    second = page.get_by_role("checkbox", name=SECOND_CHECK_ITEM)
    first.check()
    second.check()

    page.get_by_role("button", name="Töm checklistan").click()

    expect(first).not_to_be_checked()
    expect(second).not_to_be_checked()
    page.reload()
    expect(first).not_to_be_checked()
    expect(second).not_to_be_checked()


def test_confirming_read_swaps_in_the_confirmation_and_hides_the_button_after_reload(page):
    login(page, "usk.nord")
    page.goto(f"/rutiner/{MEDICINES}")
    button = page.get_by_role("button", name="Jag har läst")

    with page.expect_response(lambda response: is_htmx(response.request) and response.status == 200):
        button.click()

    expect(page.locator("#lasbekraftelse")).to_contain_text("Du har bekräftat att du har läst")
    page.reload()
    expect(page.get_by_text("Du har bekräftat att du har läst")).to_be_visible()
    expect(button).to_have_count(0)


# Writing and approval

def test_change_by_quality_approved_by_owner_shows_staff_changed_with_summary_and_difference(open_page):
    author, owner, reader = open_page(), open_page(), open_page()
    login(author, "kvalitet")
    draft_and_send_for_approval(author, HYGIENE)

    login(owner, "mas")
    owner.goto("/rutiner/hantera")
    waiting = owner.get_by_role("region", name="Väntar på ditt godkännande")
    waiting.get_by_role("link", name=re.compile(r"^Basala hygienrutiner")).click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Granska ändring")
    expect(owner.locator("ins", has_text=ADDED_LINE)).to_be_visible()
    owner.get_by_role("button", name="Godkänn och publicera").click()
    expect(owner.get_by_role("status")).to_have_text("Ändringen är godkänd och publicerad.")

    login(reader, "usk.nord")
    reader.goto(f"/rutiner/{HYGIENE}")
    note = reader.get_by_role("note")
    expect(note).to_contain_text("Ändrad")
    expect(note).to_contain_text(SUMMARY)
    note.get_by_role("link", name="Visa vad som ändrats").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Vad har ändrats?")
    expect(reader.locator("ins", has_text=ADDED_LINE)).to_be_visible()


def test_author_in_review_is_shown_why_they_cannot_approve_instead_of_the_button(page):
    login(page, "kvalitet")
    draft_and_send_for_approval(page, HYGIENE)

    page.goto(f"/rutiner/{HYGIENE}/granska")

    expect(page.get_by_text("Du kan inte godkänna en ändring som du själv har skrivit.")).to_be_visible()
    expect(page.get_by_role("button", name="Godkänn och publicera")).to_have_count(0)


def test_manager_owning_the_routine_cannot_send_own_change_without_an_approver(page):
    login(page, "chef.nord")
    open_editor_and_add_line(page, KEYS_NORD, "Nyckelskåpet kontrolleras varje fredag.")

    send_for_approval(page, "Kontroll varje fredag.")

    expect(page.get_by_role("alert")).to_have_text(
        "Du är ägare och författare. Välj en annan person som godkänner ändringen.")
    assert path_of(page.url) == f"/rutiner/{KEYS_NORD}/redigera"


def test_manager_names_quality_as_approver_and_quality_approves_the_change(open_page):
    manager, quality, reader = open_page(), open_page(), open_page()
    line = "Nyckelskåpet kontrolleras varje fredag av den som har kvällspasset."
    login(manager, "chef.nord")
    draft_and_send_for_approval(manager, KEYS_NORD, line=line, summary="Kontroll av nyckelskåpet varje fredag.",
                                approver="Maria Nyström (Kvalitetsutvecklare)")

    login(quality, "kvalitet")
    quality.goto(f"/rutiner/{KEYS_NORD}/granska")
    quality.get_by_role("button", name="Godkänn och publicera").click()
    expect(quality.get_by_role("status")).to_have_text("Ändringen är godkänd och publicerad.")

    login(reader, "usk.nord")
    reader.goto(f"/rutiner/{KEYS_NORD}")
    expect(reader.get_by_role("note")).to_contain_text("Kontroll av nyckelskåpet varje fredag.")
    expect(reader.get_by_role("main")).to_contain_text(line)


def test_editor_preview_shows_the_markdown_as_it_is_typed(page):
    login(page, "chef.nord")
    page.goto("/rutiner/ny")

    with page.expect_response(lambda response: path_of(response.url) == "/rutiner/forhandsgranska") as preview:
        page.get_by_label("Text", exact=True).fill("## Ny rubrik\n\nFörsta stycket.")

    assert preview.value.status == 200
    region = page.get_by_role("region", name="Förhandsvisning")
    expect(region.get_by_role("heading", level=2, name="Ny rubrik")).to_be_visible()
    expect(region).to_contain_text("Första stycket.")


@pytest.mark.allow_browser_errors("reading 'waiting'")
def test_editor_text_typed_before_htmx_has_started_is_previewed_once_it_has(open_page):
    page, held = open_with_htmx_held(open_page, "chef.nord", "/rutiner/ny")
    page.get_by_label("Text", exact=True).fill("## Skrivet tidigt\n\nInnan htmx fanns.")
    release_htmx(page, held, lambda response: path_of(response.url) == "/rutiner/forhandsgranska")
    region = page.get_by_role("region", name="Förhandsvisning")
    expect(region.get_by_role("heading", level=2, name="Skrivet tidigt")).to_be_visible()


# Proposals

def test_staff_proposal_reaches_the_owner_who_answers_it(open_page):
    staff, owner = open_page(), open_page()
    proposal = "Skriv att handsprit också finns i bilen."
    login(staff, "usk.nord")
    staff.goto(f"/rutiner/{HYGIENE}")
    staff.get_by_text("Föreslå ändring", exact=True).click()
    staff.get_by_label("Ditt förslag").fill(proposal)
    staff.get_by_role("button", name="Skicka förslaget").click()
    expect(staff.get_by_role("status")).to_have_text("Tack! Ditt förslag har skickats till rutinens ägare.")

    login(owner, "mas")
    owner.goto("/rutiner/forslag")
    item = owner.get_by_role("listitem").filter(has_text=proposal)
    expect(item).to_contain_text("Amina Hassan")
    item.get_by_label("Svar").fill("Bra idé, vi lägger till det.")
    item.get_by_role("button", name="Skicka svar").click()

    expect(owner.get_by_role("status")).to_have_text("Svaret är sparat.")
    expect(owner.get_by_role("listitem").filter(has_text=proposal)).to_contain_text("Bra idé, vi lägger till det.")


# Accessibility

ROUTINE_PAGES = [
    ("usk.nord", "/rutiner"),
    ("usk.nord", "/rutiner?q=fall"),
    ("usk.nord", f"/rutiner/{HYGIENE}"),
    ("usk.nord", f"/rutiner/{CHECKLIST}"),
    ("usk.nord", f"/rutiner/{PROCESS}"),
    ("usk.nord", f"/rutiner/{KEYS_NORD}"),
    ("usk.nord", f"/rutiner/{HYGIENE}/historik"),
    ("kvalitet", f"/rutiner/{HYGIENE}/redigera"),
    ("kvalitet", "/rutiner/hantera"),
    ("kvalitet", "/rutiner/forslag"),
    ("kvalitet", "/rutiner/synonymer"),
    ("chef.nord", "/rutiner/ny"),
    ("chef.nord", f"/rutiner/{KEYS_NORD}/lasningar"),
    ("chef.nord", f"/rutiner/{KEYS_NORD}/arkivera"),
]


@pytest.mark.parametrize("username, path", ROUTINE_PAGES, ids=[f"{user}:{path}" for user, path in ROUTINE_PAGES])
def test_routine_page_has_no_accessibility_violations(page, username, path):
    login(page, username)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_a_search_without_an_answer_and_quality_s_list_of_them_are_accessible(open_page):
    page, quality = open_page(), open_page()
    login(page, "usk.nord")
    page.goto("/rutiner?q=läkemdel+zqxv")
    expect(page.get_by_text("Menade du")).to_be_visible()
    assert_accessible(page)
    page.goto("/rutiner?q=zqxvw+pxlt")
    expect(page.get_by_role("status")).to_contain_text("Ingen rutin hittades")
    assert_accessible(page)
    login(quality, "kvalitet")
    quality.goto("/rutiner/sokningar-utan-traff")
    expect(quality.get_by_role("heading", level=1)).to_be_visible()
    expect(quality.get_by_role("link", name=re.compile(r"^Gör till synonym\W+zqxvw pxlt$"))).to_be_visible()
    assert_accessible(quality)


def test_live_search_results_have_no_accessibility_violations(page):
    login(page, "usk.nord")
    page.goto("/rutiner")
    with page.expect_response(lambda response: is_htmx(response.request)):
        page.get_by_label("Sök rutin").fill("trycksar")
    expect(page.locator("#sokresultat").get_by_role("link").first).to_be_visible()
    assert_accessible(page)


# Playwright's blocked service workers answer register() with nothing, which Workbox does not expect; a browser
# without service workers has no navigator.serviceWorker, and the app then skips the worker altogether.
@pytest.mark.allow_browser_errors("reading 'waiting'")
def test_a_search_typed_before_htmx_has_started_is_sent_once_it_has(open_page):
    page, held = open_with_htmx_held(open_page, "usk.nord", "/rutiner")
    page.get_by_label("Sök rutin").fill("trycksar")
    release_htmx(page, held, lambda response: is_htmx(response.request))
    expect(page.locator("#sokresultat").get_by_role("link").first).to_be_visible()


def test_routine_with_open_proposal_form_and_confirmation_has_no_accessibility_violations(page):
    login(page, "usk.nord")
    page.goto(f"/rutiner/{HYGIENE}")
    page.get_by_role("button", name="Jag har läst").click()
    expect(page.locator("#lasbekraftelse")).to_be_visible()
    page.get_by_text("Föreslå ändring", exact=True).click()
    expect(page.get_by_label("Ditt förslag")).to_be_visible()
    assert_accessible(page)


def test_changed_routine_and_its_difference_have_no_accessibility_violations(page, live_server):
    change_routine(live_server.app, HYGIENE)
    login(page, "usk.nord")

    page.goto(f"/rutiner/{HYGIENE}")
    expect(page.get_by_role("note")).to_contain_text(SUMMARY)
    assert_accessible(page)

    page.goto(f"/rutiner/{HYGIENE}/andringar")
    expect(page.locator("ins", has_text=ADDED_LINE)).to_be_visible()
    assert_accessible(page)


def test_review_page_has_no_accessibility_violations(page, live_server):
    change_routine(live_server.app, HYGIENE, approver=None)
    login(page, "mas")
    page.goto(f"/rutiner/{HYGIENE}/granska")
    expect(page.get_by_role("button", name="Godkänn och publicera")).to_be_visible()
    assert_accessible(page)


def test_proposals_waiting_for_an_answer_have_no_accessibility_violations(page, live_server):
    proposal = "Skriv att handsprit också finns i bilen."
    propose(live_server.app, HYGIENE, "usk.nord", proposal)
    login(page, "mas")
    page.goto("/rutiner/forslag")
    item = page.get_by_role("listitem").filter(has_text=proposal)
    expect(item.get_by_role("button", name="Skicka svar")).to_be_visible()
    assert_accessible(page)


def test_editor_with_draft_ready_to_send_has_no_accessibility_violations(page):
    login(page, "kvalitet")
    open_editor_and_add_line(page, HYGIENE, ADDED_LINE)
    expect(page.get_by_label("Vad har ändrats?", exact=True)).to_be_visible()
    assert_accessible(page)


PHONE_PAGES = [
    ("usk.nord", "/rutiner"),
    ("usk.nord", "/rutiner?q=fall"),
    ("usk.nord", f"/rutiner/{HYGIENE}"),
    ("usk.nord", f"/rutiner/{CHECKLIST}"),
    ("usk.nord", f"/rutiner/{PROCESS}"),
    ("usk.nord", f"/rutiner/{HYGIENE}/andringar"),
    ("usk.nord", f"/rutiner/{HYGIENE}/historik"),
    ("kvalitet", f"/rutiner/{HYGIENE}/redigera"),
    ("kvalitet", "/rutiner/hantera"),
    ("kvalitet", "/rutiner/synonymer"),
    ("chef.nord", f"/rutiner/{KEYS_NORD}/lasningar"),
]


@pytest.mark.parametrize("username, path", PHONE_PAGES, ids=[f"{user}:{path}" for user, path in PHONE_PAGES])
def test_routine_page_does_not_scroll_sideways_on_a_phone(page, live_server, username, path):
    change_routine(live_server.app, HYGIENE, line="En mycket lång rad: " + "handdesinfektionsmedelsflaskan " * 8)
    login(page, username)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
