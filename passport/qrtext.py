"""The QR text form of a document: ``PP3:`` + base45(PP3 payload); ``PP2:`` and ``PP1:`` still read.

A transport form, like a pretty-printed file: it never touches signatures. Decoding gives back
a document with the identical RFC 8785 bytes, so every proof still verifies. As in the EU
Digital COVID Certificate, the payload is base45-encoded so the QR code can use alphanumeric
mode; there is no CBOR or COSE layer because the document carries its own Data Integrity proofs.

* ``PP3:`` (written today): the model-based codec in ``passport.pp3``, about 45 % fewer
  characters than PP2, with a 24-bit check of the decoded document.
* ``PP2:`` (read): zlib with a frozen preset dictionary (``qrdictionary``) of the JCS bytes.
* ``PP1:`` (read): plain zlib of the JCS bytes. Printed passports carry both for years.

Decoding is strict and bounded: the prefix and version, every base45 character and triplet,
and then the version's payload (PP1/PP2: the zlib stream, complete, nothing after it, the
inflated size, strict JSON, canonical form; PP3: see ``passport.pp3``) raise ``QRInvalid``
or ``QRTooLarge`` (or a ``jsonio`` error for PP1/PP2 JSON that is not acceptable).
"""
from __future__ import annotations

import re
import zlib
from typing import Any

from . import pp3
from .errors import QRInvalid, QRTooLarge
from .jcs import canonicalize
from .jsonio import MAX_DOCUMENT_BYTES, loads
from .qrdictionary import DICTIONARY

VERSION = 3
PREFIX = f"PP{VERSION}:"
DICTIONARIES = {1: b"", 2: DICTIONARY}  # the zlib versions this reader understands -> preset dictionary
VERSIONS = (1, 2, 3)  # every version this reader understands
# PP3 documents are capped lower than JSON input: the largest QR code (4,296 characters) holds
# well under this, and decoding time grows with the output, so hostile text stays cheap to refuse.
PP3_MAX_BYTES = 256 * 1024
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"  # RFC 9285 = the QR alphanumeric set
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
PREFIX_SHAPE = re.compile(r"PP(\d{1,4}):")  # any version: PP2: text gets "unknown version", not "not ours"


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
    """``PP3:`` + base45(the PP3 payload of the document). A document larger than a decoder
    accepts (``PP3_MAX_BYTES`` of canonical JSON) is refused with ``QRTooLarge``."""
    return PREFIX + b45encode(pp3.encode(document, max_bytes=PP3_MAX_BYTES))


def encode_text_pp2(document: dict[str, Any]) -> str:
    """The ``PP2:`` text of a document (no longer written by ``encode_text``; kept for tests and
    comparisons): base45(zlib level 9, with the PP2 dictionary, of the canonical bytes)."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=DICTIONARIES[2])
    return "PP2:" + b45encode(deflater.compress(canonicalize(document)) + deflater.flush())


def decode_text(text: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> dict[str, Any]:
    """The document in ``PP3:``, ``PP2:`` or ``PP1:`` text; raise ``QRInvalid`` or ``QRTooLarge`` (or a
    ``jsonio`` error for PP1/PP2 JSON that is not acceptable) instead of returning anything half-read.

    The text is taken exactly as scanned: no whitespace is stripped (space is a base45 digit).
    """
    if not isinstance(text, str):
        raise QRInvalid(f"QR text must be a string, not {type(text).__name__}")
    shape = PREFIX_SHAPE.match(text)
    if shape is None:
        raise QRInvalid(f"not Paspoort QR text: it does not start with {PREFIX}", expected=PREFIX, start=text[:8])
    version = int(shape.group(1))
    if shape.group(1) != str(version) or version not in VERSIONS:  # "PP02:" is not PP2
        known = ", ".join(f"PP{v}:" for v in VERSIONS[:-1]) + f" and PP{VERSIONS[-1]}:"
        raise QRInvalid(f"QR text has version PP{shape.group(1)}, this reader understands {known}",
                        version=shape.group(1), expected=PREFIX)
    payload = text[shape.end():]
    if len(payload) > max_bytes * 3 // 2:  # more compressed bytes than a whole document may have
        raise QRTooLarge(
            f"QR text has {len(payload)} base45 characters, the limit is {max_bytes * 3 // 2}",
            size=len(payload), limit=max_bytes * 3 // 2,
        )
    if version == 3:
        document = pp3.decode(b45decode(payload), max_bytes=min(max_bytes, PP3_MAX_BYTES))
        if not isinstance(document, dict):
            raise QRInvalid(f"QR text holds a JSON {type(document).__name__}, not a document")
        return document
    data = inflate(b45decode(payload), max_bytes=max_bytes, dictionary=DICTIONARIES[version])
    document = loads(data, max_bytes=max_bytes)
    if not isinstance(document, dict):
        raise QRInvalid(f"QR text holds a JSON {type(document).__name__}, not a document")
    if canonicalize(document) != data:
        raise QRInvalid("QR payload is not in RFC 8785 canonical form")
    return document


def inflate(data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES, dictionary: bytes = b"") -> bytes:
    """Inflate one complete zlib stream (RFC 1950) to at most ``max_bytes``."""
    inflater = zlib.decompressobj(zdict=dictionary) if dictionary else zlib.decompressobj()
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
