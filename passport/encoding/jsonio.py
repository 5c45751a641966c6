"""Strict JSON input: the only way documents enter the library from bytes or text.

Rejects what a lenient parser would let through and a signature would then cover ambiguously:
duplicate object keys, NaN and Infinity, numbers that overflow to infinity, integers beyond
what RFC 8785 can represent, nesting deeper than ``jcs.MAX_DEPTH``, and input over a size cap.
"""
from __future__ import annotations

import copy
import json
import re
from typing import Any

import rfc8785

from ..errors import DuplicateKey, InputTooLarge, MalformedJSON, NestingTooDeep, NumberNotCanonical, PassportError
from .jcs import MAX_DEPTH, MAX_SAFE_INTEGER

try:
    from .._native import json_members as _members, json_scan as _scan
except ImportError:  # built by `pip install`; loads_reference does the same work
    _members = _scan = None

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(f"object has the key {key!r} more than once", key=key)
            seen.add(key)
    return result


def _constant(name: str) -> Any:
    raise NumberNotCanonical(f"{name} is not a JSON number", value=name)


def _integer(text: str) -> int | float:
    """A safe integer; or, beyond 2**53 - 1, a literal that is exactly how RFC 8785 writes a double.

    RFC 8785 writes whole doubles below 1e21 without an exponent (2**53 as 9007199254740992),
    so such a literal is read back as that double. Any other large literal would lose digits.
    """
    if len(text.lstrip("-")) <= 16 and abs(int(text)) <= MAX_SAFE_INTEGER:
        return int(text)
    if len(text.lstrip("-")) <= 21:
        value = float(text)
        if rfc8785.dumps(value) == text.encode("ascii"):
            return value
    raise NumberNotCanonical(
        f"integer {text[:40]} is outside +-(2**53 - 1) and cannot be canonicalized exactly",
        value=text[:40],
    )


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise NumberNotCanonical(f"number {text[:40]} overflows a double", value=text[:40])
    return value


def loads(data: bytes | str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """Parse JSON strictly; raise a ``PassportError`` subclass that says what is wrong.

    With the native module, one pass over the bytes counts the members the text spells out and
    refuses deep nesting; CPython's parser (with this module's number hooks) then builds the
    value, and a count of the members it kept proves no key was repeated. Anything else (an
    error, a repeated key, no native module) goes to ``loads_reference``, which names it.
    """
    encoded = _utf8(data, max_bytes)
    try:
        text = encoded.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSON(f"input is not UTF-8 (byte {exc.start})", position=exc.start) from exc
    if _scan is not None:
        members = _scan(encoded)
        if members < 0:
            raise _too_deep()
        try:
            value = _decode(text)
        except (ValueError, PassportError):  # JSONDecodeError is a ValueError; the reference names it
            pass
        else:
            if _members(value) == members:
                return value
    return _parse_reference(text)


def loads_reference(data: bytes | str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """``loads`` without the native passes: the reference the tests compare ``loads`` with."""
    encoded = _utf8(data, max_bytes)
    try:
        text = encoded.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSON(f"input is not UTF-8 (byte {exc.start})", position=exc.start) from exc
    return _parse_reference(text)


def _utf8(data: bytes | str, max_bytes: int) -> bytes:
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise MalformedJSON(f"input holds a lone surrogate at character {exc.start}", position=exc.start) from exc
    size = len(data)
    if size > max_bytes:
        raise InputTooLarge(f"input is {size} bytes, the limit is {max_bytes}", size=size, limit=max_bytes)
    return data


def _parse_reference(text: str) -> Any:
    _check_depth(text)
    try:
        return json.loads(
            text,
            object_pairs_hook=_object,
            parse_constant=_constant,
            parse_int=_integer,
            parse_float=_float,
        )
    except json.JSONDecodeError as exc:
        raise MalformedJSON(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            line=exc.lineno,
            column=exc.colno,
        ) from exc
    except RecursionError as exc:  # pragma: no cover - _check_depth catches this first
        raise _too_deep() from exc


def _too_deep() -> NestingTooDeep:
    return NestingTooDeep(f"document nests deeper than {MAX_DEPTH} levels", limit=MAX_DEPTH)


_decode = json.JSONDecoder(parse_constant=_constant, parse_int=_integer, parse_float=_float).decode


_STRING = re.compile(r'"(?:[^"\\]+|\\.?)*"?', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _check_depth(text: str) -> None:
    """Refuse deep nesting before the recursive parser sees it (strings skipped)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep()
        else:
            depth -= 1


def load_file(path: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """Read and strictly parse a JSON file, with the same size cap before reading it whole."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    return loads(data, max_bytes=max_bytes)


def dumps_pretty(document: Any) -> str:
    """Human-readable JSON for files and terminals; never used for signing."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, strings, numbers, booleans, null), a few times
    faster than ``copy.deepcopy``; any other value inside is copied by ``copy.deepcopy``. A
    sub-object that appears twice is copied twice (JSON has no shared references)."""
    kind = type(value)
    if kind is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if kind is list:
        return [copy_json(item) for item in value]
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    return copy.deepcopy(value)
