"""Issuing recipes: turn a submitted, unsigned endorsement into one ready to sign.

An issuing organisation receives a credential body (W3C VC API ``credential``), fills in what
only it may decide (``issuer``, ``id``, ``validFrom``, ``credentialStatus``), checks the result
against the endorsement schemas and signs it. Steps (names match SPEC.md):

- ``prepare``: check the submitted body (``@context``, allowlisted ``type``, a subject DID,
  real dates, no proof and no status of its own), fill ``issuer``/``id``/``validFrom``, and
  ``schemas.validate`` the result. Every problem is a ``PassportError`` with a precise message;
- ``with_status``: add the status entries the issuer allocated;
- ``from_template``: merge a body over one of the ``TEMPLATES`` (one per endorsement kind);
- ``in_scope``: scope patterns (exact value or prefix ending in ``*``), as trust registries use;
- ``method_key``/``did_document``/``document_resolver``: ``did:web`` issuers, whose keys rotate
  behind one DID (verification method ``<did>#<publicKeyMultibase>``).

Nothing here reads the clock or touches storage: ``valid_from`` is a parameter.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Iterable, Mapping

from ..format.documents import (
    AANTOONBAAR_BEKWAAM_TYPE,
    ASSESSMENT_TYPE,
    CERTIFICAAT_TYPE,
    ENDORSEMENT_TYPE,
    OB_CONTEXT,
    PASPOORT_CONTEXT,
    VC_CONTEXT,
    WERKERVARING_TYPE,
    credential_types,
    issuer_id,
    new_credential_id,
    paspoort_type,
)
from ..errors import DIDInvalid, StructureInvalid, ValidityError
from ..crypto.keys import Ed25519Key
from ..format.links import check_links
from ..encoding.jsonio import copy_json
from ..encoding.multibase import ED25519_PUB, decode_multikey
from ..format.schemas import validate
from ..encoding.timeutil import format_datetime, parse_datetime
from ..format.trust import scope_allows
from ..format.vcdm import MALFORMED_VALUE_ERROR, RANGE_ERROR, check_credential

# The types an organisation issues (never the profile, a registry or a status list).
ISSUABLE_TYPES: dict[str, list[str]] = {
    AANTOONBAAR_BEKWAAM_TYPE: ["VerifiableCredential", "OpenBadgeCredential", AANTOONBAAR_BEKWAAM_TYPE],
    CERTIFICAAT_TYPE: ["VerifiableCredential", "OpenBadgeCredential", CERTIFICAAT_TYPE],
    ASSESSMENT_TYPE: ["VerifiableCredential", "OpenBadgeCredential", ASSESSMENT_TYPE],
    WERKERVARING_TYPE: ["VerifiableCredential", "OpenBadgeCredential", WERKERVARING_TYPE],
    ENDORSEMENT_TYPE: ["VerifiableCredential", "EndorsementCredential", ENDORSEMENT_TYPE],
}
ENDORSEMENT_CONTEXT = [VC_CONTEXT, OB_CONTEXT, PASPOORT_CONTEXT]
FILLED_BY_ISSUER = ("proof", "credentialStatus")
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def issuer_profile(did: str, name: str | None = None, url: str | None = None) -> str | dict[str, Any]:
    """The ``issuer`` value: an OB 3.0 Profile when a name is known, else the bare DID."""
    if not name:
        return did
    profile: dict[str, Any] = {"id": did, "type": ["Profile"], "name": name}
    if url:
        profile["url"] = url
    return profile


def prepare(
    credential: Any,
    *,
    issuer: str | Mapping[str, Any],
    valid_from: str,
    valid_days: int | None = None,
    general: bool = False,
    credential_id: str | None = None,
) -> dict[str, Any]:
    """Check a submitted credential and fill in ``issuer``, ``id`` and ``validFrom``.

    Every credential must conform to VCDM 2.0 (``passport.format.vcdm``). A Paspoort type is
    then checked as a Paspoort endorsement (below); any other type only when ``general`` (the
    token may issue general credentials), else it is refused.

    Paspoort endorsements: ``issuer`` is the organisation's DID or Profile (from its
    configuration); a submitted ``issuer`` must be that DID or exactly that Profile, so a request
    never puts another name, web site or image into the signed credential. Links in the
    credential must be ``https:`` (``passport.format.links``). A submitted ``id`` (urn:uuid) and
    ``validFrom`` are kept; ``valid_days`` sets a missing ``validUntil``. No ``credentialStatus``:
    the issuer adds its own. General credentials: ``prepare_general``. Raises
    ``StructureInvalid``, ``ValidityError`` or ``SchemaInvalid``.
    """
    if isinstance(credential, Mapping) and "proof" in credential:
        raise StructureInvalid("proof: submit the unsigned credential without proof; the issuer adds it",
                               path="proof", vcdmError=MALFORMED_VALUE_ERROR)
    check_credential(credential)
    if paspoort_type(credential) is None:
        if not general:
            raise StructureInvalid(f"type: unknown credential type {credential_types(credential)!r}; this service "
                                   f"issues {', '.join(sorted(ISSUABLE_TYPES))}", path="type",
                                   allowed=sorted(ISSUABLE_TYPES))
        return prepare_general(credential, issuer=issuer, valid_from=valid_from, credential_id=credential_id)
    for name in FILLED_BY_ISSUER:
        if name in credential:
            raise StructureInvalid(f"{name}: submit the unsigned credential without {name}; the issuer adds it",
                                   path=name)
    _check_context(credential.get("@context"), "@context" in credential)
    kind = _check_type(credential)
    _check_subject(credential.get("credentialSubject"))
    _check_issuer(credential, issuer)
    check_links(credential)
    out = dict(credential)  # only top-level keys are set here; nested values are never changed
    out["issuer"] = copy.deepcopy(issuer)  # always the organisation's own, from its configuration
    out.setdefault("id", credential_id or new_credential_id())
    out.setdefault("validFrom", valid_from)
    start = _date("validFrom", out["validFrom"])
    if "validUntil" not in out and valid_days:
        out["validUntil"] = format_datetime(start + timedelta(days=valid_days))
    if "validUntil" in out and _date("validUntil", out["validUntil"]) <= start:
        raise ValidityError(f"validUntil {out['validUntil']} is not after validFrom {out['validFrom']}",
                            field="validUntil")
    validate(out)
    if kind is None:  # validate() accepted a non-Paspoort type; this service does not issue those
        raise StructureInvalid("type: unknown credential type", path="type")
    return out


def prepare_general(credential: Mapping[str, Any], *, issuer: str | Mapping[str, Any], valid_from: str,
                    credential_id: str | None = None) -> dict[str, Any]:
    """A VCDM 2.0 credential of any type, already checked by ``check_credential``, made ready to sign.

    ``issuer``: a submitted DID string or object must name this service's DID (an object keeps
    its ``name`` and ``description``: the token may issue general credentials); a missing one
    becomes the configured issuer's DID and name. ``id``: kept, else ``credential_id``, else a new urn:uuid.
    ``validFrom``: kept, else ``valid_from``. A submitted ``credentialStatus`` is kept (the issuer
    adds its own entries beside it)."""
    own_did = issuer if isinstance(issuer, str) else issuer["id"]
    submitted = credential.get("issuer")
    submitted_did = submitted.get("id") if isinstance(submitted, Mapping) else submitted
    if "issuer" in credential and submitted_did != own_did:
        raise StructureInvalid(f"issuer: this service issues as {own_did}, not {submitted_did}",
                               path="issuer" if isinstance(submitted, str) else "issuer.id",
                               vcdmError=MALFORMED_VALUE_ERROR)
    out = copy_json(dict(credential))
    if "issuer" not in credential:  # VC v2 defines id and name; the Open Badges Profile terms need their context
        out["issuer"] = {"id": own_did, "name": issuer["name"]} if isinstance(issuer, Mapping) else issuer
    out.setdefault("id", credential_id or new_credential_id())
    if "validFrom" not in out:
        out["validFrom"] = valid_from
        if "validUntil" in out and _date("validUntil", out["validUntil"]) < _date("validFrom", valid_from):
            raise ValidityError(f"validUntil {out['validUntil']} is before the issuing time {valid_from}; give "
                                "validFrom or a later validUntil", field="validUntil", path="validUntil",
                                vcdmError=RANGE_ERROR)
    return out


def _check_issuer(credential: Mapping[str, Any], issuer: str | Mapping[str, Any]) -> None:
    """A submitted ``issuer`` is the service's DID, or a Profile equal to the service's own."""
    if "issuer" not in credential:
        return
    own_did = issuer if isinstance(issuer, str) else issuer["id"]
    submitted = credential["issuer"]
    if isinstance(submitted, str) and submitted == own_did:
        return
    if isinstance(submitted, Mapping) and submitted == issuer:
        return
    try:
        submitted_did = issuer_id(credential)
    except StructureInvalid:
        raise StructureInvalid(f"issuer: leave it out, or give this service's DID {own_did}", path="issuer") from None
    if submitted_did != own_did:
        raise StructureInvalid(f"issuer: this service issues as {own_did}, not {submitted_did}", path="issuer",
                               issuer=submitted_did)
    raise StructureInvalid(f"issuer: the issuer's name, web site and image come from this service's "
                           f"configuration; leave issuer out or give only the DID {own_did}", path="issuer")


def with_status(credential: Mapping[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The credential with its ``credentialStatus``: a submitted one (general credentials), then the
    issuer's entries; one entry stays an object."""
    submitted = credential.get("credentialStatus", [])
    combined = [*(submitted if isinstance(submitted, list) else [submitted]), *entries]
    return {**credential, "credentialStatus": combined[0] if len(combined) == 1 else combined}


