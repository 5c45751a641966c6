"""Builders and accessors for Paspoort documents (unsigned; ``proof.sign`` adds the proof).

``profile_credential`` turns the worker's readable profile (the ``profile.yaml`` shape: a
``name`` and the six blocks as lists of entries) into a self-issued, unsigned
``PersoonlijkProfielCredential``. Text written as a ``{nl: ..., en: ...}`` mapping becomes a
list of VC 2.0 language value objects. The accessors (``issuer_id``, ``credential_types``,
``paspoort_type``, ``scope_values``) are the one place other modules read those fields.
"""
from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import re
import uuid
from typing import Any, Mapping, NamedTuple

from ..errors import SchemaInvalid, StructureInvalid
from ..encoding.jcs import canonicalize
from ..encoding.multibase import encode_u
from .schemas import CREDENTIAL_TYPES, validate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
PASPOORT_CONTEXT = "https://w3id.org/paspoort/v1"
PROFILE_TYPE = "PersoonlijkProfielCredential"
ENDORSEMENT_TYPE = "ProfielEndorsementCredential"
AANTOONBAAR_BEKWAAM_TYPE = "AantoonbaarBekwaamCredential"
CERTIFICAAT_TYPE = "CertificaatCredential"
ASSESSMENT_TYPE = "AssessmentResultaatCredential"
WERKERVARING_TYPE = "WerkervaringCredential"
_ALIGNED_TYPES = frozenset({CERTIFICAAT_TYPE, WERKERVARING_TYPE, ASSESSMENT_TYPE})
SHA2_256_MULTIHASH = b"\x12\x20"
ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
TEXT_FIELDS = frozenset({"name", "description", "targetName", "targetRole", "region", "targetDescription"})
_LANGUAGE_KEY = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class Block(NamedTuple):
    key: str
    nl: str
    en: str


BLOCKS: tuple[Block, ...] = (
    Block("talenten", "Talenten", "Talents"),
    Block("skills", "Skills", "Skills"),
    Block("drijfveren", "Drijfveren", "Drives"),
    Block("wendbaarheid", "Wendbaarheid", "Agility"),
    Block("werkEnDenkniveau", "Werk- en denkniveau", "Work and thinking level"),
    Block("doelEnMotivatie", "Doel & motivatie", "Goal and motivation"),
)
BLOCK_KEYS = tuple(block.key for block in BLOCKS)


def new_credential_id() -> str:
    """A fresh credential id: ``urn:uuid:`` + a random (version 4) UUID."""
    return f"urn:uuid:{uuid.uuid4()}"


def profile_credential(
    profile: Mapping[str, Any],
    holder_did: str,
    *,
    valid_from: str,
    credential_id: str | None = None,
) -> dict[str, Any]:
    """Build the unsigned, self-issued ``PersoonlijkProfielCredential`` of ``holder_did``.

    Raises ``StructureInvalid`` for an input that is not the profile shape (unknown top-level
    keys, a block that is not a list, an entry that is not a mapping) and ``SchemaInvalid``
    for a bad or repeated entry id or any other schema violation.
    """
    if not isinstance(profile, dict):
        raise StructureInvalid("a profile is a mapping with 'name' and the six blocks")
    unknown = set(profile) - {"name", *BLOCK_KEYS}
    if unknown:
        raise StructureInvalid(f"unknown profile keys {sorted(unknown)}; the blocks are {list(BLOCK_KEYS)}",
                               keys=sorted(unknown))
    subject: dict[str, Any] = {"id": holder_did, "type": "PersoonlijkProfiel", "name": profile.get("name")}
    seen: dict[str, str] = {}
    for key in BLOCK_KEYS:
        entries = profile.get(key) or []
        if not isinstance(entries, list):
            raise StructureInvalid(f"{key}: a block is a list of entries", path=key)
        built = []
        for index, entry in enumerate(entries):
            path = f"{key}[{index}]"
            if not isinstance(entry, dict):
                raise StructureInvalid(f"{path}: an entry is a mapping with at least id and name", path=path)
            entry_id = entry.get("id")
            if not isinstance(entry_id, str) or not ENTRY_ID.match(entry_id):
                raise SchemaInvalid(f"{path}.id: {entry_id!r} is not an entry id (a lower-case slug like "
                                    f"'rustig-bij-conflicten', at most 64 characters)", path=f"{path}.id")
            if entry_id in seen:
                raise SchemaInvalid(f"{path}.id: entry id {entry_id!r} is already used at {seen[entry_id]}",
                                    path=f"{path}.id")
            seen[entry_id] = path
            built.append(_json_value(entry, path))
        subject[key] = built
    credential = {
        "@context": [VC_CONTEXT, PASPOORT_CONTEXT],
        "id": credential_id or new_credential_id(),
        "type": ["VerifiableCredential", PROFILE_TYPE],
        "issuer": holder_did,
        "validFrom": valid_from,
        "credentialSubject": subject,
    }
    validate(credential)
    return credential


def entry_digest(entry: Mapping[str, Any]) -> str:
    """``digestMultibase`` of a profile entry: base64url multibase of sha2-256(JCS(entry))."""
    return encode_u(SHA2_256_MULTIHASH + hashlib.sha256(canonicalize(dict(entry))).digest())


def find_entry(profile_credential: Mapping[str, Any], entry_id: str) -> dict[str, Any] | None:
    """The entry with ``entry_id`` in any block of a profile credential, or None."""
    subject = profile_credential.get("credentialSubject")
    if not isinstance(subject, dict):
        return None
    for key in BLOCK_KEYS:
        entries = subject.get(key)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and entry.get("id") == entry_id:
                return entry
    return None


