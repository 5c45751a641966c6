"""JSON Schema validation of every Paspoort document type.

The schemas live in the repository's ``schemas/`` folder (JSON Schema 2020-12), one per
credential type plus the W3C base credential and presentation and shared ``defs.json``. They
refer to each other by ``$id`` (``https://w3id.org/paspoort/schemas/<name>.json``); every one is
registered locally and nothing is ever fetched.

The schema for a document is chosen from a fixed allowlist by its ``type``: the Paspoort type
when it has one, else the base credential or presentation schema. The pass/fail path uses
``jsonschema_rs`` with validators compiled once; only a failing document pays for a detailed
error list. A few rules that JSON Schema cannot say (entry ids unique across the six profile
blocks, the profile is self-issued) are checked here too, so ``validate`` is the one place that
decides whether a document has the shape of its type.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Mapping

import jsonschema_rs

from ..errors import SchemaInvalid

# passport/_schemas links to the repository's schemas/ folder; a built wheel holds the files themselves.
SCHEMA_DIR = Path(__file__).parents[1] / "_schemas"
BASE_URI = "https://w3id.org/paspoort/schemas/"
MAX_ERRORS = 10
_MAX_MESSAGE = 240

# The fixed allowlist: Paspoort credential type -> schema name (file stem in schemas/).
SCHEMA_FOR_TYPE: dict[str, str] = {
    "PersoonlijkProfielCredential": "persoonlijk-profiel",
    "AantoonbaarBekwaamCredential": "aantoonbaar-bekwaam",
    "CertificaatCredential": "certificaat",
    "AssessmentResultaatCredential": "assessment-resultaat",
    "WerkervaringCredential": "werkervaring",
    "ProfielEndorsementCredential": "profiel-endorsement",
    "TrustRegistryCredential": "trust-registry",
    "BitstringStatusListCredential": "bitstring-status-list",
}
CREDENTIAL_TYPES = frozenset(SCHEMA_FOR_TYPE)
CREDENTIAL_SCHEMA = "verifiable-credential"
PRESENTATION_SCHEMA = "verifiable-presentation"
JOB_PROFILE_SCHEMA = "vakbekwaamheidsprofiel"  # a job requirements profile: plain JSON, validated by name
SCHEMA_NAMES = frozenset({*SCHEMA_FOR_TYPE.values(), CREDENTIAL_SCHEMA, PRESENTATION_SCHEMA, JOB_PROFILE_SCHEMA})
# What a value must be, per shared definition: replaces regex dumps in error messages.
_HINTS = {
    "did": "a DID (did:<method>:<identifier>, without fragment)",
    "urnUuid": "a urn:uuid: id with a lower-case UUID",
    "uri": "an absolute URI",
    "dateTime": "a date-time with a time zone, like 2026-11-23T09:00:00Z",
    "date": "a date like 2026-11-23",
    "entryId": "an entry id: a lower-case slug like 'rustig-bij-conflicten', at most 64 characters",
    "digestMultibase": "a sha2-256 digestMultibase ('u' + base64url of 0x1220 and 32 bytes)",
    "languageTag": "a language tag like 'nl' or 'en'",
    "text": "text: a non-empty string, a {\"@value\", \"@language\"} object or a list of those",
    "issuer": "a URI or an object with an id",
    "didIssuer": "a DID, or an object whose id is a DID",
    "credentialStatus": "a BitstringStatusListEntry (revocation or suspension) or a list of them",
}
_DEF_KEYWORD = re.compile(r"defs\.json#/\$defs/([A-Za-z]+)/(pattern|anyOf)$")
PROFILE_BLOCKS = ("talenten", "skills", "drijfveren", "wendbaarheid", "werkEnDenkniveau", "doelEnMotivatie")


def schema_id(name: str) -> str:
    """The ``$id`` of a schema, e.g. ``https://w3id.org/paspoort/schemas/certificaat.json``."""
    return f"{BASE_URI}{name}.json"


def schema_name_for(document: Any) -> str:
    """The name of the schema that applies to ``document``, chosen by its ``type``.

    Raises ``SchemaInvalid`` when the document is not an object, its ``type`` is not a list of
    strings, or it names more than one Paspoort type.
    """
    if not isinstance(document, dict):
        message = "a credential or presentation is a JSON object"
        raise SchemaInvalid(message, path="", errors=[{"path": "", "message": message}])
    types = document.get("type")
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list) or not all(isinstance(item, str) for item in types):
        return CREDENTIAL_SCHEMA  # the base schema reports the bad ``type`` with its path
    known = [item for item in types if item in CREDENTIAL_TYPES]
    if len(set(known)) > 1:
        raise SchemaInvalid(
            f"type: names more than one Paspoort type: {sorted(set(known))}",
            path="type",
            errors=[{"path": "type", "message": f"more than one Paspoort type: {sorted(set(known))}"}],
        )
    if known:
        return SCHEMA_FOR_TYPE[known[0]]
    if "VerifiablePresentation" in types:
        return PRESENTATION_SCHEMA
    return CREDENTIAL_SCHEMA


