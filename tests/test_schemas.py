"""The JSON Schemas: well-formed 2020-12, chosen by type, and each rule rejecting what it should.

Every negative case starts from a valid document of the type (an example credential, the
built profile of Ria, the W3C status list example) and changes one thing; the error must be
``SchemaInvalid`` and must name the field.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest
import referencing
import yaml

from support import vector_json
from passport import check
from passport.format import schemas
from passport.format.documents import entry_digest, profile_credential
from passport.errors import SchemaInvalid

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILES = sorted((ROOT / "schemas").glob("*.json"))
EXAMPLES = ROOT / "examples"
RIA = "did:key:z6MkggrU3YPDFy6iUboM3mjbPpZPSQyRyR7kN7ZqppQ5P8HF"

CONTRACT_TYPES = {
    "PersoonlijkProfielCredential", "AantoonbaarBekwaamCredential", "CertificaatCredential",
    "AssessmentResultaatCredential", "WerkervaringCredential", "ProfielEndorsementCredential",
    "TrustRegistryCredential", "BitstringStatusListCredential",
}


def example(relative: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / relative).read_text(encoding="utf-8"))


def ria_profile() -> dict[str, Any]:
    data = yaml.safe_load((EXAMPLES / "ria" / "profile.yaml").read_text(encoding="utf-8"))
    return profile_credential(data, RIA, valid_from="2026-11-01T09:00:00Z",
                              credential_id="urn:uuid:00000000-0000-4000-8000-000000000001")


VALID = {
    "persoonlijk-profiel": ria_profile,
    "aantoonbaar-bekwaam": lambda: example("ria/endorsements/aantoonbaar-bekwaam-medicatie-aanreiken.json"),
    "certificaat": lambda: example("ria/endorsements/methodisch-werken.json"),
    "assessment-resultaat": lambda: example("ria/endorsements/riasec-assessment.json"),
    "werkervaring": lambda: example("samira/endorsements/werkervaring-technisch-onderhoud.json"),
    "profiel-endorsement": lambda: example("ria/endorsements/endorsement-rustig-bij-conflicten.json"),
    "trust-registry": lambda: example("trust-registry.json"),
    "bitstring-status-list": lambda: vector_json("bitstring-status-list/example-credential.json"),  # skips if absent
}


# --- the schema files themselves ---------------------------------------------------------
@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.stem)
def test_schema_is_valid_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://w3id.org/paspoort/schemas/{path.stem}.json"


def test_allowlist_matches_contract_and_registry_schema() -> None:
    assert schemas.CREDENTIAL_TYPES == CONTRACT_TYPES
    registry_schema = schemas.load_schema("trust-registry")
    enum = registry_schema["$defs"]["registryEntry"]["properties"]["credentialTypes"]["items"]["enum"]
    assert set(enum) == CONTRACT_TYPES
    assert {f.stem for f in SCHEMA_FILES} == schemas.SCHEMA_NAMES | {"defs"}


def _python_validator(name: str) -> jsonschema.Draft202012Validator:
    resources = [(s["$id"], referencing.Resource.from_contents(s))
                 for s in (json.loads(f.read_text(encoding="utf-8")) for f in SCHEMA_FILES)]
    registry = referencing.Registry().with_resources(resources)
    return jsonschema.Draft202012Validator(schemas.load_schema(name), registry=registry)


@pytest.mark.parametrize("name", sorted(VALID), ids=str)
def test_python_jsonschema_agrees_with_jsonschema_rs(name: str) -> None:
    """Both engines accept the valid documents (patterns are portable across regex dialects)."""
    document = VALID[name]()
    assert schemas.validate(document) == name
    assert list(_python_validator(name).iter_errors(document)) == []


# --- choosing the schema -------------------------------------------------------------------
@pytest.mark.parametrize(("types", "expected"), [
    (["VerifiableCredential", "OpenBadgeCredential", "AantoonbaarBekwaamCredential"], "aantoonbaar-bekwaam"),
    (["VerifiableCredential", "PersoonlijkProfielCredential"], "persoonlijk-profiel"),
    (["VerifiableCredential", "BitstringStatusListCredential"], "bitstring-status-list"),
    (["VerifiableCredential", "AlumniCredential"], "verifiable-credential"),
    (["VerifiablePresentation"], "verifiable-presentation"),
    ("VerifiableCredential", "verifiable-credential"),
    (None, "verifiable-credential"),
], ids=["aantoonbaar-bekwaam", "profile", "status-list", "other-vc", "presentation", "type-string", "no-type"])
def test_schema_name_for(types: Any, expected: str) -> None:
    assert schemas.schema_name_for({"type": types}) == expected


def test_two_paspoort_types_are_ambiguous() -> None:
    with pytest.raises(SchemaInvalid, match="more than one Paspoort type"):
        schemas.schema_name_for({"type": ["VerifiableCredential", "CertificaatCredential", "WerkervaringCredential"]})


@pytest.mark.parametrize("document", [[], "credential", None], ids=["list", "string", "null"])
def test_non_object_is_rejected(document: Any) -> None:
    with pytest.raises(SchemaInvalid, match="JSON object"):
        schemas.validate(document)


def test_w3c_example_credential_validates_against_the_base_schema() -> None:
    unsigned = vector_json("w3c-vc-di-eddsa/unsigned.json")
    assert schemas.validate(unsigned) == "verifiable-credential"
    signed = vector_json("w3c-vc-di-eddsa/eddsa-jcs-2022/signedJCS.json")
    assert schemas.validate(signed) == "verifiable-credential"


def test_presentation_schema_leaves_embedded_credentials_to_their_own_schemas() -> None:
    """Each embedded credential is validated once, against its type's schema, in its own report."""
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": RIA, "verifiableCredential": [VALID["aantoonbaar-bekwaam"](), VALID["profiel-endorsement"]()]}
    assert schemas.validate(vp) == "verifiable-presentation"
    vp["verifiableCredential"][0]["credentialSubject"]["procedure"] = "tillift"
    assert schemas.validate(vp) == "verifiable-presentation"
    report = check(vp, now="2026-11-23T12:00:00Z")
    schema_results = [credential.check("schema") for credential in report.credentials]
    assert [result.status for result in schema_results] == ["failed", "passed"]
    assert "procedure" in schema_results[0].message
    assert schema_results[0].code == "SCHEMA_INVALID" and not report.verified
    vp["verifiableCredential"].append("not a credential")
    with pytest.raises(SchemaInvalid) as caught:
        schemas.validate(vp)
    assert caught.value.details["path"].startswith("verifiableCredential")


