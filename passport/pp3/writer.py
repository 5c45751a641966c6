"""The encoder's walk of a JSON value into the structure stream and the value stream.

See ``codec`` for the layout. The value transforms are tried in a fixed order (the first that
applies wins): fixed value (CONST), ``did:key:K#K`` verification method, ``did:key``, multibase
base58btc (BASE58_64 for 64 bytes, else BASE58 up to 254 bytes), multibase base64url (up to 254
bytes), ``urn:uuid:``, date-time, date, digit string, a text seen before (TEXT_REF), text
holding the UUID mark (TEXT_RAW), text starting with one of ``PREFIXES`` (PREFIXED), other text.
In TEXT and PREFIXED text every lower-case UUID is replaced by the UUID mark and its 16 bytes
follow the text in the value stream.
"""
from __future__ import annotations

from typing import Any

from . import tables as t
from . import values as v
from .rangecoder import Encoder
from .text import TextState, encode_text
from .wordmodel import WordModel


def _member_order(document: dict[str, Any]) -> tuple[list[str], bool]:
    """The keys in RFC 8785 order, and whether ``id`` is a derived status id (then it is last)."""
    keys = sorted(document, key=lambda key: key.encode("utf-16-be"))
    list_url, index = document.get("statusListCredential"), document.get("statusListIndex")
    derived = isinstance(list_url, str) and isinstance(index, str) and document.get("id") == f"{list_url}#{index}"
    if derived:
        keys.remove("id")
        keys.append("id")
    return keys, derived


class StructureWriter:
    """Walks a JSON value (already checked by ``canonicalize``) into the two streams."""

    def __init__(self, model: WordModel) -> None:
        self.structure = bytearray()
        self.encoder = Encoder()
        self.text = TextState(model, limit=0)
        self.numbers = v.NumberModels()
        self.dids: dict[bytes, int] = {}
        self.texts: dict[str, int] = {}

    def value(self, value: Any) -> None:
        out = self.structure
        if value is None or value is True or value is False:
            out.append(t.NULL if value is None else t.TRUE if value else t.FALSE)
        elif isinstance(value, int):
            out.append(t.INTEGER)
            v.encode_uint(self.encoder, self.numbers.integer, v.zigzag(value))
        elif isinstance(value, float):
            out.append(t.FLOAT)
            encode_text(self.encoder, self.text, repr(value))
        elif isinstance(value, str):
            self.string(value)
        elif isinstance(value, list):
            out.append(t.ARRAY)
            for item in value:
                self.value(item)
            out.append(t.END)
        else:
            out.append(t.OBJECT)
            keys, derived = _member_order(value)
            for key in keys:
                if key in t.KEY_CODES:
                    out.append(t.KEY_CODES[key])
                else:
                    out.append(t.KEY_LITERAL)
                    encode_text(self.encoder, self.text, key)
                if derived and key == "id":
                    out.append(t.STATUS_ID)
                else:
                    self.value(value[key])
            out.append(t.END)

    def did(self, key: bytes, new_tag: int, ref_tag: int) -> None:
        index = self.dids.get(key)
        if index is not None:
            self.structure.append(ref_tag)
            self.encoder.uniform(index, len(self.dids))
        else:
            self.dids[key] = len(self.dids)
            self.structure.append(new_tag)
            self.raw(key)

    def raw(self, data: bytes) -> None:
        self.encoder.bits(int.from_bytes(data, "big"), 8 * len(data))

    def string(self, text: str) -> None:  # noqa: C901 - one branch per transform, in priority order
        out, encoder = self.structure, self.encoder
        if text in t.CONST_CODES:
            out += bytes((t.CONST, t.CONST_CODES[text]))
            return
        for pattern, new_tag, ref_tag in ((v.VERIFICATION_METHOD, t.METHOD_NEW, t.METHOD_REF),
                                          (v.DID_KEY, t.DID_NEW, t.DID_REF)):
            match = pattern.match(text)
            if match and (key := v.did_key_bytes(match.group(1))) is not None:
                self.did(key, new_tag, ref_tag)
                return
        if (raw := v.base58_bytes(text)) is not None and len(raw) < 255:
            out += bytes((t.BASE58_64,)) if len(raw) == 64 else bytes((t.BASE58, len(raw)))
            self.raw(raw)
            return
        if (raw := v.base64url_bytes(text)) is not None and len(raw) < 255:
            out += bytes((t.BASE64URL, len(raw)))
            self.raw(raw)
            return
        if match := v.URN_UUID.match(text):
            out.append(t.URN_UUID)
            self.raw(v.uuid_bytes(match.group(1)))
            return
        if v.DATE_TIME.match(text) and (seconds := v.parse_date_time(text)) is not None:
            out.append(t.DATE_TIME)
            v.encode_date_time(encoder, self.numbers, seconds)
            return
        if v.DATE.match(text) and (seconds := v.parse_date_time(text + "T00:00:00Z")) is not None:
            out.append(t.DATE)
            v.encode_date(encoder, self.numbers, seconds)
            return
        if v.DIGITS.match(text):
            out.append(t.DIGITS)
            v.encode_uint(encoder, self.numbers.digits, int(text))
            return
        index = self.texts.get(text)
        if index is not None:
            out.append(t.TEXT_REF)
            encoder.uniform(index, len(self.texts))
            return
        self.texts[text] = len(self.texts)
        if t.UUID_MARK in text:  # the mark itself is text here: no UUIDs are taken out
            out.append(t.TEXT_RAW)
            encode_text(encoder, self.text, text)
            return
        prefix = next((code for code, start in enumerate(t.PREFIXES) if text.startswith(start)), None)
        if prefix is None:
            out.append(t.TEXT)
        else:
            out += bytes((t.PREFIXED, prefix))
            text = text[len(t.PREFIXES[prefix]):]
        uuids = [v.uuid_bytes(match.group()) for match in v.UUID_TEXT.finditer(text)]
        encode_text(encoder, self.text, v.UUID_TEXT.sub(t.UUID_MARK, text))
        for uuid in uuids:
            self.raw(uuid)


def structure_tokens(document: Any, model: WordModel) -> bytes:
    """The structure stream of ``document`` alone (``examples/build_pp3_data.py`` uses it)."""
    writer = StructureWriter(model)
    writer.value(document)
    return bytes(writer.structure)
