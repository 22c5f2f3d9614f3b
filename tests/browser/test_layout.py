"""Every main page of every role holds on a small phone with text at 200 % (WCAG 1.4.4 and 1.4.10):
no sideways scrolling, no element wider than its container, no short word split across lines, axe clean."""
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.accounts.models import Unit
from app.extensions import db
from app.notices import services as notices
from app.reports.models import InvestigationEntry, Report
from app.routines.models import Routine, RoutineVersion

from tests.browser.actions import login
from tests.browser.axe import assert_accessible
from tests.routines.factories import unit, user

SMALL_PHONE = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}

# Browser text zoom (Chrome's and Firefox's font size setting, iOS Dynamic Type through -apple-system-body
# aside) changes the default font size, which is what the root's 100 % resolves to; every length in
# rem and em follows it. Setting the root to 200 % after load does the same to every rem and em on the
# page. Media queries do not follow it (their em is the browser default), so the stylesheet breaks
# on container queries in em instead, which do: the emulation and real text zoom then lay out alike.
LARGE_TEXT = "document.documentElement.style.fontSize = '200%'"

# Runs in the page: what sticks out, described well enough to find it in the stylesheet.
MEASURE_LAYOUT = """() => {
  const root = document.documentElement;
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += '#' + element.id;
    for (const cls of element.classList) name += '.' + cls;
    for (const attribute of element.getAttributeNames()) {
      if (attribute.startsWith('data-')) name += `[${attribute}]`;
    }
    const parent = element.parentElement;
    return parent && parent !== document.body ? `${describe(parent)} > ${name}` : name;
  };
  const clipped = (element) => {
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).clip === 'rect(0px, 0px, 0px, 0px)') return true;
    }
    return false;
  };
  // Hidden from everyone: [hidden], clipped to nothing, a skip link until focused, and a robot trap that is
  // both out of the accessibility tree and out of reach (aria-hidden with tabindex=-1: the complaint form's).
  const hidden = (element) => element.closest('[hidden]') || clipped(element)
    || (element.matches('.skip-link') && document.activeElement !== element)
    || element.closest('[aria-hidden="true"]:has([tabindex="-1"])');
  const container = (element) => {
    let parent = element.parentElement;
    while (parent && getComputedStyle(parent).display === 'contents') parent = parent.parentElement;
    return parent;
  };
  const offenders = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (element instanceof SVGElement && element.ownerSVGElement) continue;
    if (hidden(element)) continue;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
    const box = element.getBoundingClientRect();
    const parent = container(element);
    if (!box.width || !parent || parent === document.documentElement) continue;
    const outer = parent.getBoundingClientRect();
    if (box.left < outer.left - 1 || box.right > outer.right + 1) {
      offenders.push(`${describe(element)}: ${Math.round(box.width)} px from ${Math.round(box.left - outer.left)} `
        + `in ${Math.round(outer.width)} px`);
    } else if (style.overflowX === 'visible' && element.scrollWidth > element.clientWidth + 1 && element.clientWidth) {
      offenders.push(`${describe(element)}: content ${element.scrollWidth} px in ${element.clientWidth} px`);
    }
  }
  // A short word broken over two lines ("Ant al", "1 8 2"): its box was squeezed below its words. Short
  // is less than 40 % of the page's text column; longer words may have to break (at 200 % they must).
  const main = document.querySelector('main');
  const mainStyle = getComputedStyle(main);
  const shortWord = 0.4 * (main.clientWidth - parseFloat(mainStyle.paddingLeft) - parseFloat(mainStyle.paddingRight));
  const splitWords = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const holder = node.parentElement;
    if (!holder || hidden(holder) || holder.closest('svg, script, style, option, textarea')) continue;
    if (!holder.getClientRects().length) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\u2013\\u2014\\/]+/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const parts = [...range.getClientRects()].filter((rect) => rect.width);
      const lines = new Set(parts.map((rect) => Math.round(rect.top)));
      const width = parts.reduce((sum, rect) => sum + rect.width, 0);
      if (lines.size > 1 && width < shortWord) {
        splitWords.push(`"${match[0]}" in ${describe(holder)}`);
      }
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, offenders, splitWords};
}"""