# --- negative cases: one change each --------------------------------------------------------
Mutation = Callable[[dict], None]


def setp(path: str, value: Any) -> Mutation:
    def apply(doc: dict) -> None:
        *parents, last = _parts(path)
        target = doc
        for part in parents:
            target = target[part]
        target[last] = value
    return apply


def delp(path: str) -> Mutation:
    def apply(doc: dict) -> None:
        *parents, last = _parts(path)
        target = doc
        for part in parents:
            target = target[part]
        del target[last]
    return apply


def _parts(path: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "").split(".")]


NOT_A_DID = "https://example.org/people/ria"
BAD_DATE = "2026-13-01T09:00:00Z"

# (schema, case, mutation, word that must appear in the error message)
CASES = [
    ("persoonlijk-profiel", "missing-block", delp("credentialSubject.drijfveren"), "drijfveren"),
    ("persoonlijk-profiel", "missing-entry-name", delp("credentialSubject.skills[0].name"), "name"),
    ("persoonlijk-profiel", "wrong-type-sensitive", setp("credentialSubject.doelEnMotivatie[1].sensitive", "ja"),
     "sensitive"),
    ("persoonlijk-profiel", "bad-date", setp("validFrom", "2026-11-01"), "validFrom"),
    ("persoonlijk-profiel", "bad-start-date", setp("credentialSubject.doelEnMotivatie[0].startDate", "1-1-2027"),
     "startDate"),
    ("persoonlijk-profiel", "non-did-subject", setp("credentialSubject.id", NOT_A_DID), "credentialSubject.id"),
    ("persoonlijk-profiel", "unknown-entry-field", setp("credentialSubject.talenten[0].score", 9), "score"),
    ("persoonlijk-profiel", "unknown-block", setp("credentialSubject.hobbies", []), "hobbies"),
    ("persoonlijk-profiel", "bad-entry-id", setp("credentialSubject.skills[0].id", "Klant Contact"), "id"),
    ("persoonlijk-profiel", "level-out-of-range", setp("credentialSubject.werkEnDenkniveau[0].level.level", 5),
     "level"),
    ("persoonlijk-profiel", "esco-url-outside-esco",
     setp("credentialSubject.skills[0].alignment[0].targetUrl", "https://esco.example/skill/1"), "targetUrl"),
    ("persoonlijk-profiel", "riasec-over-100", setp("credentialSubject.drijfveren[0].riasec.S", 101), "S"),
    ("aantoonbaar-bekwaam", "missing-procedure-code", delp("credentialSubject.procedure.code"), "code"),
    ("aantoonbaar-bekwaam", "missing-valid-until", delp("validUntil"), "validUntil"),
    ("aantoonbaar-bekwaam", "missing-examiner", delp("credentialSubject.assessment.examiner"), "examiner"),
    ("aantoonbaar-bekwaam", "evidence-without-digest", delp("evidence[0].digestMultibase"), "digestMultibase"),
    ("aantoonbaar-bekwaam", "wrong-type-code", setp("credentialSubject.procedure.code", 42), "code"),
    ("aantoonbaar-bekwaam", "bad-assessment-date", setp("credentialSubject.assessment.date", "10-03-2026"), "date"),
    ("aantoonbaar-bekwaam", "bad-valid-until", setp("validUntil", "2027-03-12T23:59:59"), "validUntil"),
    ("aantoonbaar-bekwaam", "non-did-subject", setp("credentialSubject.id", NOT_A_DID), "credentialSubject.id"),
    ("aantoonbaar-bekwaam", "non-did-issuer", setp("issuer.id", "https://wilgenhoeve.example"), "issuer"),
    ("aantoonbaar-bekwaam", "unknown-procedure-field", setp("credentialSubject.procedure.bevoegd", True), "bevoegd"),
    ("aantoonbaar-bekwaam", "wrong-achievement-type", setp("credentialSubject.achievement.achievementType",
                                                          "Certificate"), "achievementType"),
    ("aantoonbaar-bekwaam", "wrong-type-list", setp("type", ["VerifiableCredential", "AantoonbaarBekwaamCredential"]),
     "type"),
    ("aantoonbaar-bekwaam", "bad-status-purpose", setp("credentialStatus", {
        "type": "BitstringStatusListEntry", "statusPurpose": "refresh", "statusListIndex": "7",
        "statusListCredential": "https://wilgenhoeve.example/status/1"}), "statusPurpose"),
    ("aantoonbaar-bekwaam", "unknown-status-field", setp("credentialStatus", {
        "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7",
        "statusListCredential": "https://wilgenhoeve.example/status/1", "statusHint": "x"}), "statusHint"),
    ("aantoonbaar-bekwaam", "missing-ob-context", setp("@context", ["https://www.w3.org/ns/credentials/v2",
                                                                   "https://w3id.org/paspoort/v1"]), "@context"),
    ("aantoonbaar-bekwaam", "id-not-urn-uuid", setp("id", "https://wilgenhoeve.example/credentials/1"), "id"),
    ("certificaat", "missing-learning-outcomes", delp("credentialSubject.learningOutcomes"), "learningOutcomes"),
    ("certificaat", "deelcertificaat-without-level", delp("credentialSubject.level"), "level"),
    ("certificaat", "study-load-empty", setp("credentialSubject.studyLoad", {}), "studyLoad"),
    ("certificaat", "wrong-type-hours", setp("credentialSubject.studyLoad.hours", "160"), "hours"),
    ("certificaat", "mbo-level-5", setp("credentialSubject.level.level", 5), "level"),
    ("certificaat", "unknown-framework", setp("credentialSubject.level.framework", "HBO"), "framework"),
    ("certificaat", "bad-date", setp("validFrom", "26-06-2026"), "validFrom"),
    ("certificaat", "non-did-subject", setp("credentialSubject.id", NOT_A_DID), "credentialSubject.id"),
    ("certificaat", "unknown-outcome-field", setp("credentialSubject.learningOutcomes[0].grade", 8), "grade"),
    ("assessment-resultaat", "missing-outcome", delp("credentialSubject.outcome"), "outcome"),
    ("assessment-resultaat", "missing-method", delp("credentialSubject.method"), "method"),
    ("assessment-resultaat", "wrong-type-riasec", setp("credentialSubject.outcome.riasec.S", "hoog"), "S"),
    ("assessment-resultaat", "riasec-missing-letter", delp("credentialSubject.outcome.riasec.C"), "C"),
    ("assessment-resultaat", "bad-date", setp("credentialSubject.date", "2026-02-30T10:00"), "date"),
    ("assessment-resultaat", "non-did-subject", setp("credentialSubject.id", NOT_A_DID), "credentialSubject.id"),
    ("assessment-resultaat", "unknown-outcome-field", setp("credentialSubject.outcome.iq", 120), "iq"),
    ("werkervaring", "missing-role", delp("credentialSubject.role"), "role"),
    ("werkervaring", "missing-period-start", delp("credentialSubject.period.start"), "start"),
    ("werkervaring", "wrong-type-tasks", setp("credentialSubject.tasks", "schoonmaken"), "tasks"),
    ("werkervaring", "bad-period-date", setp("credentialSubject.period.start", "september 2024"), "start"),
    ("werkervaring", "non-did-subject", setp("credentialSubject.id", NOT_A_DID), "credentialSubject.id"),
    ("werkervaring", "unknown-period-field", setp("credentialSubject.period.duration", "2 jaar"), "duration"),
    ("werkervaring", "unknown-reference-field", setp("credentialSubject.reference.phone", "06-12345678"), "phone"),
    ("profiel-endorsement", "missing-entry", delp("credentialSubject.entry"), "entry"),
    ("profiel-endorsement", "missing-comment", delp("credentialSubject.endorsementComment"), "endorsementComment"),
    ("profiel-endorsement", "wrong-type-entry-id", setp("credentialSubject.entry.id", 3), "id"),
    ("profiel-endorsement", "digest-not-sha256-base64url",
     setp("credentialSubject.entry.digestMultibase", "zQmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"),
     "digestMultibase"),
    ("profiel-endorsement", "bad-date", setp("validFrom", "2026-11-10T08:00Z"), "validFrom"),
    ("profiel-endorsement", "non-did-subject", setp("credentialSubject.id", NOT_A_DID), "credentialSubject.id"),
    ("profiel-endorsement", "unknown-entry-field", setp("credentialSubject.entry.block", "talenten"), "block"),
    ("trust-registry", "missing-issuers", delp("credentialSubject.issuers"), "issuers"),
    ("trust-registry", "missing-credential-types", delp("credentialSubject.issuers[0].credentialTypes"),
     "credentialTypes"),
    ("trust-registry", "unknown-credential-type", setp("credentialSubject.issuers[0].credentialTypes",
                                                      ["DiplomaCredential"]), "credentialTypes"),
    ("trust-registry", "unknown-role", setp("credentialSubject.issuers[0].role", "inspecteur"), "role"),
    ("trust-registry", "wrong-type-scope", setp("credentialSubject.issuers[0].scope", "vrh:*"), "scope"),
    ("trust-registry", "star-inside-pattern", setp("credentialSubject.issuers[0].scope", ["vrh:*:x"]), "scope"),
    ("trust-registry", "bad-date", setp("credentialSubject.issuers[0].validFrom", "2025-01-01"), "validFrom"),
    ("trust-registry", "non-did-issuer-entry", setp("credentialSubject.issuers[0].id", NOT_A_DID), "id"),
    ("trust-registry", "unknown-entry-field", setp("credentialSubject.issuers[0].kvk", "12345678"), "kvk"),
    ("bitstring-status-list", "missing-encoded-list", delp("credentialSubject.encodedList"), "encodedList"),
    ("bitstring-status-list", "wrong-type-encoded-list", setp("credentialSubject.encodedList", 0), "encodedList"),
    ("bitstring-status-list", "encoded-list-not-base64url", setp("credentialSubject.encodedList", "H4sIAAA+/"),
     "encodedList"),
    ("bitstring-status-list", "unsupported-purpose", setp("credentialSubject.statusPurpose", "refresh"),
     "statusPurpose"),
    ("bitstring-status-list", "bad-date", setp("validFrom", "2021-04-05"), "validFrom"),
    ("bitstring-status-list", "non-did-issuer", setp("issuer", "https://example.com/issuer"), "issuer"),
]


