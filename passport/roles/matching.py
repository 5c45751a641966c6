"""Kwalitatieve match: a checked presentation against a job's vakbekwaamheidsprofiel (SPEC.md section 10).

Per requirement: ``demonstrated`` when a credential evidences it whose own report verified with
a trusted, in-scope issuer, inside a verified presentation; ``claimed`` when only the
self-asserted profile says so or the matching evidence does not count (the reason is carried:
revoked, expired, untrusted...); else ``missing``. Self-asserted content is never demonstrated.
The report holds the verification time, so matching reads no clock. ``match_credentials`` does
the same for loose credentials about one subject (a scanned printed passport), each with its report.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..format import documents, schemas
from ..format.documents import BLOCK_KEYS, entry_digest, find_entry, issuer_id, paspoort_type, scope_values
from ..errors import SchemaInvalid, StructureInvalid
from ..verification.presentation_checks import presentation_credentials
from ..verification.report import PASSED, Report

DEMONSTRATED, CLAIMED, MISSING = "demonstrated", "claimed", "missing"
AB, CERTIFICAAT_TYPE, ASSESSMENT_TYPE = (documents.AANTOONBAAR_BEKWAAM_TYPE, documents.CERTIFICAAT_TYPE,
                                         documents.ASSESSMENT_TYPE)
WERKERVARING_TYPE, ENDORSEMENT_TYPE, PROFILE_TYPE = (documents.WERKERVARING_TYPE, documents.ENDORSEMENT_TYPE,
                                                     documents.PROFILE_TYPE)
EVIDENCE_TYPES = frozenset({AB, CERTIFICAAT_TYPE, ASSESSMENT_TYPE, WERKERVARING_TYPE, ENDORSEMENT_TYPE})
DEFAULT_ACCEPTED = {  # credential types that can evidence a requirement, when it names no acceptedTypes
    "procedure": {AB}, "skill": EVIDENCE_TYPES, "certificate": {CERTIFICAAT_TYPE},
    "level": {CERTIFICAAT_TYPE, ASSESSMENT_TYPE}, "talent": {ENDORSEMENT_TYPE, ASSESSMENT_TYPE, WERKERVARING_TYPE},
    "drive": {ENDORSEMENT_TYPE, ASSESSMENT_TYPE}}
_EVIDENCE_WIRE = ("credentialId", "credentialType", "issuer", "issuerName", "validUntil", "selfAsserted", "entryId",
                  "problem", "problemCode")  # Evidence's fields, in order
_NOUN = {AB: "aantoonbaar-bekwaam certificate", CERTIFICAAT_TYPE: "certificate", ASSESSMENT_TYPE: "assessment result",
         WERKERVARING_TYPE: "work experience statement", ENDORSEMENT_TYPE: "endorsement"}
_SHORT = {"REVOKED": "revoked", "SUSPENDED": "suspended", "EXPIRED": "expired", "NOT_YET_VALID": "not yet valid",
          "STATUS_UNKNOWN": "status unknown", "STATUS_LIST_INVALID": "status unknown",
          "ISSUER_UNKNOWN": "issuer not in the trust registry", "ISSUER_OUT_OF_SCOPE": "issuer out of scope",
          "TRUST_NOT_CHECKED": "issuer not checked (no trust registry)", "SELF_ASSERTED": "self-issued by the worker",
          "ENTRY_DIGEST_MISMATCH": "made for another version of the profile entry"}


@dataclass(frozen=True)
class Evidence:
    """A credential (or profile entry) that matches a requirement; ``problem`` says why it does not count."""

    credential_id: str | None
    credential_type: str | None
    issuer: str | None
    issuer_name: Any = None
    valid_until: str | None = None
    self_asserted: bool = False
    entry_id: str | None = None
    problem: str | None = None
    problem_code: str | None = None

    def to_dict(self) -> dict[str, Any]:  # wire names; absent values left out
        values = (getattr(self, item.name) for item in fields(self))
        return {wire: value for wire, value in zip(_EVIDENCE_WIRE, values) if value is not None}


@dataclass(frozen=True)
class RequirementOutcome:
    requirement_id: str
    name: Any  # text as in the job profile (string or language values)
    kind: str
    required: bool
    status: str  # demonstrated | claimed | missing
    evidence: tuple[Evidence, ...] = ()
    reason: str | None = None
    reason_code: str | None = None
    learning_path: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"requirementId": self.requirement_id, "name": self.name, "kind": self.kind, "required": self.required,
                "status": self.status, "evidence": [item.to_dict() for item in self.evidence],
                "reason": self.reason, "reasonCode": self.reason_code}


@dataclass
class MatchResult:
    job_id: str
    job_name: Any
    employer: str
    outcomes: list[RequirementOutcome] = field(default_factory=list)

    def _with(self, status: str) -> list[RequirementOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    demonstrated = property(lambda self: self._with(DEMONSTRATED), doc="Evidenced by a credential that counts.")
    claimed = property(lambda self: self._with(CLAIMED), doc="Self-asserted, or evidence that does not count.")
    missing = property(lambda self: self._with(MISSING), doc="Neither evidenced nor claimed.")

    def outcome(self, requirement_id: str) -> RequirementOutcome:
        return next(outcome for outcome in self.outcomes if outcome.requirement_id == requirement_id)

    @property
    def learning_path(self) -> list[RequirementOutcome]:
        """Learn only what you cannot do yet: every requirement not demonstrated, must-haves first."""
        return sorted((o for o in self.outcomes if o.status != DEMONSTRATED), key=lambda o: not o.required)

    @property
    def required_met(self) -> bool:
        return all(outcome.status == DEMONSTRATED for outcome in self.outcomes if outcome.required)

    @property
    def summary(self) -> str:
        required = [outcome for outcome in self.outcomes if outcome.required]
        done = sum(outcome.status == DEMONSTRATED for outcome in required)
        return (f"{len(self.demonstrated)} of {len(self.outcomes)} requirements demonstrated "
                f"({done} of {len(required)} must-haves); {len(self.claimed)} claimed, {len(self.missing)} missing")

    def to_dict(self) -> dict[str, Any]:
        return {
            "jobProfile": {"id": self.job_id, "name": self.job_name, "employer": self.employer},
            "summary": self.summary,
            "requiredMet": self.required_met,
            **{status: [o.to_dict() for o in self._with(status)] for status in (DEMONSTRATED, CLAIMED, MISSING)},
            "learningPath": [{"requirementId": o.requirement_id, "name": o.name, "kind": o.kind,
                              "required": o.required, "status": o.status, **dict(o.learning_path or {})}
                             for o in self.learning_path],
        }


@dataclass
class _Source:
    credential: dict[str, Any]
    kind: str
    evidence: Evidence  # with ``problem`` set when it does not count
    entry: dict[str, Any] | None = None  # the endorsed profile entry (ProfielEndorsementCredential)


def validate_job_profile(job_profile: Any) -> None:
    """Schema ``vakbekwaamheidsprofiel`` plus unique requirement ids and min <= max hours; raises SchemaInvalid."""
    schemas.validate(job_profile, schema=schemas.JOB_PROFILE_SCHEMA)
    ids = [requirement["id"] for requirement in job_profile["requirements"]]
    for index, requirement_id in enumerate(ids):
        if requirement_id in ids[:index]:
            _invalid(f"requirements[{index}].id", f"requirement id {requirement_id!r} is used twice")
    hours = job_profile.get("hoursPerWeek")
    if hours and hours["min"] > hours["max"]:
        _invalid("hoursPerWeek", "min is larger than max")


def match(job_profile: Mapping[str, Any], report: Report, presentation: Mapping[str, Any]) -> MatchResult:
    """Compare a checked presentation (``report`` from ``passport.check``) with a job profile."""
    validate_job_profile(job_profile)
    sources, profiles, vp_problem = _sources(report, presentation)
    return MatchResult(job_profile["id"], job_profile["name"], job_profile["employer"]["name"],
                       [_decide(req, sources, profiles, vp_problem) for req in job_profile["requirements"]])


def match_credentials(job_profile: Mapping[str, Any], credentials: list[Mapping[str, Any]],
                      reports: list[Report], *, subject: str) -> MatchResult:
    """Compare loose credentials about one ``subject`` (e.g. scanned from a printed passport), each
    with its own ``passport.check`` report, with a job profile.

    The rules are those of ``match``, with the subject in the holder's place: credentials the
    subject issued (the profile) are self-asserted, and only a profile the subject signed gives
    claims and endorsed entries. Nothing binds loose credentials to the person showing them
    (SPEC.md section 13, the printed passport); the caller says so.
    """
    validate_job_profile(job_profile)
    if len(credentials) != len(reports) or not all(isinstance(r, Report) and r.kind == "credential"
                                                   for r in reports):
        raise TypeError("match_credentials() takes one credential Report from passport.check per credential")
    for credential, report in zip(credentials, reports):
        if report.document_id != credential.get("id"):
            raise StructureInvalid("a report was made for another credential", credential=credential.get("id"))
        if set(subject_ids(credential)) != {subject}:
            raise StructureInvalid(f"credential {credential.get('id')} is not about {subject} alone",
                                   credential=credential.get("id"), subject=subject)
    sources, profiles = _read([dict(c) for c in credentials], reports, subject, None)
    return MatchResult(job_profile["id"], job_profile["name"], job_profile["employer"]["name"],
                       [_decide(req, sources, profiles, None) for req in job_profile["requirements"]])


def subject_ids(credential: Mapping[str, Any]) -> list[Any]:
    """The ``id`` of each credential subject, in order (``None`` where a subject has none)."""
    subjects = credential.get("credentialSubject")
    subjects = subjects if isinstance(subjects, list) else [subjects]
    return [subject.get("id") if isinstance(subject, Mapping) else None for subject in subjects]


def _decide(req: Mapping[str, Any], sources: list[_Source], profiles: list[dict[str, Any]],
            vp_problem: tuple[str, str] | None) -> RequirementOutcome:
    base = {"requirement_id": req["id"], "name": req["name"], "kind": req["kind"], "required": req["required"],
            "learning_path": req.get("learningPath")}
    accepted = set(req.get("acceptedTypes") or DEFAULT_ACCEPTED[req["kind"]])
    found = [source for source in sources if source.kind in accepted and _credential_matches(req, source)]
    counting = tuple(source.evidence for source in found if source.evidence.problem is None)
    if counting:
        return RequirementOutcome(**base, status=DEMONSTRATED, evidence=counting)
    failed = tuple(source.evidence for source in found)
    claims = tuple(_claim(profile, entry) for profile in profiles
                   for key in BLOCK_KEYS for entry in profile["credentialSubject"].get(key, [])
                   if _entry_matches(req, entry))
    if failed:  # the first is the reason shown; all of them are listed
        first = failed[0]
        return RequirementOutcome(**base, status=CLAIMED, evidence=failed + claims, reason_code=first.problem_code,
                                  reason=f"{_NOUN[first.credential_type]} {first.problem}")
    if claims:
        return RequirementOutcome(**base, status=CLAIMED, evidence=claims, reason_code="SELF_ASSERTED",
                                  reason="self-asserted in the profile only, not evidenced by a credential")
    code, text = vp_problem or ("NOT_FOUND", "nothing in the presentation evidences or claims this")
    return RequirementOutcome(**base, status=MISSING, reason_code=code, reason=text)


def _sources(report: Report, presentation: Mapping[str, Any]):
    """The evidence credentials (each with why it does not count, if so) and the verified profiles."""
    if not isinstance(report, Report) or report.kind != "presentation":
        raise TypeError("match() takes the Report that passport.check made for the presentation")
    structure = report.check("structure")
    if structure is None or not structure.ok:  # nothing can be read from it
        return [], [], ("PRESENTATION_INVALID", f"the presentation cannot be read: {getattr(structure, 'message', '')}")
    credentials = presentation_credentials(presentation)
    if report.document_id != presentation.get("id") or [r.document_id for r in report.credentials] != [
            c.get("id") for c in credentials]:
        raise StructureInvalid("the report was made for another presentation")
    # "entries" is judged per endorsement below; every other presentation check must pass.
    failed = next((c for c in report.checks if not c.ok and c.name != "entries"), None)
    vp_problem = (failed.code or "PRESENTATION_INVALID", f"the presentation did not verify: {failed.message}") \
        if failed else None
    sources, profiles = _read(credentials, report.credentials, presentation.get("holder"), vp_problem)
    return sources, profiles, vp_problem


def _read(credentials: list[dict[str, Any]], reports: list[Report], holder: Any,
          vp_problem: tuple[str, str] | None) -> tuple[list[_Source], list[dict[str, Any]]]:
    """Each evidence credential with its own report's verdict, and the verified self-signed profiles."""
    # Only credentials whose schema check passed are read: without a valid shape nothing says what they evidence.
    readable = [(c, r, paspoort_type(c)) for c, r in zip(credentials, reports)
                if getattr(r.check("schema"), "status", None) == PASSED]
    profiles = [c for c, r, kind in readable if kind == PROFILE_TYPE and r.verified and issuer_id(c) == holder]
    sources = []
    for credential, own, kind in readable:
        if kind not in EVIDENCE_TYPES:
            continue
        source = _Source(credential, kind, _evidence(credential, own, kind, holder, vp_problem))
        if kind == ENDORSEMENT_TYPE:
            source.entry, digest_ok = _endorsed_entry(credential, profiles)
            if not digest_ok and source.evidence.problem is None:
                source.evidence = _with_problem(source.evidence, "ENTRY_DIGEST_MISMATCH")
        sources.append(source)
    return sources, profiles


