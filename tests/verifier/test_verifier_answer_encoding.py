"""The API's JSON answers come out the same whichever encoder wrote them: orjson (the verifier
extra, for speed) or the standard library's (the fallback, and for what orjson would write
differently or refuses)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from verifier_service import errors
from verifier_service.errors import _encode, _stdlib_bytes

orjson = pytest.importorskip("orjson")


def test_a_verification_answer_is_byte_for_byte_the_standard_encoding(client, world):
    credential = next(c for c in world.endorsements)
    response = client.post("/credentials/verify", json={"verifiableCredential": credential, "options": {}})
    assert response.status_code == 200
    body = json.loads(response.get_data())
    assert response.get_data() == _stdlib_bytes(body)
    assert "é" in _encode({"naam": "Café"}).decode("utf-8")  # UTF-8, not \\u escapes, as before


@pytest.mark.parametrize("value", [
    {"big": 2 ** 70},  # beyond 64 bits: orjson refuses
    {1: "a key that is not a string"},
    {"when": datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)},  # Flask's default writes dates
    {"text": type("Word", (str,), {})("subclass")},
])
def test_what_orjson_would_write_differently_goes_the_standard_way(value):
    assert _encode(value) == _stdlib_bytes(value)


def test_without_orjson_the_standard_encoder_answers(monkeypatch):
    monkeypatch.setattr(errors, "orjson", None)
    assert _encode({"b": [1, "twee"], "a": None}) == b'{"b":[1,"twee"],"a":null}'