def in_scope(values: Iterable[str], patterns: Iterable[str] | None) -> bool:
    """Every value matches some pattern (exact, or a prefix ending in ``*``); None allows all."""
    if patterns is None:
        return True
    patterns = list(patterns)
    return all(scope_allows(patterns, value) for value in values)


def _check_context(context: Any, present: bool) -> None:
    if not present:
        raise StructureInvalid(f"@context is missing: it must be a list starting with {VC_CONTEXT}", path="@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        raise StructureInvalid(f"@context must be a list starting with {VC_CONTEXT}", path="@context")


def _check_type(credential: Mapping[str, Any]) -> str | None:
    if "type" not in credential:
        raise StructureInvalid("type is missing: e.g. " + str(ISSUABLE_TYPES[CERTIFICAAT_TYPE]), path="type")
    types = credential_types(credential)
    kind = paspoort_type(credential)
    if kind is None or kind not in ISSUABLE_TYPES:
        what = f"{kind} is not issued by organisations" if kind else f"unknown credential type {types!r}"
        raise StructureInvalid(f"type: {what}; this service issues {', '.join(sorted(ISSUABLE_TYPES))}",
                               path="type", allowed=sorted(ISSUABLE_TYPES))
    return kind


def _check_subject(subject: Any) -> None:
    if not isinstance(subject, Mapping):
        raise StructureInvalid("credentialSubject must be one JSON object about the worker",
                               path="credentialSubject")
    did = subject.get("id")
    if not isinstance(did, str) or not did.startswith("did:"):
        raise StructureInvalid("credentialSubject.id must be the worker's DID (did:...): the holder proves "
                               "control of it when presenting", path="credentialSubject.id")


def _date(name: str, value: Any):
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise ValidityError(f"{name}: {exc}", field=name) from None


# --- templates -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    name: str
    credential_type: str
    description: str
    body: dict[str, Any]
    valid_days: int | None = None
    needs: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.credential_type, "description": self.description,
                "validDays": self.valid_days, "needs": list(self.needs), "credential": copy.deepcopy(self.body)}