def _evidence(credential: dict[str, Any], own: Report, kind: str, holder: Any,
              vp_problem: tuple[str, str] | None) -> Evidence:
    # The issuer's name comes from the trust registry only: a name the credential gives itself proves nothing.
    evidence = Evidence(credential_id=credential.get("id"), credential_type=kind, issuer=own.issuer,
                        issuer_name=getattr(own.trust, "issuer_name", None), valid_until=credential.get("validUntil"))
    if own.issuer == holder or own.self_asserted:  # self-asserted content is never demonstrated
        return _with_problem(evidence, "SELF_ASSERTED")
    failure = next((check for check in own.checks if not check.ok), None)
    if failure is not None:
        code = failure.code or failure.status.upper()
        return _with_problem(evidence, code, _SHORT.get(code, f"failed the {failure.name} check: {failure.message}"))
    trust = own.check("trust")
    if trust is None or trust.status != PASSED:
        return _with_problem(evidence, "TRUST_NOT_CHECKED")
    if vp_problem is not None:
        return _with_problem(evidence, vp_problem[0], f"not counted: {vp_problem[1]}")
    return evidence


def _with_problem(evidence: Evidence, code: str, text: str | None = None) -> Evidence:
    return replace(evidence, problem=text or _SHORT[code], problem_code=code)


