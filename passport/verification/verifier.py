"""Verification: ``check`` reports every step in a fixed order, ``verify`` raises the first failure.

Credentials and presentations of the W3C data model 2.0 and 1.1 are read (``structure``); a
document may carry a proof set or chain, and every proof must verify. ``policy`` (``policy``
module) says whether the Paspoort rules (trusted issuer, subject is the holder) apply to every
credential or to Paspoort credentials only.

Credential steps (SPEC.md, "Verifying a credential"): structure, schema, proof, validity,
status, trust. The trust decision is made before the status step (the report keeps this order):
a status list is asked for only when the proof verified and, with a registry, only for a trusted
issuer and at a location the registry lists for it; nothing else reaches the status source.
Presentation steps: structure, schema, proof (by the holder, purpose
``authentication``), challenge, domain, freshness, subjects, then each credential's own
report and the profile-entry endorsements. Time is always a parameter.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Mapping, NamedTuple

from ..format import schemas, vcdm
from ..format.vcdm_quick import quick_check
from .check_inputs import status_of, trust_of
from ..crypto.did import Resolver
from ..format.documents import PROFILE_TYPE, issuer_id, paspoort_type, scope_values_of
from . import structure as shape
from .policy import PASPOORT, VCDM, is_paspoort_kind, policy_of
from ..encoding.jcs import canonical_chunks_with_member, canonicalize_split
from ..errors import (
    HolderMismatch,
    IssuerOutOfScope,
    IssuerUnknown,
    KeyNotAuthorized,
    PassportError,
    ProofNotCurrent,
    StatusListInvalid,
    StatusUnknown,
)
from ..proofs.proof import signer_of, verify_proofs
from .report import PASSED, CheckResult, Report
from .status_check import StatusSource
from ..encoding.timeutil import as_datetime
from .presentation_checks import check_presentation_binding, presentation_credentials

VC_CONTEXT = shape.VC_CONTEXT
CLOCK_SKEW = timedelta(minutes=5)

CREDENTIAL_STEPS = ("structure", "schema", "proof", "validity", "status", "trust")
_NO_REGISTRY = object()  # no trust registry given: status lists are taken from the source as supplied
_STRUCTURE_PASSED = {version: CheckResult("structure", PASSED, f"a W3C VC {version} credential")
                     for version in ("2.0", "1.1")}


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
    trust_signers: Any = None,
    policy: str = PASPOORT,
    document_loader: Any = None,
) -> Report:
    """Check a credential or presentation; every check in order, in a ``Report``.

    ``trust``: a ``TrustStore``/``TrustRegistry``, or a signed registry credential with
    ``trust_signers`` (the operators' DIDs); ``status``: a ``StatusSource``, a dict of URL ->
    status list credential, a list of status list credentials, or a loader (``check_inputs``).
    ``policy``: ``"paspoort"`` (the default: the Paspoort rules apply to every credential) or
    ``"vcdm"`` (only to Paspoort credentials; ``policy`` module). ``document_loader``: a
    ``passport.jsonld.DocumentLoader`` with extra contexts for ``eddsa-rdfc-2022`` proofs.
    """
    policy = policy_of(policy)
    moment = as_datetime(now)
    trust = trust_of(trust, trust_signers=trust_signers, now=moment, resolver=resolver)
    source = status_of(status, resolver=resolver)
    options = _Options(policy, document_loader)
    if isinstance(document, dict) and "VerifiablePresentation" in shape.types_of(document):
        return _check_presentation(document, moment, trust, source, challenge, domain, max_age, resolver, options)
    return _check_credential(document, moment, trust, source, resolver, None, options)


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
    policy: str = PASPOORT,
    document_loader: Any = None,
) -> Report:
    """Check one credential: every step of ``CREDENTIAL_STEPS`` in order."""
    trust = trust_of(trust, trust_signers=None, now=now, resolver=resolver)
    return _check_credential(credential, now, trust, status_of(status, resolver=resolver), resolver, None,
                             _Options(policy_of(policy), document_loader))


class _Options(NamedTuple):
    policy: str
    loader: Any


def _check_credential(credential, now, trust, status, resolver, body_hash: bytes | None, options: _Options) -> Report:
    """``check_credential``; ``body_hash`` is the SHA-256 of the credential's canonical bytes without
    its proof when the presentation check made them already (never from outside this module)."""
    report = Report(kind="credential")
    add = report.checks.append
    try:
        report.types, version = shape.structure(credential, "VerifiableCredential")
        # A Paspoort credential that passes VCDM 2.0 and its schema in one compiled pass skips both
        # detailed checks (``vcdm_quick``); any other runs them and they name the first problem.
        quick = quick_check(credential) if version == "2.0" else None
        if version == "2.0":  # the data model's own rules (VCDM 2.0), on every 2.0 credential
            if quick is None:
                vcdm.check_credential(credential, issuer_required=True, dates=False)  # dates: the validity step
            vcdm.check_related_digests(credential, options.loader)
        report.document_id = credential.get("id")
        report.issuer = issuer_id(credential)
        kind = paspoort_type(credential)  # StructureInvalid for two Paspoort types or a non-string type
    except PassportError as exc:
        add(CheckResult.failed("structure", exc))
        for step in CREDENTIAL_STEPS[1:]:
            add(CheckResult.skipped(step, "not checked: the document's structure is invalid"))
        return report
    add(_STRUCTURE_PASSED[version])
    report.self_asserted = kind == PROFILE_TYPE
    if version == "1.1":  # the schemas describe VC 2.0; structure checked the VC 1.1 shape
        add(CheckResult.skipped("schema", "a VC 1.1 credential: no JSON Schema applies (structure checked)"))
    else:
        add(_run("schema", _schema, credential, kind, quick))
    proof = _run("proof", _proof, credential, "assertionMethod", report.issuer, now, resolver, body_hash,
                 options.loader)
    add(proof)
    add(_run("validity", shape.validity, credential, now, version))
    trusted = _trust(credential, kind, trust, now, report, options.policy)  # decided first: it says which lists may be asked for
    add(_status(credential, status, now, proof.ok, _NO_REGISTRY if trust is None else report.trust))
    add(trusted)
    return report


def _check_presentation(vp, now, trust, source, challenge, domain, max_age, resolver, options: _Options) -> Report:
    report = Report(kind="presentation")
    try:
        report.types, version = shape.structure(vp, "VerifiablePresentation")
        credentials = presentation_credentials(vp, holder_required=options.policy == PASPOORT)
        report.document_id = vp.get("id")
        report.issuer = shape.holder_of(vp)
    except PassportError as exc:
        report.add(CheckResult.failed("structure", exc))
        return report
    report.add(CheckResult.passed("structure", f"a W3C VC {version} presentation of {len(credentials)} "
                                               "credential(s)"))
    if version == "1.1":
        report.add(CheckResult.skipped("schema", "a VC 1.1 presentation: no JSON Schema applies (structure checked)"))
    else:
        report.add(_run("schema", _schema, vp, None))
    # Each credential is canonicalised once and checked at once, while its objects are still in
    # the cache; the presentation's proof is then checked over those same bytes. The report keeps
    # the order of SPEC.md: the presentation's checks first, then each credential's.
    wholes: list[bytes | None] = []
    report.credentials = [
        _check_credential(credential, now, trust, source, resolver, _split(credential, wholes), options)
        for credential in credentials
    ]
    vp_hash = _presentation_hash(vp, wholes)
    proof_result = _run("proof", _proof, vp, "authentication", report.issuer, now, resolver, vp_hash, options.loader)
    report.checks.insert(2, proof_result)
    for result in check_presentation_binding(
        vp, credentials, proof_ok=proof_result.ok, challenge=challenge, domain=domain, now=now, max_age=max_age,
        policy=options.policy,
    ):
        report.add(result)
    return report


def _split(credential: dict[str, Any], wholes: list[bytes | None]) -> bytes | None:
    """SHA-256 of the credential's canonical bytes without its proof; its whole canonical bytes
    (which the presentation's proof covers) go to ``wholes``. One pass serves both
    (``jcs.canonicalize_split``). Without a proof, or for bytes that cannot be canonicalised,
    None: the proofs then canonicalise for themselves and report what is wrong."""
    try:
        whole, body = canonicalize_split(credential, "proof") if "proof" in credential else (None, None)
    except PassportError:
        whole = body = None
    wholes.append(whole)
    return None if body is None else hashlib.sha256(body).digest()


def _presentation_hash(vp: dict[str, Any], wholes: list[bytes | None]) -> bytes | None:
    """SHA-256 of the presentation's canonical bytes without its proof, from its credentials'
    bytes: its other members around them, hashed in pieces, never copied together
    (``jcs.canonical_chunks_with_member``). None when a credential has no bytes of its own."""
    embedded = vp.get("verifiableCredential")
    if embedded is None or None in wholes:
        return None
    if isinstance(embedded, dict):
        chunks = [wholes[0]]
    else:
        chunks = [b"["]
        for whole in wholes:
            chunks += (whole, b",")
        chunks[-1:] = [b"]"] if wholes else [b"[", b"]"]
    rest = {key: item for key, item in vp.items() if key not in ("proof", "verifiableCredential")}
    digest = hashlib.sha256()
    try:
        for chunk in canonical_chunks_with_member(rest, "verifiableCredential", embedded, chunks):
            digest.update(chunk)
    except PassportError:
        return None
    return digest.digest()


def _run(name: str, step, *args) -> CheckResult:
    """``step(*args)`` returns the passed message or raises the check's ``PassportError``."""
    try:
        return CheckResult(name, PASSED, step(*args))
    except PassportError as exc:
        return CheckResult.failed(name, exc)


def _schema(document: Any, kind: str | None, quick: str | None = None) -> str:
    """Validate against the schema of the Paspoort type ``kind`` (None: chosen by ``type``);
    ``quick``: the schema the document already passed (``vcdm_quick``), whose rules beyond JSON
    Schema still run."""
    if quick is not None:
        return f"valid against schema {schemas.passed(document, quick)}"
    name = schemas.validate(document, schema=schemas.SCHEMA_FOR_TYPE[kind] if kind else None)
    return f"valid against schema {name}"


def _proof(document, purpose: str, controller: str | None, now: datetime, resolver,
           body_hash: bytes | None = None, loader: Any = None) -> str:
    """Every proof must verify (a proof set or chain too); one of them must be the controller's."""
    proofs = verify_proofs(document, expected_purpose=purpose, resolver=resolver, body_hash=body_hash,
                           document_loader=loader)
    signers = [signer_of(item.proof) for item in proofs]
    if controller is not None and controller not in signers:
        who = "holder" if purpose == "authentication" else "issuer"
        error = HolderMismatch if purpose == "authentication" else KeyNotAuthorized
        signer = signers[0] if len(signers) == 1 else signers
        raise error(f"signed by {', '.join(signers)}, which is not the {who} {controller}", signer=signer,
                    expected=controller)
    for proof, created, expires in proofs:
        if created is not None and created > now + CLOCK_SKEW:  # created is optional in Data Integrity
            raise ProofNotCurrent(f"the proof was created at {proof['created']}, after the verification time")
        if expires is not None and expires <= now:
            raise ProofNotCurrent(f"the proof expired at {proof['expires']}", expires=proof["expires"])
    suites = ", ".join(dict.fromkeys(item.proof["cryptosuite"] for item in proofs))
    by = " and ".join(dict.fromkeys(signers))
    text = f"{suites} signature by {by}" if len(proofs) == 1 else f"{len(proofs)} proofs ({suites}) by {by}"
    return text if controller is not None else f"{text} (the presentation names no holder)"


def _status(credential: Mapping[str, Any], source: StatusSource, now: datetime, proof_ok: bool,
            decision: Any) -> CheckResult:
    """The status step. ``decision`` is the registry's trust decision (None when the registry was
    not asked, e.g. for the self-asserted profile), or ``_NO_REGISTRY`` without a registry."""
    if "credentialStatus" not in credential:
        return CheckResult.skipped("status", "the credential has no status entry")
    if not proof_ok:
        return CheckResult.skipped("status", "not checked: the proof did not verify, so no status list is "
                                             "fetched for this credential")
    allowed = None
    if decision is not _NO_REGISTRY:
        if decision is None:  # e.g. the self-asserted profile: no registry entry says where its lists live
            return CheckResult.failed("status", StatusUnknown(
                "not checked: no trust registry entry says where this issuer's status lists live"), unknown=True)
        if getattr(decision, "outcome", None) != "trusted":  # the trust check fails the credential
            return CheckResult.skipped("status", "not checked: the issuer is not trusted for this credential "
                                                 "(see trust), so none of its status lists is fetched")
        allowed = getattr(decision, "allows_status_list", None)
        if not callable(allowed):  # a custom trust object that does not say where lists live: closed
            allowed = _nowhere
    try:
        return CheckResult.passed("status", source.check(credential, now=now, allowed=allowed))
    except (StatusUnknown, StatusListInvalid) as exc:
        return CheckResult.failed("status", exc, unknown=True)
    except PassportError as exc:
        return CheckResult.failed("status", exc)


def _nowhere(url: str) -> bool:
    return False


def _trust(credential: Mapping[str, Any], kind: str | None, trust: Any, now: datetime, report: Report,
           policy: str) -> CheckResult:
    if kind == PROFILE_TYPE:
        return CheckResult.skipped("trust", "self-asserted by the worker: shown as a claim, not as verified")
    if trust is None:
        return CheckResult.skipped("trust", "no trust registry given: the issuer's standing is not checked")
    if policy == VCDM and not is_paspoort_kind(kind):  # the registry speaks only for Paspoort issuers
        decision = trust.decide(issuer=report.issuer, credential_type=kind, scope_values=[], now=now)
        if decision.outcome == "trusted":
            report.trust = decision
            return CheckResult.passed("trust", decision.reason)
        return CheckResult.skipped("trust", f"not a Paspoort credential, and the trust registry does not vouch for "
                                            f"its issuer ({decision.reason})")
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
