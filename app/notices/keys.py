"""The VAPID key pair: from the environment or generated once into instance/ (mode 600), never silently replaced."""
import base64
import binascii
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

VAPID_KEY_FILE = "vapid_private_key.pem"


class VapidKeyError(RuntimeError):
    """The VAPID key is missing, unreadable or does not match: every push subscription depends on it."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


URLSAFE_TO_STANDARD = bytes.maketrans(b"-_", b"+/")


def b64url_decode(text: str) -> bytes:
    """base64.urlsafe_b64decode of the text padded (as lenient, with the same errors), in one binascii call: a
    fan-out decodes two keys per message."""
    text = text.strip()
    try:
        data = text.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("string argument should contain only ASCII characters") from None
    return binascii.a2b_base64(data.translate(URLSAFE_TO_STANDARD) + b"=" * (-len(data) % 4))


def parse_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A P-256 private key from PEM, or from the base64url raw 32-byte scalar that VAPID tools print."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = b64url_decode(text)
            if len(raw) == 32:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError) as error:
        raise VapidKeyError(f"the VAPID private key cannot be read: {error}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise VapidKeyError("the VAPID private key must be an EC key on P-256")
    return key


def public_key_b64(key: ec.EllipticCurvePrivateKey) -> str:
    """The public key as the browser's applicationServerKey wants it: base64url of the uncompressed point."""
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(point)


def private_key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def read_or_create_key_file(instance_path: Path) -> str:
    """The PEM in instance/vapid_private_key.pem, generated (mode 600) only when the file does not exist."""
    path = instance_path / VAPID_KEY_FILE
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two workers starting together must not write two different keys.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(private_key_pem(ec.generate_private_key(ec.SECP256R1())))
    try:
        text = path.read_text()
    except OSError as error:
        raise VapidKeyError(f"{path} exists but cannot be read ({error}); restore it, do not delete it: "
                            "a new key would end every push subscription") from None
    if not text.strip():
        raise VapidKeyError(f"{path} is empty; restore it from a backup (a new key ends every push subscription)")
    return text


def load_vapid_keys(instance_path: Path, environ=os.environ) -> tuple[str, str]:
    """(private key PEM, public key base64url): FICKAN_VAPID_PRIVATE_KEY wins, else the file in instance/."""
    given = environ.get("FICKAN_VAPID_PRIVATE_KEY")
    given_public = environ.get("FICKAN_VAPID_PUBLIC_KEY")
    if given_public and not given:
        raise VapidKeyError("FICKAN_VAPID_PUBLIC_KEY is set without FICKAN_VAPID_PRIVATE_KEY")
    key = parse_private_key(given) if given else parse_private_key(read_or_create_key_file(instance_path))
    public = public_key_b64(key)
    if given_public and b64url_decode(given_public) != b64url_decode(public):
        raise VapidKeyError("FICKAN_VAPID_PUBLIC_KEY does not belong to FICKAN_VAPID_PRIVATE_KEY")
    return private_key_pem(key), public
