"""The decoder's walk: rebuild a JSON value from the structure stream and the value stream.

The mirror of ``writer``, strict about everything a hostile text can put in either stream:
unknown tags, key, value and prefix codes, a repeated key, a reference before anything was
seen, a container nested deeper than ``jcs.MAX_DEPTH``, an integer outside JSON's safe range,
a float that is not written the way Python writes it, a date that does not exist, or more
output than the size limit all raise ``QRInvalid`` (``QRTooLarge`` for the size). Every loop
consumes structure bytes or counted output, so decoding time is bounded by the limit.
"""
from __future__ import annotations

import math
from typing import Any

from ..errors import QRInvalid
from ..jcs import MAX_DEPTH, MAX_SAFE_INTEGER
from ..multibase import encode_u, encode_z
from . import tables as t
from . import values as v
from .rangecoder import Decoder
from .text import TextState, decode_text
from .wordmodel import WordModel

_DAMAGED = "QR text is damaged"


class StructureReader:
    def __init__(self, structure: bytes, data: bytes, model: WordModel, limit: int) -> None:
        self.structure = structure
        self.at = 0
        self.decoder = Decoder(data)
        self.text = TextState(model, limit)
        self.numbers = v.NumberModels()
        self.dids: list[bytes] = []
        self.texts: list[str] = []

    def byte(self) -> int:
        if self.at >= len(self.structure):
            raise QRInvalid(f"{_DAMAGED}: its structure stream is cut short")
        value = self.structure[self.at]
        self.at += 1
        return value

    def peek(self) -> int | None:
        return self.structure[self.at] if self.at < len(self.structure) else None

    def raw(self, size: int) -> bytes:
        return self.decoder.bits(8 * size).to_bytes(size, "big")

    def finished(self) -> bool:
        return self.at == len(self.structure) and self.decoder.finished()

    def value(self, depth: int = 0) -> Any:
        tag = self.byte()
        self.text.produced(1)
        if tag in (t.OBJECT, t.ARRAY):
            if depth >= MAX_DEPTH:
                raise QRInvalid(f"{_DAMAGED}: it nests deeper than {MAX_DEPTH} levels", limit=MAX_DEPTH)
            return self.object(depth) if tag == t.OBJECT else self.array(depth)
        if tag in (t.NULL, t.TRUE, t.FALSE):
            return {t.NULL: None, t.TRUE: True, t.FALSE: False}[tag]
        if tag == t.INTEGER:
            number = v.unzigzag(v.decode_uint(self.decoder, self.numbers.integer))
            if abs(number) > MAX_SAFE_INTEGER:
                raise QRInvalid(f"{_DAMAGED}: it holds an integer outside JSON's safe range")
            return number
        if tag == t.FLOAT:
            return self.float()
        text = self.string(tag)
        self.text.produced(len(text))
        return text

    def object(self, depth: int) -> dict[str, Any]:
        document: dict[str, Any] = {}
        while (code := self.byte()) != t.END:
            if code == t.KEY_LITERAL:
                key = decode_text(self.decoder, self.text)
            elif code <= len(t.KEYS):
                key = t.KEYS[code - 1]
            else:
                raise QRInvalid(f"{_DAMAGED}: unknown key code {code}")
            if key in document:
                raise QRInvalid(f"{_DAMAGED}: it repeats the key {key!r}")
            if key == "id" and self.peek() == t.STATUS_ID:
                self.at += 1
                list_url, index = document.get("statusListCredential"), document.get("statusListIndex")
                if not (isinstance(list_url, str) and isinstance(index, str)):
                    raise QRInvalid(f"{_DAMAGED}: a status id without its list and index")
                document[key] = f"{list_url}#{index}"
                self.text.produced(len(document[key]))
            else:
                document[key] = self.value(depth + 1)
        return document

    def array(self, depth: int) -> list[Any]:
        items = []
        while self.peek() != t.END:
            items.append(self.value(depth + 1))  # a missing END ends in "cut short"
        self.at += 1
        return items

    def float(self) -> float:
        text = decode_text(self.decoder, self.text)
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or repr(number) != text:
            raise QRInvalid(f"{_DAMAGED}: {text[:40]!r} is not a number")
        return number

    def string(self, tag: int) -> str:  # noqa: C901 - one branch per tag
        decoder = self.decoder
        if tag == t.CONST:
            code = self.byte()
            if code >= len(t.CONSTS):
                raise QRInvalid(f"{_DAMAGED}: unknown value code {code}")
            return t.CONSTS[code]
        if tag in (t.DID_NEW, t.METHOD_NEW, t.DID_REF, t.METHOD_REF):
            if tag in (t.DID_NEW, t.METHOD_NEW):
                key = self.raw(32)
                self.dids.append(key)
            elif not self.dids:
                raise QRInvalid(f"{_DAMAGED}: it refers to a DID before any")
            else:
                key = self.dids[decoder.uniform(len(self.dids))]
            multibase = v.did_key_multibase(key)
            return f"did:key:{multibase}" if tag in (t.DID_NEW, t.DID_REF) else f"did:key:{multibase}#{multibase}"
        if tag == t.BASE58_64:
            return encode_z(self.raw(64))
        if tag == t.BASE58:
            return encode_z(self.raw(self.byte()))
        if tag == t.BASE64URL:
            return encode_u(self.raw(self.byte()))
        if tag == t.URN_UUID:
            return "urn:uuid:" + v.uuid_text(self.raw(16))
        if tag == t.DATE_TIME:
            return v.decode_date_time(decoder, self.numbers)
        if tag == t.DATE:
            return v.decode_date(decoder, self.numbers)
        if tag == t.DIGITS:
            return str(v.decode_uint(decoder, self.numbers.digits))
        if tag == t.TEXT_REF:
            if not self.texts:
                raise QRInvalid(f"{_DAMAGED}: it refers to a text before any")
            return self.texts[decoder.uniform(len(self.texts))]
        if tag == t.TEXT_RAW:
            text = decode_text(decoder, self.text)
        elif tag in (t.TEXT, t.PREFIXED):
            prefix = ""
            if tag == t.PREFIXED:
                code = self.byte()
                if code >= len(t.PREFIXES):
                    raise QRInvalid(f"{_DAMAGED}: unknown prefix code {code}")
                prefix = t.PREFIXES[code]
            body = decode_text(decoder, self.text)
            if t.UUID_MARK in body:
                first, *rest = body.split(t.UUID_MARK)
                body = first + "".join(v.uuid_text(self.raw(16)) + part for part in rest)
            text = prefix + body
        else:
            raise QRInvalid(f"{_DAMAGED}: unknown value tag {tag}")
        self.texts.append(text)
        return text