def _achievement_body(kind: str, achievement_type: str) -> dict[str, Any]:
    return {"@context": list(ENDORSEMENT_CONTEXT), "type": list(ISSUABLE_TYPES[kind]),
            "credentialSubject": {"type": ["AchievementSubject"],
                                  "achievement": {"type": ["Achievement"], "achievementType": achievement_type}}}


_SUBJECT = "credentialSubject.id"
_ACHIEVEMENT = ("credentialSubject.achievement.id", "credentialSubject.achievement.name",
                "credentialSubject.achievement.description", "credentialSubject.achievement.criteria")
TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("aantoonbaar-bekwaam", AANTOONBAAR_BEKWAAM_TYPE,
             "An examiner's 'aantoonbaar bekwaam' statement for one care procedure; valid one year.",
             _achievement_body(AANTOONBAAR_BEKWAAM_TYPE, "ext:AantoonbaarBekwaam"), 365,
             (_SUBJECT, *_ACHIEVEMENT, "credentialSubject.procedure", "credentialSubject.assessment", "evidence")),
    Template("deelcertificaat", CERTIFICAAT_TYPE, "A module or partial certificate from a training provider.",
             _achievement_body(CERTIFICAAT_TYPE, "ext:Deelcertificaat"), None,
             (_SUBJECT, *_ACHIEVEMENT, "credentialSubject.level", "credentialSubject.learningOutcomes",
              "credentialSubject.studyLoad")),
    Template("certificaat", CERTIFICAAT_TYPE, "A certificate such as BHV from an employer.",
             _achievement_body(CERTIFICAAT_TYPE, "Certificate"), None,
             (_SUBJECT, *_ACHIEVEMENT, "credentialSubject.learningOutcomes", "credentialSubject.studyLoad")),
    Template("assessment-resultaat", ASSESSMENT_TYPE, "The result of an assessment by an assessor.",
             _achievement_body(ASSESSMENT_TYPE, "Assessment"), None,
             (_SUBJECT, *_ACHIEVEMENT, "credentialSubject.method", "credentialSubject.date",
              "credentialSubject.outcome")),
    Template("werkervaring", WERKERVARING_TYPE, "Work experience stated by an employer.",
             _achievement_body(WERKERVARING_TYPE, "ext:Werkervaring"), None,
             (_SUBJECT, *_ACHIEVEMENT, "credentialSubject.role", "credentialSubject.period",
              "credentialSubject.tasks", "credentialSubject.skills")),
    Template("profiel-endorsement", ENDORSEMENT_TYPE, "An endorsement of one entry of the worker's profile.",
             {"@context": list(ENDORSEMENT_CONTEXT), "type": list(ISSUABLE_TYPES[ENDORSEMENT_TYPE]),
              "name": "Aanbeveling bij een onderdeel van het profiel",  # OB 3.0 requires a name
              "credentialSubject": {"type": ["EndorsementSubject"]}}, None,
             (_SUBJECT, "credentialSubject.entry", "credentialSubject.endorsementComment")),
)}


