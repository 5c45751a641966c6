"""Holder binding for presentations: challenge, domain, freshness, subjects, endorsed entries.

These checks run after the presentation's own proof. The proof's ``challenge`` and ``domain``
must equal what the verifier expects (a challenge it handed out, or the caller's); every
credential must be about the holder who signed the presentation (``subjects``, a Paspoort rule:
under the ``vcdm`` policy it applies to Paspoort credentials only); an endorsement of a profile
entry must still match that entry when the profile is shared alongside it. With a proof set,
the binding is read from the holder's proof.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from ..format.documents import ENDORSEMENT_TYPE, PROFILE_TYPE, entry_digest, find_entry, paspoort_type
from ..errors import (
    ChallengeMismatch,
    DomainMismatch,
    EntryDigestMismatch,
    ProofNotCurrent,
    StructureInvalid,
    SubjectNotHolder,
)
from .policy import PASPOORT, is_paspoort
from .report import CheckResult
from .structure import holder_of
from ..encoding.timeutil import parse_datetime


def presentation_credentials(vp: Mapping[str, Any], *, holder_required: bool = True) -> list[dict[str, Any]]:
    """The embedded credentials of a presentation, as a list of objects.

    ``holder_required``: the Paspoort policy binds every presentation to its holder's DID.
    """
    credentials = vp.get("verifiableCredential", [])
    if isinstance(credentials, dict):
        credentials = [credentials]
    if not isinstance(credentials, list) or not all(isinstance(c, dict) for c in credentials):
        raise StructureInvalid("verifiableCredential must be a credential object or a list of them")
    for credential in credentials:
        if "EnvelopedVerifiableCredential" in (credential.get("type") or []):
            raise StructureInvalid("enveloped credentials are not supported; embed the credential itself")
    holder = holder_of(vp)
    if holder_required and (holder is None or not holder.startswith("did:")):
        raise StructureInvalid("a presentation's holder must be the holder's DID", path="holder")
    return credentials


def check_presentation_binding(
    vp: Mapping[str, Any],
    credentials: list[dict[str, Any]],
    *,
    proof_ok: bool,
    challenge: str | None,
    domain: str | None,
    now: datetime,
    max_age: timedelta | None,
    policy: str = PASPOORT,
) -> list[CheckResult]:
    holder = holder_of(vp)
    proof = _binding_proof(vp.get("proof"), holder)
    return [
        _challenge(proof, challenge),
        _domain(proof, domain),
        _freshness(proof, proof_ok, now, max_age),
        _subjects(credentials, holder, policy),
        _entries(credentials),
    ]


def _binding_proof(proof: Any, holder: str | None) -> Mapping[str, Any]:
    """The proof that carries challenge and domain: the only one, or the holder's in a proof set."""
    if isinstance(proof, dict):
        return proof
    proofs = [item for item in proof if isinstance(item, dict)] if isinstance(proof, list) else []
    for item in proofs:
        method = item.get("verificationMethod")
        if holder is not None and isinstance(method, str) and method.split("#")[0] == holder:
            return item
    return proofs[0] if proofs else {}


def _challenge(proof: Mapping[str, Any], expected: str | None) -> CheckResult:
    if expected is None:
        return CheckResult.skipped("challenge", "no challenge expected: replay protection is not checked")
    if proof.get("challenge") != expected:
        return CheckResult.failed("challenge", ChallengeMismatch(
            "the presentation answers another challenge" if "challenge" in proof else "the presentation has no challenge",
            expected=expected, actual=proof.get("challenge")))
    return CheckResult.passed("challenge", "answers the expected challenge")


def _domain(proof: Mapping[str, Any], expected: str | None) -> CheckResult:
    if expected is None:
        return CheckResult.skipped("domain", "no domain expected")
    actual = proof.get("domain")
    domains = actual if isinstance(actual, list) else [actual]
    if expected not in domains:
        return CheckResult.failed("domain", DomainMismatch(
            f"the presentation is meant for {actual!r}, not {expected!r}", expected=expected, actual=actual))
    return CheckResult.passed("domain", f"meant for {expected}")