EVERYONE_PAGES = ["/", "/rutiner", "{routine}", "/rapportera", "/rapportera/mina", "/rapportera/klagomal",
                  "/meddelanden", "{notice}", "/meddelanden/installningar", "/att-gora"]
HANDLER_PAGES = ["/rapporter", "{report}", "/statistik", "/statistik/larande", "/statistik/klagomal",
                 "/rapporter/regler"]
WRITER_PAGES = ["/rutiner/hantera", "/rutiner/ny", "{editable_routine}"]
QUALITY_YEAR_PAGES = ["/arshjul"]
PLANNER_PAGES = ["/arshjul/ny", "/egenkontroll/formular", "/egenkontroll/formular/ny"]
ADMIN_PAGES = ["/admin/", "/admin/anvandare", "/admin/anvandare/ny", "/admin/anvandare/1", "/admin/enheter"]
PUBLIC_PAGES = ["/login", "/synpunkter", "/synpunkter/lattlast"]
PAGES_OF = {
    "usk.nord": EVERYONE_PAGES,
    "samordnare.nord": [*EVERYONE_PAGES, "/meddelanden/mottagare"],
    "chef.nord": EVERYONE_PAGES + HANDLER_PAGES + WRITER_PAGES + QUALITY_YEAR_PAGES,
    "ssk.nord": EVERYONE_PAGES + HANDLER_PAGES,
    "kvalitet": EVERYONE_PAGES + HANDLER_PAGES + WRITER_PAGES + QUALITY_YEAR_PAGES + PLANNER_PAGES,
    "admin": EVERYONE_PAGES + ADMIN_PAGES,
}
SIZES = {"320px-200%": (SMALL_PHONE, True), "390px": (PHONE, False)}


def demo_paths(app) -> dict[str, str]:
    """Pages that need an id: the richest report of Hemvård Nord, a routine with an image, one Nord edits."""
    with app.app_context():
        nord = db.session.scalar(select(Unit.id).where(Unit.name == "Hemvård Nord"))
        entries = func.count(InvestigationEntry.id)
        report = db.session.scalar(
            select(Report.uuid).join(InvestigationEntry, InvestigationEntry.report_id == Report.id)
            .where(Report.unit_id == nord, Report.bypass_manager.is_(False))
            .group_by(Report.uuid).order_by(entries.desc(), Report.uuid).limit(1))
        with_image = (select(RoutineVersion.routine_id)
                      .where(RoutineVersion.body_md.contains("/rutiner/bilder/"), RoutineVersion.number.is_not(None)))
        current = select(Routine.slug).where(Routine.archived_at.is_(None)).order_by(Routine.slug).limit(1)
        routine = db.session.scalar(current.where(Routine.id.in_(with_image)))
        local = db.session.scalar(current.where(Routine.scope_unit_id == nord))
    return {"report": f"/rapporter/{report}", "routine": f"/rutiner/{routine}",
            "editable_routine": f"/rutiner/{local}/redigera"}


