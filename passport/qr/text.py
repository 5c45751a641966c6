"""The QR text form of a document: ``PP2:`` + base45(zlib with a preset dictionary of the JCS bytes).

A transport form, like a pretty-printed file: it never touches signatures. Decoding gives back
a document with the identical RFC 8785 bytes, so every proof still verifies. As in the EU
Digital COVID Certificate, the payload is base45-encoded so the QR code can use alphanumeric
mode; there is no CBOR or COSE layer because the document carries its own Data Integrity proofs.
Any zlib implements it: one zlib stream (RFC 1950) of the canonical bytes, compressed against
the frozen preset dictionary of ``qr.dictionary`` (SPEC.md section 9 says it all).

Decoding is strict and bounded: the prefix and version, the text's length, every base45
character and triplet, the zlib header (it names the preset dictionary), the stream (complete,
nothing after it), the inflated size, strict JSON and the canonical form raise ``QRInvalid`` or
``QRTooLarge`` (or a ``jsonio`` error for JSON that is not acceptable).
"""
from __future__ import annotations

import re
import zlib
from typing import Any

from ..errors import QRInvalid, QRTooLarge
from ..encoding.jcs import canonicalize
from ..encoding.jsonio import MAX_DOCUMENT_BYTES, loads
from .dictionary import DICTIONARY

VERSION = 2
PREFIX = f"PP{VERSION}:"
VERSIONS = (VERSION,)  # every version this reader understands
MAX_TEXT_CHARS = 16 * 4296  # 16 of the largest QR codes: no longer text is a Paspoort QR text
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"  # RFC 9285 = the QR alphanumeric set
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
PREFIX_SHAPE = re.compile(r"PP(\d{1,4}):")  # any version: PP9: text gets "unknown version", not "not ours"
DICTIONARY_ID = zlib.adler32(DICTIONARY)  # the DICTID of the zlib header (RFC 1950)

# --- base45 (RFC 9285) -------------------------------------------------------------------
def b45encode(data: bytes) -> str:
    """Two bytes become three characters (little end first), a last single byte two."""
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        c, rest = divmod(data[i] * 256 + data[i + 1], 45)
        e, d = divmod(c, 45)
        out += (ALPHABET[rest], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        e, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[e])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode base45 strictly: raise ``QRInvalid`` for a character outside the alphabet, a
    length of 1 modulo 3, or a group whose value does not fit its bytes (RFC 9285 section 4.2)."""
    try:
        values = [_VALUES[char] for char in text]
    except KeyError:
        position = next(i for i, char in enumerate(text) if char not in _VALUES)
        raise QRInvalid(
            f"character {text[position]!r} at position {position} is not in the base45 alphabet",
            position=position,
        ) from None
    if len(values) % 3 == 1:
        raise QRInvalid(
            f"base45 text of {len(values)} characters is cut short (length must not be 1 modulo 3)",
            length=len(values),
        )
    out = bytearray()
    for i in range(0, len(values), 3):
        group = values[i:i + 3]
        if len(group) == 3:
            n = group[0] + group[1] * 45 + group[2] * 2025
            if n > 0xFFFF:
                raise QRInvalid(f"base45 group at position {i} has the value {n}, above 65535", position=i)
            out.extend((n >> 8, n & 0xFF))
        else:
            n = group[0] + group[1] * 45
            if n > 0xFF:
                raise QRInvalid(f"base45 pair at position {i} has the value {n}, above 255", position=i)
            out.append(n)
    return bytes(out)


# --- the document codec -------------------------------------------------------------------
def encode_text(document: dict[str, Any]) -> str:
    """``PP2:`` + base45(zlib level 9, window 2^15, with the preset dictionary, of the canonical bytes)."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=DICTIONARY)
    return PREFIX + b45encode(deflater.compress(canonicalize(document)) + deflater.flush())


def decode_text(text: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> dict[str, Any]:
    """The document in ``PP2:`` text; raise ``QRInvalid`` or ``QRTooLarge`` (or a ``jsonio`` error for
    JSON that is not acceptable) instead of returning anything half-read.

    The text is taken exactly as scanned: no whitespace is stripped (space is a base45 digit).
    """
    if not isinstance(text, str):
        raise QRInvalid(f"QR text must be a string, not {type(text).__name__}")
    shape = PREFIX_SHAPE.match(text)
    if shape is None:
        raise QRInvalid(f"not Paspoort QR text: it does not start with {PREFIX}", expected=PREFIX, start=text[:8])
    version = int(shape.group(1))
    if shape.group(1) != str(version) or version not in VERSIONS:  # "PP02:" is not PP2
        raise QRInvalid(f"QR text has version PP{shape.group(1)}, this reader understands {PREFIX} only",
                        version=shape.group(1), expected=PREFIX)
    if len(text) > MAX_TEXT_CHARS:
        raise QRTooLarge(f"QR text has {len(text)} characters, the limit is {MAX_TEXT_CHARS} (16 of the largest "
                         "QR codes)", size=len(text), limit=MAX_TEXT_CHARS)
    data = inflate(b45decode(text[shape.end():]), max_bytes=max_bytes)
    document = loads(data, max_bytes=max_bytes)
    if not isinstance(document, dict):
        raise QRInvalid(f"QR text holds a JSON {type(document).__name__}, not a document")
    if canonicalize(document) != data:
        raise QRInvalid("QR payload is not in RFC 8785 canonical form")
    return document


def check_header(data: bytes) -> None:
    """The zlib header (RFC 1950 2.2) of a PP2 payload: deflate, a valid check, and the preset
    dictionary named by its Adler-32, so a stream for another dictionary (or none) is refused by name."""
    if len(data) < 6:
        raise QRInvalid(f"QR payload of {len(data)} bytes is too short for a zlib stream", compressed=len(data))
    cmf, flg = data[0], data[1]
    if cmf & 0x0F != 8 or cmf >> 4 > 7 or (cmf * 256 + flg) % 31:
        raise QRInvalid("QR payload is not a valid zlib stream: bad zlib header", compressed=len(data))
    if not flg & 0x20 or int.from_bytes(data[2:6], "big") != DICTIONARY_ID:
        raise QRInvalid(f"QR payload is not a valid zlib stream: it must be compressed with the {PREFIX} preset "
                        f"dictionary (DICTID {DICTIONARY_ID:08x})", compressed=len(data))


def inflate(data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Inflate one complete zlib stream (RFC 1950) made with the preset dictionary to at most ``max_bytes``."""
    check_header(data)
    inflater = zlib.decompressobj(zdict=DICTIONARY)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise QRInvalid(f"QR payload is not a valid zlib stream: {exc}") from None
    if len(out) > max_bytes:
        raise QRTooLarge(
            f"QR payload inflates to more than {max_bytes} bytes", limit=max_bytes, compressed=len(data)
        )
    if not inflater.eof:
        raise QRInvalid("QR payload is a truncated zlib stream", compressed=len(data))
    if inflater.unused_data:
        raise QRInvalid(
            f"QR payload has {len(inflater.unused_data)} bytes after the zlib stream",
            trailing=len(inflater.unused_data),
        )
    return out
