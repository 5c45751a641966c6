"""The shipped JSON-LD contexts and the offline loader.

The files' hashes are pinned here as well as in ``passport/jsonld/loader.py`` (a change to a
context is a decision, not an accident). With the published vectors present, each shipped
copy is compared with the published file: same JSON for the W3C VC contexts (npm's copies have
other whitespace), the same bytes for Open Badges 3.0.3.
"""
from __future__ import annotations

import hashlib
import json
import socket
from importlib import resources

import pytest

from support import vector
from passport import jsonld
from passport.errors import JsonLdContextUnknown, JsonLdInvalid
from passport.jsonld import loader as loader_module

SHIPPED = {
    "https://www.w3.org/ns/credentials/v2": ("credentials-v2.jsonld",
                                             "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f"),
    "https://www.w3.org/2018/credentials/v1": ("credentials-v1.jsonld",
                                               "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8"),
    "https://w3id.org/security/data-integrity/v2": ("data-integrity-v2.jsonld",
                                                    "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363"),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "open-badges-3.0.3.json", "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"),
    "https://w3id.org/paspoort/v1": ("paspoort-v1.jsonld",
                                     "4e860f15c40eb6c8276adfe6ad97227776c6ede4dedf413da89bd4b83d86664e"),
}
# The W3C's published VC 2.0 base context (VCDM 2.0 gives this digest; shared/vectors/README.md too).
W3C_V2_SHA256 = "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


def shipped_bytes(file: str) -> bytes:
    return resources.files("passport.jsonld").joinpath("contexts", file).read_bytes()


def test_the_loader_serves_exactly_the_shipped_contexts() -> None:
    assert set(jsonld.CONTEXTS) == set(SHIPPED)
    for url, (file, _) in SHIPPED.items():
        assert jsonld.CONTEXTS[url].file == file


@pytest.mark.parametrize("url", sorted(SHIPPED))
def test_each_shipped_file_has_its_pinned_hash(url: str) -> None:
    file, sha256 = SHIPPED[url]
    assert hashlib.sha256(shipped_bytes(file)).hexdigest() == sha256
    assert jsonld.CONTEXTS[url].sha256 == sha256


@pytest.mark.parametrize("url", sorted(SHIPPED))
def test_each_context_loads_offline(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("the loader tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    remote = jsonld.load_document(url)
    assert remote["documentUrl"] == url and remote["contextUrl"] is None
    assert "@context" in remote["document"]


@pytest.mark.parametrize("url", [
    "https://www.w3.org/ns/credentials/examples/v2",
    "https://www.w3.org/ns/credentials/v3",
    "http://www.w3.org/ns/credentials/v2",  # http is another URL
    "https://w3id.org/paspoort/v2",
    "https://evil.example/context.jsonld",
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "file:///etc/passwd",
    "",
])
def test_every_other_url_is_refused_with_its_code(url: str) -> None:
    with pytest.raises(JsonLdContextUnknown) as caught:
        jsonld.load_document(url)
    assert caught.value.code == "JSONLD_CONTEXT_UNKNOWN" and caught.value.status == 422
    assert caught.value.details == {"url": url}
    assert "never fetched" in caught.value.message


def test_a_damaged_shipped_copy_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://w3id.org/paspoort/v1"
    monkeypatch.setitem(loader_module.CONTEXTS, url, loader_module.CONTEXTS[url]._replace(sha256="0" * 64))
    monkeypatch.setattr(loader_module, "_documents", {})
    with pytest.raises(JsonLdInvalid) as caught:
        loader_module.context_document(url)
    assert "damaged" in caught.value.message


def test_an_extra_context_never_replaces_a_shipped_one() -> None:
    with pytest.raises(JsonLdInvalid):
        jsonld.DocumentLoader({"https://www.w3.org/ns/credentials/v2": {"@context": {}}})


def test_an_extra_context_is_seen_only_by_its_own_loader() -> None:
    url = "https://example.org/extra/v1"
    document = {"@context": [url], "type": "Thing"}
    extra = jsonld.DocumentLoader({url: {"@context": {"type": "@type", "Thing": "https://example.org/Thing"}}})
    assert jsonld.expand(document, extra)[0]["@type"] == ["https://example.org/Thing"]
    with pytest.raises(JsonLdContextUnknown):
        jsonld.expand(document)


def test_the_paspoort_context_is_protected_json_ld_1_1() -> None:
    context = json.loads(shipped_bytes("paspoort-v1.jsonld"))["@context"]
    assert context["@protected"] is True and context["@version"] == 1.1
    assert context["id"] == "@id" and context["type"] == "@type"
    assert "@vocab" not in context  # an undefined term stays an error, never a guessed IRI


# --- against the published files (CI has them) ------------------------------------------------
@pytest.mark.parametrize("url, published", [
    ("https://www.w3.org/ns/credentials/v2", "contexts/credentials-v2.jsonld"),
    ("https://www.w3.org/2018/credentials/v1", "contexts/credentials-v1.jsonld"),
    ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "contexts/open-badges-context-3.0.3.json"),
])
def test_the_shipped_copy_is_the_published_context(url: str, published: str) -> None:
    data = vector(published).read_bytes()
    assert json.loads(shipped_bytes(SHIPPED[url][0])) == json.loads(data)


def test_the_published_v2_file_has_the_vcdm_digest() -> None:
    assert hashlib.sha256(vector("contexts/credentials-v2.jsonld").read_bytes()).hexdigest() == W3C_V2_SHA256


def test_the_open_badges_copy_is_the_published_file_byte_for_byte() -> None:
    published = vector("contexts/open-badges-context-3.0.3.json").read_bytes()
    assert shipped_bytes("open-badges-3.0.3.json") == published
