"""The trust registry: who may issue which Paspoort credentials, for what.

A registry is a ``TrustRegistryCredential`` signed by a registry operator the verifier trusts
(``trusted_signers``). Building a ``TrustRegistry`` verifies the proof, the signer and the
validity period and parses every entry; after that, ``decide`` is a pure dictionary lookup.
Nothing is fetched. The caller computes the credential type and scope values; this module
only decides: ``trusted``, ``out_of_scope`` or ``unknown_issuer``. Each entry also says where
the issuer's status lists live (``statusLists``, URL prefixes): a trusted decision answers
``allows_status_list(url)``, so a verifier fetches nothing the registry does not point at.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

from ..crypto.did import Resolver
from ..errors import PassportError, TrustRegistryInvalid
from ..proofs.proof import signer_of, verify_proof
from .status_locations import location_allows, parse_locations
from .trust_index import LazyEntries, bulk_entries
from ..encoding import jsonio
from ..encoding.timeutil import as_datetime, format_datetime, parse_datetime

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PASPOORT_CONTEXT = "https://w3id.org/paspoort/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
REGISTRY_TYPE = "TrustRegistryCredential"
REGISTRY_SUBJECT_TYPE = "TrustRegistry"
ROLES = frozenset({"opleider", "examinator", "assessor", "werkgever", "registry"})
CREDENTIAL_TYPES = frozenset({  # the Paspoort type allowlist (as schemas/trust-registry.json)
    "PersoonlijkProfielCredential", "AantoonbaarBekwaamCredential", "CertificaatCredential",
    "AssessmentResultaatCredential", "WerkervaringCredential", "ProfielEndorsementCredential",
    REGISTRY_TYPE, "BitstringStatusListCredential",
})
TRUSTED, OUT_OF_SCOPE, UNKNOWN_ISSUER = "trusted", "out_of_scope", "unknown_issuer"
MAX_REGISTRY_BYTES = 32 * 1024 * 1024  # a registry of 10,000 issuers is about 4.5 MB as written (indented)
_ENTRY_FIELDS = frozenset({"id", "name", "role", "credentialTypes", "scope", "statusLists", "validFrom",
                           "validUntil"})
_SCOPE_WORDS = {"AantoonbaarBekwaamCredential": "procedures", "CertificaatCredential": "alignments",
                "WerkervaringCredential": "alignments", "AssessmentResultaatCredential": "alignments"}


@dataclass(frozen=True)
class TrustDecision:
    outcome: str  # "trusted" | "out_of_scope" | "unknown_issuer"
    issuer_name: str | None
    role: str | None
    registry: str | None
    reason: str
    status_lists: tuple[str, ...] = ()  # the listed issuer's status list locations (URL prefixes)

    @property
    def trusted(self) -> bool:
        return self.outcome == TRUSTED

    def allows_status_list(self, url: str) -> bool:
        """True only for a trusted issuer and a URL under one of its registered locations."""
        return self.outcome == TRUSTED and location_allows(self.status_lists, url)


@dataclass(frozen=True)
class TrustedIssuer:
    """One registry entry, parsed."""

    id: str
    name: str
    role: str
    credential_types: frozenset[str]
    scope: tuple[str, ...] | None
    valid_from: datetime | None
    valid_until: datetime | None
    status_lists: tuple[str, ...] = ()

    def in_scope(self, value: str) -> bool:
        return scope_allows(self.scope, value)


def scope_allows(patterns: Iterable[str] | None, value: str) -> bool:
    """``value`` matches a scope pattern: the exact value, or a prefix ending in ``*``. None allows all."""
    if patterns is None:
        return True
    exact, prefixes = _scope_matcher(tuple(patterns))
    return value in exact or value.startswith(prefixes)


@functools.lru_cache(maxsize=1024)
def _scope_matcher(patterns: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """A scope's exact values and its prefixes (patterns ending in ``*``, without the ``*``)."""
    return (frozenset(p for p in patterns if not p.endswith("*")),
            tuple(p[:-1] for p in patterns if p.endswith("*")))


def trust_registry_credential(
    *,
    issuer: str,
    registry_id: str,
    name: str,
    issuers: list[dict[str, Any]],
    valid_from: str,
    valid_until: str | None = None,
) -> dict[str, Any]:
    """An unsigned ``TrustRegistryCredential``; every entry is checked as a verifier would."""
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT, PASPOORT_CONTEXT],  # OB: the issuer is an OB Profile
        "id": registry_id,
        "type": ["VerifiableCredential", REGISTRY_TYPE],
        "issuer": issuer,
        "validFrom": valid_from,
    }
    if valid_until is not None:
        credential["validUntil"] = valid_until
    credential["credentialSubject"] = {"id": f"{registry_id}#registry", "type": REGISTRY_SUBJECT_TYPE,
                                       "name": name, "issuers": list(issuers)}
    _parse_registry(credential)
    return credential