def _endorsed_entry(credential: Mapping[str, Any], profiles: list[dict[str, Any]]):
    pointer = credential["credentialSubject"].get("entry") or {}
    for profile in profiles:
        entry = find_entry(profile, pointer.get("id"))
        if entry is not None:
            return entry, entry_digest(entry) == pointer.get("digestMultibase")
    return None, True  # the entry was not shared: nothing to match against


def _credential_matches(req: Mapping[str, Any], source: _Source) -> bool:
    subject = source.credential["credentialSubject"]
    if source.kind == ENDORSEMENT_TYPE:
        return source.entry is not None and _entry_matches(req, source.entry)
    if req["kind"] == "level":
        level = subject.get("outcome", {}).get("level") if source.kind == ASSESSMENT_TYPE else subject.get("level")
        return _level_at_least(level, req["level"])
    if source.kind == AB and req["kind"] == "procedure":
        return subject["procedure"]["code"] == req["procedureCode"]
    return bool(_alignment_urls(req) & _trusted_urls(source)) or _has_keyword(req, subject["achievement"].get("name"))


def _trusted_urls(source: _Source) -> set[str]:
    """Alignment URIs the issuer's trust decision covered: the achievement's for AantoonbaarBekwaam
    (scoped by procedure), else those among ``scope_values`` (achievement, learning outcomes, skills)."""
    subject = source.credential["credentialSubject"]
    named = _alignment_urls(subject["achievement"])
    if source.kind == AB:
        return named
    for item in [*subject.get("learningOutcomes", []), *subject.get("skills", [])]:
        named |= _alignment_urls(item)
    return named & set(scope_values(source.credential))


