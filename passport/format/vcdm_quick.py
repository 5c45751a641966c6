"""One compiled pass that says a Paspoort credential is fine by both VCDM 2.0 and its schema.

A verifier runs two shape checks on every credential: the VCDM 2.0 rules (``vcdm.check_credential``,
Python, which names the member and the VCDM error of the first problem) and the JSON Schema of
the Paspoort type (``schemas.validate``, compiled). For a well-formed credential, which is nearly
every one, the Python rules only cost time. ``quick_check`` runs one compiled validator: the
type's schema AND ``VCDM_QUICK``, the VCDM rules written as JSON Schema. When it passes, both
checks would pass and neither runs; when it fails, the caller runs both as before, so every
error is still the one they report.

``VCDM_QUICK`` is stricter than the Python rules, never looser: a URL here is printable ASCII
only, and a ``relatedResource`` (ids unique across items, which JSON Schema cannot say) always
takes the Python path. That direction is what makes the shortcut sound:
``tests/test_vcdm_quick.py`` checks it on every example and on mutations of each member. A
document that is not JSON data (a Python tuple where a list belongs) may pass here; the proof
step then refuses it, since only JSON data has a canonical form.

Only the Paspoort types take this path (their schemas exist); other credentials keep the two
checks. ``validFrom``/``validUntil`` are left to the validity step, as ``check_credential(dates=False)``.
"""
from __future__ import annotations

import functools
from typing import Any

from ..errors import PassportError
from ..jsonld import VC_V2
from . import schemas

_URL = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9+.-]*:[!-~]+$"}
_TYPE_NAMES = {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string", "minLength": 1}}
_TYPES = {"anyOf": [{"type": "string", "minLength": 1}, _TYPE_NAMES]}
_LANGUAGE_VALUE = {
    "type": "object", "required": ["@value"], "additionalProperties": False,
    "properties": {"@value": {"type": "string"}, "@language": {"type": "string"},
                   "@direction": {"enum": ["ltr", "rtl"]}},
}
_TEXT = {"anyOf": [{"type": "string"}, _LANGUAGE_VALUE,
                   {"type": "array", "items": {"anyOf": [{"type": "string"}, _LANGUAGE_VALUE]}}]}


def _one_or_more(item: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "minItems": 1, "items": item}]}


def _typed(*, id_required: bool) -> dict[str, Any]:
    return _one_or_more({"type": "object", "required": ["type", "id"] if id_required else ["type"],
                         "properties": {"type": _TYPES, "id": _URL}})


VCDM_QUICK: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "type", "issuer", "credentialSubject"],
    "not": {"required": ["relatedResource"]},
    "properties": {
        "@context": {"type": "array", "minItems": 1, "prefixItems": [{"const": VC_V2}],
                     "items": {"anyOf": [{"allOf": [_URL, {"not": {"const": VC_V2}}]}, {"type": "object"}]}},
        "id": _URL,
        "type": {"anyOf": [{"const": "VerifiableCredential"},
                           {**_TYPE_NAMES, "contains": {"const": "VerifiableCredential"}}]},
        "name": _TEXT,
        "description": _TEXT,
        "issuer": {"anyOf": [_URL, {"type": "object", "required": ["id"],
                                    "properties": {"id": _URL, "name": _TEXT, "description": _TEXT}}]},
        "credentialSubject": _one_or_more({"type": "object", "minProperties": 1, "properties": {"id": _URL}}),
        "credentialStatus": _typed(id_required=False),
        "termsOfUse": _typed(id_required=False),
        "evidence": _typed(id_required=False),
        "refreshService": _typed(id_required=False),
        "credentialSchema": _typed(id_required=True),
    },
}
_QUICK_TYPES = frozenset(schemas.SCHEMA_FOR_TYPE.values())


def quick_check(credential: Any) -> str | None:
    """The schema name when ``credential`` passes its Paspoort schema and ``VCDM_QUICK`` in one
    pass (then ``vcdm.check_credential(issuer_required=True, dates=False)`` and the schema's
    JSON Schema part would both pass); None when the caller must run both checks."""
    try:
        name = schemas.schema_name_for(credential)
    except PassportError:
        return None
    if name not in _QUICK_TYPES:
        return None
    try:
        return name if _validator(name).is_valid(credential) else None
    except (ValueError, TypeError, OverflowError):  # not JSON data: the full checks say what is wrong
        return None


@functools.cache
def _validator(name: str) -> Any:
    both = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "allOf": [{"$ref": schemas.schema_id(name)}, VCDM_QUICK]}
    return schemas.compile_with_registry(both)
