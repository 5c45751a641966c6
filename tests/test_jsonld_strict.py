"""Strict expansion: each way plain JSON-LD would silently lose data is an error with its code."""
from __future__ import annotations

import copy
from typing import Any

import pytest

from passport import jsonld
from passport.errors import (
    DocumentInvalid, JsonLdContextUnknown, JsonLdInvalid, JsonLdProtectedTerm, JsonLdRelativeIri, JsonLdTermUndefined,
    JsonLdTypeUndefined,
)

VC = "https://www.w3.org/ns/credentials/v2"
VC1 = "https://www.w3.org/2018/credentials/v1"
DI = "https://w3id.org/security/data-integrity/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
PP = "https://w3id.org/paspoort/v1"


def credential(**changes: Any) -> dict[str, Any]:
    document = {
        "@context": [VC, PP],
        "id": "urn:uuid:0b9e2f4c-6c1f-4a57-9a55-0f1b9e4d1c11",
        "type": ["VerifiableCredential", "PersoonlijkProfielCredential"],
        "issuer": "did:example:worker",
        "validFrom": "2026-11-01T09:00:00Z",
        "credentialSubject": {"id": "did:example:worker", "type": "PersoonlijkProfiel", "name": "Ria",
                              "skills": [{"id": "wondzorg", "name": "Wondzorg"}]},
    }
    document.update(changes)
    return document


def test_a_valid_document_expands() -> None:
    expanded = jsonld.expand(credential())
    assert expanded[0]["@id"] == "urn:uuid:0b9e2f4c-6c1f-4a57-9a55-0f1b9e4d1c11"


@pytest.mark.parametrize("place, key, path", [
    ("top", "salaris", "salaris"),
    ("subject", "salaris", "credentialSubject.salaris"),
    ("entry", "geheim", "credentialSubject.skills.geheim"),
    ("top", "@bogus", "@bogus"),  # looks like a keyword, is none: dropped by JSON-LD
])
def test_an_undefined_term_names_itself_and_its_place(place: str, key: str, path: str) -> None:
    document = credential()
    target = {"top": document, "subject": document["credentialSubject"],
              "entry": document["credentialSubject"]["skills"][0]}[place]
    target[key] = "x"
    with pytest.raises(JsonLdTermUndefined) as caught:
        jsonld.expand(document)
    assert caught.value.code == "JSONLD_TERM_UNDEFINED" and caught.value.status == 422
    assert caught.value.details == {"term": key, "path": path}
    assert isinstance(caught.value, DocumentInvalid)


def test_a_term_of_a_context_that_is_not_there_is_undefined() -> None:
    """``procedure`` is a Paspoort term: without the Paspoort context it does not exist."""
    document = credential()
    document["@context"] = [VC]
    document["type"] = ["VerifiableCredential"]
    document["credentialSubject"] = {"id": "did:example:worker", "procedure": {"code": "vrh:x"}}
    with pytest.raises(JsonLdTermUndefined) as caught:
        jsonld.expand(document)
    assert caught.value.details["term"] == "procedure"


@pytest.mark.parametrize("types, undefined", [
    (["VerifiableCredential", "GeheimCredential"], "GeheimCredential"),
    (["VerifiableCredential", "PersoonlijkProfielCredentiaal"], "PersoonlijkProfielCredentiaal"),
])
def test_an_undefined_type_is_refused(types: list[str], undefined: str) -> None:
    with pytest.raises(JsonLdTypeUndefined) as caught:
        jsonld.expand(credential(type=types))
    assert caught.value.code == "JSONLD_TYPE_UNDEFINED" and caught.value.details["type"] == undefined


def test_an_undefined_type_deep_inside_is_refused_with_its_path() -> None:
    document = credential()
    document["credentialSubject"]["type"] = "Persoon"
    with pytest.raises(JsonLdTypeUndefined) as caught:
        jsonld.expand(document)
    assert caught.value.details["path"] == "https://www.w3.org/2018/credentials#credentialSubject"


def test_a_relative_id_is_refused() -> None:
    with pytest.raises(JsonLdRelativeIri) as caught:
        jsonld.expand(credential(id="credential-1"))
    assert caught.value.code == "JSONLD_RELATIVE_IRI" and caught.value.details["value"] == "credential-1"


