"""What strict expansion remembers to be fast (decision 0160) changes no answer.

- an IRI expansion is remembered per processed (frozen) context: a term one document's inline
  context defines stays undefined for the next document, in either order;
- PyLD's absolute-IRI test, remembered for short strings, answers as PyLD's;
- both memories are bounded;
- the canonical form is PyLD's URDNA2015 output (RDFC-1.0's escaping aside).
"""
from __future__ import annotations

import copy
from typing import Any

import pytest
from pyld import canon

from support import NOW
from passport import jsonld
from passport.demo.world import build_world
from passport.errors import JsonLdTermUndefined
from passport.jsonld import strict
from passport.jsonld.rdfc import canonize_dataset

VC = "https://www.w3.org/ns/credentials/v2"
PP = "https://w3id.org/paspoort/v1"


def credential(extra_context: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "@context": [VC, PP, *([extra_context] if extra_context else [])],
        "id": "urn:uuid:0b9e2f4c-6c1f-4a57-9a55-0f1b9e4d1c11",
        "type": ["VerifiableCredential", "PersoonlijkProfielCredential"],
        "issuer": "did:example:worker",
        "validFrom": "2026-11-01T09:00:00Z",
        "credentialSubject": {"id": "did:example:worker", "type": "PersoonlijkProfiel", "name": "Ria"},
        **fields,
    }


@pytest.fixture(scope="module")
def demo_documents() -> list[dict[str, Any]]:
    world = build_world("ria", NOW)
    return [world.profile, world.registry, *world.endorsements, *world.status_documents.values()]


@pytest.mark.parametrize("defining_first", [True, False])
def test_a_term_defined_inline_stays_undefined_for_the_next_document(defining_first: bool) -> None:
    loader = jsonld.DocumentLoader()
    defining = credential({"hobby": "https://example.org/hobby"}, hobby="zeilen")
    using = credential(hobby="zeilen")  # the same term, no context defines it
    for _ in range(2):
        if defining_first:
            assert "https://example.org/hobby" in jsonld.expand(defining, loader)[0]
        with pytest.raises(JsonLdTermUndefined) as caught:
            jsonld.expand(using, loader)
        assert caught.value.details["term"] == "hobby"
        if not defining_first:
            assert "https://example.org/hobby" in jsonld.expand(defining, loader)[0]


def test_remembered_expansion_gives_the_same_canonical_form(demo_documents: list[dict[str, Any]],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    loader = jsonld.DocumentLoader()
    warm = [jsonld.canonize(document, loader) for document in demo_documents]
    again = [jsonld.canonize(document, loader) for document in demo_documents]
    assert loader.iris  # something was remembered
    monkeypatch.setattr(strict, "MAX_REMEMBERED_CHARS", -1)  # remember nothing: PyLD's answers every time
    fresh = jsonld.DocumentLoader()
    assert [jsonld.canonize(document, fresh) for document in demo_documents] == warm == again
    assert not fresh.iris


@pytest.mark.parametrize("value", [
    "https://example.org/x", "did:key:z6Mk", "urn:uuid:1", "_:b0", "mailto:a@b.example", "x:y",
    "relative/path", "#fragment", "", ":nothing", "1http://x", "http://with space", "@id", "wondzorg",
    "https://example.org/" + "a" * 500, "relative " * 100, None, 3, ["https://example.org"], {"@id": "x:y"},
])
def test_the_absolute_iri_test_answers_as_pyld(value: Any) -> None:
    assert strict.is_absolute_iri(value) is bool(strict._pyld_is_absolute_iri(value))
    assert strict.is_absolute_iri(value) is bool(strict._pyld_is_absolute_iri(value))  # remembered


def test_the_remembered_expansions_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(strict, "MAX_REMEMBERED_IRIS", 40)
    loader = jsonld.DocumentLoader()
    for index in range(30):  # each document's own inline context: a new processed context every time
        jsonld.expand(credential({f"term{index}": f"https://example.org/{index}"}, **{f"term{index}": "x"}), loader)
        assert len(loader.iris) <= 40
    long_term = "t" * (strict.MAX_REMEMBERED_CHARS + 1)
    jsonld.expand(credential({long_term: "https://example.org/long"}, **{long_term: "x"}), loader)
    assert not any(long_term in key for key in loader.iris)


def test_the_canonical_form_is_pyld_urdna2015(demo_documents: list[dict[str, Any]]) -> None:
    """The shallow copy in Hash First Degree Quads gives PyLD's own output (no control characters here)."""
    for document in demo_documents:
        dataset = strict.to_rdf(document)
        expected = canon.URDNA2015().main(copy.deepcopy(dataset), {"algorithm": "URDNA2015",
                                                                    "format": "application/n-quads"})
        assert canonize_dataset(dataset) == expected
        assert expected.count("_:c14n") > 0  # blank nodes were labelled: the path under test ran
