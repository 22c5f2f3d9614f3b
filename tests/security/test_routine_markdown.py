"""Finding 14: a routine's links that look like paths of this site but lead elsewhere are dropped."""
import pytest

from app.routines.rendering import render_body


def no_titles(_slug):
    return None


@pytest.mark.parametrize("href", ["//evil.example/x", "/\\evil.example/x", "/\\/evil.example", "///evil.example",
                                  "/\t/evil.example"])
def test_a_protocol_relative_link_loses_its_address(href):
    html = str(render_body(f"[Läs mer]({href})", no_titles))
    assert "Läs mer" in html
    assert "evil.example" not in html.split("Läs mer")[0]
    assert "href" not in html


def test_a_raw_html_protocol_relative_link_loses_its_address():
    html = str(render_body('<a href="//evil.example">Läs mer</a>', no_titles))
    assert "evil.example" not in html


@pytest.mark.parametrize(("href", "kept"), [("/rutiner/handhygien", True), ("/rutiner?q=fall", True),
                                            ("https://www.1177.se/", True), ("tel:+4611123456", True),
                                            ("javascript:alert(1)", False)])
def test_links_of_this_site_and_ordinary_links_stay(href, kept):
    assert (f'href="{href}"' in str(render_body(f"[Läs mer]({href})", no_titles))) is kept
