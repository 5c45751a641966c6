"""W3C Bitstring Status List v1.0: the bitstring, its ``encodedList``, and status entries.

Steps (names match SPEC.md):

- ``encode``: the bitstring (bit 0 is the most significant bit of the first byte), GZIP, then
  multibase base64url without padding (``u`` prefix);
- ``decode``: multibase-decode, gunzip with a hard cap on the output (no gzip bombs), reject a
  list shorter than ``MIN_LIST_SIZE`` bits (16 KiB, the spec's herd-privacy minimum);
- ``status_entries``: normalise a credential's ``credentialStatus`` to checked entries;
- ``read_status``: the bit an entry points at in a ``BitstringStatusListCredential``;
  ``ListView.value``: the ``statusSize``-bit value of an entry (``message`` entries, statusSize 2:
  the Paspoort ``STATUS_MESSAGES`` 0x0 valid, 0x1 suspended, 0x2 revoked, 0x3 revoked).

Nothing here verifies proofs or validity periods, or fetches anything: the verification layer
checks the status list credential's proof, issuer and validity before calling ``read_status``.
"""
from __future__ import annotations

import gzip
import re
import threading
import zlib
from collections import OrderedDict
from typing import Any, Callable, Mapping, NamedTuple

from ..errors import StatusListInvalid
from ..encoding.multibase import decode_u, encode_u
from ..encoding.timeutil import parse_datetime
from .status_messages import (  # noqa: F401  (re-exported)
    MAX_STATUS_SIZE, MESSAGE_PURPOSE, MESSAGE_STATUS_SIZE, MESSAGE_VALUES, STATUS_MESSAGES, bits_value,
    check_size_and_messages, status_message,
)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
LIST_SUBJECT_TYPE = "BitstringStatusList"
ENTRY_TYPE = "BitstringStatusListEntry"
STATUS_PURPOSES = frozenset({"revocation", "suspension", "message"})
MIN_LIST_SIZE = 131_072  # bits: 16 KiB uncompressed
MAX_DECODED_BYTES = 16 * 1024 * 1024  # 134,217,728 entries; anything larger is refused
MAX_ENCODED_CHARS = 4 * (MAX_DECODED_BYTES + 1024) // 3 + 2
MAX_STATUS_ENTRIES = 16
_INDEX = re.compile(r"^(0|[1-9][0-9]{0,15})$")
_URL = re.compile(r"^https?://[^\s#]+$")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")


