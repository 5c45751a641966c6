"""What the verify endpoints do per request besides the library, kept small (decision 0171):

- the JSON answers come out the same whichever encoder wrote them: orjson (the verifier extra,
  for speed) or the standard library's (the fallback, and for what orjson would write
  differently or refuses);
- a caller's challenge that cannot be one of ours costs no database lookup; one of our form is
  still looked up, and ours are still consumed once;
- the security headers are on every answer, once each."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from passport import present
from verifier_helpers import DOMAIN, NOW
from verifier_service import challenges, errors
from verifier_service.errors import _encode, _stdlib_bytes


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
    pytest.importorskip("orjson")
    assert _encode(value) == _stdlib_bytes(value)


def test_without_orjson_the_standard_encoder_answers(monkeypatch):
    monkeypatch.setattr(errors, "orjson", None)
    assert _encode({"b": [1, "twee"], "a": None}) == b'{"b":[1,"twee"],"a":null}'


def lookups(monkeypatch) -> list[str]:
    asked: list[str] = []
    real = challenges.find

    def find(engine, token):
        asked.append(token)
        return real(engine, token)
    monkeypatch.setattr(challenges, "find", find)
    return asked


def verify_with(client, world, challenge: str):
    vp = present([world.profile], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    return client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                      "options": {"challenge": challenge, "domain": DOMAIN}})


def test_a_callers_challenge_not_of_our_form_costs_no_lookup(client, world, monkeypatch):
    asked = lookups(monkeypatch)
    response = verify_with(client, world, "8c1e7d3a-5b0f-4e52-9d1c-2f6a7b8c9d0e")  # a UUID: 36 characters
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["binding"] == "caller" and asked == []


def test_a_callers_challenge_of_our_form_is_looked_up(client, world, monkeypatch):
    asked = lookups(monkeypatch)
    theirs = "A" * 32
    assert challenges.could_be_issued(theirs) and challenges.could_be_issued(challenges.new_token())
    response = verify_with(client, world, theirs)
    assert response.status_code == 200 and response.get_json()["binding"] == "caller"
    assert asked == [theirs]


def test_our_challenge_is_still_consumed_once(client, world):
    created = client.post("/challenges", json={}).get_json()
    first = verify_with(client, world, created["challenge"])
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["binding"] == "challenge"
    again = verify_with(client, world, created["challenge"])
    assert again.get_json()["code"] == "CHALLENGE_REPLAYED"


def test_the_security_headers_are_on_an_answer_once_each(client, world):
    response = client.post("/credentials/verify", json={"verifiableCredential": world.endorsements[0]})
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert len(response.headers.getlist(name)) == 1, name