@pytest.mark.parametrize(("name", "mutate", "word"), [(n, m, w) for n, _, m, w in CASES],
                         ids=[f"{n}:{c}" for n, c, _, _ in CASES])
def test_invalid_document_is_rejected_naming_the_field(name: str, mutate: Mutation, word: str) -> None:
    document = copy.deepcopy(VALID[name]())
    mutate(document)
    with pytest.raises(SchemaInvalid) as caught:
        schemas.validate(document)
    error = caught.value
    assert error.code == "SCHEMA_INVALID"
    assert word in str(error), str(error)
    assert error.details["schema"] == name
    assert 1 <= len(error.details["errors"]) <= schemas.MAX_ERRORS
    assert all(set(item) == {"path", "message"} for item in error.details["errors"])


# --- single rules ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Medicatie aanreiken",
    {"@value": "Medicatie aanreiken", "@language": "nl"},
    [{"@value": "Medicatie aanreiken", "@language": "nl"}, {"@value": "Handing out medication", "@language": "en"}],
], ids=["string", "language-value", "language-list"])
def test_text_forms_are_accepted(text: Any) -> None:
    document = VALID["aantoonbaar-bekwaam"]()
    document["credentialSubject"]["procedure"]["name"] = text
    schemas.validate(document)


@pytest.mark.parametrize("text", ["", {"@value": "x"}, [], {"@value": "x", "@language": "nl", "extra": 1}],
                         ids=["empty", "no-language", "empty-list", "extra-key"])