class BitstringStatusList:
    """A mutable bitstring of status bits, one per credential index."""

    def __init__(self, size: int = MIN_LIST_SIZE) -> None:
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError("size is a whole number of bits")
        if size < MIN_LIST_SIZE or size % 8 or size > MAX_DECODED_BYTES * 8:
            raise ValueError(f"a status list holds a multiple of 8 bits, at least {MIN_LIST_SIZE} and "
                             f"at most {MAX_DECODED_BYTES * 8}; got {size}")
        self._bits = bytearray(size // 8)

    @property
    def size(self) -> int:
        return len(self._bits) * 8

    def get(self, index: int) -> bool:
        self._check_index(index)
        return bool(self._bits[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool) -> None:
        self._check_index(index)
        if not isinstance(value, bool):
            raise TypeError("a status bit is True or False")
        mask = 0x80 >> (index & 7)
        if value:
            self._bits[index >> 3] |= mask
        else:
            self._bits[index >> 3] &= ~mask & 0xFF

    def get_value(self, index: int, status_size: int) -> int:
        """The ``status_size``-bit value of entry ``index`` (bits ``index * status_size`` on, most significant first)."""
        first = self._entry_start(index, status_size)
        return bits_value(self._bits, first, status_size)

    def set_value(self, index: int, status_size: int, value: int) -> None:
        first = self._entry_start(index, status_size)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << status_size:
            raise ValueError(f"a {status_size}-bit status value is 0 to {(1 << status_size) - 1}, got {value!r}")
        for offset in range(status_size):
            self.set(first + offset, bool(value >> (status_size - 1 - offset) & 1))

    def _entry_start(self, index: int, status_size: int) -> int:
        if isinstance(status_size, bool) or not isinstance(status_size, int) or not 1 <= status_size <= MAX_STATUS_SIZE:
            raise ValueError(f"statusSize is 1 to {MAX_STATUS_SIZE}, got {status_size!r}")
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < self.size // status_size:
            raise IndexError(f"entry {index} is outside the status list (0 to {self.size // status_size - 1})")
        return index * status_size

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def encode(self) -> str:
        """The ``encodedList``: GZIP (fixed header, mtime 0), base64url without padding, ``u``."""
        return encode_u(gzip.compress(bytes(self._bits), compresslevel=9, mtime=0))

    @classmethod
    def from_bytes(cls, data: bytes) -> "BitstringStatusList":
        status_list = cls.__new__(cls)
        status_list._bits = bytearray(_check_length(data))
        return status_list

    @classmethod
    def decode(cls, encoded_list: str) -> "BitstringStatusList":
        """Decode an ``encodedList``; ``StatusListInvalid`` for every bad input."""
        return cls.from_bytes(_decoded_bytes(encoded_list))

    def _check_index(self, index: int) -> None:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError("a status list index is a whole number")
        if not 0 <= index < self.size:
            raise IndexError(f"index {index} is outside the status list (0 to {self.size - 1})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BitstringStatusList) and self._bits == other._bits


def _check_length(data: bytes) -> bytes:
    if len(data) * 8 < MIN_LIST_SIZE or len(data) > MAX_DECODED_BYTES:
        raise StatusListInvalid(
            f"the status list holds {len(data) * 8} entries; it must hold at least {MIN_LIST_SIZE} "
            f"(16 KiB) and at most {MAX_DECODED_BYTES * 8}",
            size=len(data) * 8,
        )
    return data


def _gunzip(data: bytes) -> bytes:
    """One GZIP member, at most ``MAX_DECODED_BYTES`` out, nothing after it."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP header required
    try:
        out = inflater.decompress(data, MAX_DECODED_BYTES + 1)
    except zlib.error as exc:
        raise StatusListInvalid(f"encodedList is not valid GZIP data: {exc}") from exc
    if len(out) > MAX_DECODED_BYTES:
        raise StatusListInvalid(f"encodedList expands to more than {MAX_DECODED_BYTES} bytes "
                                f"(a GZIP bomb?); refused", limit=MAX_DECODED_BYTES)
    if not inflater.eof:
        raise StatusListInvalid("encodedList is truncated: the GZIP stream does not end")
    if inflater.unused_data:
        raise StatusListInvalid("encodedList has bytes after the end of the GZIP stream")
    return out


class _BytesCache:
    """Decoded lists by ``encodedList`` (decoding is a pure function): LRU, bounded in bytes."""

    def __init__(self, budget: int) -> None:
        self.budget, self.used, self.items, self.lock = budget, 0, OrderedDict(), threading.Lock()

    def get_or_make(self, key: str, make: Callable[[str], bytes]) -> bytes:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make(key)
        cost = len(key) + len(value)
        with self.lock:
            if cost <= self.budget // 4 and key not in self.items:
                self.items[key], self.used = value, self.used + cost
                while self.used > self.budget:
                    old_key, old_value = self.items.popitem(last=False)
                    self.used -= len(old_key) + len(old_value)
        return value


_CACHE = _BytesCache(budget=32 * 1024 * 1024)


def _decoded_bytes(encoded_list: Any) -> bytes:
    if not isinstance(encoded_list, str):
        raise StatusListInvalid("encodedList must be a string")
    return _CACHE.get_or_make(encoded_list, _inflate)


def _inflate(encoded_list: str) -> bytes:
    if len(encoded_list) > MAX_ENCODED_CHARS:
        raise StatusListInvalid(f"encodedList is longer than {MAX_ENCODED_CHARS} characters")
    if not encoded_list.startswith("u"):
        raise StatusListInvalid("encodedList must be multibase base64url: it starts with 'u'")
    if not _BASE64URL.fullmatch(encoded_list[1:]):
        raise StatusListInvalid("encodedList is not base64url: only A-Z a-z 0-9 - _ and no padding")
    try:
        compressed = decode_u(encoded_list)
    except ValueError as exc:
        raise StatusListInvalid(f"encodedList is not multibase base64url: {exc}") from exc
    return _check_length(_gunzip(compressed))


# --- documents ------------------------------------------------------------------------------
def status_list_credential(
    *,
    issuer: str,
    list_id: str,
    purpose: str,
    status_list: BitstringStatusList,
    valid_from: str,
    valid_until: str | None = None,
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential`` published at ``list_id``."""
    if not isinstance(issuer, str) or not issuer.startswith("did:"):
        raise StatusListInvalid(f"issuer must be a DID, got {issuer!r}")
    _check_url(list_id, "list_id")
    _check_purpose(purpose, "purpose")
    if not isinstance(status_list, BitstringStatusList):
        raise StatusListInvalid("status_list must be a BitstringStatusList")
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT],
        "id": list_id,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": _time(valid_from, "validFrom"),
    }
    if valid_until is not None:
        credential["validUntil"] = _time(valid_until, "validUntil")
    credential["credentialSubject"] = {"id": f"{list_id}#list", "type": LIST_SUBJECT_TYPE,
                                       "statusPurpose": purpose, "encodedList": status_list.encode()}
    return credential


def status_entry(list_url: str, index: int, purpose: str) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for ``credentialStatus``; a ``message`` entry has statusSize 2
    and the Paspoort ``STATUS_MESSAGES``."""
    _check_url(list_url, "list_url")
    _check_purpose(purpose, "purpose")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < MAX_DECODED_BYTES * 8:
        raise StatusListInvalid(f"a status list index is a whole number from 0, got {index!r}")
    entry: dict[str, Any] = {"id": f"{list_url}#{index}", "type": ENTRY_TYPE, "statusPurpose": purpose,
                             "statusListIndex": str(index), "statusListCredential": list_url}
    if purpose == MESSAGE_PURPOSE:
        entry["statusSize"] = MESSAGE_STATUS_SIZE
        entry["statusMessage"] = [dict(message) for message in STATUS_MESSAGES]
    return entry


def status_entries(credential: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The credential's ``credentialStatus`` as a list of checked entries (empty when absent)."""
    if not isinstance(credential, dict):
        raise StatusListInvalid("a credential is a JSON object")
    status = credential.get("credentialStatus")
    if status is None and "credentialStatus" not in credential:
        return []
    entries = [status] if isinstance(status, dict) else status
    if not isinstance(entries, list):
        raise StatusListInvalid("credentialStatus must be an object or a list of objects")
    if len(entries) > MAX_STATUS_ENTRIES:
        raise StatusListInvalid(f"credentialStatus has {len(entries)} entries; at most {MAX_STATUS_ENTRIES}")
    return [_check_entry(entry, position) for position, entry in enumerate(entries)]


def read_status(entry: Mapping[str, Any], status_list_credential: Mapping[str, Any]) -> bool:
    """Whether the status ``entry`` points at is set: True means revoked or suspended (a one-bit
    entry: for its purpose; a ``message`` entry: any value other than 0x0, "valid").

    The caller has verified the list credential's proof, issuer and validity.
    """
    entry = _check_entry(entry, 0)
    return open_list(status_list_credential, entry["statusListCredential"]).value(entry) != 0


class ListView(NamedTuple):
    """A status list credential checked for shape and decoded: what ``bit`` needs."""

    url: str
    purpose: Any  # as the list says; ``bit`` compares it with the entry's
    data: bytes
    size: int | None = None  # the list's own statusSize (an older draft); the entry's must match

    def bit(self, entry: Mapping[str, Any]) -> bool:
        """The bit of a checked entry (``status_entries``) that points at this list (statusSize 1)."""
        if entry.get("statusSize", 1) != 1:
            raise StatusListInvalid(f"the entry has statusSize {entry['statusSize']}: read its value, not one bit",
                                    url=self.url)
        return bool(self.value(entry))

    def value(self, entry: Mapping[str, Any]) -> int:
        """The ``statusSize``-bit value of a checked entry that points at this list."""
        if entry["statusPurpose"] != self.purpose:  # a list of purposes is never read (SPEC 6)
            raise StatusListInvalid(f"the entry's statusPurpose is {entry['statusPurpose']!r} but the list at "
                                    f"{self.url} is for {self.purpose!r}", url=self.url)
        size = entry.get("statusSize", 1)
        if self.size is not None and self.size != size:
            raise StatusListInvalid(f"the entry's statusSize is {size} but the list at {self.url} says "
                                    f"statusSize {self.size}", url=self.url)
        index = int(entry["statusListIndex"])
        entries = len(self.data) * 8 // size
        if entries < MIN_LIST_SIZE:
            raise StatusListInvalid(f"the list at {self.url} holds {entries} entries of {size} bits; "
                                    f"at least {MIN_LIST_SIZE} are required", url=self.url)
        if index >= entries:
            raise StatusListInvalid(f"statusListIndex {index} is outside the list at {self.url}, which holds "
                                    f"{entries} entries", url=self.url, index=index)
        return bits_value(self.data, index * size, size)


def open_list(status_list_credential: Mapping[str, Any], url: str) -> ListView:
    """Check that the document is the status list at ``url`` (type, id, subject, size) and decode it."""
    slc = status_list_credential
    if not isinstance(slc, dict):
        raise StatusListInvalid("the status list credential is not a JSON object", url=url)
    types = slc.get("type")
    if not isinstance(types, list) or LIST_CREDENTIAL_TYPE not in types or "VerifiableCredential" not in types:
        raise StatusListInvalid(f"the document at {url} is not a {LIST_CREDENTIAL_TYPE}", url=url)
    if slc.get("id") != url:
        raise StatusListInvalid(f"the status list credential's id is {slc.get('id')!r}, "
                                f"but the entry points at {url}", url=url)
    subject = slc.get("credentialSubject")
    if not isinstance(subject, dict):
        raise StatusListInvalid("the status list credential's credentialSubject must be one object", url=url)
    subject_type = subject.get("type")
    if subject_type != LIST_SUBJECT_TYPE and not (isinstance(subject_type, list) and LIST_SUBJECT_TYPE in subject_type):
        raise StatusListInvalid(f"the status list credential's subject is not a {LIST_SUBJECT_TYPE}", url=url)
    size = subject.get("statusSize")  # an older draft put it on the list; the entry's must match it
    if size is not None and (type(size) is not int or not 1 <= size <= MAX_STATUS_SIZE):
        raise StatusListInvalid(f"the list's statusSize must be a whole number 1 to {MAX_STATUS_SIZE}", url=url)
    return ListView(url, subject.get("statusPurpose"), _decoded_bytes(subject.get("encodedList")), size)


def _check_entry(entry: Any, position: int) -> dict[str, Any]:
    """The entry itself once its shape is right; ``StatusListInvalid`` naming the field otherwise."""
    where = f"credentialStatus[{position}]"
    if not isinstance(entry, dict):
        raise StatusListInvalid(f"{where} must be an object")
    if entry.get("type") != ENTRY_TYPE:
        raise StatusListInvalid(f"{where}.type must be {ENTRY_TYPE!r}, got {entry.get('type')!r}")
    _check_purpose(entry.get("statusPurpose"), f"{where}.statusPurpose")
    index = entry.get("statusListIndex")
    if not isinstance(index, str) or not _INDEX.fullmatch(index):
        raise StatusListInvalid(f"{where}.statusListIndex must be a decimal string like \"42\", got {index!r}")
    url = entry.get("statusListCredential")
    _check_url(url, f"{where}.statusListCredential")
    if "id" in entry and (not isinstance(entry["id"], str) or entry["id"] == url):
        raise StatusListInvalid(f"{where}.id must be a URL other than the status list's own")
    check_size_and_messages(entry, where)
    return entry


def _check_purpose(purpose: Any, name: str) -> None:
    if not isinstance(purpose, str) or purpose not in STATUS_PURPOSES:
        raise StatusListInvalid(f"{name} must be 'revocation', 'suspension' or 'message', got {purpose!r}")


def _check_url(value: Any, name: str) -> None:
    if not isinstance(value, str) or len(value) > 2048 or not _URL.fullmatch(value):
        raise StatusListInvalid(f"{name} must be an http(s) URL without a fragment, got {value!r}")


def _time(value: Any, name: str) -> str:
    try:
        parse_datetime(value)
    except ValueError as exc:
        raise StatusListInvalid(f"{name}: {exc}") from exc
    return value
