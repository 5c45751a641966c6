"""The value forms of the W3C VC Data Model 2.0 that a conforming credential MUST use.

Each check names the exact member (``credentialStatus[1].type``) and the VCDM processing
error it is (``MALFORMED_VALUE_ERROR`` unless said otherwise); ``vcdm`` applies them to a whole
credential. The problem types are the VCDM's own URLs (VCDM 2.0, "Processing Errors"):

- ``PARSING_ERROR``: the input is not a credential at all (not a JSON object);
- ``MALFORMED_VALUE_ERROR``: a property's value has the wrong form;
- ``RANGE_ERROR``: a value outside the range the data model allows (``validUntil`` before
  ``validFrom``).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..encoding.timeutil import parse_datetime
from ..errors import StructureInvalid, ValidityError

VCDM_PROBLEM_BASE = "https://www.w3.org/TR/vc-data-model#"
PARSING_ERROR = "PARSING_ERROR"
MALFORMED_VALUE_ERROR = "MALFORMED_VALUE_ERROR"
RANGE_ERROR = "RANGE_ERROR"
VCDM_ERROR_CODES = {PARSING_ERROR: -64, "CRYPTOGRAPHIC_SECURITY_ERROR": -65, MALFORMED_VALUE_ERROR: -66,
                    RANGE_ERROR: -67}

# An absolute URL or URN: a scheme, a colon, no white space (VCDM 2.0 "URL", RFC 3986 form).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
# XML Schema dateTimeStamp as VCDM 2.0 (section 4.9) gives it: a time zone is required.
_DATE_TIME_STAMP = re.compile(
    r"^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|(24:00:00(\.0+)?))"
    r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$")
_SRI = re.compile(r"^(sha256|sha384|sha512)-[A-Za-z0-9+/_-]+={0,2}$")
_MULTIBASE = re.compile(r"^(u[A-Za-z0-9_-]+|z[1-9A-HJ-NP-Za-km-z]+)$")
_LANGUAGE_KEYS = frozenset({"@value", "@language", "@direction"})


def malformed(path: str, message: str, **details: Any) -> StructureInvalid:
    """A ``STRUCTURE_INVALID`` problem typed as the VCDM ``MALFORMED_VALUE_ERROR`` for ``path``."""
    return StructureInvalid(f"{path} {message}", path=path, vcdmError=MALFORMED_VALUE_ERROR, **details)


def is_object(value: Any) -> bool:
    """A JSON object: a dict (the usual case, tested first: ``isinstance`` with an ABC is slow) or
    another mapping."""
    return type(value) is dict or isinstance(value, Mapping)


def as_list(value: Any) -> list[Any]:
    """One value or a list of values, as a list (VCDM allows either for most members)."""
    return value if isinstance(value, list) else [value]


def check_url(path: str, value: Any) -> None:
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise malformed(path, f"must be a single URL (such as https://... , urn:... or did:...), got {value!r}")


def check_optional_id(path: str, node: Mapping[str, Any]) -> None:
    if "id" in node:
        check_url(f"{path}.id", node["id"])


def check_types(path: str, value: Any, *, required: str | None = None) -> list[str]:
    """``type``: one string or a non-empty list of strings; ``required`` must be among them."""
    types = as_list(value)
    if not types or not all(isinstance(item, str) and item for item in types):
        raise malformed(path, f"must be a type name or a non-empty list of type names, got {value!r}")
    if len(set(types)) != len(types):
        raise malformed(path, f"names a type twice: {types!r}")
    if required and required not in types:
        raise malformed(path, f"must include {required!r}, got {types!r}")
    return types


def check_typed_objects(name: str, value: Any, *, id_required: bool = False) -> None:
    """``credentialStatus``, ``termsOfUse``, ``evidence``, ``refreshService``, ``credentialSchema``:
    one object or a non-empty list of objects, each with a ``type`` (and a single URL ``id`` if any)."""
    items = as_list(value)
    if not items:
        raise malformed(name, "must be one object or a non-empty list of objects, got an empty list")
    for position, item in enumerate(items):
        path = name if not isinstance(value, list) else f"{name}[{position}]"
        if not is_object(item):
            raise malformed(path, f"must be an object with a type, got {item!r}")
        if "type" not in item:
            raise malformed(f"{path}.type", "is missing: every object here must say its type")
        check_types(f"{path}.type", item["type"])
        if id_required and "id" not in item:
            raise malformed(f"{path}.id", "is missing: it must be the URL of the schema")
        check_optional_id(path, item)


def check_related_resources(value: Any) -> None:
    """``relatedResource``: objects with a unique URL ``id`` and a ``digestSRI`` or ``digestMultibase``."""
    items = as_list(value)
    if not items:
        raise malformed("relatedResource", "must be one object or a non-empty list of objects")
    seen: set[str] = set()
    for position, item in enumerate(items):
        path = "relatedResource" if not isinstance(value, list) else f"relatedResource[{position}]"
        if not is_object(item):
            raise malformed(path, f"must be an object with id and digestSRI or digestMultibase, got {item!r}")
        if "id" not in item:
            raise malformed(f"{path}.id", "is missing: the URL of the related resource is required")
        check_url(f"{path}.id", item["id"])
        if item["id"] in seen:
            raise malformed(f"{path}.id", f"repeats {item['id']}: list each related resource once")
        seen.add(item["id"])
        if "digestSRI" not in item and "digestMultibase" not in item:
            raise malformed(path, "needs digestSRI or digestMultibase (or both)")
        if "digestSRI" in item and not (isinstance(item["digestSRI"], str) and _SRI.fullmatch(item["digestSRI"])):
            raise malformed(f"{path}.digestSRI", "must be a Subresource Integrity value such as sha384-<base64>")
        if "digestMultibase" in item and not (isinstance(item["digestMultibase"], str)
                                              and _MULTIBASE.fullmatch(item["digestMultibase"])):
            raise malformed(f"{path}.digestMultibase", "must be a multibase value (u... base64url or z... base58)")
        if "mediaType" in item and not isinstance(item["mediaType"], str):
            raise malformed(f"{path}.mediaType", "must be a media type string such as application/ld+json")


def check_language_values(path: str, value: Any) -> None:
    """``name``/``description``: a string, a language value object or a list of those."""
    for position, item in enumerate(as_list(value)):
        where = path if not isinstance(value, list) else f"{path}[{position}]"
        if isinstance(item, str):
            continue
        if not is_object(item) or not isinstance(item.get("@value"), str):
            raise malformed(where, f"must be a string or a language value object with @value, got {item!r}")
        extra = sorted(set(item) - _LANGUAGE_KEYS)
        if extra:
            raise malformed(where, f"must hold only @value, @language and @direction, not {extra}")
        if "@language" in item and not isinstance(item["@language"], str):
            raise malformed(f"{where}.@language", "must be a language tag such as en or nl")
        if "@direction" in item and item["@direction"] not in ("ltr", "rtl"):
            raise malformed(f"{where}.@direction", "must be ltr or rtl")


def check_date_time_stamp(name: str, value: Any):
    """A dateTimeStamp (time zone required); the parsed value. ``ValidityError`` names the member."""
    problem = f"{name} must be a dateTimeStamp such as 2026-11-23T09:00:00Z, got {value!r}"
    if not isinstance(value, str) or not _DATE_TIME_STAMP.fullmatch(value):
        raise ValidityError(problem, field=name, path=name, vcdmError=MALFORMED_VALUE_ERROR)
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise ValidityError(f"{name}: {exc}", field=name, path=name, vcdmError=MALFORMED_VALUE_ERROR) from None
