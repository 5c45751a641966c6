"""The one-pass shape check (``vcdm_quick``) is never looser than the two checks it stands in for.

``quick_check`` may answer "fine" only where ``vcdm.check_credential(issuer_required=True,
dates=False)`` passes and the type's JSON Schema passes. Checked on every credential of the demo
worlds, on each VCDM member mutated into values the data model refuses (and some it allows), and
on random JSON put in those places (hypothesis). The reverse direction is allowed to differ (the
quick check is stricter), but every ordinary credential must take the quick path, or the
verifier's speed quietly goes.
"""
from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passport import check
from passport.demo.world import build_world
from passport.errors import PassportError
from passport.format import schemas, vcdm
from passport.format.vcdm_quick import quick_check
from passport.jsonld import VC_V2

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


def _documents() -> list[dict[str, Any]]:
    found = []
    for persona in ("ria", "jan", "samira"):
        world = build_world(persona, NOW)
        found += [world.profile, *world.endorsements, world.registry, *world.status_documents.values()]
    return found


DOCUMENTS = _documents()
IDS = [f"{doc['type'][-1]}-{n}" for n, doc in enumerate(DOCUMENTS)]


def _slow_passes(document: Any) -> bool:
    """What the two detailed checks say (the JSON Schema part of ``schemas.validate``)."""
    try:
        vcdm.check_credential(document, issuer_required=True, dates=False)
        name = schemas.schema_name_for(document)
    except PassportError:
        return False
    return schemas._validator(name).is_valid(document)


def _assert_sound(document: Any) -> None:
    if quick_check(document) is not None:
        assert _slow_passes(document), f"the quick check passed a document the full checks refuse: {document!r}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=IDS)
def test_every_demo_credential_takes_the_quick_path(document):
    assert quick_check(document) == schemas.schema_name_for(document)
    assert _slow_passes(document)


# Places the VCDM rules look at, as paths into the document; "+" appends to a list.
PLACES = [
    ("@context",), ("@context", 0), ("@context", 1), ("@context", "+"),
    ("id",), ("type",), ("type", 0), ("type", "+"), ("name",), ("description",),
    ("issuer",), ("issuer", "id"), ("issuer", "name"), ("issuer", "description"),
    ("credentialSubject",), ("credentialSubject", "id"),
    ("credentialStatus",), ("credentialStatus", "type"), ("credentialStatus", "id"),
    ("termsOfUse",), ("evidence",), ("evidence", 0), ("evidence", 0, "type"), ("evidence", 0, "id"),
    ("refreshService",), ("credentialSchema",), ("relatedResource",),
]
DELETE = object()
VALUES = [
    DELETE, None, True, 0, 1.5, "", " ", "x", "a:b", "a:b c", "https://x\n", "https://bad url", "not a url",
    "https://example.org/ok", "urn:uuid:1", "\u00e9:x", "https://x\u00a0y", "a:\x1c", VC_V2,
    "VerifiableCredential", [], [""], ["x", "x"], [VC_V2], [VC_V2, VC_V2], ["VerifiableCredential"], [None], [{}],
    {}, {"id": "not a url"}, {"id": "https://example.org/i"}, {"type": "X"}, {"type": ""}, {"type": []},
    {"type": ["X", "X"]}, {"type": "X", "id": "bad"}, {"@value": "tekst"}, {"@value": 1},
    {"@value": "t", "@language": 5}, {"@value": "t", "@direction": "up"}, {"@value": "t", "extra": 1},
    [{"@value": "t"}, "s"], [{"type": "X"}], [{"type": "X"}, 3], [{"id": "https://example.org/r"}],
]


def _mutated(document: dict[str, Any], place: tuple, value: Any) -> dict[str, Any] | None:
    out = copy.deepcopy(document)
    node: Any = out
    for key in place[:-1]:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return None
    last = place[-1]
    if last == "+":
        if not isinstance(node, list) or value is DELETE:
            return None
        node.append(value)
    elif isinstance(node, dict):
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    else:
        return None
    return out


# One of each Paspoort type is enough for the mutations: the rules do not depend on the type.
SAMPLES = list({doc["type"][-1]: doc for doc in DOCUMENTS}.values())


@pytest.mark.parametrize("place", PLACES, ids=[".".join(map(str, place)) for place in PLACES])
def test_no_mutation_passes_quick_and_fails_the_full_checks(place):
    tried = 0
    for document in SAMPLES:
        for value in VALUES:
            mutated = _mutated(document, place, value)
            if mutated is not None:
                tried += 1
                _assert_sound(mutated)
    assert tried > 0


def test_refused_shapes_take_the_full_path_and_keep_their_vcdm_error():
    """A credential the quick check refuses still gets the member and the VCDM error named."""
    endorsement = next(doc for doc in DOCUMENTS if "AantoonbaarBekwaamCredential" in doc["type"])
    for place, value, path in [(("@context", "+"), VC_V2, "@context[3]"), (("issuer", "id"), "https://bad url",
                                                                              "issuer.id"),
                               (("credentialStatus", "type"), [], "credentialStatus.type")]:
        mutated = _mutated(endorsement, place, value)
        assert quick_check(mutated) is None
        report = check(mutated, now=NOW)
        structure = report.checks[0]
        assert structure.name == "structure" and not structure.ok
        assert structure.error.details["path"].startswith(path.split("[")[0])
        assert structure.error.details["vcdmError"] == "MALFORMED_VALUE_ERROR"


def test_related_resource_always_takes_the_full_path():
    endorsement = copy.deepcopy(SAMPLES[0])
    endorsement["relatedResource"] = [{"id": "https://example.org/r", "digestSRI": "sha256-abc="}] * 2
    assert quick_check(endorsement) is None
    with pytest.raises(PassportError, match="repeats"):
        vcdm.check_credential(endorsement, issuer_required=True, dates=False)


def test_a_profile_still_gets_its_rules_beyond_json_schema():
    """The quick path passes the JSON Schema part; the profile's own rules (self-issued) still run."""
    profile = copy.deepcopy(next(doc for doc in DOCUMENTS if "PersoonlijkProfielCredential" in doc["type"]))
    profile["issuer"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert quick_check(profile) is not None
    schema_step = check(profile, now=NOW).checks[1]
    assert schema_step.name == "schema" and not schema_step.ok
    assert "self-issued" in str(schema_step.error)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.sampled_from(["https://example.org/x", "did:key:z6Mk", VC_V2, "VerifiableCredential", "a:b\n"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "type", "@value", "@language", "@direction", "name", "x"]), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(sample=st.sampled_from(SAMPLES), place=st.sampled_from(PLACES), value=JSON)
def test_random_values_never_pass_quick_and_fail_the_full_checks(sample, place, value):
    mutated = _mutated(sample, place, value)
    if mutated is not None:
        _assert_sound(mutated)


@pytest.mark.parametrize("value", ["https://example.org/x\n", "urn:uuid:1\n"])
def test_a_url_with_a_trailing_newline_is_refused_by_both(value):
    """Python's ``$`` matches before a final newline; the full check matches the whole string."""
    endorsement = _mutated(SAMPLES[0], ("id",), value)
    assert quick_check(endorsement) is None
    with pytest.raises(PassportError, match="must be a single URL"):
        vcdm.check_credential(endorsement, issuer_required=True, dates=False)
