"""``ExpansionChecks``: the strict JSON-LD check remembered per document shape gives exactly the
answer of ``check_expansion`` (pass, or the same error), for every string of a real credential
replaced by strings of every IRI class, and skips PyLD only for literals and same-class IRIs."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from passport.errors import PassportError
from passport.format.vcdm import check_expansion
from passport.format.vcdm_shapes import ExpansionChecks, iri_class, shape

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ria" / "endorsements" / "bhv-certificaat.json"
ISSUER = "did:key:z6MkwVDfCg9LbbY6xjH3EZk8YSFQZujV5Y4y1ZWeER9tDiN3"
# one string of each kind JSON-LD treats differently: keywords, terms, compact IRIs, schemes,
# blank nodes, relative references, white space, empty
PROBES = ["", "x", "@id", "@type", "@context", "VerifiableCredential", "Achievement", "name", "id",
          "urn:uuid:0b0b", "did:key:z6Mkzzz", "https://b.example/x", "http:x", "//host/x", "_:b0", "_:",
          "relative/path", "a b", "urn:a b", "xsd:string", "schema:name", "dc:title", "obi:Foo", "1:x",
          "https://www.w3.org/ns/credentials/v2", "mailto:a@b.example", ":x", "\u00e9:x", "@"]


def credential(**changes) -> dict:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document.update({"issuer": ISSUER, "id": "urn:uuid:00000000-0000-4000-8000-000000000000",
                     "validFrom": "2026-01-01T00:00:00Z",
                     "credentialStatus": {"id": "https://issuer.example/status-lists/1#5",
                                          "type": "BitstringStatusListEntry", "statusPurpose": "message",
                                          "statusListIndex": "5", "statusSize": 2,
                                          "statusListCredential": "https://issuer.example/status-lists/1"}})
    document.update(changes)
    return document


def outcome(check, document) -> str | None:
    try:
        check(document)
    except PassportError as exc:
        return exc.code
    return None


def replaced(document, position: int, value: str):
    """``document`` with its ``position``-th string (``shape``'s order) replaced by ``value``."""
    counter = iter(range(1 << 30))

    def walk(node):
        if isinstance(node, str):
            return value if next(counter) == position else node
        if isinstance(node, dict):
            return {key: walk(item) for key, item in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node
    return walk(document)


def test_every_string_replaced_by_every_probe_gives_the_answer_of_the_real_check():
    original = credential()
    _, strings = shape(original)
    checks = ExpansionChecks()
    checks.check(original)
    differing = []
    for position in range(len(strings)):
        for probe in PROBES:
            document = replaced(original, position, probe)
            remembered = outcome(checks.check, document)
            real = outcome(lambda item: check_expansion(item), document)
            if remembered != real:
                differing.append((position, strings[position], probe, remembered, real))
    assert differing == []
    assert checks.hits > 0


def test_another_person_and_another_index_reuse_the_check():
    checks = ExpansionChecks()
    checks.check(credential())
    other = credential(id="urn:uuid:11111111-2222-4333-8444-555555555555", name="Another name")
    other["credentialSubject"]["id"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    other["credentialStatus"] = dict(other["credentialStatus"], id="https://issuer.example/status-lists/7#99",
                                     statusListIndex="99",
                                     statusListCredential="https://issuer.example/status-lists/7")
    checks.check(other)
    assert checks.hits == 1


@pytest.mark.parametrize("change, code", [
    (lambda doc: doc["credentialSubject"].update({"undefinedTerm": "x"}), "JSONLD_TERM_UNDEFINED"),
    (lambda doc: doc.update({"type": ["VerifiableCredential", "NoSuchType"]}), "JSONLD_TYPE_UNDEFINED"),
    (lambda doc: doc.update({"id": "not-absolute"}), "JSONLD_RELATIVE_IRI"),
    (lambda doc: doc.update({"id": "urn:uuid:with space"}), "JSONLD_RELATIVE_IRI"),
    (lambda doc: doc["credentialSubject"].update({"id": "_"}), "JSONLD_RELATIVE_IRI"),
])
def test_a_failing_document_of_a_known_shape_fails_with_the_real_error(change, code):
    checks = ExpansionChecks()
    checks.check(credential())
    document = credential()
    change(document)
    with pytest.raises(PassportError) as caught:
        checks.check(document)
    assert caught.value.code == code
    assert outcome(lambda item: check_expansion(item), document) == code
    assert checks.hits == 0


def test_errors_are_never_remembered():
    checks = ExpansionChecks()
    bad = credential(id="not-absolute")
    for _ in range(2):
        with pytest.raises(PassportError):
            checks.check(bad)
    assert checks.hits == 0 and checks._shapes == {}


def test_iri_classes():
    assert iri_class("urn:uuid:a") == iri_class("urn:x")
    assert iri_class("did:key:a") != iri_class("urn:x")  # the prefix may be a term of the context
    assert iri_class("https://a.example") != iri_class("https:a")
    assert iri_class("urn:a b") != iri_class("urn:ab")
    assert iri_class("@id") != iri_class("@type")
    assert iri_class("relative") == iri_class("other")


def test_the_document_is_not_changed():
    document = credential()
    before = copy.deepcopy(document)
    ExpansionChecks().check(document)
    assert document == before and type(document["id"]) is str
