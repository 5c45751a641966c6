"""The structure and validity steps: which VC data model a document follows, and when it is valid.

Verification reads two versions of the W3C data model (issuance makes only 2.0):

- VC 2.0 (``@context`` starts with ``https://www.w3.org/ns/credentials/v2``): ``validFrom`` and
  ``validUntil``, both optional;
- VC 1.1 (``@context`` starts with ``https://www.w3.org/2018/credentials/v1``): ``issuanceDate``
  (required) and ``expirationDate`` (optional). Paspoort types are VC 2.0 only, and a VC 1.1
  credential may not use the 2.0 date names (nor the reverse): a date that a version does not
  define would be left out of what its context signs.

A presentation's ``holder`` is optional in both versions; when present it is a URL or an object
with an ``id`` that is a URL.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from ..encoding.timeutil import parse_datetime
from ..errors import Expired, NotYetValid, StructureInvalid, ValidityError
from ..format.documents import issuer_id, paspoort_type

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VERSIONS = {VC_CONTEXT: "2.0", VC1_CONTEXT: "1.1"}
_DATES = {"2.0": ("validFrom", "validUntil"), "1.1": ("issuanceDate", "expirationDate")}


def types_of(document: Mapping[str, Any]) -> list[str]:
    kinds = document.get("type")
    if isinstance(kinds, str):
        return [kinds]
    return [k for k in kinds if isinstance(k, str)] if isinstance(kinds, list) else []


def version_of(document: Any) -> str:
    """``"2.0"`` or ``"1.1"`` from the first ``@context`` value; ``StructureInvalid`` otherwise."""
    if not isinstance(document, dict):
        raise StructureInvalid(f"a credential or presentation is a JSON object, not {type(document).__name__}")
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else None
    version = VERSIONS.get(first) if isinstance(first, str) else None
    if version is None:
        raise StructureInvalid(f"@context must be a list starting with {VC_CONTEXT} (or {VC1_CONTEXT} for a "
                               "VC 1.1 credential)", path="@context")
    return version


def structure(document: Any, base_type: str) -> tuple[list[str], str]:
    """Raise ``StructureInvalid`` unless it is a VC document of ``base_type``; its types and version."""
    version = version_of(document)
    types = types_of(document)
    if base_type not in types:
        raise StructureInvalid(f"type must include {base_type}", path="type")
    if base_type == "VerifiableCredential":
        issuer_id(document)  # raises StructureInvalid when there is no issuer id
        if not isinstance(document.get("credentialSubject"), (dict, list)):
            raise StructureInvalid("credentialSubject is missing", path="credentialSubject")
        own, other = _DATES[version], _DATES["1.1" if version == "2.0" else "2.0"]
        for name in other:
            if name in document:
                raise StructureInvalid(f"{name} is not a VC {version} property; a VC {version} credential uses "
                                       f"{' and '.join(own)}", path=name)
        if version == "1.1":
            if "issuanceDate" not in document:
                raise StructureInvalid("a VC 1.1 credential must have issuanceDate", path="issuanceDate")
            if paspoort_type(document) is not None:
                raise StructureInvalid("Paspoort credentials are VC 2.0 credentials", path="@context")
    else:
        holder_of(document)  # StructureInvalid for a holder that is not a URL or an object with one
    return types, version


def holder_of(presentation: Mapping[str, Any]) -> str | None:
    """The presentation's holder id, or None when it names no holder."""
    holder = presentation.get("holder")
    if holder is None and "holder" not in presentation:
        return None
    if isinstance(holder, dict):
        holder = holder.get("id")
    if not isinstance(holder, str) or ":" not in holder:
        raise StructureInvalid("holder must be a URL (such as a DID) or an object whose id is one", path="holder")
    return holder


def validity(credential: Mapping[str, Any], now: datetime, version: str = "2.0") -> str:
    """The validity step: ``validFrom``/``validUntil`` (VC 1.1: ``issuanceDate``/``expirationDate``)."""
    start, end = _DATES[version]
    valid_from, valid_until = _date(credential, start), _date(credential, end)
    if valid_from is not None and valid_from > now:
        raise NotYetValid(f"valid from {credential[start]}, not yet", **{start: credential[start]})
    if valid_until is not None and valid_until <= now:
        raise Expired(f"expired at {credential[end]}", **{end: credential[end]})
    if valid_until is not None:
        return f"valid until {credential[end]}"
    return "valid, with no end date"


def _date(credential: Mapping[str, Any], name: str) -> datetime | None:
    if name not in credential:
        return None
    try:
        return parse_datetime(credential[name])
    except ValueError as exc:
        raise ValidityError(f"{name}: {exc}", field=name) from exc
