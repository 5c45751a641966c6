"""Ed25519 keys, Multikey files, raw signatures and did:key resolution."""
from __future__ import annotations

import os
import stat

import pytest

from support import fixed_key, within_seconds
from passport.crypto.did import controller_of, resolve_did_key, resolve_local
from passport.errors import DIDInvalid, DIDUnsupported, KeyInvalid, PassportError, SignatureInvalid
from passport.crypto.keys import MULTIKEY_CONTEXT, Ed25519Key, verify_signature, write_private_file
from passport.encoding.multibase import ED25519_PRIV, ED25519_PUB, encode_z

SEED = bytes([1]) * 32


def secret_multibase(seed: bytes = SEED, prefix: bytes = ED25519_PRIV) -> str:
    return encode_z(prefix + seed)


# --- construction, save and load ----------------------------------------------------------
def test_generate_save_load_round_trip(tmp_path) -> None:
    key = Ed25519Key.generate()
    path = tmp_path / "key.json"
    key.save(str(path))
    loaded = Ed25519Key.load(str(path))
    assert loaded.public_key == key.public_key
    assert loaded.did == key.did
    assert loaded.sign(b"bericht") == key.sign(b"bericht")


def test_generated_keys_differ() -> None:
    assert Ed25519Key.generate().public_key != Ed25519Key.generate().public_key


