"""Finding 13: behind the reverse proxy each client has its own login limits, and nobody locks another's account."""
import pytest

from tests.conftest import csrf_token_from

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(app_config):
    """The app behind one reverse proxy (FICKAN_PROXY_COUNT=1), which every request comes through."""
    app_config["PROXY_COUNT"] = 1


def login_from(client, address, username="usk.nord", password="demo", forwarded_for=None):
    """A login through the proxy by a client at `address` (what the client itself wrote goes before it)."""
    chain = f"{forwarded_for}, {address}" if forwarded_for else address
    data = {"username": username, "password": password, "csrf_token": csrf_token_from(client)}
    return client.post("/login", data=data, headers={"X-Forwarded-For": chain},
                       environ_base={"REMOTE_ADDR": PROXY})


def test_each_client_behind_the_proxy_has_its_own_address_limit(behind_proxy, app, client):
    app.config["LOGIN_RATE_LIMIT_PER_IP"] = "3 per minute"
    for name in ["a1", "a2", "a3"]:
        assert login_from(client, "198.51.100.1", name, "fel").status_code == 401
    assert login_from(client, "198.51.100.1").status_code == 429
    assert login_from(client, "198.51.100.2").status_code == 303


def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere(behind_proxy, client):
    for _ in range(5):
        assert login_from(client, "198.51.100.66", password="fel").status_code == 401
    assert login_from(client, "198.51.100.66").status_code == 429
    assert login_from(client, "198.51.100.7").status_code == 303


def test_a_username_has_a_ceiling_of_failures_from_all_addresses(behind_proxy, app, client):
    app.config["LOGIN_RATE_LIMIT_PER_USERNAME_ALL"] = "8 per hour"
    for number in range(8):
        assert login_from(client, f"198.51.100.{number}", password="fel").status_code == 401
    assert login_from(client, "198.51.100.99").status_code == 429
    assert login_from(client, "198.51.100.99", "usk.syd").status_code == 303


def test_an_address_written_by_the_client_gives_no_fresh_limit(behind_proxy, app, client):
    app.config["LOGIN_RATE_LIMIT_PER_IP"] = "3 per minute"
    for number in range(3):
        login_from(client, "198.51.100.5", f"a{number}", "fel", forwarded_for=f"203.0.113.{number}")
    assert login_from(client, "198.51.100.5", forwarded_for="203.0.113.200").status_code == 429


def test_without_a_configured_proxy_forwarded_for_is_not_believed(app, client):
    app.config["LOGIN_RATE_LIMIT_PER_IP"] = "3 per minute"
    for number in range(3):
        login_from(client, f"198.51.100.{number}", f"a{number}", "fel")
    assert login_from(client, "198.51.100.50").status_code == 429


def test_the_proxy_count_comes_from_the_environment(tmp_path, monkeypatch):
    from app.config import load_config

    assert load_config(tmp_path)["PROXY_COUNT"] == 0
    monkeypatch.setenv("FICKAN_PROXY_COUNT", "2")
    assert load_config(tmp_path)["PROXY_COUNT"] == 2
