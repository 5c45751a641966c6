"""Every Paspoort document is valid JSON-LD under the shipped contexts, strictly.

Strict expansion (``passport.jsonld.expand``) raises on any property no context defines, any
undefined ``type``, a relative ``id`` and a protected term redefinition, so "it expands" means
nothing was dropped. Covered: the unsigned examples in examples/ and the trust registry, and for
each persona every document the offline demo makes (signed profile, shared profile,
endorsements with status entries, status list credentials, signed registry, presentation).
The job profiles in examples/jobs/ are plain JSON, not JSON-LD (no @context), and are skipped.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support import NOW
from passport import jsonld
from passport.roles.holder import present
from passport.roles.sharing import select_profile
from passport.proofs.signing import sign

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*/endorsements/*.json")) + [EXAMPLES / "trust-registry.json"]
PERSONAS = ("ria", "jan", "samira")
PP = "https://w3id.org/paspoort/vocab#"


def demo_documents(persona: str) -> dict[str, Any]:
    from passport.demo.world import build_world

    world = build_world(persona, NOW)
    shared = sign(select_profile(world.profile), world.holder, created=NOW)
    documents = {"profile": world.profile, "profile-shared": shared, "trust-registry": world.registry,
                 "presentation": present([shared, *world.endorsements], world.holder, now=NOW,
                                         challenge="c-123", domain="https://werkgever.example")}
    documents.update({f"endorsement {stem}": doc for stem, doc in zip(world.stems, world.endorsements)})
    documents.update({f"status list {url}": doc for url, doc in world.status_documents.items()})
    return documents


@pytest.fixture(scope="module", params=PERSONAS)
def persona_documents(request) -> dict[str, Any]:
    return demo_documents(request.param)


def test_the_examples_cover_every_paspoort_type() -> None:
    types = set()
    for path in EXAMPLE_FILES:
        types.update(json.loads(path.read_text(encoding="utf-8"))["type"])
    assert {"AantoonbaarBekwaamCredential", "CertificaatCredential", "AssessmentResultaatCredential",
            "WerkervaringCredential", "ProfielEndorsementCredential", "TrustRegistryCredential"} <= types


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_expands_strictly(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    expanded = jsonld.expand(document)
    assert len(expanded) == 1 and expanded[0]["@id"] == document["id"]


def test_every_demo_document_expands_strictly(persona_documents: dict[str, Any]) -> None:
    for name, document in persona_documents.items():
        try:
            jsonld.expand(document)
        except Exception as exc:  # name the document in the failure
            pytest.fail(f"{name}: {exc}")


def test_every_demo_document_has_rdfc_canonical_form(persona_documents: dict[str, Any]) -> None:
    for name, document in persona_documents.items():
        assert jsonld.canonize(document).endswith(" .\n"), name


def test_a_profile_entry_id_is_a_name_not_an_iri() -> None:
    """Entry ids (``rustig-bij-conflicten``) name an entry within the profile: schema:identifier."""
    profile = demo_documents("ria")["profile"]
    subject = jsonld.expand(profile)[0]["https://www.w3.org/2018/credentials#credentialSubject"][0]
    talent = subject[PP + "talenten"][0]
    assert talent["https://schema.org/identifier"] == [{"@value": "rustig-bij-conflicten"}]
    assert "@id" not in talent


def test_paspoort_types_expand_into_the_paspoort_vocabulary() -> None:
    document = json.loads((EXAMPLES / "ria/endorsements/aantoonbaar-bekwaam-tillift.json").read_text(encoding="utf-8"))
    expanded = jsonld.expand(document)[0]
    assert PP + "AantoonbaarBekwaamCredential" in expanded["@type"]
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential" in expanded["@type"]
    subject = expanded["https://www.w3.org/2018/credentials#credentialSubject"][0]
    procedure = subject[PP + "procedure"][0]
    assert procedure["https://schema.org/codeValue"] == [{"@value": "vrh:tillift-gebruiken"}]


def test_registry_credential_types_expand_to_type_iris() -> None:
    registry = json.loads((EXAMPLES / "trust-registry.json").read_text(encoding="utf-8"))
    subject = jsonld.expand(registry)[0]["https://www.w3.org/2018/credentials#credentialSubject"][0]
    first = subject[PP + "issuers"][0]
    assert {"@id": PP + "CertificaatCredential"} in first[PP + "credentialTypes"]


def test_every_property_the_credential_schemas_allow_is_a_term_of_a_shipped_context() -> None:
    """A field a schema allows but no example uses yet still needs a term (the job profile,
    plain JSON, is not a credential and is left out)."""
    defined: set[str] = set()

    def terms(context: Any) -> None:
        for key, value in context.items():
            if not key.startswith("@"):
                defined.add(key)
            if isinstance(value, dict) and isinstance(value.get("@context"), dict):
                terms(value["@context"])

    for url in jsonld.CONTEXTS:
        terms(jsonld.context_document(url)["@context"])
    allowed: dict[str, set[str]] = {}

    def properties(node: Any, schema: str) -> None:
        if isinstance(node, dict):
            for name in node.get("properties", {}) if isinstance(node.get("properties"), dict) else {}:
                allowed.setdefault(name, set()).add(schema)
            for value in node.values():
                properties(value, schema)
        elif isinstance(node, list):
            for value in node:
                properties(value, schema)

    schemas = Path(__file__).resolve().parents[1] / "schemas"
    for path in schemas.glob("*.json"):
        if path.name != "vakbekwaamheidsprofiel.json":
            properties(json.loads(path.read_text(encoding="utf-8")), path.name)
    missing = {name: sorted(where) for name, where in allowed.items()
               if not name.startswith("@") and name not in defined}
    assert not missing, f"schema properties without a JSON-LD term: {missing}"