def test_bad_text_is_rejected(text: Any) -> None:
    document = VALID["aantoonbaar-bekwaam"]()
    document["credentialSubject"]["procedure"]["name"] = text
    with pytest.raises(SchemaInvalid, match=r"credentialSubject\.procedure\.name"):
        schemas.validate(document)


@pytest.mark.parametrize(("framework", "level", "ok"), [
    ("NLQF", 1, True), ("NLQF", 8, True), ("EQF", 8, True), ("mbo", 4, True),
    ("NLQF", 0, False), ("EQF", 9, False), ("mbo", 5, False), ("NLQF", 4.5, False),
], ids=lambda v: str(v))
def test_qualification_level_ranges(framework: str, level: Any, ok: bool) -> None:
    document = VALID["certificaat"]()
    document["credentialSubject"]["level"] = {"framework": framework, "level": level}
    assert schemas.is_valid(document) is ok


def test_certificate_without_level_is_fine_when_not_a_deelcertificaat() -> None:
    document = example("ria/endorsements/bhv-certificaat.json")
    assert "level" not in document["credentialSubject"]
    assert schemas.validate(document) == "certificaat"


def test_entry_digest_matches_the_schema_pattern() -> None:
    document = VALID["profiel-endorsement"]()
    for entry in ({}, {"id": "a", "name": "b"}, {"id": "x" * 64, "name": [{"@value": "é", "@language": "nl"}]}):
        document["credentialSubject"]["entry"]["digestMultibase"] = entry_digest(entry)
        schemas.validate(document)