def _entry_matches(req: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    if req["kind"] == "level":
        return _level_at_least(entry.get("level"), req["level"])
    return bool(_alignment_urls(req) & _alignment_urls(entry)) or _has_keyword(req, entry.get("name"))


def _level_at_least(level: Any, wanted: Mapping[str, Any]) -> bool:
    """mbo 1-4 are NLQF 1-4 and NLQF levels are referenced to EQF level for level: compare numbers."""
    return isinstance(level, dict) and isinstance(level.get("level"), int) and level["level"] >= wanted["level"]


def _alignment_urls(item: Any) -> set[str]:
    alignment = item.get("alignment") if isinstance(item, dict) else None
    return {a["targetUrl"] for a in alignment if isinstance(a, dict) and isinstance(a.get("targetUrl"), str)} \
        if isinstance(alignment, list) else set()


def _has_keyword(req: Mapping[str, Any], name: Any) -> bool:
    """A keyword occurs in the name, in any language (plain string, language value or a list of them)."""
    names = name if isinstance(name, list) else [name]
    texts = " | ".join(item["@value"] if isinstance(item, dict) else item for item in names
                       if isinstance(item, str) or isinstance(item, dict) and isinstance(item.get("@value"), str))
    return any(keyword.casefold() in texts.casefold() for keyword in req.get("keywords", ()))


def _claim(profile: Mapping[str, Any], entry: Mapping[str, Any]) -> Evidence:
    return Evidence(credential_id=profile.get("id"), credential_type=PROFILE_TYPE, issuer=issuer_id(profile),
                    issuer_name=profile["credentialSubject"].get("name"), valid_until=profile.get("validUntil"),
                    self_asserted=True, entry_id=entry.get("id"), problem="self-asserted", problem_code="SELF_ASSERTED")


def _invalid(path: str, message: str) -> None:
    raise SchemaInvalid(f"{path}: {message}", schema=schemas.JOB_PROFILE_SCHEMA, path=path,
                        errors=[{"path": path, "message": message}])
