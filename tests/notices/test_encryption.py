"""One push message encrypted for one subscription: what the phone decrypts, never the same bytes twice."""
import os

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.notices import encryption
from app.notices.encryption import encrypt


def browser_keys():
    private = ec.generate_private_key(ec.SECP256R1())
    point = private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return private, point, os.urandom(16)


def test_the_phone_decrypts_what_was_encrypted_for_it():
    private, point, auth = browser_keys()
    body = encrypt(b'{"web_push":8030}', point, auth)
    assert http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm") == b'{"web_push":8030}'


def test_each_try_gets_its_own_sender_key_and_salt():
    _, point, auth = browser_keys()
    first, second = encrypt(b"hej", point, auth), encrypt(b"hej", point, auth)
    assert first[:16] != second[:16] and first[21:86] != second[21:86]  # salt; the sender's public key


def test_the_same_bytes_as_http_ece_for_the_same_sender_key_and_salt(monkeypatch):
    _, point, auth = browser_keys()
    sender, salt = ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
    monkeypatch.setattr(encryption.ec, "generate_private_key", lambda curve: sender)
    monkeypatch.setattr(encryption.os, "urandom", lambda size: salt)
    for payload in (b"x", b'{"web_push":8030}' * 200, b"y" * encryption.MAX_ONE_RECORD):
        expected = http_ece.encrypt(payload, salt=salt, private_key=sender, dh=point, auth_secret=auth,
                                    version="aes128gcm")
        assert encrypt(payload, point, auth) == expected
        assert encrypt(payload, point, auth, encryption.receiver_public_key(point)) == expected


def test_a_payload_longer_than_one_record_is_still_decrypted_whole():
    private, point, auth = browser_keys()
    payload = os.urandom(5000)
    body = encrypt(payload, point, auth)
    assert http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm") == payload
