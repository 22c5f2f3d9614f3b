"""Routine bodies: sanitised Markdown, routine links, checklists, differences."""
from app.routines.rendering import body_difference, linked_slugs, render_body


def no_titles(slug):
    return None


def test_a_script_tag_never_reaches_the_page():
    html = render_body("Hej\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>", no_titles)
    assert "<script" not in html and "alert" not in html and "onerror" not in html


def test_javascript_links_lose_their_target():
    html = render_body("[klicka](javascript:alert(1))", no_titles)
    assert "javascript:" not in html


def test_images_come_only_from_the_routine_image_store():
    html = render_body("![a](/rutiner/bilder/7) ![b](https://evil.example/x.png)", no_titles)
    assert 'src="/rutiner/bilder/7"' in html and "evil.example" not in html


def test_wiki_links_become_links_to_readable_routines_only():
    html = render_body("Se [[munvard]] och [[hemlig]].", lambda slug: "Munvård" if slug == "munvard" else None)
    assert '<a href="/rutiner/munvard" rel="noopener noreferrer">Munvård</a>' in html
    assert "hemlig" in html and "/rutiner/hemlig" not in html


def test_linked_slugs_are_listed_once_in_order():
    assert linked_slugs("[[b]] [[a]] [[b]]") == ["b", "a"]


def test_task_lists_become_labelled_checkboxes():
    html = render_body("- [ ] Kontrollera dosett\n- [x] Signera", no_titles)
    assert html.count('type="checkbox"') == 2
    assert '<label for="punkt-1" class="task-label">Kontrollera dosett</label>' in html
    assert 'data-check-item="2" checked' in html


def test_difference_marks_added_and_removed_lines():
    lines = body_difference("Ett\nTvå\nTre\n", "Ett\nTvå och en halv\nTre\nFyra\n")
    changes = [(line.change, line.text) for line in lines if line]
    assert ("removed", "Två") in changes and ("added", "Två och en halv") in changes and ("added", "Fyra") in changes
    assert ("same", "Ett") in changes


def test_difference_shows_lines_as_readers_see_them():
    lines = body_difference("## Så här\n- [ ] Ta på handskar\n", "## Så här gör du\n- [ ] Ta på **rena** handskar\n")
    changes = [(line.change, line.text) for line in lines if line]
    assert ("added", "Så här gör du") in changes and ("added", "☐ Ta på rena handskar") in changes
