"""Multibase and multicodec: the encodings of keys, signatures and status lists.

Only the bases and codecs this project uses: base58btc (``z``) for keys and ``proofValue``,
base64url without padding (``u``) for ``encodedList``; multicodec ``ed25519-pub`` (0xed01) and
``ed25519-priv`` (0x8026).
"""
from __future__ import annotations

import base64
import re

from ..errors import KeyInvalid

try:
    from .._native import b58decode as _native_b58decode
except ImportError:  # built by `pip install`; b58decode_python does the same work
    _native_b58decode = None

ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"

# Upper bounds before decoding (base58 decoding is quadratic in the input length).
MAX_MULTIKEY_CHARS = 50  # z + base58btc of 34 bytes is 48 characters
MAX_SIGNATURE_CHARS = 90  # z + base58btc of 64 bytes is at most 89 characters

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: index for index, char in enumerate(_B58)}


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_B58[rest])
    return "1" * zeros + "".join(reversed(digits))


_B58_VALID = re.compile(r"[1-9A-HJ-NP-Za-km-z]*")
_B58_DIGITS = str.maketrans({char: chr(index) for index, char in enumerate(_B58)})


def b58decode(text: str) -> bytes:
    """Decode base58btc; ``ValueError`` for a character outside the alphabet.

    This runs for every proof verified: the native module does it when built.
    """
    if _native_b58decode is not None and type(text) is str:
        decoded = _native_b58decode(text)
        if decoded is not None:
            return decoded
    return b58decode_python(text)


def b58decode_python(text: str) -> bytes:
    """``b58decode`` in Python: validate with one regex, map characters to digit values with
    ``str.translate``, then one small loop over bytes."""
    if not _B58_VALID.fullmatch(text):
        bad = next(char for char in text if char not in _B58_INDEX)
        raise ValueError(f"{bad!r} is not a base58btc character")
    number = 0
    for digit in text.translate(_B58_DIGITS).encode("latin-1"):
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode_z(data: bytes) -> str:
    """Multibase base58btc: ``z`` + base58btc."""
    return "z" + b58encode(data)


def decode_z(text: str) -> bytes:
    """Decode a multibase base58btc string; ``ValueError`` when it is not one."""
    if not isinstance(text, str) or not text.startswith("z") or len(text) < 2:
        raise ValueError("not a multibase base58btc value (must start with 'z')")
    return b58decode(text[1:])


def encode_u(data: bytes) -> str:
    """Multibase base64url without padding: ``u`` + base64url."""
    return "u" + base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_u(text: str) -> bytes:
    """Decode a multibase base64url string (padding optional); ``ValueError`` otherwise."""
    if not isinstance(text, str) or not text.startswith("u"):
        raise ValueError("not a multibase base64url value (must start with 'u')")
    body = text[1:]
    if any(char in body for char in "+/="):
        raise ValueError("base64url uses '-' and '_' and no padding")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, base64.binascii.Error) as exc:
        raise ValueError(f"not base64url: {exc}") from exc


def decode_multikey(text: str, codec: bytes, what: str) -> bytes:
    """Decode a Multikey value with the expected multicodec prefix to its 32 raw key bytes."""
    if not isinstance(text, str) or len(text) > MAX_MULTIKEY_CHARS:
        raise KeyInvalid(f"{what} is not an Ed25519 Multikey value (too long or not a string)")
    try:
        raw = decode_z(text)
    except ValueError as exc:
        raise KeyInvalid(f"{what} is not a multibase value: {exc}") from exc
    if raw[:2] != codec:
        raise KeyInvalid(f"{what} is not an Ed25519 Multikey (prefix {raw[:2].hex()}, expected {codec.hex()})")
    if len(raw) != 34:
        raise KeyInvalid(f"{what} has {len(raw) - 2} key bytes, an Ed25519 key has 32")
    return raw[2:]
