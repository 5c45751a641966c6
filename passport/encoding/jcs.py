"""RFC 8785 JSON Canonicalization Scheme: the one function that makes the bytes we sign.

``canonicalize`` is the only producer of signed bytes in the project. Most documents hold only
strings, booleans, null and small integers; for those the native module ``passport._native``
writes the RFC 8785 form in one pass (it is the largest cost of a verification after the
signature itself). Whatever it declines, this module handles: the Python fast path (the
C-accelerated ``json.dumps`` with sorted keys, after one walk that proves it gives the RFC 8785
form), the reference implementation ``rfc8785`` for floats and for object keys outside the
Basic Multilingual Plane (where code-point order and UTF-16 order differ), and every error.
Tests compare all paths with ``rfc8785`` on generated input.
"""
from __future__ import annotations

import json
from typing import Any

import rfc8785

from ..errors import NestingTooDeep, NumberNotCanonical, StringNotCanonical, StructureInvalid

try:
    from .._native import canonical as _native_encode, canonical_split as _native_split
except ImportError:  # built by `pip install`; without a compiler the Python paths do the work
    _native_encode = _native_split = None

NATIVE = _native_encode is not None

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 64

_dumps = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
).encode


def canonicalize(document: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value.

    Raises ``NumberNotCanonical`` for integers beyond +-(2**53 - 1) and non-finite floats,
    ``StringNotCanonical`` for lone surrogates, ``NestingTooDeep`` past ``MAX_DEPTH`` levels and
    ``StructureInvalid`` for values that are not JSON (tuples, bytes, non-string keys).
    """
    if _native_encode is not None:
        encoded = _native_encode(document)
        if type(encoded) is bytes:
            return encoded
    return canonicalize_python(document)


def canonicalize_split(document: dict[str, Any], key: str) -> tuple[bytes, bytes]:
    """``(canonicalize(document), canonicalize(document without its member key))``.

    One pass when the native module takes the document: members are written in sorted order,
    so the second is the first with that member cut out. Same bytes and errors as two calls.
    """
    if _native_split is not None:
        encoded = _native_split(document, key)
        if type(encoded) is tuple:
            return encoded
    return canonicalize(document), canonicalize({name: value for name, value in document.items() if name != key})


def canonical_chunks_with_member(rest: dict[str, Any], key: str, value: Any, value_chunks: list[bytes]) -> list[bytes]:
    """``canonicalize({**rest, key: value})`` as chunks to join or hash, given ``value``'s own
    canonical bytes as chunks (a presentation's embedded credentials, each canonicalised once).

    An object's canonical form is its members in sorted order, each ``"key":value``; so the
    members of ``rest`` before ``key``, then ``key``'s, then those after it. Python orders
    ``str`` by code point, which is RFC 8785's UTF-16 order for keys within the BMP; other
    keys take the full path.
    """
    names = [*rest, key]
    if key in rest or any(not name.isascii() and max(name) > "\uffff" for name in names if type(name) is str):
        return [canonicalize({**rest, key: value})]
    before = canonicalize({name: item for name, item in rest.items() if name < key})[:-1]
    after = canonicalize({name: item for name, item in rest.items() if name > key})[1:]
    return [before + (b"," if len(before) > 1 else b"") + canonicalize(key) + b":", *value_chunks,
            (b"," if len(after) > 1 else b"") + after]


def canonicalize_python(document: Any) -> bytes:
    """``canonicalize`` without the native module: same bytes, same errors."""
    if _fast_path_applies(document, 0):
        text = _dumps(document)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise StringNotCanonical("a string contains a lone surrogate, which has no UTF-8 form") from exc
    try:
        return rfc8785.dumps(document)
    except rfc8785.FloatDomainError as exc:
        raise NumberNotCanonical(f"number {exc.args[0]!r} has no JSON form", value=repr(exc.args[0])) from exc
    except rfc8785.CanonicalizationError as exc:
        if "UTF-8" in str(exc):
            raise StringNotCanonical("a string contains a lone surrogate, which has no UTF-8 form") from exc
        raise StructureInvalid(f"value cannot be canonicalized: {exc}") from exc


def _fast_path_applies(value: Any, depth: int) -> bool:
    """Check every node; True when json.dumps(sort_keys=True) equals the RFC 8785 form.

    Leaves (strings, booleans, null, safe integers) are checked inline: this walk runs on
    every verification, so it avoids a call per leaf.
    """
    if depth >= MAX_DEPTH:  # at most MAX_DEPTH nested arrays/objects, as jsonio.loads allows
        raise NestingTooDeep(f"document nests deeper than {MAX_DEPTH} levels", limit=MAX_DEPTH)
    kind = type(value)
    if kind is dict:
        plain = True
        for key in value:
            if type(key) is not str:
                raise StructureInvalid(f"object key {key!r} is not a string")
            if not key.isascii() and max(key) > "\uffff":
                plain = False
        items = value.values()
    elif kind is list:
        plain = True
        items = value
    else:
        return _leaf_is_plain(value)
    for item in items:
        item_kind = type(item)
        if item_kind is str or item_kind is bool or item is None:
            continue
        if item_kind is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
            continue
        if item_kind is dict or item_kind is list:
            if not _fast_path_applies(item, depth + 1):
                plain = False
        elif not _leaf_is_plain(item):
            plain = False
    return plain


def _leaf_is_plain(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return True
        raise NumberNotCanonical(
            f"integer {value} is outside +-(2**53 - 1) and cannot be canonicalized exactly",
            value=str(value),
        )
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberNotCanonical(f"number {value!r} has no JSON form", value=repr(value))
        return False
    raise StructureInvalid(f"value of type {kind.__name__} is not JSON")
