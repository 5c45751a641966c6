"""The example personas (Ria, Jan, Samira): profiles build, endorsements validate and verify.

Also covers the builders and accessors of ``passport.format.documents`` on those examples. Keys come
from ``examples/keys.json`` (fixed seeds); ``NOW`` is the fixed reference time.
"""
from __future__ import annotations

import copy
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from passport.format import documents, schemas
from passport.errors import SchemaInvalid, StructureInvalid
from passport.crypto.keys import Ed25519Key
from passport.proofs.proof import sign, signer_of, verify_proof
from passport.encoding.timeutil import parse_datetime

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NOW = "2026-11-23T12:00:00Z"
PERSONAS = ("ria", "jan", "samira")
SEEDS: dict[str, str] = json.loads((EXAMPLES / "keys.json").read_text(encoding="utf-8"))
KEYS = {role: Ed25519Key(bytes.fromhex(seed)) for role, seed in SEEDS.items()}
ROLE_OF_DID = {key.did: role for role, key in KEYS.items()}
ENDORSEMENT_FILES = sorted(EXAMPLES.glob("*/endorsements/*.json"))
PROFILE_VALID_FROM = "2026-11-01T09:00:00Z"

EXPECTED_ENDORSEMENTS = {  # per DOMAIN.md
    "ria": ["AantoonbaarBekwaamCredential", "AantoonbaarBekwaamCredential", "AssessmentResultaatCredential",
            "CertificaatCredential", "CertificaatCredential", "ProfielEndorsementCredential"],
    "jan": ["CertificaatCredential", "WerkervaringCredential", "WerkervaringCredential"],
    "samira": ["AssessmentResultaatCredential", "WerkervaringCredential"],
}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def profile_yaml(person: str) -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / person / "profile.yaml").read_text(encoding="utf-8"))


def build_profile(person: str) -> dict[str, Any]:
    return documents.profile_credential(profile_yaml(person), KEYS[person].did, valid_from=PROFILE_VALID_FROM)


def endorsement_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.stem}"


# --- keys -------------------------------------------------------------------------------
def test_keys_are_fixed_32_byte_seeds() -> None:
    assert set(PERSONAS) <= set(SEEDS)
    for role, seed in SEEDS.items():
        assert re.fullmatch(r"[0-9a-f]{64}", seed), role
    assert len({key.did for key in KEYS.values()}) == len(KEYS)


# --- profiles ---------------------------------------------------------------------------
@pytest.mark.parametrize("person", PERSONAS)
def test_profile_builds_and_validates(person: str) -> None:
    credential = build_profile(person)
    assert schemas.validate(credential) == "persoonlijk-profiel"
    subject = credential["credentialSubject"]
    assert credential["issuer"] == subject["id"] == KEYS[person].did
    assert [key for key in subject if key in documents.BLOCK_KEYS] == list(documents.BLOCK_KEYS)
    assert all(subject[key] for key in documents.BLOCK_KEYS), "every block has at least one entry"
    assert any(entry.get("sensitive") for key in documents.BLOCK_KEYS for entry in subject[key])
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", credential["id"])


@pytest.mark.parametrize("person", PERSONAS)
def test_profile_signs_and_verifies(person: str) -> None:
    signed = sign(build_profile(person), KEYS[person], created=PROFILE_VALID_FROM)
    assert schemas.validate(signed) == "persoonlijk-profiel"
    assert signer_of(verify_proof(signed, expected_purpose="assertionMethod")) == KEYS[person].did


def test_language_mappings_become_language_values() -> None:
    entry = documents.find_entry(build_profile("ria"), "rustig-bij-conflicten")
    assert entry["name"] == [{"@value": "Rustig blijven bij conflicten", "@language": "nl"},
                             {"@value": "Calm in conflicts", "@language": "en"}]
    assert documents.find_entry(build_profile("ria"), "fysieke-belastbaarheid")["sensitive"] is True


def test_yaml_dates_become_iso_strings() -> None:
    data = profile_yaml("jan")
    data["doelEnMotivatie"][0]["startDate"] = yaml.safe_load("d: 2027-08-01")["d"]
    credential = documents.profile_credential(data, KEYS["jan"].did, valid_from=PROFILE_VALID_FROM)
    assert documents.find_entry(credential, "doel-docent-lo")["startDate"] == "2027-08-01"


@pytest.mark.parametrize(("change", "error", "match"), [
    (lambda p: p["skills"].append(dict(p["talenten"][0])), SchemaInvalid, "already used"),
    (lambda p: p["skills"][0].update(id="Klant Contact"), SchemaInvalid, r"skills\[0\]\.id"),
    (lambda p: p["skills"][0].pop("id"), SchemaInvalid, r"skills\[0\]\.id"),
    (lambda p: p.update(hobbies=[]), StructureInvalid, "hobbies"),
    (lambda p: p.update(skills={"klantcontact": {}}), StructureInvalid, "skills"),
    (lambda p: p["skills"].append("klantcontact"), StructureInvalid, r"skills\[\d+\]"),
    (lambda p: p["skills"][0].update(level=3), SchemaInvalid, "level"),
], ids=["duplicate-id", "id-not-slug", "id-missing", "unknown-block", "block-not-list", "entry-not-mapping",
        "field-of-other-block"])
