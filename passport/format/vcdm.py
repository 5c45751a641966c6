"""Conformance to the W3C VC Data Model 2.0 of a credential submitted for issuance.

Steps (names match SPEC.md section 13):

- ``check_credential``: the members the data model constrains, in document order of the
  specification: ``@context`` (first ``https://www.w3.org/ns/credentials/v2``, then URLs or
  objects), ``id``, ``type`` (with ``VerifiableCredential``), ``name``/``description``,
  ``issuer``, ``credentialSubject``, ``validFrom``/``validUntil``, the typed members
  (``credentialStatus``, ``termsOfUse``, ``evidence``, ``refreshService``, ``credentialSchema``)
  and ``relatedResource``. A single object where the model allows one or more, and a string
  ``type``, are accepted;
- ``check_expansion``: the document expands under the strict JSON-LD rules
  (``passport.jsonld``): no undefined term or type, no protected term redefined, no context
  that is not shipped (or given to the loader). Run on the exact document about to be signed;
- ``check_related_digests`` (``vcdm_digests``): the digests of a ``relatedResource`` we hold.

Every problem is a ``PassportError`` whose ``details`` carry ``path`` (the member) and
``vcdmError`` (the VCDM processing error name); services turn that into the Problem Details
``type`` ``https://www.w3.org/TR/vc-data-model#<name>``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import JsonLdInvalid, PassportError, StructureInvalid, ValidityError
from ..jsonld import VC_V2, DocumentLoader, expand
from .vcdm_digests import check_related_digests
from .vcdm_values import (
    MALFORMED_VALUE_ERROR, PARSING_ERROR, RANGE_ERROR, VCDM_ERROR_CODES, VCDM_PROBLEM_BASE, as_list,
    check_date_time_stamp, check_language_values, check_optional_id, check_related_resources, check_types,
    check_typed_objects, check_url, is_object, malformed,
)

__all__ = ["MALFORMED_VALUE_ERROR", "PARSING_ERROR", "RANGE_ERROR", "VCDM_ERROR_CODES", "VCDM_PROBLEM_BASE",
           "TYPED_MEMBERS", "check_credential", "check_expansion", "check_related_digests", "problem_type"]

# Members whose every object MUST say its ``type`` (VCDM 2.0 sections 4.10-4.12, 5.4-5.6).
TYPED_MEMBERS = ("credentialStatus", "termsOfUse", "evidence", "refreshService", "credentialSchema")


def check_credential(credential: Any, *, issuer_required: bool = False, dates: bool = True) -> None:
    """Raise the first way ``credential`` does not conform to VCDM 2.0 (see the module steps).

    ``issuer_required``: False for a body submitted for issuance, where the issuer fills it in.
    ``dates``: False leaves ``validFrom``/``validUntil`` to the caller (a verifier's validity step,
    which refuses a malformed date and any ``validUntil`` before ``validFrom``: no time is in both).
    """
    if not is_object(credential):
        raise StructureInvalid("credential must be a JSON object", path="credential", vcdmError=PARSING_ERROR)
    _check_context(credential)
    if "id" in credential:
        check_url("id", credential["id"])
    if "type" not in credential:
        raise malformed("type", "is missing: a credential's type must include 'VerifiableCredential'")
    check_types("type", credential["type"], required="VerifiableCredential")
    for name in ("name", "description"):
        if name in credential:
            check_language_values(name, credential[name])
    _check_issuer(credential, issuer_required)
    _check_subjects(credential)
    if dates:
        _check_validity(credential)
    for name in TYPED_MEMBERS:
        if name in credential:
            check_typed_objects(name, credential[name], id_required=name == "credentialSchema")
    if "relatedResource" in credential:
        check_related_resources(credential["relatedResource"])


def check_expansion(document: Mapping[str, Any], loader: DocumentLoader | None = None) -> None:
    """The strict JSON-LD expansion of ``document`` succeeds; its error is typed as a VCDM error.

    The JSON-LD code (``JSONLD_PROTECTED_TERM``, ``JSONLD_TERM_UNDEFINED``...) stays the error's
    code; ``vcdmError`` is ``MALFORMED_VALUE_ERROR`` and ``path`` the member (``@context``
    when the context itself is at fault). ``loader``: a ``DocumentLoader`` with extra contexts."""
    try:
        expand(dict(document), loader)
    except PassportError as exc:
        exc.details.setdefault("path", "@context")
        exc.details.setdefault("vcdmError", MALFORMED_VALUE_ERROR)
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # PyLD itself tripped: fail closed
        raise JsonLdInvalid(f"not valid JSON-LD: the @context cannot be processed ({type(exc).__name__})",
                            path="@context", vcdmError=MALFORMED_VALUE_ERROR) from None


def problem_type(error: PassportError) -> str | None:
    """The VCDM Problem Details ``type`` URL of an error raised here, or None for other errors."""
    name = error.details.get("vcdmError") if isinstance(error.details, dict) else None
    return VCDM_PROBLEM_BASE + name if name in VCDM_ERROR_CODES else None


def _check_context(credential: Mapping[str, Any]) -> None:
    if "@context" not in credential:
        raise malformed("@context", f"is missing: it must be a list starting with {VC_V2}")
    context = credential["@context"]
    if not isinstance(context, list) or not context:
        raise malformed("@context", f"must be a list starting with {VC_V2}, got {context!r}")
    if context[0] != VC_V2:
        raise malformed("@context[0]", f"must be {VC_V2} (the base context comes first), got {context[0]!r}")
    for position, item in enumerate(context[1:], start=1):
        if isinstance(item, str):
            check_url(f"@context[{position}]", item)
            if item == VC_V2:
                raise malformed(f"@context[{position}]", f"must not repeat {VC_V2}: it comes once, first")
        elif not is_object(item):
            raise malformed(f"@context[{position}]", f"must be a context URL or a context object, got {item!r}")


def _check_issuer(credential: Mapping[str, Any], required: bool) -> None:
    if "issuer" not in credential:
        if required:
            raise malformed("issuer", "is missing: a credential names its issuer (a URL or an object with id)")
        return
    issuer = credential["issuer"]
    if is_object(issuer):
        if "id" not in issuer:
            raise malformed("issuer.id", "is missing: an issuer object must have the issuer's URL as id")
        check_url("issuer.id", issuer["id"])
        for name in ("name", "description"):
            if name in issuer:
                check_language_values(f"issuer.{name}", issuer[name])
    else:
        check_url("issuer", issuer)


def _check_subjects(credential: Mapping[str, Any]) -> None:
    if "credentialSubject" not in credential:
        raise malformed("credentialSubject", "is missing: a credential makes claims about one or more subjects")
    value = credential["credentialSubject"]
    subjects = as_list(value)
    if not subjects:
        raise malformed("credentialSubject", "must be one object or a non-empty list of objects")
    for position, subject in enumerate(subjects):
        path = "credentialSubject" if not isinstance(value, list) else f"credentialSubject[{position}]"
        if not is_object(subject):
            raise malformed(path, f"must be an object with claims about the subject, got {subject!r}")
        if not subject:
            raise malformed(path, "holds no claims: give the subject's id or at least one claim")
        check_optional_id(path, subject)


def _check_validity(credential: Mapping[str, Any]) -> None:
    start = check_date_time_stamp("validFrom", credential["validFrom"]) if "validFrom" in credential else None
    end = check_date_time_stamp("validUntil", credential["validUntil"]) if "validUntil" in credential else None
    if start is not None and end is not None and end < start:
        raise ValidityError(f"validUntil {credential['validUntil']} is before validFrom {credential['validFrom']}",
                            field="validUntil", path="validUntil", vcdmError=RANGE_ERROR)
