"""Finding 2: the `next` of the login page never leads to another site, and never breaks the page."""
import pytest

from app.accounts.rules import same_site_path
from tests.conftest import csrf_token_from

# Raw query values, as an attacker would write them in a link.
HOSTILE_NEXT = [
    "/%09/evil.example/x",
    "/%0a/x",
    "/%0d/evil.example",
    "/%00/evil.example",
    "%09//evil.example",
    "%20//evil.example",
    "//evil.example",
    "///evil.example",
    "//%09evil.example",
    "/%5Cevil.example",
    "/%5C/evil.example",
    "%5C%5Cevil.example",
    "https://evil.example",
    "https:/evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "evil.example",
    "/%E2%80%8B/evil.example",
    "/%E3%80%80/evil.example",
    "/%C2%A0/evil.example",
]


def post_login(client, next_value):
    data = {"username": "usk.nord", "password": "demo", "csrf_token": csrf_token_from(client)}
    return client.post(f"/login?next={next_value}", data=data)


@pytest.mark.parametrize("next_value", HOSTILE_NEXT)
def test_login_sends_a_hostile_next_to_the_start_page(client, next_value):
    response = post_login(client, next_value)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("next_value", HOSTILE_NEXT)
def test_a_signed_in_user_is_not_sent_on_by_a_hostile_next(client, auth, next_value):
    auth.login()
    response = client.get(f"/login?next={next_value}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_control_characters_in_next_cannot_write_headers(client):
    response = post_login(client, "/rutiner%0d%0aSet-Cookie:%20x=1")
    assert response.status_code == 303
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]
    assert not any(cookie.startswith("x=") for cookie in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("target", ["/", "/rutiner", "/rutiner?q=fall", "/rapporter/mina#senaste", "/a/b//c"])
def test_paths_on_this_site_are_kept(target):
    assert same_site_path(target) == target


def test_a_page_of_this_site_is_where_login_leads(client):
    assert post_login(client, "/meddelanden?visa=alla").headers["Location"] == "/meddelanden?visa=alla"
