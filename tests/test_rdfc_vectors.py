"""The W3C eddsa-rdfc-2022 test vector, reproduced step by step and byte for byte.

Source: W3C Data Integrity EdDSA Cryptosuites v1.0 (w3c/vc-di-eddsa, TestVectors/eddsa-rdfc-2022/),
over the same key pair and unsigned credential as the jcs vector (test_w3c_vectors.py). The
credential's @context includes the W3C examples context, which the package does not ship: the
test gives it to the loader from the published vectors (``DocumentLoader(extra=...)``).
The files hold exactly the value: the canonical N-Quads end in a newline, the hashes and the
JSON files do not.
"""
from __future__ import annotations

import copy
import hashlib
import json

import pytest

from support import W3C_EDDSA, needs_vectors, vector_json
from passport.encoding import jsonio
from passport.errors import JsonLdContextUnknown, JsonLdTermUndefined, SignatureInvalid
from passport.jsonld import DocumentLoader, canonize
from passport.crypto.keys import Ed25519Key, verify_signature
from passport.encoding.multibase import decode_z, encode_z
from passport.proofs.proof import PROOF_TYPE, hash_data, proof_config, sign, signer_of, verify_proof

pytestmark = needs_vectors

SUITE = W3C_EDDSA / "eddsa-rdfc-2022"
CREATED = "2023-02-24T23:36:38Z"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
RDFC = "eddsa-rdfc-2022"


def text(name: str) -> str:
    return (SUITE / name).read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def loader() -> DocumentLoader:
    return DocumentLoader({EXAMPLES_CONTEXT: vector_json("contexts/credentials-examples-v2.jsonld")})


@pytest.fixture(scope="module")
def key() -> Ed25519Key:
    return Ed25519Key.from_multikey(jsonio.load_file(str(W3C_EDDSA / "keyPair.json")))


@pytest.fixture(scope="module")
def unsigned() -> dict:
    return jsonio.load_file(str(W3C_EDDSA / "unsigned.json"))


@pytest.fixture(scope="module")
def config(unsigned: dict, key: Ed25519Key) -> dict:
    options = {"type": PROOF_TYPE, "cryptosuite": RDFC, "created": CREATED,
               "verificationMethod": key.verification_method, "proofPurpose": "assertionMethod"}
    return proof_config(unsigned, options)


def test_canonical_document(unsigned: dict, loader: DocumentLoader) -> None:
    assert canonize(unsigned, loader) == text("canonDocDataInt.txt")


def test_document_hash(unsigned: dict, loader: DocumentLoader) -> None:
    assert hashlib.sha256(canonize(unsigned, loader).encode()).hexdigest() == text("docHashDataInt.txt")


def test_proof_config(config: dict) -> None:
    assert config == json.loads(text("proofConfigDataInt.json"))
    assert jsonio.dumps_pretty(config) == text("proofConfigDataInt.json") + "\n"  # the file has no final newline


def test_canonical_proof_config(config: dict, loader: DocumentLoader) -> None:
    assert canonize(config, loader) == text("proofCanonDataInt.txt")


def test_proof_hash(config: dict, loader: DocumentLoader) -> None:
    assert hashlib.sha256(canonize(config, loader).encode()).hexdigest() == text("proofHashDataInt.txt")


def test_combined_hash(config: dict, unsigned: dict, loader: DocumentLoader) -> None:
    combined = hash_data(canonize(config, loader).encode(), canonize(unsigned, loader).encode())
    assert combined.hex() == text("combinedHashDataInt.txt")


def test_signature_and_proof_value(key: Ed25519Key) -> None:
    combined = bytes.fromhex(text("combinedHashDataInt.txt"))
    signature = key.sign(combined)
    assert signature.hex() == text("sigHexDataInt.txt")
    verify_signature(key.public_key, combined, signature)
    assert encode_z(signature) == text("sigBTC58DataInt.txt")
    assert decode_z(text("sigBTC58DataInt.txt")) == signature


def test_sign_reproduces_signed_credential(unsigned: dict, key: Ed25519Key, loader: DocumentLoader) -> None:
    signed = sign(unsigned, key, created=CREATED, cryptosuite=RDFC, document_loader=loader)
    assert signed == json.loads(text("signedDataInt.json"))
    assert jsonio.dumps_pretty(signed) == text("signedDataInt.json") + "\n"


def test_verify_signed_vector(key: Ed25519Key, loader: DocumentLoader) -> None:
    signed = json.loads(text("signedDataInt.json"))
    proof = verify_proof(signed, expected_purpose="assertionMethod", document_loader=loader)
    assert proof["cryptosuite"] == RDFC and signer_of(proof) == key.did


def test_verify_ignores_json_only_changes(loader: DocumentLoader) -> None:
    """RDFC signs the RDF dataset: the order of the JSON members does not change it."""
    signed = json.loads(text("signedDataInt.json"))
    reordered = {key: signed[key] for key in reversed(list(signed))}
    verify_proof(reordered, expected_purpose="assertionMethod", document_loader=loader)


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: d["credentialSubject"].update(alumniOf="Another School"), id="subject-value"),
    pytest.param(lambda d: d.update(validFrom="2023-01-02T00:00:00Z"), id="validFrom"),
    pytest.param(lambda d: d["type"].remove("AlumniCredential"), id="type-removed"),
    pytest.param(lambda d: d.update(issuer="https://vc.example/issuers/9999"), id="issuer"),
])
def test_verify_refuses_a_changed_statement(change, loader: DocumentLoader) -> None:
    signed = json.loads(text("signedDataInt.json"))
    change(signed)
    with pytest.raises(SignatureInvalid):
        verify_proof(signed, expected_purpose="assertionMethod", document_loader=loader)


def test_an_added_undefined_term_is_an_error_not_ignored(loader: DocumentLoader) -> None:
    """Without strictness an added undefined property would be dropped and the proof still verify."""
    signed = json.loads(text("signedDataInt.json"))
    signed["@context"] = signed["proof"]["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    signed["credentialSubject"]["alumniOf"] = "The School of Examples"  # undefined without the examples context
    with pytest.raises(JsonLdTermUndefined) as caught:
        verify_proof(signed, expected_purpose="assertionMethod", document_loader=loader)
    assert caught.value.details["term"] == "alumniOf"
    assert caught.value.details["path"] == "credentialSubject.alumniOf"


def test_the_examples_context_is_not_shipped() -> None:
    """The default loader does not know the examples context: the vector needs the test's loader."""
    signed = json.loads(text("signedDataInt.json"))
    with pytest.raises(JsonLdContextUnknown) as caught:
        verify_proof(copy.deepcopy(signed), expected_purpose="assertionMethod")
    assert caught.value.code == "JSONLD_CONTEXT_UNKNOWN" and caught.value.details["url"] == EXAMPLES_CONTEXT