class TrustRegistry:
    """A verified, parsed trust registry: ``decide`` looks an issuer up in O(1)."""

    def __init__(self, *, registry_id: str, name: str, operator: str, valid_from: datetime,
                 valid_until: datetime | None, entries: Iterable[TrustedIssuer] | LazyEntries) -> None:
        self.registry_id, self.name, self.operator = registry_id, name, operator
        self.valid_from, self.valid_until = valid_from, valid_until
        if isinstance(entries, LazyEntries):  # checked in bulk, parsed on lookup (``trust_index``)
            self.entries: Mapping[str, TrustedIssuer] = entries
            return
        self.entries = {}
        for entry in entries:
            if entry.id in self.entries:
                raise TrustRegistryInvalid(f"trust registry {name!r} lists {entry.id} twice", issuer=entry.id)
            self.entries[entry.id] = entry

    @classmethod
    def from_credential(
        cls,
        signed_credential: Mapping[str, Any],
        *,
        trusted_signers: set[str] | frozenset[str],
        now: datetime | str,
        resolver: Resolver | None = None,
    ) -> "TrustRegistry":
        """Verify and parse a signed registry; ``TrustRegistryInvalid`` names what is wrong."""
        moment = as_datetime(now)
        return _verified(_parse_registry(signed_credential), signed_credential, trusted_signers, moment, resolver)

    def _period_problem(self, moment: datetime) -> str | None:
        if moment < self.valid_from:
            return f"trust registry {self.name!r} is not valid until {format_datetime(self.valid_from)}"
        if self.valid_until is not None and moment > self.valid_until:
            return f"trust registry {self.name!r} expired on {format_datetime(self.valid_until)}"
        return None

    def decide(self, *, issuer: str, credential_type: str | None, scope_values: list[str],
               now: datetime | str) -> TrustDecision:
        """May ``issuer`` issue this credential? ``credential_type=None`` asks about any type."""
        moment = as_datetime(now)
        problem = self._period_problem(moment)
        if problem:
            return TrustDecision(UNKNOWN_ISSUER, None, None, self.name, f"{issuer} cannot be looked up: {problem}")
        entry = self.entries.get(issuer)
        if entry is None:
            return TrustDecision(UNKNOWN_ISSUER, None, None, self.name, f"{issuer} is not listed in {self.name}")
        if entry.valid_from is not None and moment < entry.valid_from:
            return self._decision(UNKNOWN_ISSUER, entry, f"{entry.name} is listed in {self.name} only from "
                                                         f"{format_datetime(entry.valid_from)}")
        if entry.valid_until is not None and moment > entry.valid_until:
            return self._decision(UNKNOWN_ISSUER, entry, f"{entry.name}'s listing in {self.name} ended on "
                                                         f"{format_datetime(entry.valid_until)}")
        kind = credential_type or "credentials"
        if credential_type is not None and credential_type not in entry.credential_types:
            allowed = ", ".join(sorted(entry.credential_types))
            return self._decision(OUT_OF_SCOPE, entry, f"{entry.name} may issue only {allowed}, "
                                                       f"not {credential_type} ({self.name})")
        outside = [value for value in scope_values if not entry.in_scope(value)]
        if outside:
            word = _SCOPE_WORDS.get(credential_type or "", "values")
            these = f"this one is {outside[0]}" if len(outside) == 1 else f"these are not: {', '.join(outside)}"
            return self._decision(OUT_OF_SCOPE, entry, f"{entry.name} may issue {kind} only for {word} "
                                                       f"matching {', '.join(entry.scope or ())}; {these}")
        return self._decision(TRUSTED, entry, f"{entry.name} is listed in {self.name} as {entry.role} "
                                              f"and may issue {kind}" + (f" for {', '.join(scope_values)}"
                                                                         if scope_values else ""))

    def _decision(self, outcome: str, entry: TrustedIssuer, reason: str) -> TrustDecision:
        return TrustDecision(outcome, entry.name, entry.role, self.name, reason, entry.status_lists)

    def __repr__(self) -> str:
        return f"TrustRegistry({self.name!r}, {len(self.entries)} issuers)"