def test_saved_file_is_a_multikey_document_with_mode_0600(tmp_path) -> None:
    key = fixed_key("worker")
    path = tmp_path / "key.json"
    key.save(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    document = Ed25519Key.load(str(path)).to_multikey()
    assert document == key.to_multikey()
    assert document["@context"] == MULTIKEY_CONTEXT
    assert document["type"] == "Multikey"
    assert document["id"] == key.verification_method
    assert document["controller"] == key.did
    assert document["secretKeyMultibase"] == secret_multibase()
    assert sorted(os.listdir(tmp_path)) == ["key.json"]  # no temp file left behind


def test_save_refuses_to_overwrite(tmp_path) -> None:
    path = tmp_path / "key.json"
    path.write_text("existing")
    with pytest.raises(FileExistsError):
        fixed_key("worker").save(str(path))
    assert path.read_text() == "existing"
    assert sorted(os.listdir(tmp_path)) == ["key.json"]


def test_write_private_file_overwrite_replaces_with_mode_0600(tmp_path) -> None:
    path = tmp_path / "wallet.json"
    path.write_bytes(b"old")
    os.chmod(path, 0o644)
    write_private_file(str(path), b"new", overwrite=True)
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["wallet.json"]


def test_public_multikey_has_no_secret() -> None:
    document = fixed_key("worker").to_multikey(include_secret=False)
    assert "secretKeyMultibase" not in document


def test_repr_does_not_leak_the_secret() -> None:
    key = Ed25519Key(SEED)
    for shown in (repr(key), str(key), f"{key}", repr([key])):
        assert key.did in shown
        assert secret_multibase() not in shown
        assert SEED.hex() not in shown
        assert "secret" not in shown.lower()


def test_private_key_multibase_name_is_read() -> None:
    key = Ed25519Key.from_multikey({"privateKeyMultibase": secret_multibase()})
    assert key.public_key == Ed25519Key(SEED).public_key


@pytest.mark.parametrize(
    "seed",
    [
        pytest.param(b"\x01" * 31, id="31-bytes"),
        pytest.param(b"\x01" * 33, id="33-bytes"),
        pytest.param(bytearray(32), id="bytearray"),
        pytest.param("0" * 32, id="str"),
    ],
)
def test_seed_must_be_32_bytes(seed: object) -> None:
    with pytest.raises(KeyInvalid) as caught:
        Ed25519Key(seed)  # type: ignore[arg-type]
    assert caught.value.code == "KEY_INVALID"


OTHER_PUBLIC = fixed_key("stranger").public_key_multibase

BAD_MULTIKEYS = [
    pytest.param(["not", "an", "object"], id="not-an-object-list"),
    pytest.param("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq", id="not-an-object-str"),
    pytest.param(None, id="not-an-object-null"),
    pytest.param({"publicKeyMultibase": Ed25519Key(SEED).public_key_multibase}, id="missing-secret"),
    pytest.param({"secretKeyMultibase": encode_z(ED25519_PUB + SEED)}, id="wrong-prefix-ed25519-pub"),
    pytest.param({"secretKeyMultibase": encode_z(b"\x13\x00" + SEED)}, id="wrong-prefix-other-codec"),
    pytest.param({"secretKeyMultibase": encode_z(ED25519_PRIV + SEED[:31])}, id="wrong-length-31"),
    pytest.param({"secretKeyMultibase": encode_z(ED25519_PRIV + SEED + b"\x00")}, id="wrong-length-33"),
    pytest.param({"secretKeyMultibase": encode_z(ED25519_PRIV + SEED * 2)}, id="wrong-length-64"),
    pytest.param({"secretKeyMultibase": "u" + "A" * 46}, id="not-base58btc"),
    pytest.param({"secretKeyMultibase": "z0OIl"}, id="invalid-base58-characters"),
    pytest.param({"secretKeyMultibase": 12345}, id="secret-not-a-string"),
    pytest.param({"secretKeyMultibase": ""}, id="secret-empty"),
    pytest.param(
        {"secretKeyMultibase": secret_multibase(), "publicKeyMultibase": OTHER_PUBLIC},
        id="mismatched-public-key",
    ),
    pytest.param(
        {"privateKeyMultibase": secret_multibase(), "publicKeyMultibase": OTHER_PUBLIC},
        id="mismatched-public-key-w3c-name",
    ),
]


@pytest.mark.parametrize("document", BAD_MULTIKEYS)
def test_from_multikey_refuses(document: object) -> None:
    with pytest.raises(KeyInvalid) as caught:
        Ed25519Key.from_multikey(document)
    assert caught.value.code == "KEY_INVALID"


def test_load_refuses_bad_json_with_its_code(tmp_path) -> None:
    path = tmp_path / "key.json"
    path.write_text('{"secretKeyMultibase": "z1", "secretKeyMultibase": "z2"}')
    with pytest.raises(PassportError) as caught:
        Ed25519Key.load(str(path))
    assert caught.value.code == "DUPLICATE_KEY"


# --- raw signatures -----------------------------------------------------------------------
MESSAGE = b"aantoonbaar bekwaam"


def flip_bit(data: bytes, index: int) -> bytes:
    return data[: index // 8] + bytes([data[index // 8] ^ (1 << (index % 8))]) + data[index // 8 + 1 :]


def test_verify_signature_accepts_the_signature() -> None:
    key = fixed_key("worker")
    verify_signature(key.public_key, MESSAGE, key.sign(MESSAGE))


@pytest.mark.parametrize(
    "case",
    [
        "wrong-key",
        "flipped-signature-bit-0",
        "flipped-signature-bit-511",
        "flipped-message-bit",
        "empty-message",
        "signature-63-bytes",
        "signature-65-bytes",
        "signature-empty",
        "public-key-31-bytes",
        "public-key-all-zero",
    ],
)
def test_verify_signature_refuses(case: str) -> None:
    key = fixed_key("worker")
    public_key, message, signature = key.public_key, MESSAGE, key.sign(MESSAGE)
    if case == "wrong-key":
        public_key = fixed_key("stranger").public_key
    elif case == "flipped-signature-bit-0":
        signature = flip_bit(signature, 0)
    elif case == "flipped-signature-bit-511":
        signature = flip_bit(signature, 511)
    elif case == "flipped-message-bit":
        message = flip_bit(message, 3)
    elif case == "empty-message":
        message = b""
    elif case == "signature-63-bytes":
        signature = signature[:63]
    elif case == "signature-65-bytes":
        signature = signature + b"\x00"
    elif case == "signature-empty":
        signature = b""
    elif case == "public-key-31-bytes":
        public_key = public_key[:31]
    elif case == "public-key-all-zero":
        public_key = bytes(32)
    with pytest.raises(SignatureInvalid) as caught:
        verify_signature(public_key, message, signature)
    assert caught.value.code == "SIGNATURE_INVALID"


# --- did:key resolution -------------------------------------------------------------------
def test_resolve_did_key_with_and_without_fragment() -> None:
    key = fixed_key("examinator")
    assert resolve_did_key(key.did) == key.public_key
    assert resolve_did_key(key.verification_method) == key.public_key
    assert controller_of(key.verification_method) == key.did
    assert controller_of(key.did) == key.did


WORKER = fixed_key("worker")
STRANGER = fixed_key("stranger")


@pytest.mark.parametrize(
    "verification_method, code",
    [
        pytest.param("did:web:example.nl#key-1", "DID_UNSUPPORTED", id="did-web-offline"),
        pytest.param("did:example:123", "DID_UNSUPPORTED", id="did-example"),
        pytest.param(f"{WORKER.did}#{STRANGER.public_key_multibase}", "DID_INVALID", id="fragment-other-key"),
        pytest.param(f"{WORKER.did}#key-1", "DID_INVALID", id="fragment-not-the-key"),
        pytest.param("did:key:z6MkBAD", "DID_INVALID", id="bad-did-key-short"),
        pytest.param("did:key:", "DID_INVALID", id="empty-did-key"),
        pytest.param("did:key:" + WORKER.public_key_multibase[1:], "DID_INVALID", id="missing-multibase-z"),
        pytest.param("did:key:" + encode_z(b"\xec\x01" + bytes(32)), "DID_INVALID", id="x25519-key"),
        pytest.param("did:key:" + encode_z(ED25519_PUB + bytes(33)), "DID_INVALID", id="ed25519-33-bytes"),
        pytest.param("did:key:z0OIl", "DID_INVALID", id="invalid-base58-characters"),
        pytest.param(WORKER.public_key_multibase, "DID_INVALID", id="not-a-did"),
        pytest.param("https://example.nl/keys/1", "DID_INVALID", id="url"),
        pytest.param("", "DID_INVALID", id="empty"),
        pytest.param(None, "DID_INVALID", id="null"),
        pytest.param(42, "DID_INVALID", id="number"),
    ],
)
def test_resolve_did_key_refuses(verification_method: object, code: str) -> None:
    with pytest.raises((DIDInvalid, DIDUnsupported)) as caught:
        resolve_did_key(verification_method)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert caught.value.status == 422


def test_resolve_local_uses_the_callback_for_other_methods() -> None:
    seen: list[str] = []

    def resolver(vm: str) -> bytes:
        seen.append(vm)
        return STRANGER.public_key

    assert resolve_local("did:web:example.nl#key-1", resolver) == STRANGER.public_key
    assert resolve_local(WORKER.verification_method, resolver) == WORKER.public_key  # did:key stays local
    assert seen == ["did:web:example.nl#key-1"]
    with pytest.raises(DIDUnsupported) as caught:
        resolve_local("did:web:example.nl#key-1")
    assert caught.value.code == "DID_UNSUPPORTED"


def test_huge_did_key_is_refused_fast() -> None:
    # A verificationMethod inside a 2 MB document may be that long; a did:key is ~56 characters.
    with within_seconds(0.5):
        with pytest.raises(DIDInvalid) as caught:
            resolve_did_key("did:key:z" + "2" * 300_000)
    assert caught.value.code == "DID_INVALID"
