"""Encoding and decoding one document: the structure stream, the value stream and the check.

    payload = check (3 bytes) || raw DEFLATE(structure, preset dictionary) || range-coded values

``check`` is the low 24 bits of the CRC-32 of the document's RFC 8785 bytes, big-endian. The
decoder rebuilds the document, canonicalizes it and compares, so a damaged text is reported as
damaged instead of turning into another document.

The **structure stream** is a walk of the JSON value (object members in RFC 8785 order): one tag
per value (``tables``: OBJECT ... STATUS_ID), a key code per member and END after the members
or items of a container; the bytes of fixed values (a CONST code, a PREFIXED prefix code, the
byte length of a BASE58 or BASE64URL value) follow their tag. Everything else goes to the
**value stream**, in the same order: the 32 key bytes of a new DID (later mentions are
DID_REF: an index into the DIDs seen so far, uniformly), raw bytes, numbers, dates and texts.

One exception to the member order: an object whose ``id`` equals ``statusListCredential + "#" +
statusListIndex`` (both strings) writes ``id`` last, as the key code with the value tag
STATUS_ID and nothing in the value stream.
"""
from __future__ import annotations

import zlib
from typing import Any

from ..errors import PassportError, QRInvalid, QRTooLarge
from ..jcs import canonicalize
from .reader import StructureReader
from .wordmodel import structure_dictionary, word_model
from .writer import StructureWriter

CHECK_BYTES = 3
_DAMAGED = "QR text is damaged"


def check_value(canonical: bytes) -> bytes:
    return (zlib.crc32(canonical) & 0xFFFFFF).to_bytes(CHECK_BYTES, "big")


def encode(document: Any, *, max_bytes: int) -> bytes:
    """The PP3 payload of a JSON value: check, DEFLATE'd structure, values. A value without an
    RFC 8785 form raises ``jcs``'s error; one over ``max_bytes`` of canonical JSON (more than a
    decoder accepts) raises ``QRTooLarge``."""
    canonical = canonicalize(document)
    if len(canonical) > max_bytes:
        raise QRTooLarge(f"the document has {len(canonical)} bytes, more than the {max_bytes} a QR text may hold",
                         size=len(canonical), limit=max_bytes)
    writer = StructureWriter(word_model())
    writer.value(document)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict=structure_dictionary())
    return check_value(canonical) + deflater.compress(bytes(writer.structure)) + deflater.flush() \
        + writer.encoder.finish()


def decode(payload: bytes, *, max_bytes: int) -> Any:
    """The JSON value in a PP3 payload; ``QRInvalid`` when it is damaged, ``QRTooLarge`` when
    it would decode to more than ``max_bytes``. Nothing else escapes."""
    try:
        return _decode(payload, max_bytes)
    except (IndexError, KeyError, TypeError, ValueError, ArithmeticError, RecursionError, UnicodeError) as exc:
        raise QRInvalid(f"{_DAMAGED}: its payload does not decode ({type(exc).__name__})") from None


def _decode(payload: bytes, max_bytes: int) -> Any:
    if len(payload) <= CHECK_BYTES:
        raise QRInvalid(f"{_DAMAGED}: its payload of {len(payload)} bytes is too short")
    inflater = zlib.decompressobj(-15, zdict=structure_dictionary())
    try:
        structure = inflater.decompress(payload[CHECK_BYTES:], max_bytes + 1)
    except zlib.error as exc:
        raise QRInvalid(f"{_DAMAGED}: its structure stream is not valid DEFLATE ({exc})") from None
    if len(structure) > max_bytes:
        raise QRTooLarge(f"QR text decodes to more than {max_bytes} bytes", limit=max_bytes)
    if not inflater.eof:
        raise QRInvalid(f"{_DAMAGED}: its structure stream is cut short")
    reader = StructureReader(structure, inflater.unused_data, word_model(), max_bytes)
    document = reader.value()
    if not reader.finished():
        raise QRInvalid(f"{_DAMAGED}: it has data after the document")
    try:
        canonical = canonicalize(document)
    except PassportError as exc:
        raise QRInvalid(f"{_DAMAGED}: it decodes to a value without an RFC 8785 form ({exc})") from None
    if len(canonical) > max_bytes:
        raise QRTooLarge(f"QR text decodes to more than {max_bytes} bytes", limit=max_bytes)
    if check_value(canonical) != payload[:CHECK_BYTES]:
        raise QRInvalid(f"{_DAMAGED}: its check value does not match the decoded document")
    return document