def validate(document: Any, *, schema: str | None = None) -> str:
    """Validate ``document`` against its schema (or the named one); return the schema name.

    Raises ``SchemaInvalid``: the message names the first offending path; ``details`` holds
    ``schema`` and ``errors`` (at most ``MAX_ERRORS`` items of ``{"path", "message"}``).
    """
    name = schema_name_for(document) if schema is None else schema
    validator = _validator(name)
    try:
        errors = [] if validator.is_valid(document) else describe_errors(document, name)
    except (ValueError, TypeError, OverflowError) as exc:  # not JSON data (a date, a non-string key...)
        raise SchemaInvalid(f"the document is not JSON data: {exc}", schema=name, path="",
                            errors=[{"path": "", "message": str(exc)}]) from None
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SchemaInvalid(f"{first['path'] or '(document)'}: {first['message']}{more}",
                            schema=name, path=first["path"], errors=errors)
    return passed(document, name)


def passed(document: Any, name: str) -> str:
    """``validate`` for a document already known to match the JSON Schema ``name`` (``vcdm_quick``):
    the rules beyond JSON Schema only. Returns the schema name."""
    if name == SCHEMA_FOR_TYPE["PersoonlijkProfielCredential"]:
        _check_profile_rules(document, name)
    return name


def is_valid(document: Any, *, schema: str | None = None) -> bool:
    """True when ``validate`` would pass."""
    try:
        validate(document, schema=schema)
    except SchemaInvalid:
        return False
    return True


def describe_errors(document: Any, name: str, *, limit: int = MAX_ERRORS) -> list[dict[str, str]]:
    """Up to ``limit`` errors as ``{"path": "credentialSubject.procedure.code", "message": ...}``.

    Deeper paths come first (they are the more specific ones); the order is stable.
    """
    found: list[dict[str, str]] = []
    for error in _validator(name).iter_errors(document):
        found.extend(_expand(error))
        if len(found) >= 50:
            break
    found.sort(key=lambda item: -_depth(item["path"]))
    unique: list[dict[str, str]] = []
    for item in found:
        if item not in unique:
            unique.append(item)
    return unique[:limit] or [{"path": "", "message": "the document does not match its schema"}]


def format_path(parts: Any) -> str:
    """``["evidence", 0, "digestMultibase"]`` -> ``evidence[0].digestMultibase``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_schema(name: str) -> dict[str, Any]:
    """A copy of one schema document, by name."""
    return json.loads(json.dumps(_schemas()[name]))


@functools.cache
def _schemas() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("$id") != schema_id(path.stem):
            raise RuntimeError(f"{path} has $id {document.get('$id')!r}, expected {schema_id(path.stem)!r}")
        found[path.stem] = document
    missing = (SCHEMA_NAMES | {"defs"}) - set(found)
    if missing:
        raise RuntimeError(f"schemas missing from {SCHEMA_DIR}: {sorted(missing)}")
    return found


def _refuse_fetch(uri: str) -> Any:
    raise ValueError(f"schema {uri} is not one of the local Paspoort schemas; nothing is fetched")


@functools.cache
def _registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(doc["$id"], doc) for doc in _schemas().values()], retriever=_refuse_fetch)


@functools.cache
def _validator(name: str) -> Any:
    if name not in SCHEMA_NAMES:
        raise ValueError(f"no schema named {name!r}; known: {sorted(SCHEMA_NAMES)}")
    return compile_with_registry(_schemas()[name])


def compile_with_registry(schema: dict[str, Any]) -> Any:
    """A compiled validator for ``schema``, which may refer to the Paspoort schemas by ``$id``."""
    return jsonschema_rs.validator_for(schema, registry=_registry(), retriever=_refuse_fetch, validate_formats=False)


def _check_profile_rules(document: Mapping[str, Any], name: str) -> None:
    """Profile rules beyond JSON Schema: self-issued, entry ids unique across all blocks."""
    subject = document["credentialSubject"]
    issuer = document["issuer"]
    issuer_did = issuer if isinstance(issuer, str) else issuer.get("id")
    if issuer_did != subject["id"]:
        _fail(name, "issuer", f"a profile is self-issued: issuer {issuer_did!r} is not the subject {subject['id']!r}")
    seen: dict[str, str] = {}
    for block in PROFILE_BLOCKS:
        for index, entry in enumerate(subject[block]):
            path = f"credentialSubject.{block}[{index}].id"
            if entry["id"] in seen:
                _fail(name, path, f"entry id {entry['id']!r} is already used at {seen[entry['id']]}")
            seen[entry["id"]] = path


def _fail(name: str, path: str, message: str) -> None:
    raise SchemaInvalid(f"{path}: {message}", schema=name, path=path, errors=[{"path": path, "message": message}])


def _expand(error: Any) -> list[dict[str, str]]:
    """One error as path/message items; an ``anyOf`` whose value fits one branch's JSON type
    (e.g. an object where a string or an object is allowed) reports that branch's errors."""
    if error.kind.name == "anyOf":
        here = list(error.instance_path)
        fitting = [branch for branch in error.kind.context
                   if not any(sub.kind.name == "type" and list(sub.instance_path) == here for sub in branch)]
        if len(fitting) == 1 and fitting[0]:
            return [item for sub in fitting[0] for item in _expand(sub)]
    return [{"path": format_path(error.instance_path), "message": _short(_message(error))}]


def _message(error: Any) -> str:
    """The validator's message, with regex dumps and anyOf lists replaced by what was expected."""
    location = error.absolute_keyword_location or ""
    match = _DEF_KEYWORD.search(location)
    if match and match.group(1) in _HINTS:
        return f"{_preview(error.instance)} is not {_HINTS[match.group(1)]}"
    if location.endswith("/properties/evidence/contains"):
        return "no evidence item carries a digestMultibase"
    return error.message


def _preview(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _depth(path: str) -> int:
    return path.count(".") + path.count("[") + (1 if path else 0)


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."