def issuer_id(credential: Mapping[str, Any]) -> str:
    """The issuer's identifier: ``issuer`` when a string, else ``issuer["id"]``."""
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        issuer = issuer.get("id")
    if not isinstance(issuer, str) or not issuer:
        raise StructureInvalid("issuer must be a DID or an object with an id", path="issuer")
    return issuer


def credential_types(credential: Mapping[str, Any]) -> list[str]:
    """The ``type`` values as a list of strings (a single string counts as a list of one)."""
    types = credential.get("type")
    if isinstance(types, str):
        return [types]
    if not isinstance(types, list) or not types or not all(isinstance(item, str) for item in types):
        raise StructureInvalid("type must be a non-empty list of strings", path="type")
    return list(types)


def paspoort_type(credential: Mapping[str, Any]) -> str | None:
    """The one allowlisted Paspoort type of a credential, or None when it has none."""
    known = [item for item in credential_types(credential) if item in CREDENTIAL_TYPES]
    if len(set(known)) > 1:
        raise StructureInvalid(f"type names more than one Paspoort type: {sorted(set(known))}", path="type")
    return known[0] if known else None


def scope_values(credential: Mapping[str, Any]) -> list[str]:
    """What a trust registry scope must cover for this credential.

    AantoonbaarBekwaam: the procedure code. Certificaat, Werkervaring, AssessmentResultaat:
    the ``targetUrl`` of every ``credentialSubject.achievement.alignment``. Others: none.
    """
    return scope_values_of(paspoort_type(credential), credential)


def scope_values_of(kind: str | None, credential: Mapping[str, Any]) -> list[str]:
    """``scope_values`` for a caller that already knows the credential's ``paspoort_type``."""
    subject = credential.get("credentialSubject")
    if kind is None or not isinstance(subject, dict):
        return []
    if kind == AANTOONBAAR_BEKWAAM_TYPE:
        procedure = subject.get("procedure")
        code = procedure.get("code") if isinstance(procedure, dict) else None
        if not isinstance(code, str):
            raise StructureInvalid("credentialSubject.procedure.code is missing",
                                   path="credentialSubject.procedure.code")
        return [code]
    if kind in _ALIGNED_TYPES:
        achievement = subject.get("achievement")
        alignment = achievement.get("alignment", []) if isinstance(achievement, dict) else []
        if not isinstance(alignment, list):
            raise StructureInvalid("achievement.alignment must be a list",
                                   path="credentialSubject.achievement.alignment")
        urls = [item.get("targetUrl") for item in alignment if isinstance(item, dict)]
        if len(urls) != len(alignment) or not all(isinstance(url, str) for url in urls):
            raise StructureInvalid("every achievement alignment needs a targetUrl",
                                   path="credentialSubject.achievement.alignment")
        return urls
    return []


def profile_endorsement(
    profile: Mapping[str, Any],
    entry_id: str,
    *,
    issuer: str | Mapping[str, Any],
    comment: str | list[dict[str, str]],
    valid_from: str,
    valid_until: str | None = None,
    credential_id: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Build an unsigned ``ProfielEndorsementCredential`` for one entry of a profile credential.

    ``name`` (OB 3.0 requires one) defaults to "Aanbeveling: " and the entry's Dutch name."""
    entry = find_entry(profile, entry_id)
    if entry is None:
        raise StructureInvalid(f"the profile has no entry {entry_id!r}", entry=entry_id)
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT, PASPOORT_CONTEXT],
        "id": credential_id or new_credential_id(),
        "type": ["VerifiableCredential", "EndorsementCredential", ENDORSEMENT_TYPE],
        "name": name or f"Aanbeveling: {_plain_name(entry, entry_id)}",
        "issuer": copy.deepcopy(issuer),
        "validFrom": valid_from,
        "credentialSubject": {
            "id": profile["credentialSubject"]["id"],
            "type": ["EndorsementSubject"],
            "entry": {"id": entry_id, "digestMultibase": entry_digest(entry)},
            "endorsementComment": copy.deepcopy(comment),
        },
    }
    if valid_until is not None:
        credential["validUntil"] = valid_until
    validate(credential)
    return credential


def _plain_name(entry: Mapping[str, Any], fallback: str) -> str:
    """An entry's name as one string: the Dutch language value first, else the first, else ``fallback``."""
    name = entry.get("name")
    if isinstance(name, str):
        return name
    values = [item for item in name if isinstance(item, dict) and isinstance(item.get("@value"), str)] \
        if isinstance(name, list) else []
    dutch = [item["@value"] for item in values if item.get("@language") == "nl"]
    return (dutch or [item["@value"] for item in values] or [fallback])[0]


def _json_value(value: Any, path: str, key: str | None = None) -> Any:
    """A JSON copy of YAML data: ``{nl, en}`` text to language values, dates to ISO strings."""
    if key in TEXT_FIELDS and isinstance(value, dict) and value and all(
        isinstance(lang, str) and _LANGUAGE_KEY.match(lang) and isinstance(text, str)
        for lang, text in value.items()
    ):
        return [{"@value": text, "@language": lang} for lang, text in value.items()]
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if not isinstance(name, str):
                raise StructureInvalid(f"{path}: key {name!r} is not a string", path=path)
            out[name] = _json_value(item, f"{path}.{name}", name)
        return out
    if isinstance(value, list):
        return [_json_value(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, _dt.datetime):
        raise StructureInvalid(f"{path}: write date-times as quoted strings with a time zone", path=path)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise StructureInvalid(f"{path}: {type(value).__name__} is not JSON data", path=path)