def test_bad_profiles_are_rejected_clearly(change: Any, error: type, match: str) -> None:
    data = profile_yaml("ria")
    change(data)
    with pytest.raises(error, match=match):
        documents.profile_credential(data, KEYS["ria"].did, valid_from=PROFILE_VALID_FROM)


def test_profile_builder_does_not_change_its_input() -> None:
    data = profile_yaml("samira")
    before = copy.deepcopy(data)
    documents.profile_credential(data, KEYS["samira"].did, valid_from=PROFILE_VALID_FROM)
    assert data == before


# --- endorsements -------------------------------------------------------------------------
@pytest.mark.parametrize("path", ENDORSEMENT_FILES, ids=endorsement_id)
def test_endorsement_validates_and_is_about_its_persona(path: Path) -> None:
    credential = load(path)
    kind = documents.paspoort_type(credential)
    assert schemas.validate(credential) == schemas.SCHEMA_FOR_TYPE[kind]
    assert "proof" not in credential, "examples are unsigned"
    assert credential["credentialSubject"]["id"] == KEYS[path.parent.parent.name].did
    assert documents.issuer_id(credential) in ROLE_OF_DID
    assert ROLE_OF_DID[documents.issuer_id(credential)] not in PERSONAS


@pytest.mark.parametrize("path", ENDORSEMENT_FILES, ids=endorsement_id)
def test_endorsement_signed_by_its_issuer_verifies(path: Path) -> None:
    credential = load(path)
    issuer = documents.issuer_id(credential)
    signed = sign(credential, KEYS[ROLE_OF_DID[issuer]], created=credential["validFrom"])
    assert schemas.validate(signed) == schemas.schema_name_for(credential)
    proof = verify_proof(signed, expected_purpose="assertionMethod")
    assert signer_of(proof) == issuer


@pytest.mark.parametrize("path", ENDORSEMENT_FILES, ids=endorsement_id)
def test_endorsement_is_current_at_now(path: Path) -> None:
    credential = load(path)
    now = parse_datetime(NOW)
    assert parse_datetime(credential["validFrom"]) <= now
    if documents.paspoort_type(credential) == documents.AANTOONBAAR_BEKWAAM_TYPE:
        assert "validUntil" in credential
    if "validUntil" in credential:
        assert parse_datetime(credential["validUntil"]) > now


@pytest.mark.parametrize("person", PERSONAS)
def test_persona_has_the_endorsements_of_the_domain_story(person: str) -> None:
    found = sorted(documents.paspoort_type(load(path)) for path in ENDORSEMENT_FILES
                   if path.parent.parent.name == person)
    assert found == EXPECTED_ENDORSEMENTS[person]


def test_ids_are_unique() -> None:
    ids = [load(path)["id"] for path in ENDORSEMENT_FILES] + [load(EXAMPLES / "trust-registry.json")["id"]]
    ids += [item["id"] for path in ENDORSEMENT_FILES for item in load(path).get("evidence", []) if "id" in item]
    ids += [build_profile(person)["id"] for person in PERSONAS]
    assert len(ids) == len(set(ids))


def test_profile_endorsement_digest_matches_the_profile_entry() -> None:
    endorsement = load(EXAMPLES / "ria" / "endorsements" / "endorsement-rustig-bij-conflicten.json")
    pointer = endorsement["credentialSubject"]["entry"]
    entry = documents.find_entry(build_profile("ria"), pointer["id"])
    assert entry is not None
    assert documents.entry_digest(entry) == pointer["digestMultibase"]
    changed = dict(entry, description="Wordt snel boos.")
    assert documents.entry_digest(changed) != pointer["digestMultibase"]


def test_entry_digest_is_sha256_multihash_of_the_canonical_entry() -> None:
    # JCS of {"id":"a","name":"b"} is {"id":"a","name":"b"}; its sha256 below is computed independently.
    import hashlib

    expected = hashlib.sha256(b'{"id":"a","name":"b"}').digest()
    from passport.encoding.multibase import decode_u

    raw = decode_u(documents.entry_digest({"name": "b", "id": "a"}))
    assert raw == b"\x12\x20" + expected


