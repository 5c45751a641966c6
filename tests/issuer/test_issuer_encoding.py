"""The issuer's JSON text (``issuer_service.encoding``): orjson where it can, the same text as the
standard library for JSON data, and the standard library for what orjson cannot write."""
from __future__ import annotations

import json

import pytest

from issuer_helpers import example
from issuer_service.encoding import compact_json, sorted_json_bytes

DOCUMENT = {**example("ria/endorsements/bhv-certificaat.json"), "naam": "Zoë Çelik — “zorg”", "n": [0, -1, 2 ** 53],
            "leeg": {}, "x": None, "ja": True}


def test_the_stored_form_is_the_standard_librarys_text():
    assert compact_json(DOCUMENT) == json.dumps(DOCUMENT, ensure_ascii=False, separators=(",", ":"))


def test_what_orjson_cannot_write_goes_the_standard_way():
    big = {"n": 2 ** 70, 1: "a key that is not a string"}
    assert compact_json(big) == json.dumps(big, ensure_ascii=False, separators=(",", ":"))
    assert sorted_json_bytes(big) is None  # the view then answers with jsonify


def test_answers_have_jsonifys_sorted_keys_in_utf8():
    pytest.importorskip("orjson")
    data = sorted_json_bytes({"b": 1, "a": {"d": DOCUMENT["naam"], "c": 2}})
    assert data == '{"a":{"c":2,"d":"Zoë Çelik — “zorg”"},"b":1}'.encode("utf-8")
