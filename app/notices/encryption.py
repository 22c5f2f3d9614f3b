"""The encryption of one push message for one subscription (RFC 8291, aes128gcm), as pywebpush does it."""
import http_ece
from cryptography.hazmat.primitives.asymmetric import ec


def encrypt(payload: bytes, receiver_key: bytes, auth_secret: bytes) -> bytes:
    """The aes128gcm body for a subscription's decoded keys (p256dh, auth), with a new sender key and salt each time.

    What pywebpush's WebPusher(subscription).encode(payload) does, by the same http_ece call, without the wrapper
    it builds around each message: a deep copy of the subscription, its keys decoded again, and a sender key
    serialised that aes128gcm never sends. A fan-out decodes each subscription's keys once, before its tries.
    """
    sender_key = ec.generate_private_key(ec.SECP256R1())
    return http_ece.encrypt(payload, private_key=sender_key, dh=receiver_key, auth_secret=auth_secret,
                            version="aes128gcm")
