"""A report in plain words for the recruiter's page: who, what is verified by whom, what is not.

Each credential gets one ``outcome`` the page translates: ``verified``, ``self_asserted``,
``expired``, ``not_yet_valid``, ``revoked``, ``suspended``, ``untrusted``, ``out_of_scope``,
``status_unknown`` or ``invalid``. Self-asserted content is never reported as verified. Texts
stay as given (a plain string or ``{"nl": ..., "en": ...}``) so the page can switch language.
"""
from __future__ import annotations

from typing import Any, Mapping

from passport import Report
from passport.documents import BLOCK_KEYS, ENDORSEMENT_TYPE, PROFILE_TYPE, find_entry, paspoort_type

_BY_CODE = {
    "EXPIRED": "expired", "NOT_YET_VALID": "not_yet_valid", "REVOKED": "revoked", "SUSPENDED": "suspended",
    "STATUS_UNKNOWN": "status_unknown", "STATUS_LIST_INVALID": "status_unknown",
    "ISSUER_UNKNOWN": "untrusted", "ISSUER_OUT_OF_SCOPE": "out_of_scope",
}


def text(value: Any) -> Any:
    """``{"nl": ..., "en": ...}`` from a VC 2.0 language value (or list); plain strings stay."""
    if isinstance(value, str) or value is None:
        return value
    values = value if isinstance(value, list) else [value]
    found = {item.get("@language", "nl")[:2]: item.get("@value") for item in values
             if isinstance(item, Mapping) and isinstance(item.get("@value"), str)}
    if not found:
        return None
    return {"nl": found.get("nl") or next(iter(found.values())), "en": found.get("en") or next(iter(found.values()))}


def outcome(report: Report) -> str:
    failures = [r for r in report.checks if not r.ok]
    if not failures:
        return "self_asserted" if report.self_asserted else "verified"
    for result in failures:  # the most telling failure first: a bad signature beats a stale list
        if result.name in ("structure", "schema", "proof"):
            return "invalid"
    return _BY_CODE.get(failures[0].code or "", "invalid")


def _title(credential: Mapping[str, Any], profile: Mapping[str, Any] | None = None) -> Any:
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    if paspoort_type(credential) == ENDORSEMENT_TYPE and not credential.get("name"):
        pointer = subject.get("entry") if isinstance(subject.get("entry"), Mapping) else {}
        entry = find_entry(profile, pointer.get("id")) if profile and isinstance(pointer.get("id"), str) else None
        name = text(entry.get("name")) if entry else pointer.get("id")
        if isinstance(name, dict):
            return {"nl": f"Aanbeveling: {name['nl']}", "en": f"Endorsement: {name['en']}"}
        return {"nl": f"Aanbeveling: {name}", "en": f"Endorsement: {name}"}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), Mapping) else {}
    return text(credential.get("name")) or text(achievement.get("name")) or paspoort_type(credential)


def _issuer_name(credential: Mapping[str, Any], report: Report) -> Any:
    if report.trust is not None and report.trust.issuer_name:
        return report.trust.issuer_name
    issuer = credential.get("issuer")
    return text(issuer.get("name")) if isinstance(issuer, Mapping) and issuer.get("name") else report.issuer


def credential_line(credential: Mapping[str, Any], report: Report,
                    profile: Mapping[str, Any] | None = None) -> dict[str, Any]:
    failures = [r for r in report.checks if not r.ok]
    return {
        "id": report.document_id, "type": paspoort_type(credential) if isinstance(credential, Mapping) else None,
        "title": _title(credential, profile) if isinstance(credential, Mapping) else None,
        "issuer": _issuer_name(credential, report) if isinstance(credential, Mapping) else report.issuer,
        "issuerDid": report.issuer, "outcome": outcome(report),
        "role": report.trust.role if report.trust is not None else None,
        "validUntil": credential.get("validUntil") if isinstance(credential, Mapping) else None,
        "problems": [{"check": r.name, "code": r.code, "message": r.message} for r in failures],
    }


def _profile(credential: Mapping[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject") or {}
    blocks = {key: [{"id": e.get("id"), "name": text(e.get("name"))} for e in subject.get(key, []) or []
                    if isinstance(e, Mapping)] for key in BLOCK_KEYS}
    return {"name": subject.get("name"), "did": subject.get("id"), "blocks": blocks}


def summarize(document: Any, report: Report) -> dict[str, Any]:
    """The page's view of a checked credential or presentation."""
    if report.kind == "presentation":
        inner = document.get("verifiableCredential", [])
        credentials = inner if isinstance(inner, list) else [inner]
        reports = report.credentials
        own = [r for r in report.checks if not r.ok]
    else:
        credentials, reports, own = [document], [report], []
    lines, person = [], None
    profile = next((c for c in credentials if isinstance(c, Mapping) and paspoort_type(c) == PROFILE_TYPE), None)
    for credential, inner_report in zip(credentials, reports):
        lines.append(credential_line(credential, inner_report, profile))
        if isinstance(credential, Mapping) and paspoort_type(credential) == PROFILE_TYPE and person is None:
            person = {**_profile(credential), "selfAsserted": True, "signatureOk": inner_report.verified}
    return {
        "kind": report.kind, "verified": report.verified,
        "holder": report.issuer if report.kind == "presentation" else None,
        "person": person,
        "presentationProblems": [{"check": r.name, "code": r.code, "message": r.message} for r in own],
        "credentials": lines,
    }