def check_page(page: Page, path: str, large_text: bool) -> list[str]:
    """Open the page and return what does not hold (an empty list when it holds)."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    if large_text:
        page.evaluate(LARGE_TEXT)
    layout = page.evaluate(MEASURE_LAYOUT)
    problems = []
    if layout["scrollWidth"] > layout["clientWidth"]:
        problems.append(f"scrolls sideways: {layout['scrollWidth']} px wide in {layout['clientWidth']} px")
    problems += [f"wider than its container: {offender}" for offender in layout["offenders"]]
    problems += [f"word split across lines: {word}" for word in layout["splitWords"]]
    if problems:
        return [f"{path}:"] + [f"  {problem}" for problem in problems[:12]]
    return []


def axe_failures(page: Page) -> list[str]:
    """What axe finds on the page, as lines, so that one run lists every page's problems."""
    try:
        assert_accessible(page)
    except pytest.fail.Exception as failure:
        return str(failure).splitlines()
    return []


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("username", list(PAGES_OF))
def test_every_main_page_holds_on_a_small_phone(open_page, live_server, username, size):
    viewport, large_text = SIZES[size]
    paths = demo_paths(live_server.app)
    page = open_page(viewport=viewport)
    login(page, username)
    page.goto("/meddelanden")
    notices = page.locator("main a").evaluate_all(
        "(links) => links.map((link) => link.getAttribute('href'))"
        ".filter((href) => /^\\/meddelanden\\/\\d+$/.test(href))")
    paths["notice"] = notices[0] if notices else "/meddelanden"
    if "{report}" in PAGES_OF[username] and not page.goto(paths["report"]).ok:
        # The nurse sees only some of the unit's reports: the first in her inbox then.
        page.goto("/rapporter")
        paths["report"] = page.locator("[data-report-list] a").first.get_attribute("href")
    failures = []
    for pattern in PAGES_OF[username]:
        path = pattern.format(**paths)
        failures += check_page(page, path, large_text)
        if large_text:
            failures += axe_failures(page)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_pages_without_login_hold_on_a_small_phone(open_page, size):
    viewport, large_text = SIZES[size]
    page = open_page(viewport=viewport)
    failures = []
    for path in PUBLIC_PAGES:
        failures += check_page(page, path, large_text) + axe_failures(page)
    assert not failures, "\n".join(failures)


FOCUS_YELLOW = "rgb(255, 191, 71)"
DARK_RING = "rgb(26, 26, 26) 0px 0px 0px 5px"


def test_the_current_nav_item_shows_both_focus_rings(page: Page):
    login(page, "usk.nord")
    page.goto("/rutiner")
    current = page.get_by_role("navigation", name="Huvudmeny").locator('[aria-current="page"]')
    for _ in range(12):
        page.keyboard.press("Tab")
        if current.evaluate("(link) => document.activeElement === link"):
            break
    # The yellow ring alone vanishes on white; the dark ring beside it must survive the item's underline.
    expect(current).to_have_css("outline-color", FOCUS_YELLOW)
    expect(current).to_have_css("box-shadow", re.compile(re.escape(DARK_RING)))


def test_the_date_field_keeps_its_focus_ring_on_the_calendar_button(page: Page):
    login(page, "chef.nord")
    page.goto("/statistik")
    page.locator("#enhet").focus()
    page.keyboard.press("Shift+Tab")
    field = page.locator("#till")
    # Chromium's calendar button is inside the field: the field has focus but is no longer :focus-visible.
    assert field.evaluate("(input) => document.activeElement === input && !input.matches(':focus-visible')")
    expect(field).to_have_css("outline-style", "solid")
    expect(field).to_have_css("outline-color", FOCUS_YELLOW)
    expect(field).to_have_css("box-shadow", DARK_RING)


# The badge widened the page even at normal text size on the smallest phone.
BADGE_SIZES = {**SIZES, "320px": (SMALL_PHONE, False)}


@pytest.mark.parametrize("size", list(BADGE_SIZES))
def test_the_unread_badge_does_not_widen_the_page(open_page, live_server, size):
    viewport, large_text = BADGE_SIZES[size]
    with live_server.app.app_context():
        for number in range(12):
            notices.send_notice(user("samordnare.nord"), title=f"Nytt nummer till nattpatrullen {number}",
                                body="Ring 010-123 45 67.", importance="normal", expires_on=None,
                                unit_ids=[unit("Hemvård Nord").id], roles=["staff"])
        db.session.commit()
    page = open_page(viewport=viewport)
    login(page, "usk.nord")
    expect(page.locator("[data-unread-count]")).to_be_visible()
    failures = check_page(page, "/", large_text)
    expect(page.locator("[data-unread-count]")).to_contain_text("12")
    assert not failures, "\n".join(failures)
