"""The VAPID key: made once with mode 600, taken from the environment, never silently replaced."""
import base64
import os
import stat

import pytest

from app.config import load_config
from app.notices.keys import VAPID_KEY_FILE, VapidKeyError, b64url_decode, load_vapid_keys


def test_the_key_is_generated_once_with_mode_600(tmp_path):
    first = load_vapid_keys(tmp_path, {})
    second = load_vapid_keys(tmp_path, {})
    assert first == second
    assert stat.S_IMODE((tmp_path / VAPID_KEY_FILE).stat().st_mode) == 0o600
    assert len(b64url_decode(first[1])) == 65


def test_a_corrupt_key_file_stops_the_start_instead_of_being_replaced(tmp_path):
    (tmp_path / VAPID_KEY_FILE).write_text("not a key")
    with pytest.raises(VapidKeyError):
        load_config(tmp_path)
    assert (tmp_path / VAPID_KEY_FILE).read_text() == "not a key"


def test_an_empty_key_file_stops_the_start(tmp_path):
    (tmp_path / VAPID_KEY_FILE).write_text("")
    with pytest.raises(VapidKeyError):
        load_vapid_keys(tmp_path, {})


def test_keys_from_the_environment_win_and_are_not_written(tmp_path):
    private_pem, public = load_vapid_keys(tmp_path / "a", {})
    environment = {"FICKAN_VAPID_PRIVATE_KEY": private_pem, "FICKAN_VAPID_PUBLIC_KEY": public}
    assert load_vapid_keys(tmp_path / "b", environment) == (private_pem, public)
    assert not (tmp_path / "b" / VAPID_KEY_FILE).exists()


def test_a_raw_base64url_private_key_is_accepted(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec

    from app.notices.keys import b64url, public_key_b64

    key = ec.generate_private_key(ec.SECP256R1())
    raw = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    assert load_vapid_keys(tmp_path, {"FICKAN_VAPID_PRIVATE_KEY": raw})[1] == public_key_b64(key)


def test_a_public_key_that_does_not_match_is_refused(tmp_path):
    private_pem, _ = load_vapid_keys(tmp_path / "a", {})
    _, other_public = load_vapid_keys(tmp_path / "b", {})
    with pytest.raises(VapidKeyError):
        load_vapid_keys(tmp_path, {"FICKAN_VAPID_PRIVATE_KEY": private_pem, "FICKAN_VAPID_PUBLIC_KEY": other_public})


@pytest.mark.parametrize("text", [base64.urlsafe_b64encode(os.urandom(n)).decode().rstrip("=") for n in range(67)] + [
    " ab-_ ", "a", "a=b", "ab!c", "å", "ab\ncd", "a+/b", "====", "abcd=", "ab cd"])
def test_base64url_is_read_as_urlsafe_b64decode_reads_it_padded(text):
    def outcome(decode):
        try:
            return decode(text)
        except ValueError as error:
            return type(error)

    padded = text.strip() + "=" * (-len(text.strip()) % 4)
    assert outcome(b64url_decode) == outcome(lambda _: base64.urlsafe_b64decode(padded))
