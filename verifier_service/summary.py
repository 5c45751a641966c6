"""A report in plain words for the recruiter's page: who, what is verified by whom, what is not.

Each credential gets one ``outcome`` (``passport.verification.report.outcome``) and the ``category`` it is
counted in; the page shows both with the words of ``passport.terms``. Self-asserted content is
never reported as verified, and a status that could not be checked is never counted as failed:
the whole summary's ``verdict`` is then ``unsettled``. Texts stay as given (a plain string or
``{"nl": ..., "en": ...}``) so the page can switch language.

Several documents read at once (the QR codes of a printed passport page) are shown per subject:
``group`` puts loose credentials about one person together, and ``person`` gives that person's
self-asserted profile from the profile credentials they signed (a long profile is printed in parts).
"""
from __future__ import annotations

from typing import Any, Mapping

from passport import Report
from passport.format.documents import BLOCK_KEYS, ENDORSEMENT_TYPE, PROFILE_TYPE, find_entry, issuer_id, paspoort_type
from passport.errors import PassportError
from passport.roles.matching import subject_ids
from passport.verification.report import FAILED, category, outcome, tally


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


def _kind(document: Any) -> str | None:
    """The Paspoort type, or None (also for a document that names two: its report says why)."""
    try:
        return paspoort_type(document) if isinstance(document, Mapping) else None
    except PassportError:
        return None


def _title(credential: Mapping[str, Any], profiles: list[Mapping[str, Any]]) -> Any:
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    if _kind(credential) == ENDORSEMENT_TYPE and not credential.get("name"):
        pointer = subject.get("entry") if isinstance(subject.get("entry"), Mapping) else {}
        found = (find_entry(p, pointer["id"]) for p in profiles) if isinstance(pointer.get("id"), str) else ()
        entry = next((e for e in found if e is not None), None)
        name = text(entry.get("name")) if entry else pointer.get("id")
        if isinstance(name, dict):
            return {"nl": f"Aanbeveling: {name['nl']}", "en": f"Endorsement: {name['en']}"}
        return {"nl": f"Aanbeveling: {name}", "en": f"Endorsement: {name}"}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), Mapping) else {}
    return text(credential.get("name")) or text(achievement.get("name")) or _kind(credential)


def _issuer_name(credential: Mapping[str, Any], report: Report) -> Any:
    if report.trust is not None and report.trust.issuer_name:
        return report.trust.issuer_name
    issuer = credential.get("issuer")
    return text(issuer.get("name")) if isinstance(issuer, Mapping) and issuer.get("name") else report.issuer


def credential_line(credential: Mapping[str, Any], report: Report,
                    profiles: list[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """One credential's line; ``profiles`` name the entries that endorsements point at."""
    failures = [r for r in report.checks if not r.ok]
    named = outcome(report)
    return {
        "id": report.document_id, "type": _kind(credential) if isinstance(credential, Mapping) else None,
        "title": _title(credential, list(profiles)) if isinstance(credential, Mapping) else None,
        "issuer": _issuer_name(credential, report) if isinstance(credential, Mapping) else report.issuer,
        "issuerDid": report.issuer, "outcome": named, "category": category(named),
        "role": report.trust.role if report.trust is not None else None,
        "validUntil": credential.get("validUntil") if isinstance(credential, Mapping) else None,
        "problems": [{"check": r.name, "code": r.code, "message": r.message} for r in failures],
    }


def _profile(credential: Mapping[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject") or {}
    blocks = {key: [{"id": e.get("id"), "name": text(e.get("name"))} for e in subject.get(key, []) or []
                    if isinstance(e, Mapping)] for key in BLOCK_KEYS}
    return {"name": subject.get("name"), "did": subject.get("id"), "blocks": blocks}


def summarize(document: Any, report: Report, profiles: list[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The page's view of a checked credential or presentation; ``profiles`` (verified profile
    credentials shown beside it) name endorsed entries, else the document's own profile does."""
    if report.kind == "presentation":
        inner = document.get("verifiableCredential", [])
        credentials = inner if isinstance(inner, list) else [inner]
        reports = report.credentials
        own = [r for r in report.checks if not r.ok]
    else:
        credentials, reports, own = [document], [report], []
    lines, person = [], None
    if profiles is None:
        profiles = [c for c in credentials if isinstance(c, Mapping) and _kind(c) == PROFILE_TYPE][:1]
    for credential, inner_report in zip(credentials, reports):
        lines.append(credential_line(credential, inner_report, profiles))
        if isinstance(credential, Mapping) and _kind(credential) == PROFILE_TYPE and person is None:
            person = {**_profile(credential), "selfAsserted": True, "signatureOk": inner_report.verified}
    return {
        "kind": report.kind, "verified": report.verified, "verdict": verdict(report, own, lines),
        "counts": tally([line["outcome"] for line in lines]),
        "holder": report.issuer if report.kind == "presentation" else None,
        "person": person,
        "presentationProblems": [{"check": r.name, "status": r.status, "code": r.code, "message": r.message}
                                 for r in own],
        "credentials": lines,
    }


def verdict(report: Report, own: list[Any], lines: list[dict[str, Any]]) -> str:
    """``all_verified``; ``unsettled`` when the only thing in the way is a status (or another check)
    that could not be determined yet; else ``not_verified`` (the keys of ``verdict`` in the terms)."""
    counts = tally([line["outcome"] for line in lines])
    if counts["failed"] or any(result.status == FAILED for result in own):
        return "not_verified"
    if counts["status_unknown"] or own:
        return "unsettled"
    return "all_verified" if report.verified else "not_verified"


def is_presentation(document: Any) -> bool:
    kinds = document.get("type") if isinstance(document, Mapping) else None
    return isinstance(kinds, list) and "VerifiablePresentation" in kinds


def subject_of(document: Any) -> str | None:
    """Whom a document is about: a presentation's holder, or a credential's one subject."""
    if not isinstance(document, Mapping):
        return None
    if is_presentation(document):
        holder = document.get("holder")
        return holder if isinstance(holder, str) else None
    ids = set(subject_ids(document))
    found = ids.pop() if len(ids) == 1 else None
    return found if isinstance(found, str) and found else None


def group(documents: list[Any]) -> list[list[int]]:
    """Indices of the documents to show together, in reading order: loose credentials about one
    subject (a profile and its endorsements) share a group; a presentation (already one set,
    bound to its holder) or a document about no single subject stands alone."""
    groups: list[list[int]] = []
    by_subject: dict[str, list[int]] = {}
    for index, document in enumerate(documents):
        subject = subject_of(document)
        if subject is None or is_presentation(document):
            groups.append([index])
        elif subject in by_subject:
            by_subject[subject].append(index)
        else:
            by_subject[subject] = [index]
            groups.append(by_subject[subject])
    return groups


def own_profiles(documents: list[Any], reports: list[Report], subject: str | None) -> list[dict[str, Any]]:
    """The profile credentials among ``documents`` that ``subject`` signed and that verified."""
    return [document for document, report in zip(documents, reports)
            if report.verified and _kind(document) == PROFILE_TYPE and subject is not None
            and issuer_id(document) == subject]


def person(profiles: list[Mapping[str, Any]]) -> dict[str, Any] | None:
    """What the subject says about themselves, from one profile or its printed parts together."""
    if not profiles:
        return None
    parts = [_profile(profile) for profile in profiles]
    blocks = {key: [entry for part in parts for entry in part["blocks"][key]] for key in BLOCK_KEYS}
    name = next((part["name"] for part in parts if part["name"]), None)
    return {"name": name, "did": parts[0]["did"], "blocks": blocks, "selfAsserted": True, "signatureOk": True}