def from_template(name: str, credential: Any) -> tuple[dict[str, Any], int | None]:
    """The template's body with ``credential`` merged over it, and the template's validity days."""
    template = TEMPLATES.get(name) if isinstance(name, str) else None
    if template is None:
        raise StructureInvalid(f"options.template: unknown template {name!r}; known: {sorted(TEMPLATES)}",
                               path="options.template", known=sorted(TEMPLATES))
    if not isinstance(credential, Mapping):
        raise StructureInvalid("credential must be a JSON object", path="credential")
    return _merge(template.body, credential), template.valid_days


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(over, Mapping):
        out = copy.deepcopy(dict(base))
        for key, value in over.items():
            out[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(over)


# --- did:web issuers: several keys behind one DID --------------------------------------------
class MethodKey:
    """An ``Ed25519Key`` that signs as ``verification_method`` (e.g. ``did:web:host#z6Mk...``)."""

    def __init__(self, key: Ed25519Key, verification_method: str) -> None:
        self.key, self.verification_method = key, verification_method
        self.did = verification_method.split("#", 1)[0]
        self.public_key_multibase = key.public_key_multibase

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


def method_key(key: Ed25519Key, did: str) -> Ed25519Key | MethodKey:
    """The signer for ``did``: the key itself for its own did:key, else ``<did>#<multibase>``."""
    if did == key.did:
        return key
    return MethodKey(key, f"{did}#{key.public_key_multibase}")


def did_document(did: str, public_key_multibases: list[str]) -> dict[str, Any]:
    """A DID document listing every key as a Multikey verification method (assertion + authn)."""
    if not isinstance(did, str) or not did.startswith("did:") or "#" in did:
        raise DIDInvalid(f"{did!r} is not a DID")
    methods = [{"id": f"{did}#{mb}", "type": "Multikey", "controller": did, "publicKeyMultibase": mb}
               for mb in public_key_multibases]
    ids = [method["id"] for method in methods]
    return {"@context": list(DID_CONTEXT), "id": did, "verificationMethod": methods,
            "assertionMethod": ids, "authentication": ids}


def document_resolver(document: Mapping[str, Any]):
    """A resolver (``verification method id -> public key``) over one DID document."""
    keys: dict[str, bytes] = {}
    for method in document.get("verificationMethod", []):
        keys[method["id"]] = decode_multikey(method["publicKeyMultibase"], ED25519_PUB, "publicKeyMultibase")

    def resolve(verification_method: str) -> bytes:
        if verification_method not in keys:
            raise DIDInvalid(f"{verification_method} is not in the DID document of {document.get('id')}")
        return keys[verification_method]

    return resolve
