"""PP3, the compact QR payload of one Paspoort document (SPEC.md section 9).

    payload = encode(document)                    # bytes; qrtext adds base45 and "PP3:"
    document = decode(payload, max_bytes=...)     # QRInvalid / QRTooLarge, nothing else

A document is split into what the format predicts (keys, value types, fixed values: the
structure stream, DEFLATE with a frozen preset dictionary) and what it adds (keys, signatures,
identifiers, dates, numbers and free text: one range-coded value stream with exact transforms
and a frozen Dutch+English word model). A 3-byte CRC of the canonical JSON checks the result.

Modules, bottom up: ``rangecoder`` (the entropy coder and adaptive models), ``tables`` (frozen
keys, values and tags), ``wordmodel`` (the frozen data files), ``values`` (exact transforms of
keys, bytes, UUIDs, dates and numbers), ``text`` (the word-by-word text coder), ``writer`` and
``reader`` (the document walk), ``codec`` (payload layout and check).
"""
from .codec import CHECK_BYTES, decode, encode

__all__ = ["CHECK_BYTES", "decode", "encode"]
