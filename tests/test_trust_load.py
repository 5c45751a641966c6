"""``load_registry`` (bytes; entries checked in bulk, parsed on lookup) accepts and refuses exactly
what ``TrustRegistry.from_credential`` does, with the same errors and the same decisions."""
from __future__ import annotations

import copy
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from passport.crypto.keys import Ed25519Key
from passport.errors import PassportError
from passport.format.trust import TrustRegistry, load_registry
from passport.format.trust_index import LazyEntries
from passport.proofs.proof import sign
from test_trust import NOW, OPERATOR, unsigned

DIDS = [Ed25519Key(bytes([0xC0 + n]) * 32).did for n in range(4)]
AB = "AantoonbaarBekwaamCredential"


def plain_entries() -> list[dict]:
    """Entries the bulk checks take (plain names and locations)."""
    return [
        {"id": DIDS[0], "name": "Zorggroep De Linde", "role": "examinator", "credentialTypes": [AB],
         "scope": ["ZH-VBH-*", "ZH-MED-001"], "statusLists": ["https://status.linde.example/lists/"]},
        {"id": DIDS[1], "name": "ROC Midden", "role": "opleider", "credentialTypes": ["CertificaatCredential"],
         "scope": None, "validFrom": "2025-01-01T00:00:00Z", "statusLists": ["https://roc.example/"]},
        {"id": DIDS[2], "name": "Spoorwegen BV", "role": "werkgever",
         "credentialTypes": ["CertificaatCredential", "WerkervaringCredential"], "scope": ["esco:*"]},
        {"id": DIDS[3], "name": "Loopbaanpraktijk Oost", "role": "assessor",
         "credentialTypes": ["AssessmentResultaatCredential"], "validUntil": "2026-06-30T23:59:59Z"},
    ]


def registry_bytes(issuers: list) -> tuple[dict, bytes]:
    document = unsigned(issuers=plain_entries())
    document["credentialSubject"]["issuers"] = issuers
    signed = sign(document, OPERATOR, created="2026-11-01T00:00:00Z")
    return signed, json.dumps(signed, indent=2).encode()


def outcome(load) -> tuple:
    try:
        registry = load()
    except PassportError as exc:
        return ("error", exc.code, exc.message)
    probes = [(did, kind, scope) for did in DIDS + ["did:key:z6MkNobody"]
              for kind, scope in ((AB, ["ZH-VBH-12"]), ("CertificaatCredential", []), (None, []))]
    decisions = [registry.decide(issuer=did, credential_type=kind, scope_values=scope, now=NOW)
                 for did, kind, scope in probes]
    listed = sorted((entry.id, entry.name, entry.status_lists) for entry in registry.entries.values())
    return ("ok", decisions, listed, len(registry.entries))


def assert_agree(issuers: list) -> tuple:
    document, data = registry_bytes(issuers)
    eager = outcome(lambda: TrustRegistry.from_credential(copy.deepcopy(document), trusted_signers={OPERATOR.did},
                                                          now=NOW))
    assert outcome(lambda: load_registry(data, trusted_signers={OPERATOR.did}, now=NOW)) == eager
    return eager


def test_plain_registry_is_indexed_in_bulk() -> None:
    _, data = registry_bytes(plain_entries())
    registry = load_registry(data, trusted_signers={OPERATOR.did}, now=NOW)
    assert isinstance(registry.entries, LazyEntries)
    assert registry.entries.get("did:key:z6MkNobody") is None and DIDS[0] in registry.entries
    assert registry.entries[DIDS[0]].scope == ("ZH-VBH-*", "ZH-MED-001")
    assert assert_agree(plain_entries())[0] == "ok"


ODD_VALUES = [
    None, "", " ", "\t", 3, [], {}, "x", "*", " *", "a*b", "did:key:z6Mk#frag", "https://x.example/lists",
    "HTTPS://x.example/lists/", "https://x.example:8443/lists/", "https://x.example/./lists/",
    "https://x.example/%2e%2e/", "https://x.example/a%2Fb/", "https://user@x.example/", "https://[::1]/lists/",
    "https://x.example/lists/?q=1", "https://x.example/a\\b/", "https://a.example/\nhttps://b.example/",
    "did:key:a\ndid:key:b", "ZH-*\n", ["x", "y"], {"@value": "x", "@language": "nl"}, "2026-02-30T00:00:00Z", "2026-02-28T00:00:00Z",
    "2025-01-01T00:00:00+01:00", "registry", "opleider", AB, DIDS[0], [{"@value": " ", "@language": "nl"}],
    [{"@value": "Naam", "@language": "en"}, {"@value": "Naam NL", "@language": "nl"}],
]
FIELDS = ["id", "name", "role", "credentialTypes", "scope", "statusLists", "validFrom", "validUntil", "extra"]
values = st.one_of(st.sampled_from(ODD_VALUES), st.lists(st.sampled_from(ODD_VALUES), max_size=3))


@settings(max_examples=250, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(FIELDS), values, st.booleans()), max_size=3))
@example([(1, "id", DIDS[0], False)])  # an id twice
@example([(0, "name", " ", False)])
@example([(0, "scope", [" "], False)])
@example([(0, "statusLists", ["https://x.example/%2e%2e/"], False)])
@example([(3, "validUntil", "2026-02-30T00:00:00Z", False)])
@example([(0, "statusLists", ["https://x.example/lists/", "https://x.example/lists/"], False)])
@example([(2, "credentialTypes", [AB, AB], False)])
@example([(1, "statusLists", ["https://a.example/\nhttps://b.example/"], False)])
@example([(1, "statusLists", None, False)])
@example([(1, "scope", [], False)])
def test_bulk_and_entry_by_entry_agree(changes: list) -> None:
    issuers = plain_entries()
    for position, field, value, delete in changes:
        if delete:
            issuers[position].pop(field, None)
        else:
            issuers[position][field] = copy.deepcopy(value)
    assert_agree(issuers)


@pytest.mark.parametrize("entries", [[], plain_entries()[:1]], ids=["no-issuers", "one"])
def test_small_registries_agree(entries: list) -> None:
    assert_agree(entries)


def test_a_registry_larger_than_the_document_cap_loads() -> None:
    entries = plain_entries()
    for number in range(6000):
        entry = dict(entries[number % 4], name=f"Issuer {number}",
                     statusLists=[f"https://status.issuer-{number}.example/lists/"])
        entry["id"] = f"did:web:issuer-{number}.example"
        entries.append(entry)
    _, data = registry_bytes(entries[4:])
    assert len(data) > 2 * 1024 * 1024  # jsonio.MAX_DOCUMENT_BYTES
    registry = load_registry(data, trusted_signers={OPERATOR.did}, now=NOW)
    assert len(registry.entries) == 6000
    assert isinstance(registry.entries, LazyEntries)
    assert registry.decide(issuer="did:web:issuer-5998.example", credential_type=None, scope_values=[],
                           now=NOW).trusted
