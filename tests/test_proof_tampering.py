"""eddsa-jcs-2022 proofs: any change to a signed document or its proof options is rejected."""
from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any, Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from support import NOW_TEXT
from passport.encoding.jcs import canonicalize
from passport.encoding.multibase import decode_z, encode_z
from passport.proofs.proof import sign, verify_proof
from passport.encoding.timeutil import format_datetime

from proof_docs import ASSERTION, AUTHENTICATION, CREATED, OTHER_KEYS, WORKER, credential, refused, signed_credential


# --- tampering (generated) ----------------------------------------------------------------
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**53 - 1), 2**53 - 1), texts)
extras = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(texts, children, max_size=4)),
    max_leaves=12,
)

Path = tuple[Any, ...]


def nodes(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            if path == () and key in ("proof", "@context"):
                continue  # the proof and @context have their own tests
            yield from nodes(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nodes(item, path + (index,))


def at(document: Any, path: Path) -> Any:
    for step in path:
        document = document[step]
    return document


def distinct(items: list[Any]) -> bool:
    return len({canonicalize(item) for item in items}) == len(items)


@settings(max_examples=200, deadline=None)
@given(extra=extras, data=st.data())
def test_any_change_to_a_signed_document_is_rejected(extra: Any, data: st.DataObject) -> None:
    document = credential()
    document["credentialSubject"]["extra"] = extra
    signed = sign(document, WORKER, created=CREATED)
    verify_proof(signed, expected_purpose=ASSERTION)
    tampered = copy.deepcopy(signed)
    found = list(nodes(tampered))
    change = data.draw(st.sampled_from(["change-string", "add-key", "delete-key", "reorder-array"]), label="change")
    if change == "change-string":
        path = data.draw(st.sampled_from([p for p, v in found if isinstance(v, str)]), label="path")
        old = at(tampered, path)
        at(tampered, path[:-1])[path[-1]] = data.draw(texts.filter(lambda s: s != old), label="new")
    elif change == "add-key":
        path = data.draw(st.sampled_from([p for p, v in found if isinstance(v, dict)]), label="path")
        target = at(tampered, path)
        key = data.draw(texts.filter(lambda k: k not in target), label="key")
        target[key] = data.draw(scalars, label="value")
    elif change == "delete-key":
        choices = [(p, k) for p, v in found if isinstance(v, dict) for k in v if not (p == () and k in ("proof", "@context"))]
        path, key = data.draw(st.sampled_from(choices), label="where")
        del at(tampered, path)[key]
    else:
        path = data.draw(
            st.sampled_from([p for p, v in found if isinstance(v, list) and len(v) >= 2 and distinct(v)]), label="path"
        )
        items = at(tampered, path)
        order = data.draw(st.permutations(range(len(items))).filter(lambda o: list(o) != sorted(o)), label="order")
        items[:] = [items[i] for i in order]
    assert tampered != signed
    assert refused(tampered).code == "SIGNATURE_INVALID"


datetimes = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(timezone.utc)
).map(format_datetime)

PROOF_CHANGES = {
    # option: (strategy of a new value given the old one, expected code)
    "created": (lambda old: datetimes.filter(lambda v: v != old), "SIGNATURE_INVALID"),
    "expires": (lambda old: datetimes.filter(lambda v: v != old), "SIGNATURE_INVALID"),
    "verificationMethod": (lambda old: st.sampled_from([k.verification_method for k in OTHER_KEYS]), "SIGNATURE_INVALID"),
    "proofPurpose": (lambda old: st.just(ASSERTION), "PROOF_PURPOSE_MISMATCH"),
    "challenge": (lambda old: texts.filter(lambda v: v != old), "SIGNATURE_INVALID"),
    "domain": (lambda old: texts.filter(lambda v: v != old), "SIGNATURE_INVALID"),
    "cryptosuite": (lambda old: texts.filter(lambda v: v != old), "PROOF_SUITE_UNSUPPORTED"),
    "type": (lambda old: texts.filter(lambda v: v != old), "PROOF_SUITE_UNSUPPORTED"),
    "proofValue": (
        lambda old: st.integers(0, 511).map(lambda bit: encode_z(flip_bit(decode_z(old), bit))),
        "SIGNATURE_INVALID",
    ),
}


def flip_bit(data: bytes, index: int) -> bytes:
    return data[: index // 8] + bytes([data[index // 8] ^ (1 << (index % 8))]) + data[index // 8 + 1 :]


@settings(max_examples=200, deadline=None)
@given(option=st.sampled_from(sorted(PROOF_CHANGES) + ["remove-challenge", "remove-domain", "remove-expires"]), data=st.data())
def test_any_change_to_a_proof_option_is_rejected(option: str, data: st.DataObject) -> None:
    signed = signed_credential(
        proof_purpose=AUTHENTICATION, challenge="c0ffee", domain="werkgever.example.nl", expires="2026-11-01T09:05:00Z"
    )
    verify_proof(signed, expected_purpose=AUTHENTICATION)
    tampered = copy.deepcopy(signed)
    if option.startswith("remove-"):
        del tampered["proof"][option[len("remove-"):]]
        code = "SIGNATURE_INVALID"
    else:
        new_value, code = PROOF_CHANGES[option]
        tampered["proof"][option] = data.draw(new_value(signed["proof"][option]), label="new")
    assert tampered != signed
    error = refused(tampered, expected_purpose=AUTHENTICATION)
    assert error.code == code
    if option == "proofPurpose":
        # Asking for the purpose it now claims does not help: the purpose is signed.
        assert refused(tampered, expected_purpose=ASSERTION).code == "SIGNATURE_INVALID"


def test_added_proof_option_is_rejected() -> None:
    signed = signed_credential()
    for name, value in (("challenge", "c0ffee"), ("domain", "example.nl"), ("expires", NOW_TEXT), ("nonce", "1"), ("id", "urn:uuid:2")):
        tampered = copy.deepcopy(signed)
        tampered["proof"][name] = value
        assert refused(tampered).code == "SIGNATURE_INVALID", name


def test_proof_moved_to_another_document_is_rejected() -> None:
    other = credential()
    other["credentialSubject"]["name"] = "Jan Jansen"
    other["proof"] = signed_credential()["proof"]
    assert refused(other).code == "SIGNATURE_INVALID"
