"""Verification: ``check`` reports every step in a fixed order, ``verify`` raises the first failure.

Credential steps (SPEC.md, "Verifying a credential"): structure, schema, proof, validity,
status, trust. Presentation steps: structure, schema, proof (by the holder, purpose
``authentication``), challenge, domain, freshness, subjects, then each credential's own
report and the profile-entry endorsements. Time is always a parameter.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from . import schemas
from .did import Resolver
from .documents import PROFILE_TYPE, issuer_id, paspoort_type, scope_values_of
from .errors import (
    Expired, HolderMismatch, IssuerOutOfScope, IssuerUnknown, KeyNotAuthorized, NotYetValid, PassportError, ProofNotCurrent,
    StatusListInvalid, StatusUnknown, StructureInvalid, ValidityError,
)
from .proof import signer_of, verify_proof
from .report import CheckResult, Report
from .status_check import StatusSource
from .timeutil import as_datetime, parse_datetime
from .presentation_checks import check_presentation_binding, presentation_credentials

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CLOCK_SKEW = timedelta(minutes=5)

CREDENTIAL_STEPS = ("structure", "schema", "proof", "validity", "status", "trust")


def check(
    document: Any,
    *,
    now: datetime | str | None = None,
    trust: Any = None,
    status: Any = None,
    challenge: str | None = None,
    domain: str | None = None,
    max_age: timedelta | None = None,
    resolver: Resolver | None = None,
) -> Report:
    """Check a credential or presentation; every check in order, in a ``Report``."""
    moment = as_datetime(now)
    source = StatusSource.of(status, resolver=resolver)
    if isinstance(document, dict) and "VerifiablePresentation" in _types(document):
        return _check_presentation(document, moment, trust, source, challenge, domain, max_age, resolver)
    return check_credential(document, now=moment, trust=trust, status=source, resolver=resolver)


def verify(document: Any, **options: Any) -> Any:
    """Return the document when every check passes; otherwise raise the first failure."""
    report = check(document, **options)
    error = report.first_error()
    if error is not None:
        raise error
    return document


def check_credential(
    credential: Any,
    *,
    now: datetime,
    trust: Any = None,
    status: StatusSource | None = None,
    resolver: Resolver | None = None,
) -> Report:
    report = Report(kind="credential")
    try:
        report.types = _structure(credential, "VerifiableCredential")
        report.document_id = credential.get("id")
        report.issuer = issuer_id(credential)
        kind = paspoort_type(credential)  # StructureInvalid for two Paspoort types or a non-string type
    except PassportError as exc:
        report.add(CheckResult.failed("structure", exc))
        for step in CREDENTIAL_STEPS[1:]:
            report.add(CheckResult.skipped(step, "not checked: the document's structure is invalid"))
        return report
    report.add(CheckResult.passed("structure", "a W3C VC 2.0 credential"))
    report.self_asserted = kind == PROFILE_TYPE
    report.add(_run("schema", lambda: f"valid against schema {schemas.validate(credential)}"))
    report.add(_run("proof", lambda: _proof(credential, "assertionMethod", report.issuer, now, resolver)))
    report.add(_run("validity", lambda: _validity(credential, now)))
    report.add(_status(credential, status or StatusSource(), now))
    report.add(_trust(credential, kind, trust, now, report))
    return report


def _check_presentation(vp, now, trust, source, challenge, domain, max_age, resolver) -> Report:
    report = Report(kind="presentation")
    try:
        report.types = _structure(vp, "VerifiablePresentation")
        credentials = presentation_credentials(vp)
        report.document_id = vp.get("id")
        report.issuer = vp.get("holder")
    except PassportError as exc:
        report.add(CheckResult.failed("structure", exc))
        return report
    report.add(CheckResult.passed("structure", f"a W3C VC 2.0 presentation of {len(credentials)} credential(s)"))
    report.add(_run("schema", lambda: f"valid against schema {schemas.validate(vp)}"))
    holder = vp.get("holder")
    proof_result = report.add(_run("proof", lambda: _proof(vp, "authentication", holder, now, resolver)))
    reports = [
        check_credential(credential, now=now, trust=trust, status=source, resolver=resolver)
        for credential in credentials
    ]
    report.credentials = reports
    for result in check_presentation_binding(
        vp, credentials, proof_ok=proof_result.ok, challenge=challenge, domain=domain, now=now, max_age=max_age
    ):
        report.add(result)
    return report


def _run(name: str, step) -> CheckResult:
    try:
        return CheckResult.passed(name, step())
    except PassportError as exc:
        return CheckResult.failed(name, exc)


def _types(document: Mapping[str, Any]) -> list[str]:
    kinds = document.get("type")
    return [kinds] if isinstance(kinds, str) else [k for k in kinds if isinstance(k, str)] if isinstance(kinds, list) else []


def _structure(document: Any, base_type: str) -> list[str]:
    """Raise ``StructureInvalid`` unless it is a VC 2.0 document of ``base_type``; its types."""
    if not isinstance(document, dict):
        raise StructureInvalid(f"a {base_type} is a JSON object, not {type(document).__name__}")
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        raise StructureInvalid(f"@context must be a list starting with {VC_CONTEXT}")
    types = _types(document)
    if base_type not in types:
        raise StructureInvalid(f"type must include {base_type}")
    if base_type == "VerifiableCredential":
        issuer_id(document)  # raises StructureInvalid when there is no issuer id
        if not isinstance(document.get("credentialSubject"), (dict, list)):
            raise StructureInvalid("credentialSubject is missing")
    return types


def _proof(document, purpose: str, controller: str | None, now: datetime, resolver) -> str:
    proof = verify_proof(document, expected_purpose=purpose, resolver=resolver)
    signer = signer_of(proof)
    if signer != controller:
        who = "holder" if purpose == "authentication" else "issuer"
        error = HolderMismatch if purpose == "authentication" else KeyNotAuthorized
        raise error(f"signed by {signer}, which is not the {who} {controller}", signer=signer, expected=controller)
    created = parse_datetime(proof["created"])
    if created > now + CLOCK_SKEW:
        raise ProofNotCurrent(f"the proof was created at {proof['created']}, after the verification time")
    if "expires" in proof and parse_datetime(proof["expires"]) <= now:
        raise ProofNotCurrent(f"the proof expired at {proof['expires']}", expires=proof["expires"])
    return f"eddsa-jcs-2022 signature by {signer}"


def _validity(credential: Mapping[str, Any], now: datetime) -> str:
    window = []
    for name in ("validFrom", "validUntil"):
        if name in credential:
            try:
                window.append(parse_datetime(credential[name]))
            except ValueError as exc:
                raise ValidityError(f"{name}: {exc}", field=name) from exc
        else:
            window.append(None)
    valid_from, valid_until = window
    if valid_from is not None and valid_from > now:
        raise NotYetValid(f"valid from {credential['validFrom']}, not yet", validFrom=credential["validFrom"])
    if valid_until is not None and valid_until <= now:
        raise Expired(f"expired at {credential['validUntil']}", validUntil=credential["validUntil"])
    if valid_until is not None:
        return f"valid until {credential['validUntil']}"
    return "valid, with no end date"


def _status(credential: Mapping[str, Any], source: StatusSource, now: datetime) -> CheckResult:
    if "credentialStatus" not in credential:
        return CheckResult.skipped("status", "the credential has no status entry")
    try:
        return CheckResult.passed("status", source.check(credential, now=now))
    except (StatusUnknown, StatusListInvalid) as exc:
        return CheckResult.failed("status", exc, unknown=True)
    except PassportError as exc:
        return CheckResult.failed("status", exc)


def _trust(credential: Mapping[str, Any], kind: str | None, trust: Any, now: datetime, report: Report) -> CheckResult:
    if kind == PROFILE_TYPE:
        return CheckResult.skipped("trust", "self-asserted by the worker: shown as a claim, not as verified")
    if trust is None:
        return CheckResult.skipped("trust", "no trust registry given: the issuer's standing is not checked")
    try:
        values = scope_values_of(kind, credential)
    except PassportError as exc:  # e.g. no procedure code: reported, never raised from check()
        return CheckResult.failed("trust", exc)
    decision = trust.decide(issuer=report.issuer, credential_type=kind, scope_values=values, now=now)
    report.trust = decision
    if decision.outcome == "trusted":
        return CheckResult.passed("trust", decision.reason)
    if decision.outcome == "out_of_scope":
        return CheckResult.failed("trust", IssuerOutOfScope(decision.reason, issuer=report.issuer))
    return CheckResult.failed("trust", IssuerUnknown(decision.reason, issuer=report.issuer))
