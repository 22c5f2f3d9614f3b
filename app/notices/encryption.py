"""The encryption of one push message for one subscription: aes128gcm (RFC 8188) as Web Push uses it (RFC 8291).

The same steps, keys and bytes as http_ece.encrypt(version="aes128gcm") with pywebpush's defaults (record size
4096, one record, no padding), written out: http_ece builds three HKDF objects, a Cipher context and the sender's
public point three times per message, and that glue cost about as much as the elliptic-curve work. Here the HKDF
steps are one HMAC-SHA256 each (every output fits in one block) and the record is one AES-GCM call. A payload too
large for one record goes to http_ece itself. tests/notices/test_encryption.py decrypts the result with http_ece.
"""
import hmac
import os

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

RECORD_SIZE = 4096
# One record holds the payload, the delimiter octet and the 16-octet tag.
MAX_ONE_RECORD = RECORD_SIZE - 17
CURVE = ec.SECP256R1()
ECDH = ec.ECDH()
# The header after the salt (RFC 8188 §2.1): record size, then the key id's length, which is the sender's
# uncompressed P-256 point.
RECORD_SIZE_AND_KEY_ID_LENGTH = RECORD_SIZE.to_bytes(4, "big") + bytes([65])
WEBPUSH_INFO = b"WebPush: info\x00"  # RFC 8291 §3.4
CEK_INFO = b"Content-Encoding: aes128gcm\x00\x01"  # RFC 8188 §2.2, with HKDF-Expand's counter octet
NONCE_INFO = b"Content-Encoding: nonce\x00\x01"  # RFC 8188 §2.3
LAST_RECORD = b"\x02"


def receiver_public_key(receiver_key: bytes) -> ec.EllipticCurvePublicKey:
    """A subscription's p256dh as a key; raises ValueError when it is not a point on P-256."""
    return ec.EllipticCurvePublicKey.from_encoded_point(CURVE, receiver_key)


def encrypt(payload: bytes, receiver_key: bytes, auth_secret: bytes,
            receiver: ec.EllipticCurvePublicKey | None = None) -> bytes:
    """The aes128gcm body for a subscription's decoded keys (p256dh, auth), with a new sender key and salt each time.

    `receiver` is receiver_key already parsed (a fan-out parses it once for all the tries of one message).
    """
    if not payload or len(payload) > MAX_ONE_RECORD:  # no record, or more than one: http_ece's own loop
        return http_ece.encrypt(payload, private_key=ec.generate_private_key(CURVE), dh=receiver_key,
                                auth_secret=auth_secret, version="aes128gcm")
    if receiver is None:
        receiver = receiver_public_key(receiver_key)
    sender_key = ec.generate_private_key(CURVE)
    sender_point = sender_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    shared = sender_key.exchange(ECDH, receiver)
    # HKDF(salt=auth_secret, ikm=shared, info="WebPush: info\0" ‖ ua_public ‖ as_public, L=32): extract, then one
    # expand block.
    ikm = hmac.digest(hmac.digest(auth_secret, shared, "sha256"),
                      WEBPUSH_INFO + receiver_key + sender_point + b"\x01", "sha256")
    salt = os.urandom(16)
    prk = hmac.digest(salt, ikm, "sha256")
    content_key = hmac.digest(prk, CEK_INFO, "sha256")[:16]
    nonce = hmac.digest(prk, NONCE_INFO, "sha256")[:12]  # the first record's nonce: XOR with counter 0
    record = AESGCM(content_key).encrypt(nonce, payload + LAST_RECORD, None)
    return b"".join((salt, RECORD_SIZE_AND_KEY_ID_LENGTH, sender_point, record))