class TrustStore:
    """Several registries: trusted if any trusts; else out of scope if any lists the issuer."""

    def __init__(self, registries: list[TrustRegistry]) -> None:
        self.registries = list(registries)

    def decide(self, *, issuer: str, credential_type: str | None, scope_values: list[str],
               now: datetime | str) -> TrustDecision:
        if not self.registries:
            return TrustDecision(UNKNOWN_ISSUER, None, None, None, "no trust registry is configured")
        if len(self.registries) == 1:  # the usual case: that registry's decision, whatever it is
            return self.registries[0].decide(issuer=issuer, credential_type=credential_type,
                                              scope_values=scope_values, now=now)
        decisions = [registry.decide(issuer=issuer, credential_type=credential_type,
                                     scope_values=scope_values, now=now) for registry in self.registries]
        for outcome in (TRUSTED, OUT_OF_SCOPE):
            for decision in decisions:
                if decision.outcome == outcome:
                    return decision
        if len(decisions) == 1:
            return decisions[0]
        names = ", ".join(registry.name for registry in self.registries)
        return TrustDecision(UNKNOWN_ISSUER, None, None, names,
                             f"{issuer} is not a current issuer in any trust registry ({names})")


def load_registry(data: bytes | str, *, trusted_signers: set[str] | frozenset[str], now: datetime | str,
                  resolver: Resolver | None = None, max_bytes: int = MAX_REGISTRY_BYTES) -> TrustRegistry:
    """A trust registry from the bytes of its file: ``jsonio.loads`` (strict) and ``from_credential``.

    The document parsed here is the registry's own, so its entries are checked in bulk and each
    parsed when first looked up (``trust_index``): a registry of 10,000 issuers loads in about two
    ``json.loads`` of its file. Same acceptance and errors as ``from_credential``. ``max_bytes``:
    a national register is larger than the cap on documents (``jsonio.MAX_DOCUMENT_BYTES``)."""
    moment = as_datetime(now)
    credential = jsonio.loads(data, max_bytes=max_bytes)
    return _verified(_parse_registry(credential, bulk=True), credential, trusted_signers, moment, resolver)


def _verified(registry: TrustRegistry, signed_credential: Mapping[str, Any], trusted_signers: set[str] | frozenset[str],
              moment: datetime, resolver: Resolver | None) -> TrustRegistry:
    """``registry`` once its credential's proof, signer and validity period check out at ``moment``."""
    try:
        proof = verify_proof(signed_credential, expected_purpose="assertionMethod", resolver=resolver)
    except PassportError as exc:
        raise TrustRegistryInvalid(f"the trust registry's proof does not verify: {exc.message}",
                                   cause=exc.code) from exc
    signer = signer_of(proof)
    if signer != registry.operator:
        raise TrustRegistryInvalid(
            f"the trust registry is issued by {registry.operator} but signed by {signer}", signer=signer)
    if signer not in trusted_signers:
        raise TrustRegistryInvalid(
            f"the trust registry is signed by {signer}, which is not a trusted registry operator",
            signer=signer)
    if parse_datetime(proof["created"]) > moment:
        raise TrustRegistryInvalid(f"the trust registry's proof was created after {format_datetime(moment)}")
    if "expires" in proof and parse_datetime(proof["expires"]) < moment:
        raise TrustRegistryInvalid(f"the trust registry's proof expired on {proof['expires']}")
    problem = registry._period_problem(moment)
    if problem:
        raise TrustRegistryInvalid(problem, registry=registry.name)
    return registry