def test_a_relative_issuer_is_refused() -> None:
    with pytest.raises(JsonLdRelativeIri):
        jsonld.expand(credential(issuer="worker"))


@pytest.mark.parametrize("redefinition, term", [
    ({"VerifiableCredential": "https://evil.example/VC"}, "VerifiableCredential"),
    ({"name": "https://evil.example/name"}, "name"),
    ({"procedure": "https://evil.example/procedure"}, "procedure"),  # Paspoort's own terms are protected too
    ({"PersoonlijkProfiel": "https://evil.example/Profiel"}, "PersoonlijkProfiel"),
])
def test_redefining_a_protected_term_is_refused(redefinition: dict[str, str], term: str) -> None:
    document = credential()
    document["@context"] = [VC, PP, redefinition]
    with pytest.raises(JsonLdProtectedTerm) as caught:
        jsonld.expand(document)
    assert caught.value.code == "JSONLD_PROTECTED_TERM" and caught.value.details == {"term": term}


def test_an_identical_redefinition_is_allowed() -> None:
    document = credential()
    document["@context"] = [VC, PP, {"procedure": {"@id": "https://w3id.org/paspoort/vocab#procedure"}}]
    jsonld.expand(document)


def test_an_unknown_context_inside_a_presentation_is_refused() -> None:
    inner = credential()
    inner["@context"] = [VC, "https://evil.example/context"]
    presentation = {"@context": [VC], "type": "VerifiablePresentation", "verifiableCredential": [inner]}
    with pytest.raises(JsonLdContextUnknown):
        jsonld.expand(presentation)


@pytest.mark.parametrize("context", [42, [VC, 42], [VC, None, PP, {"@version": 2.0}]])
def test_an_invalid_context_is_a_json_ld_error(context: Any) -> None:
    with pytest.raises(JsonLdInvalid) as caught:
        jsonld.expand(credential(**{"@context": context}))
    assert caught.value.code == "JSONLD_INVALID" and caught.value.details["jsonldCode"]


def test_a_vc_1_1_credential_with_a_data_integrity_proof_expands() -> None:
    """Verification reads VC 1.1 credentials: their contexts (v1, Data Integrity v2) are shipped."""
    document = {
        "@context": [VC1, DI],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2020-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:subject"},
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2020-01-01T00:00:00Z",
                  "verificationMethod": "did:example:issuer#key", "proofPurpose": "assertionMethod",
                  "proofValue": "z1"},
    }
    expanded = jsonld.expand(document)[0]
    assert "https://www.w3.org/2018/credentials#issuanceDate" in expanded


def test_the_input_is_not_changed() -> None:
    document = credential()
    before = copy.deepcopy(document)
    jsonld.expand(document)
    jsonld.canonize(document)
    assert document == before


def test_processed_contexts_are_kept_between_calls() -> None:
    """The second expansion with the same @context loads no context document again."""
    calls: list[str] = []
    loader = jsonld.DocumentLoader()
    original = loader.__call__

    class Counting(jsonld.DocumentLoader):
        def __call__(self, url, options=None):
            calls.append(url)
            return original(url, options)

    counting = Counting()
    jsonld.expand(credential(), counting)
    first = len(calls)
    assert first >= 2
    jsonld.expand(credential(), counting)
    jsonld.canonize(credential(), counting)
    assert len(calls) == first


def test_a_changed_inline_context_is_processed_again() -> None:
    """Remembering processed contexts must not remember a document's own (changeable) inline context."""
    inline = {"extra": "https://example.org/extra"}
    document = credential()
    document["@context"] = [VC, PP, inline]
    document["extra"] = "x"
    assert "https://example.org/extra" in jsonld.expand(document)[0]
    inline["extra"] = "https://example.org/other"
    expanded = jsonld.expand(document)[0]
    assert "https://example.org/other" in expanded and "https://example.org/extra" not in expanded


def test_expansion_in_parallel_threads_gives_the_same_result() -> None:
    """The services verify in several threads at once; the loader's caches are shared between them."""
    from concurrent.futures import ThreadPoolExecutor

    loader = jsonld.DocumentLoader()
    expected = jsonld.canonize(credential(), loader)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: jsonld.canonize(credential(), loader), range(64)))
    assert set(results) == {expected}