def test_profile_entry_ids_must_be_unique_across_blocks() -> None:
    document = VALID["persoonlijk-profiel"]()
    document["credentialSubject"]["drijfveren"][0]["id"] = "klantcontact"
    with pytest.raises(SchemaInvalid, match=r"credentialSubject\.drijfveren\[0\]\.id.*klantcontact"):
        schemas.validate(document)


def test_profile_must_be_self_issued() -> None:
    document = VALID["persoonlijk-profiel"]()
    document["issuer"] = "did:key:z6MkreuwYEf55JC1Db9xMs3UAPpSYCVwtM5AZS4CTvtGmCxA"
    with pytest.raises(SchemaInvalid, match="self-issued"):
        schemas.validate(document)


def test_errors_are_capped_and_deepest_first() -> None:
    document = VALID["werkervaring"]()
    document["credentialSubject"]["tasks"] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    document["validFrom"] = "gisteren"
    with pytest.raises(SchemaInvalid) as caught:
        schemas.validate(document)
    errors = caught.value.details["errors"]
    assert len(errors) == schemas.MAX_ERRORS
    assert errors[0]["path"].startswith("credentialSubject.tasks[")


def test_non_json_values_are_schema_errors() -> None:
    import datetime

    document = VALID["werkervaring"]()
    document["credentialSubject"]["period"]["start"] = datetime.date(2024, 9, 1)
    with pytest.raises(SchemaInvalid, match="not JSON data"):
        schemas.validate(document)


def test_unknown_schema_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="no schema named"):
        schemas.validate({}, schema="diploma")


def test_explicit_schema_overrides_the_type() -> None:
    document = VALID["werkervaring"]()
    with pytest.raises(SchemaInvalid):
        schemas.validate(document, schema="certificaat")
    assert schemas.validate(document, schema="verifiable-credential") == "verifiable-credential"