# --- parsing --------------------------------------------------------------------------------
def _parse_registry(credential: Any, *, bulk: bool = False) -> TrustRegistry:
    if not isinstance(credential, Mapping):
        raise TrustRegistryInvalid("a trust registry is a JSON object")
    context = credential.get("@context")
    if not isinstance(context, list) or context[:1] != [VC_CONTEXT] or PASPOORT_CONTEXT not in context:
        raise TrustRegistryInvalid(f"@context must start with {VC_CONTEXT} and include {PASPOORT_CONTEXT}")
    types = credential.get("type")
    if not isinstance(types, list) or types[:1] != ["VerifiableCredential"] or types[-1:] != [REGISTRY_TYPE]:
        raise TrustRegistryInvalid(f"type must be [\"VerifiableCredential\", \"{REGISTRY_TYPE}\"], got {types!r}")
    registry_id = credential.get("id")
    if not isinstance(registry_id, str) or ":" not in registry_id:
        raise TrustRegistryInvalid("the trust registry needs an id (a URL or urn:uuid)")
    issuer = credential.get("issuer")
    operator = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    _did(operator, "issuer")
    if "credentialStatus" in credential:
        raise TrustRegistryInvalid("a trust registry is replaced, not revoked: credentialStatus is not allowed")
    valid_from = _time(credential.get("validFrom"), "validFrom")
    valid_until = _time(credential.get("validUntil"), "validUntil") if "validUntil" in credential else None
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("type") != REGISTRY_SUBJECT_TYPE:
        raise TrustRegistryInvalid(f"credentialSubject must be one object of type {REGISTRY_SUBJECT_TYPE!r}")
    if not isinstance(subject.get("id"), str) or ":" not in subject["id"]:
        raise TrustRegistryInvalid("credentialSubject.id must be a URI (the registry, e.g. <id>#registry)")
    name = _text(subject.get("name"), "credentialSubject.name")
    issuers = subject.get("issuers")
    if not isinstance(issuers, list):
        raise TrustRegistryInvalid("credentialSubject.issuers must be a list")
    entries = bulk_entries(issuers, _parse_entry, roles=ROLES, credential_types=CREDENTIAL_TYPES,
                           fields=_ENTRY_FIELDS) if bulk else None
    if entries is None:
        entries = [_parse_entry(entry, f"credentialSubject.issuers[{n}]") for n, entry in enumerate(issuers)]
    return TrustRegistry(registry_id=registry_id, name=name, operator=operator, valid_from=valid_from,
                         valid_until=valid_until, entries=entries)


def _parse_entry(entry: Any, where: str) -> TrustedIssuer:
    if not isinstance(entry, Mapping):
        raise TrustRegistryInvalid(f"{where} must be an object")
    unknown = set(entry) - _ENTRY_FIELDS
    if unknown:
        raise TrustRegistryInvalid(f"{where} has fields a registry entry does not define: {sorted(unknown)}")
    _did(entry.get("id"), f"{where}.id")
    role = entry.get("role")
    if not isinstance(role, str) or role not in ROLES:
        raise TrustRegistryInvalid(f"{where}.role must be one of {sorted(ROLES)}, got {role!r}")
    types = entry.get("credentialTypes")
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise TrustRegistryInvalid(f"{where}.credentialTypes must be a list of type names (empty: a verifier "
                                   "that issues nothing)")
    strange = sorted(set(types) - CREDENTIAL_TYPES)
    if strange:
        raise TrustRegistryInvalid(f"{where}.credentialTypes has types Paspoort does not know: {strange}")
    scope = entry.get("scope")
    if scope is not None:
        if not isinstance(scope, list) or not scope:
            raise TrustRegistryInvalid(f"{where}.scope must be null or a non-empty list of patterns")
        for pattern in scope:
            if not isinstance(pattern, str) or not pattern.strip() or "*" in pattern[:-1]:
                raise TrustRegistryInvalid(
                    f"{where}.scope pattern {pattern!r} must be an exact value or a prefix ending in '*'")
        scope = tuple(scope)
    return TrustedIssuer(
        id=entry["id"], name=_text(entry.get("name"), f"{where}.name"), role=role,
        credential_types=frozenset(types), scope=scope, status_lists=parse_locations(entry, where),
        valid_from=_time(entry["validFrom"], f"{where}.validFrom") if "validFrom" in entry else None,
        valid_until=_time(entry["validUntil"], f"{where}.validUntil") if "validUntil" in entry else None,
    )


def _did(value: Any, name: str) -> None:
    if not isinstance(value, str) or not value.startswith("did:") or "#" in value:
        raise TrustRegistryInvalid(f"{name} must be a DID (did:...), got {value!r}")


def _time(value: Any, name: str) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise TrustRegistryInvalid(f"{name}: {exc}") from exc


def _text(value: Any, name: str) -> str:
    """A plain string or VC 2.0 language value(s); Dutch first."""
    values = value if isinstance(value, list) else [value]
    texts = []
    for item in values:
        if isinstance(item, Mapping) and isinstance(item.get("@value"), str):
            texts.append((item.get("@language") != "nl", item["@value"]))
        elif isinstance(item, str):
            texts.append((False, item))
    if not values or len(texts) != len(values) or not min(texts)[1].strip():
        raise TrustRegistryInvalid(f"{name} must be a non-empty text")
    return min(texts)[1]
