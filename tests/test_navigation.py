"""The main navigation by role: everyone's three links, the handlers' Rapporter and Statistik, routine work for
those who edit routines; every link it shows opens for that person."""
import re

import pytest

NAV = re.compile(r'<nav class="main-nav" aria-label="Huvudmeny">(.*?)</nav>', re.S)
EVERYONE = ["Rutiner", "Rapportera", "Meddelanden"]


def nav_links(html: str) -> list[tuple[str, str]]:
    nav = NAV.search(html).group(1)
    return [(href, label.strip()) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>\s*([^<\n]+)', nav)]


@pytest.mark.parametrize(("role", "extra"), [
    ("staff", []),
    ("coordinator", []),
    ("admin", []),
    ("nurse", ["Rapporter", "Statistik"]),
    ("manager", ["Rapporter", "Statistik", "Hantera rutiner", "Årshjul"]),
    ("quality", ["Rapporter", "Statistik", "Hantera rutiner", "Årshjul"]),
])
def test_the_navigation_shows_the_work_of_the_role(client, auth, role, extra):
    auth.login_as_role(role)
    links = nav_links(client.get("/").get_data(as_text=True))
    assert [label for _href, label in links] == EVERYONE + extra
    for href, label in links:
        assert client.get(href).status_code == 200, label


def test_the_current_page_is_marked_in_the_navigation(client, auth):
    auth.login_as_role("manager")
    nav = NAV.search(client.get("/statistik").get_data(as_text=True)).group(1)
    assert re.search(r'<a href="/statistik" aria-current="page">Statistik', nav)