def _freshness(proof: Mapping[str, Any], proof_ok: bool, now: datetime, max_age: timedelta | None) -> CheckResult:
    if max_age is None:
        return CheckResult.skipped("freshness", "no maximum age set")
    if not proof_ok:
        return CheckResult.skipped("freshness", "not checked: the presentation proof is invalid")
    if not isinstance(proof.get("created"), str):
        return CheckResult.failed("freshness", ProofNotCurrent(
            "the presentation's proof has no created time, so its age cannot be told"))
    created = parse_datetime(proof["created"])
    if now - created > max_age:
        return CheckResult.failed("freshness", ProofNotCurrent(
            f"the presentation was made at {proof['created']}, more than {int(max_age.total_seconds())} s ago",
            created=proof["created"]))
    return CheckResult.passed("freshness", f"made at {proof['created']}")


def _subjects(credentials: list[dict[str, Any]], holder: str | None, policy: str) -> CheckResult:
    """Paspoort rule: every credential is about the holder (``vcdm`` policy: every Paspoort credential)."""
    if not credentials:
        return CheckResult.skipped("subjects", "the presentation holds no credentials")
    others = 0 if policy == PASPOORT else sum(1 for credential in credentials if not is_paspoort(credential))
    if others == len(credentials):
        return CheckResult.skipped("subjects", "no Paspoort credentials: the rule that every credential is about "
                                               "the holder is a Paspoort policy and does not apply")
    for index, credential in enumerate(credentials):
        if others and not is_paspoort(credential):
            continue
        subjects = credential.get("credentialSubject")
        subjects = subjects if isinstance(subjects, list) else [subjects]
        for subject in subjects:
            subject_id = subject.get("id") if isinstance(subject, dict) else None
            if subject_id != holder:
                return CheckResult.failed("subjects", SubjectNotHolder(
                    f"credential {index + 1} ({credential.get('id')}) is about {subject_id}, not the holder {holder}",
                    credential=credential.get("id"), subject=subject_id, holder=holder))
    checked = len(credentials) - others
    rest = f"; {others} other credential(s) not checked (a Paspoort policy)" if others else ""
    return CheckResult.passed("subjects", f"all {checked} Paspoort credential(s) are about the holder{rest}"
                              if others else f"all {checked} credential(s) are about the holder")


def entries_check(credentials: list[dict[str, Any]]) -> CheckResult:
    """The ``entries`` check over any credentials shown together (OpenID4VP sends one per presentation)."""
    return _entries(credentials)


def _entries(credentials: list[dict[str, Any]]) -> CheckResult:
    endorsements = [c for c in credentials if _names(c, ENDORSEMENT_TYPE) and _kind(c) == ENDORSEMENT_TYPE]
    if not endorsements:
        return CheckResult.skipped("entries", "no endorsements of profile entries")
    profiles = [c for c in credentials if _names(c, PROFILE_TYPE) and _kind(c) == PROFILE_TYPE]
    if not profiles:
        return CheckResult.skipped("entries", "the profile is not shared, so endorsed entries cannot be compared")
    matched = 0
    for endorsement in endorsements:
        subject = endorsement.get("credentialSubject")
        pointer = subject.get("entry") if isinstance(subject, dict) else None
        if not isinstance(pointer, dict):
            continue  # not an entry endorsement's shape: its own schema check fails
        entry = find_entry(profiles[0], pointer.get("id"))
        if entry is None:
            continue  # that entry was not shared
        if entry_digest(entry) != pointer.get("digestMultibase"):
            return CheckResult.failed("entries", EntryDigestMismatch(
                f"profile entry {pointer.get('id')!r} changed after {endorsement.get('id')} endorsed it",
                entry=pointer.get("id"), credential=endorsement.get("id")))
        matched += 1
    return CheckResult.passed("entries", f"{matched} endorsed profile entr{'y' if matched == 1 else 'ies'} unchanged")


def _names(credential: Mapping[str, Any], kind: str) -> bool:
    """Whether ``type`` mentions ``kind`` at all: a cheap test before ``_kind``'s full one."""
    types = credential.get("type")
    return types == kind or (isinstance(types, list) and kind in types)


def _kind(credential: Mapping[str, Any]) -> str | None:
    """The Paspoort type, or None when ``type`` is unusable (its own structure check reports that)."""
    try:
        return paspoort_type(credential)
    except StructureInvalid:
        return None
