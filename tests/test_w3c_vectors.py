"""The W3C eddsa-jcs-2022 test vectors, reproduced step by step, and the did:key vectors.

Source: W3C Data Integrity EdDSA Cryptosuites v1.0 (w3c/vc-di-eddsa, TestVectors/) and
w3c-ccg/did-method-key (test-vectors/ed25519-x25519.json); see shared/vectors/README.md.
The ``.txt`` files hold exactly the value, with no trailing newline, so they are compared as
raw bytes; the ``.json`` files are compared as parsed JSON and, because they happen to be
2-space indented in insertion order, also byte for byte against ``dumps_pretty``.
"""
from __future__ import annotations

import hashlib
import json

import pytest

from support import VECTORS_PRESENT, W3C_EDDSA, needs_vectors, vector_json
from passport.encoding import jsonio
from passport.crypto.did import controller_of, did_key_from_public_key, resolve_did_key
from passport.encoding.jcs import canonicalize
from passport.crypto.keys import Ed25519Key, verify_signature
from passport.encoding.multibase import ED25519_PRIV, decode_z, encode_z
from passport.proofs.proof import CRYPTOSUITE, PROOF_TYPE, hash_data, proof_config, sign, signer_of, verify_proof

pytestmark = needs_vectors  # every test here reads ../shared/vectors (or $PASPOORT_VECTORS)

SUITE = W3C_EDDSA / "eddsa-jcs-2022"
CREATED = "2023-02-24T23:36:38Z"


def raw(name: str) -> bytes:
    data = (SUITE / name).read_bytes()
    assert not data.endswith(b"\n"), f"{name}: the vector files carry no trailing newline"
    return data


def text(name: str) -> str:
    return raw(name).decode("ascii")


def raw_json(name: str) -> str:
    return (SUITE / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def key_pair() -> dict:
    return jsonio.load_file(str(W3C_EDDSA / "keyPair.json"))


@pytest.fixture(scope="module")
def key(key_pair: dict) -> Ed25519Key:
    return Ed25519Key.from_multikey(key_pair)


@pytest.fixture(scope="module")
def unsigned() -> dict:
    return jsonio.load_file(str(W3C_EDDSA / "unsigned.json"))


@pytest.fixture(scope="module")
def config(unsigned: dict, key: Ed25519Key) -> dict:
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": CREATED,
        "verificationMethod": key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    return proof_config(unsigned, options)


# --- the key pair --------------------------------------------------------------------------
def test_key_pair_file_loads_with_private_key_multibase_name(key_pair: dict, key: Ed25519Key) -> None:
    assert "privateKeyMultibase" in key_pair and "secretKeyMultibase" not in key_pair
    assert key.public_key_multibase == key_pair["publicKeyMultibase"]
    assert key.did == "did:key:" + key_pair["publicKeyMultibase"]


def test_key_pair_secret_is_multicodec_ed25519_priv_and_seed(key_pair: dict, key: Ed25519Key) -> None:
    decoded = decode_z(key_pair["privateKeyMultibase"])
    assert decoded[:2] == ED25519_PRIV and len(decoded) == 34
    assert Ed25519Key(decoded[2:]).public_key == key.public_key
    # Our own file form names it secretKeyMultibase and holds the same value.
    assert key.to_multikey()["secretKeyMultibase"] == key_pair["privateKeyMultibase"]


def test_key_pair_loads_from_file(key: Ed25519Key) -> None:
    assert Ed25519Key.load(str(W3C_EDDSA / "keyPair.json")).public_key == key.public_key


# --- every intermediate step ---------------------------------------------------------------
def test_canonical_document(unsigned: dict) -> None:
    assert canonicalize(unsigned) == raw("canonDocJCS.txt")


def test_document_hash(unsigned: dict) -> None:
    assert hashlib.sha256(canonicalize(unsigned)).hexdigest() == text("docHashJCS.txt")


def test_proof_config(config: dict) -> None:
    expected = json.loads(raw_json("proofConfigJCS.json"))
    assert config == expected
    assert jsonio.dumps_pretty(config) == raw_json("proofConfigJCS.json")


def test_canonical_proof_config(config: dict) -> None:
    assert canonicalize(config) == raw("proofCanonJCS.txt")


def test_proof_hash(config: dict) -> None:
    assert hashlib.sha256(canonicalize(config)).hexdigest() == text("proofHashJCS.txt")


def test_combined_hash_is_proof_hash_then_document_hash(config: dict, unsigned: dict) -> None:
    combined = hash_data(canonicalize(config), canonicalize(unsigned))
    assert combined.hex() == text("combinedHashJCS.txt")
    assert text("combinedHashJCS.txt") == text("proofHashJCS.txt") + text("docHashJCS.txt")


def test_signature_hex(key: Ed25519Key) -> None:
    combined = bytes.fromhex(text("combinedHashJCS.txt"))
    signature = key.sign(combined)
    assert signature.hex() == text("sigHexJCS.txt")
    verify_signature(key.public_key, combined, signature)


def test_proof_value_is_base58btc_signature() -> None:
    assert encode_z(bytes.fromhex(text("sigHexJCS.txt"))) == text("sigBTC58JCS.txt")
    assert decode_z(text("sigBTC58JCS.txt")).hex() == text("sigHexJCS.txt")


def test_sign_reproduces_signed_document(unsigned: dict, key: Ed25519Key) -> None:
    signed = sign(unsigned, key, created=CREATED)
    expected = jsonio.loads(raw_json("signedJCS.json"))
    assert signed == expected
    assert signed["proof"]["proofValue"] == text("sigBTC58JCS.txt")
    # Same key order as the published file, so even the pretty form matches byte for byte.
    assert jsonio.dumps_pretty(signed) == raw_json("signedJCS.json")
    assert "proof" not in unsigned  # sign returns a copy


def test_verify_signed_vector(key: Ed25519Key) -> None:
    signed = jsonio.loads(raw_json("signedJCS.json"))
    proof = verify_proof(signed, expected_purpose="assertionMethod")
    assert proof["proofValue"] == text("sigBTC58JCS.txt")
    assert signer_of(proof) == key.did



# --- did:key ------------------------------------------------------------------------------
# Read at collection for the test ids; without the vectors there is nothing to parametrize
# (the tests then show as skipped with the reason, not as a collection error).
DID_KEY_VECTORS = vector_json("did-key/ed25519-seeds.json") if VECTORS_PRESENT else []


@pytest.mark.parametrize(
    "vector", [pytest.param(v, id=f"seed-{v['seed'][-2:]}") for v in DID_KEY_VECTORS]
)
def test_did_key_from_seed(vector: dict) -> None:
    key = Ed25519Key(bytes.fromhex(vector["seed"]))
    assert key.did == vector["did"]
    assert did_key_from_public_key(key.public_key) == vector["did"]
    assert key.verification_method == f"{vector['did']}#{vector['did'][len('did:key:'):]}"
    assert controller_of(key.verification_method) == vector["did"]


@pytest.mark.parametrize(
    "vector", [pytest.param(v, id=f"seed-{v['seed'][-2:]}") for v in DID_KEY_VECTORS]
)
def test_did_key_resolves_to_seed_public_key(vector: dict) -> None:
    public_key = Ed25519Key(bytes.fromhex(vector["seed"])).public_key
    fragment = vector["did"][len("did:key:"):]
    assert resolve_did_key(vector["did"]) == public_key
    assert resolve_did_key(f"{vector['did']}#{fragment}") == public_key
