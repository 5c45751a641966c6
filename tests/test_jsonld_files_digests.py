"""Extra context files (one parser for both services) and digests of the contexts we hold
(a credential's relatedResource, VCDM 2.0 section 5.3). Nothing here is ever fetched."""
from __future__ import annotations

import base64
import hashlib
import json

import pytest

from passport.errors import JsonLdInvalid, StructureInvalid
from passport.format.vcdm import check_related_digests
from passport.jsonld import VC_V1, VC_V2, context_bytes, load_context_files, parse_context_pairs
from passport.jsonld.digests import PUBLISHED, held, matches, parse_multibase, parse_sri

EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
EXAMPLES_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}


def sri(algorithm: str, data: bytes) -> str:
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


def multibase(data: bytes, header: bytes = b"") -> str:
    return "u" + base64.urlsafe_b64encode(header + hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.fixture
def examples_file(tmp_path):
    path = tmp_path / "examples-v2.jsonld"
    path.write_bytes(json.dumps(EXAMPLES_CONTEXT, indent=1).encode())
    return path


# --- the setting: URL=file pairs -------------------------------------------------------------------
def test_pairs_are_parsed():
    assert parse_context_pairs(" https://a.example/c=/x.jsonld ,https://b.example/d=/y=z.jsonld,") == {
        "https://a.example/c": "/x.jsonld", "https://b.example/d": "/y=z.jsonld"}
    assert parse_context_pairs("") == {}


@pytest.mark.parametrize("raw", ["https://a.example/c", "=/x", "https://a.example/c=", "relative=/x",
                                 "https://a.example/c=/x,https://a.example/c=/y"])
def test_bad_pairs_say_what_is_wrong(raw):
    with pytest.raises(JsonLdInvalid) as caught:
        parse_context_pairs(raw)
    assert caught.value.code == "JSONLD_INVALID" and caught.value.message


def test_a_file_loader_serves_the_file_and_keeps_its_bytes(examples_file):
    loader = load_context_files({EXAMPLES: str(examples_file)})
    assert loader(EXAMPLES)["document"] == EXAMPLES_CONTEXT
    assert loader.held_bytes(EXAMPLES) == examples_file.read_bytes()
    assert loader.held_bytes(VC_V2) == context_bytes(VC_V2)
    assert loader.held_bytes("https://example.org/other") is None
    assert load_context_files({}) is None


@pytest.mark.parametrize("content, problem", [
    (None, "cannot be read"), (b"{not json", "not JSON"), (b'{"no": "context"}', "not a JSON-LD context"),
    (b" " * (1024 * 1024 + 1), "larger than"),
])
def test_unusable_files_are_refused(tmp_path, content, problem):
    path = tmp_path / "c.jsonld"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(JsonLdInvalid, match=problem):
        load_context_files({EXAMPLES: str(path)})


def test_a_shipped_context_is_never_replaced(examples_file):
    with pytest.raises(JsonLdInvalid, match="cannot be replaced"):
        load_context_files({VC_V2: str(examples_file)})


# --- digests -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["sha256", "sha384", "sha512"])
def test_sri_of_the_shipped_file_and_of_the_published_file_match(algorithm):
    assert matches(VC_V2, parse_sri(sri(algorithm, context_bytes(VC_V2))))
    published = base64.b64encode(bytes.fromhex(PUBLISHED[VC_V2][algorithm])).decode()
    assert matches(VC_V2, parse_sri(f"{algorithm}-{published}"))
    assert not matches(VC_V1, parse_sri(f"{algorithm}-{published}"))


def test_the_published_sha256_is_the_one_the_data_model_gives():
    assert PUBLISHED[VC_V2]["sha256"] == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    assert PUBLISHED[VC_V1]["sha256"] == "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc"


def test_multibase_bare_digest_and_multihash_match():
    data = context_bytes(VC_V2)
    assert matches(VC_V2, parse_multibase(multibase(data)))
    assert matches(VC_V2, parse_multibase(multibase(data, b"\x12\x20")))
    assert not matches(VC_V2, parse_multibase(multibase(b"other bytes")))


@pytest.mark.parametrize("value", ["md5-AAAA", "sha256-", "sha256-!!!!", "sha384-" + "A" * 43])
def test_unreadable_sri_values(value):
    with pytest.raises(ValueError):
        parse_sri(value)


@pytest.mark.parametrize("value", ["xABC", "u" + "A" * 10, "z111"])
def test_unreadable_multibase_values(value):
    with pytest.raises(ValueError):
        parse_multibase(value)


def test_held_is_only_what_we_hold(examples_file):
    assert held(VC_V2) and not held(EXAMPLES)
    assert held(EXAMPLES, load_context_files({EXAMPLES: str(examples_file)}))


# --- the credential check -----------------------------------------------------------------------------
def credential(*resources):
    return {"@context": [VC_V2], "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:1"},
            "relatedResource": list(resources)}


def test_matching_digests_pass_and_resources_we_do_not_hold_are_not_checked(examples_file):
    data = context_bytes(VC_V2)
    check_related_digests(credential({"id": VC_V2, "digestSRI": sri("sha384", data),
                                      "digestMultibase": multibase(data)}))
    check_related_digests(credential({"id": "https://example.org/not-held", "digestSRI": sri("sha256", b"x")}))
    loader = load_context_files({EXAMPLES: str(examples_file)})
    check_related_digests(credential({"id": EXAMPLES, "digestSRI": sri("sha512", examples_file.read_bytes())}),
                          loader)


@pytest.mark.parametrize("resource, path", [
    ({"id": VC_V2, "digestMultibase": "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"},
     "relatedResource[0].digestMultibase"),
    ({"id": VC_V2, "digestSRI": "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P"},
     "relatedResource[0].digestSRI"),
    ({"id": VC_V2, "digestSRI": "sha384-" + base64.b64encode(hashlib.sha384(b"x").digest()).decode(),
      "digestMultibase": "u" + base64.urlsafe_b64encode(bytes.fromhex(PUBLISHED[VC_V2]["sha256"])).decode()},
     "relatedResource[0].digestSRI"),  # one right digest does not excuse a wrong one
    ({"id": VC_V1, "digestSRI": "sha256-" + base64.b64encode(bytes(32)).decode()}, "relatedResource[0].digestSRI"),
])
def test_a_digest_that_does_not_match_a_held_context_is_refused(resource, path):
    with pytest.raises(StructureInvalid) as caught:
        check_related_digests(credential(resource))
    assert caught.value.details["path"] == path and caught.value.details["vcdmError"] == "MALFORMED_VALUE_ERROR"
    assert "does not match" in caught.value.message


def test_a_configured_context_with_a_wrong_digest_is_refused(examples_file):
    loader = load_context_files({EXAMPLES: str(examples_file)})
    with pytest.raises(StructureInvalid, match="does not match"):
        check_related_digests(credential({"id": EXAMPLES, "digestSRI": sri("sha256", b"something else")}), loader)
