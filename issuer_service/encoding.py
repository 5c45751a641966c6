"""The issuer's JSON text: the stored form of an issued credential and the bytes of its answers.

orjson (the issuer extra) writes both about ten times faster than the standard library
(decision 0183); what it cannot write (integers beyond 64 bits, keys that are not strings, other
types) goes the standard library's way. For JSON data the text is the same either way, but for
the notation of some floats (``1e16`` for ``1e+16``).
"""
from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - the extra is missing: the standard library
    orjson = None


def compact_json(document: Any) -> str:
    """The stored form of a document: compact JSON, members in order, UTF-8 as it is."""
    if orjson is not None:
        try:
            return orjson.dumps(document).decode("utf-8")
        except (TypeError, orjson.JSONEncodeError):
            pass
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def sorted_json_bytes(body: Any) -> bytes | None:
    """``body`` as compact JSON with sorted keys (as Flask's ``jsonify`` sorts them), UTF-8 as it
    is; None when orjson is missing or cannot write it (the caller then uses ``jsonify``)."""
    if orjson is None:
        return None
    try:
        return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None
