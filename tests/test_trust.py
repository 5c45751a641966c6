"""The trust registry: signing, validity, decision rules and combined registries."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from passport.errors import TrustRegistryInvalid
from passport.crypto.keys import Ed25519Key
from passport.proofs.proof import sign
from passport.format.trust import TrustDecision, TrustRegistry, TrustStore, trust_registry_credential

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)
OPERATOR = Ed25519Key(bytes.fromhex("a1" * 32))  # the registry operator
OTHER_OPERATOR = Ed25519Key(bytes.fromhex("a2" * 32))
STRANGER = Ed25519Key(bytes.fromhex("a3" * 32))
DE_LINDE = Ed25519Key(bytes.fromhex("b1" * 32)).did  # zorggroep (examinator)
ROC = Ed25519Key(bytes.fromhex("b2" * 32)).did  # opleider
SPOORWEGEN = Ed25519Key(bytes.fromhex("b3" * 32)).did  # werkgever
COACH = Ed25519Key(bytes.fromhex("b4" * 32)).did  # assessor, listing ended
ESCO = "http://data.europa.eu/esco/skill/"
AB = "AantoonbaarBekwaamCredential"


def entries() -> list[dict]:
    return [
        {"id": DE_LINDE, "name": "Zorggroep De Linde", "role": "examinator",
         "credentialTypes": [AB], "scope": ["ZH-VBH-*", "ZH-MED-001"]},
        {"id": ROC, "name": [{"@value": "ROC Midden", "@language": "nl"}, {"@value": "ROC Central", "@language": "en"}],
         "role": "opleider", "credentialTypes": ["CertificaatCredential"], "scope": None,
         "validFrom": "2025-01-01T00:00:00Z"},
        {"id": SPOORWEGEN, "name": "Spoorwegen BV", "role": "werkgever",
         "credentialTypes": ["CertificaatCredential", "WerkervaringCredential"], "scope": [ESCO + "*"]},
        {"id": COACH, "name": "Loopbaanpraktijk Oost", "role": "assessor",
         "credentialTypes": ["AssessmentResultaatCredential"], "validUntil": "2026-06-30T23:59:59Z"},
    ]


def unsigned(issuer: str = OPERATOR.did, issuers: list[dict] | None = None, **times: str) -> dict:
    return trust_registry_credential(
        issuer=issuer, registry_id="https://register.example.nl/vvt/2026-11", name="Register VVT Zuid-Holland",
        issuers=entries() if issuers is None else issuers,
        valid_from=times.get("valid_from", "2026-11-01T00:00:00Z"),
        valid_until=times.get("valid_until", "2027-11-01T00:00:00Z"),
    )


def signed(document: dict, key: Ed25519Key = OPERATOR) -> dict:
    return sign(document, key, created="2026-11-01T00:00:00Z")


def load(document: dict, trusted=frozenset({OPERATOR.did}), now=NOW) -> TrustRegistry:
    return TrustRegistry.from_credential(document, trusted_signers=trusted, now=now)


@pytest.fixture(scope="module")
def registry() -> TrustRegistry:
    return load(signed(unsigned()))


# --- the credential -----------------------------------------------------------------------
def test_registry_credential_shape():
    document = unsigned()
    assert document["type"] == ["VerifiableCredential", "TrustRegistryCredential"]
    assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert document["credentialSubject"]["type"] == "TrustRegistry"
    assert document["credentialSubject"]["id"] == "https://register.example.nl/vvt/2026-11#registry"
    assert len(document["credentialSubject"]["issuers"]) == 4


def test_loads_a_good_registry(registry):
    assert registry.name == "Register VVT Zuid-Holland"
    assert set(registry.entries) == {DE_LINDE, ROC, SPOORWEGEN, COACH}
    assert registry.entries[ROC].name == "ROC Midden"


def test_tampered_registry_fails_its_proof():
    document = signed(unsigned())
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["issuers"][0]["scope"] = ["ZH-*"]
    with pytest.raises(TrustRegistryInvalid, match="proof") as caught:
        load(tampered)
    assert caught.value.details["cause"] == "SIGNATURE_INVALID"
    unsigned_doc = {k: v for k, v in document.items() if k != "proof"}
    with pytest.raises(TrustRegistryInvalid, match="proof"):
        load(unsigned_doc)


def test_registry_signed_by_an_untrusted_key():
    document = signed(unsigned(issuer=STRANGER.did), STRANGER)
    with pytest.raises(TrustRegistryInvalid, match="not a trusted registry operator") as caught:
        load(document)
    assert caught.value.details["signer"] == STRANGER.did
    assert STRANGER.did in caught.value.message


def test_issuer_is_not_the_signer():
    document = signed(unsigned(issuer=OPERATOR.did), OTHER_OPERATOR)
    with pytest.raises(TrustRegistryInvalid, match="signed by " + OTHER_OPERATOR.did):
        load(document, trusted=frozenset({OPERATOR.did, OTHER_OPERATOR.did}))


def test_expired_registry():
    document = signed(unsigned(valid_from="2025-01-01T00:00:00Z", valid_until="2026-01-01T00:00:00Z"))
    with pytest.raises(TrustRegistryInvalid, match="expired on 2026-01-01"):
        load(document)


def test_not_yet_valid_registry():
    document = signed(unsigned(valid_from="2026-12-01T00:00:00Z"))
    with pytest.raises(TrustRegistryInvalid, match="not valid until 2026-12-01"):
        load(document)


def test_proof_created_after_now():
    document = signed(unsigned())
    with pytest.raises(TrustRegistryInvalid, match="created after"):
        load(document, now=datetime(2026, 10, 1, tzinfo=timezone.utc))


def test_registry_that_expires_after_loading_decides_unknown(registry):
    later = datetime(2028, 1, 1, tzinfo=timezone.utc)
    decision = registry.decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-VBH-001"], now=later)
    assert decision.outcome == "unknown_issuer"
    assert "expired" in decision.reason


# --- decisions ----------------------------------------------------------------------------
def test_trusted_with_scope_prefix(registry):
    decision = registry.decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-VBH-001"], now=NOW)
    assert decision == TrustDecision("trusted", "Zorggroep De Linde", "examinator", "Register VVT Zuid-Holland",
                                     decision.reason)
    assert decision.trusted
    assert "Zorggroep De Linde" in decision.reason and "ZH-VBH-001" in decision.reason


def test_exact_scope_pattern(registry):
    assert registry.decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-MED-001"], now=NOW).trusted
    assert not registry.decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-MED-0011"], now=NOW).trusted


def test_scope_mismatch(registry):
    decision = registry.decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-RH-001"], now=NOW)
    assert decision.outcome == "out_of_scope"
    assert decision.reason == (
        "Zorggroep De Linde may issue AantoonbaarBekwaamCredential only for procedures matching "
        "ZH-VBH-*, ZH-MED-001; this one is ZH-RH-001"
    )


def test_every_scope_value_must_match(registry):
    values = [ESCO + "abc", "https://competent.nl/x"]
    decision = registry.decide(issuer=SPOORWEGEN, credential_type="CertificaatCredential", scope_values=values, now=NOW)
    assert decision.outcome == "out_of_scope"
    assert "https://competent.nl/x" in decision.reason
    assert registry.decide(issuer=SPOORWEGEN, credential_type="WerkervaringCredential",
                           scope_values=[ESCO + "abc"], now=NOW).trusted


def test_null_scope_means_any(registry):
    decision = registry.decide(issuer=ROC, credential_type="CertificaatCredential",
                               scope_values=["http://anything"], now=NOW)
    assert decision.trusted and decision.issuer_name == "ROC Midden" and decision.role == "opleider"


def test_wrong_type(registry):
    decision = registry.decide(issuer=ROC, credential_type=AB, scope_values=["ZH-VBH-001"], now=NOW)
    assert decision.outcome == "out_of_scope"
    assert "not AantoonbaarBekwaamCredential" in decision.reason


def test_unknown_issuer(registry):
    decision = registry.decide(issuer=STRANGER.did, credential_type=AB, scope_values=[], now=NOW)
    assert decision.outcome == "unknown_issuer"
    assert decision.issuer_name is None and decision.registry == "Register VVT Zuid-Holland"
    assert STRANGER.did in decision.reason


def test_entry_expired_and_not_yet_valid(registry):
    decision = registry.decide(issuer=COACH, credential_type="AssessmentResultaatCredential", scope_values=[], now=NOW)
    assert decision.outcome == "unknown_issuer"
    assert "ended on 2026-06-30" in decision.reason
    early = registry.decide(issuer=ROC, credential_type="CertificaatCredential", scope_values=[],
                            now=datetime(2024, 6, 1, tzinfo=timezone.utc))
    assert early.outcome == "unknown_issuer"


def test_decide_accepts_a_time_string(registry):
    assert registry.decide(issuer=ROC, credential_type=None, scope_values=[], now="2026-11-23T12:00:00Z").trusted


# --- malformed registries -----------------------------------------------------------------
@pytest.mark.parametrize("change, message", [
    ({"role": "minister"}, "role"),
    ({"credentialTypes": ["DiplomaCredential"]}, "does not know"),
    ({"credentialTypes": "AantoonbaarBekwaamCredential"}, "list of type names"),
    ({"scope": []}, "scope"),
    ({"scope": ["ZH-*-001"]}, "prefix ending"),
    ({"id": "https://not-a-did.example"}, "DID"),
    ({"validUntil": "next year"}, "validUntil"),
    ({"name": ""}, "name"),
    ({"trusted": True}, "does not define"),
])
def test_bad_entries(change, message):
    bad = entries()
    bad[0] = {**bad[0], **change}
    with pytest.raises(TrustRegistryInvalid, match=message):
        unsigned(issuers=bad)


def test_duplicate_issuer_ids():
    with pytest.raises(TrustRegistryInvalid, match="twice"):
        unsigned(issuers=entries() + [entries()[0]])


def test_structure_is_checked_before_use():
    document = signed(unsigned())
    for field, value in (("type", ["VerifiableCredential", "OpenBadgeCredential"]), ("validFrom", None),
                         ("credentialSubject", [])):
        broken = {**document, field: value}
        with pytest.raises(TrustRegistryInvalid):
            load(broken)
    with pytest.raises(TrustRegistryInvalid, match="credentialStatus"):
        load({**document, "credentialStatus": {"type": "BitstringStatusListEntry"}})


# --- several registries -------------------------------------------------------------------
def second_registry() -> TrustRegistry:
    document = trust_registry_credential(
        issuer=OTHER_OPERATOR.did, registry_id="urn:uuid:6f1c1a8e-4a53-4f0e-9d2e-1f0b5a2b7c11", name="Register GHZ",
        issuers=[{"id": DE_LINDE, "name": "Zorggroep De Linde (GHZ)", "role": "examinator",
                  "credentialTypes": [AB], "scope": ["ZH-RH-*"]}],
        valid_from="2026-01-01T00:00:00Z")
    return load(signed(document, OTHER_OPERATOR), trusted=frozenset({OTHER_OPERATOR.did}))


def test_two_registries_combined(registry):
    store = TrustStore([registry, second_registry()])
    decision = store.decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-RH-001"], now=NOW)
    assert decision.trusted and decision.registry == "Register GHZ"
    decision = store.decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-XX-001"], now=NOW)
    assert decision.outcome == "out_of_scope"
    decision = store.decide(issuer=ROC, credential_type="CertificaatCredential", scope_values=[], now=NOW)
    assert decision.trusted and decision.registry == "Register VVT Zuid-Holland"
    decision = store.decide(issuer=STRANGER.did, credential_type=AB, scope_values=[], now=NOW)
    assert decision.outcome == "unknown_issuer"
    assert "Register VVT Zuid-Holland" in decision.reason and "Register GHZ" in decision.reason


def test_empty_store_knows_nobody():
    decision = TrustStore([]).decide(issuer=DE_LINDE, credential_type=AB, scope_values=[], now=NOW)
    assert decision.outcome == "unknown_issuer"


def test_lookups_are_fast(registry):
    many = [{"id": Ed25519Key(i.to_bytes(32, "big")).did, "name": f"Opleider {i}", "role": "opleider",
             "credentialTypes": ["CertificaatCredential"]} for i in range(1, 301)]
    big = load(signed(unsigned(issuers=many)))
    start = datetime.now()
    for _ in range(2000):
        big.decide(issuer=many[-1]["id"], credential_type="CertificaatCredential", scope_values=[], now=NOW)
    assert datetime.now() - start < timedelta(seconds=2)


# --- where an issuer's status lists live (statusLists) ------------------------------------------
LISTS = "https://status.delinde.example/lists/"


def with_lists(*locations: str) -> TrustRegistry:
    listed = entries()
    listed[0] = {**listed[0], "statusLists": list(locations)}
    return load(signed(unsigned(issuers=listed)))


@pytest.mark.parametrize("url, allowed", [
    pytest.param(LISTS + "3", True, id="under-the-prefix"),
    pytest.param("HTTPS://Status.DeLinde.example/lists/3", True, id="scheme-and-host-case-insensitive"),
    pytest.param("https://status.delinde.example:443/lists/3", True, id="default-port-written"),
    pytest.param("https://status.delinde.example/lists", False, id="the-prefix-without-its-slash"),
    pytest.param("https://status.delinde.example/other/3", False, id="another-path"),
    pytest.param("https://status.delinde.example/lists/../admin", False, id="dot-segments"),
    pytest.param("https://status.delinde.example/lists/%2e%2e/admin", False, id="encoded-dot-segments"),
    pytest.param("https://status.delinde.example:8443/lists/3", False, id="another-port"),
    pytest.param("http://status.delinde.example/lists/3", False, id="another-scheme"),
    pytest.param("https://status.delinde.example.attacker.example/lists/3", False, id="host-as-prefix"),
    pytest.param("https://status.delinde.example@attacker.example/lists/3", False, id="user-info"),
    pytest.param("https://attacker.example/lists/3", False, id="another-host"),
])
def test_status_list_locations(url, allowed):
    decision = with_lists(LISTS).decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-MED-001"], now=NOW)
    assert decision.trusted and decision.status_lists == (LISTS,)
    assert decision.allows_status_list(url) is allowed


def test_no_status_lists_allowed_without_a_location_or_without_trust():
    assert with_lists(LISTS).decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-VBH-9"],
                                    now=NOW).allows_status_list(LISTS + "1")  # trusted and in scope: allowed
    out_of_scope = with_lists(LISTS).decide(issuer=DE_LINDE, credential_type=AB, scope_values=["NH-1"], now=NOW)
    assert out_of_scope.outcome == "out_of_scope" and not out_of_scope.allows_status_list(LISTS + "1")
    unlisted = load(signed(unsigned())).decide(issuer=DE_LINDE, credential_type=AB, scope_values=["ZH-MED-001"],
                                               now=NOW)
    assert unlisted.trusted and unlisted.status_lists == () and not unlisted.allows_status_list(LISTS + "1")


@pytest.mark.parametrize("locations", [
    pytest.param([], id="empty"),
    pytest.param("https://status.delinde.example/", id="not-a-list"),
    pytest.param(["https://status.delinde.example"], id="no-trailing-slash"),
    pytest.param(["ftp://status.delinde.example/"], id="not-http"),
    pytest.param(["https://user@status.delinde.example/"], id="user-info"),
    pytest.param(["https://status.delinde.example/lists/?all=1/"], id="query"),
    pytest.param(["https://status.delinde.example/a/../"], id="dot-segment"),
    pytest.param([42], id="not-a-string"),
    pytest.param([["https://status.delinde.example/"]], id="a-nested-list"),
    pytest.param(["https://status.delinde.example\\lists/"], id="a-backslash"),
])
def test_bad_status_list_locations(locations):
    bad = entries()
    bad[0] = {**bad[0], "statusLists": locations}
    with pytest.raises(TrustRegistryInvalid, match="statusLists"):
        unsigned(issuers=bad)