def test_trust_registry_example_covers_every_example_issuer() -> None:
    registry = load(EXAMPLES / "trust-registry.json")
    assert schemas.validate(registry) == "trust-registry"
    entries = {entry["id"]: entry for entry in registry["credentialSubject"]["issuers"]}
    for path in ENDORSEMENT_FILES:
        credential = load(path)
        entry = entries[documents.issuer_id(credential)]
        assert documents.paspoort_type(credential) in entry["credentialTypes"], path.name
        for value in documents.scope_values(credential):
            assert entry["scope"] is None or any(
                value == p or (p.endswith("*") and value.startswith(p[:-1])) for p in entry["scope"])


def test_examples_are_up_to_date_with_the_build_script() -> None:
    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLES.parent / "tools" / "build_examples.py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        built = module.build()
    finally:
        sys.modules.pop("_kit", None)
    for relative, document in built.items():
        assert load(EXAMPLES / relative) == document, f"{relative} is stale: run python tools/build_examples.py"
    on_disk = {str(p.relative_to(EXAMPLES)) for p in ENDORSEMENT_FILES}
    assert on_disk == {r for r in built if "/endorsements/" in r}


# --- accessors ---------------------------------------------------------------------------
def test_accessors_on_examples() -> None:
    ab = load(EXAMPLES / "ria" / "endorsements" / "aantoonbaar-bekwaam-medicatie-aanreiken.json")
    assert documents.issuer_id(ab) == KEYS["zorg-examinator"].did
    assert documents.credential_types(ab) == ["VerifiableCredential", "OpenBadgeCredential",
                                              "AantoonbaarBekwaamCredential"]
    assert documents.paspoort_type(ab) == "AantoonbaarBekwaamCredential"
    assert documents.scope_values(ab) == ["vrh:medicatie-aanreiken"]
    werk = load(EXAMPLES / "samira" / "endorsements" / "werkervaring-technisch-onderhoud.json")
    alignment = werk["credentialSubject"]["achievement"]["alignment"]
    assert documents.scope_values(werk) == [item["targetUrl"] for item in alignment]
    assert all(url.startswith("http://data.europa.eu/esco/skill/") for url in documents.scope_values(werk))
    endorsement = load(EXAMPLES / "ria" / "endorsements" / "endorsement-rustig-bij-conflicten.json")
    assert documents.scope_values(endorsement) == []
    assert documents.scope_values(build_profile("jan")) == []
    assert documents.paspoort_type({"type": ["VerifiableCredential", "AlumniCredential"]}) is None
    assert documents.issuer_id({"issuer": "did:key:z6Mkabc"}) == "did:key:z6Mkabc"


@pytest.mark.parametrize(("call", "document"), [
    (documents.issuer_id, {"issuer": {"name": "zonder id"}}),
    (documents.issuer_id, {}),
    (documents.credential_types, {"type": [1]}),
    (documents.credential_types, {"type": []}),
    (documents.paspoort_type, {"type": ["VerifiableCredential", "CertificaatCredential", "WerkervaringCredential"]}),
    (documents.scope_values, {"type": ["VerifiableCredential", "OpenBadgeCredential", "AantoonbaarBekwaamCredential"],
                              "credentialSubject": {}}),
], ids=["issuer-without-id", "no-issuer", "type-not-strings", "type-empty", "two-paspoort-types",
        "ab-without-procedure"])
def test_accessors_raise_structure_invalid(call: Any, document: dict) -> None:
    with pytest.raises(StructureInvalid):
        call(document)


def test_find_entry_misses_return_none() -> None:
    assert documents.find_entry(build_profile("ria"), "bestaat-niet") is None
    assert documents.find_entry({}, "x") is None


def test_new_credential_id_is_a_fresh_urn_uuid() -> None:
    first, second = documents.new_credential_id(), documents.new_credential_id()
    assert first != second
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)


def test_blocks_have_dutch_and_english_labels() -> None:
    assert [b.key for b in documents.BLOCKS] == ["talenten", "skills", "drijfveren", "wendbaarheid",
                                                 "werkEnDenkniveau", "doelEnMotivatie"]
    assert documents.BLOCKS[4].nl == "Werk- en denkniveau" and documents.BLOCKS[4].en == "Work and thinking level"


def test_profile_endorsement_builder() -> None:
    profile = build_profile("samira")
    built = documents.profile_endorsement(profile, "technisch-inzicht", issuer=KEYS["schoonmaak-werkgever"].did,
                                          comment="Klopt: lost storingen vaak sneller op dan de monteur.",
                                          valid_from="2026-11-20T10:00:00Z")
    assert schemas.validate(built) == "profiel-endorsement"
    assert built["credentialSubject"]["entry"]["digestMultibase"] == documents.entry_digest(
        documents.find_entry(profile, "technisch-inzicht"))
    with pytest.raises(StructureInvalid, match="no entry"):
        documents.profile_endorsement(profile, "bestaat-niet", issuer=KEYS["roc"].did, comment="x",
                                      valid_from="2026-11-20T10:00:00Z")
