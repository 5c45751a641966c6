"""Verification reports: every check in order, for people, the CLI and the HTTP API.

A ``Report`` lists ``CheckResult``s in the fixed order of SPEC.md. Each result is ``passed``,
``failed``, ``unknown`` (could not be determined: never counts as passed) or ``skipped`` (does
not apply, e.g. no status entry). ``bool(report)`` is true only when no check failed or was
unknown, in the report and in every nested credential report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..errors import PassportError

PASSED = "passed"
FAILED = "failed"
UNKNOWN = "unknown"
SKIPPED = "skipped"


class CheckResult(NamedTuple):
    """One check's outcome (a named tuple: cheap to make, and verification makes many)."""

    name: str
    status: str
    message: str
    code: str | None = None
    error: PassportError | None = None

    @classmethod
    def passed(cls, name: str, message: str) -> "CheckResult":
        return cls(name, PASSED, message)

    @classmethod
    def skipped(cls, name: str, message: str) -> "CheckResult":
        return cls(name, SKIPPED, message)

    @classmethod
    def failed(cls, name: str, error: PassportError, *, unknown: bool = False) -> "CheckResult":
        return cls(name, UNKNOWN if unknown else FAILED, error.message, error.code, error)

    @property
    def ok(self) -> bool:
        return self.status in (PASSED, SKIPPED)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "status": self.status, "code": self.code, "message": self.message}
        if self.error is not None and self.error.details:
            out["details"] = self.error.details
        return out


@dataclass(slots=True)
class Report:
    """The outcome of checking one credential or presentation."""

    kind: str  # "credential" | "presentation"
    document_id: str | None = None
    types: list[str] = field(default_factory=list)
    issuer: str | None = None
    self_asserted: bool = False
    checks: list[CheckResult] = field(default_factory=list)
    credentials: list["Report"] = field(default_factory=list)
    trust: Any = None  # TrustDecision when a registry was consulted

    def add(self, result: CheckResult) -> CheckResult:
        self.checks.append(result)
        return result

    def check(self, name: str) -> CheckResult | None:
        return next((result for result in self.checks if result.name == name), None)

    @property
    def verified(self) -> bool:
        return all(result.ok for result in self.checks) and all(report.verified for report in self.credentials)

    def __bool__(self) -> bool:
        return self.verified

    def failures(self) -> list[CheckResult]:
        """Every check that failed or is unknown, this report's first, then nested ones."""
        found = [result for result in self.checks if not result.ok]
        for report in self.credentials:
            found.extend(report.failures())
        return found

    def first_error(self) -> PassportError | None:
        failures = self.failures()
        return failures[0].error if failures else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "verified": self.verified,
            "id": self.document_id,
            "type": self.types,
            "issuer": self.issuer,
            "selfAsserted": self.self_asserted,
            "checks": [result.to_dict() for result in self.checks],
        }
        if self.trust is not None:
            out["trust"] = {
                "outcome": self.trust.outcome,
                "issuerName": self.trust.issuer_name,
                "role": self.trust.role,
                "registry": self.trust.registry,
                "reason": self.trust.reason,
            }
        if self.kind == "presentation":
            out["credentials"] = [report.to_dict() for report in self.credentials]
        return out


# --- one word per credential: the outcome people see, and how outcomes are counted ---------------
OUTCOMES = ("verified", "self_asserted", "expired", "not_yet_valid", "revoked", "suspended", "untrusted",
            "out_of_scope", "status_unknown", "invalid")
CATEGORIES = ("verified", "self_asserted", "status_unknown", "failed")
_OUTCOME_BY_CODE = {
    "EXPIRED": "expired", "NOT_YET_VALID": "not_yet_valid", "REVOKED": "revoked", "SUSPENDED": "suspended",
    "STATUS_UNKNOWN": "status_unknown", "STATUS_LIST_INVALID": "status_unknown",
    "ISSUER_UNKNOWN": "untrusted", "ISSUER_OUT_OF_SCOPE": "out_of_scope",
}


def outcome(report: Report) -> str:
    """One of ``OUTCOMES`` for a credential's report. A broken document (structure, schema, proof)
    is ``invalid``; else the first check that failed names it; a credential whose only problem is
    an ``unknown`` check is ``status_unknown``: not shown as valid, and not as failed either."""
    failures = [result for result in report.checks if not result.ok]
    if not failures:
        return "self_asserted" if report.self_asserted else "verified"
    if any(result.name in ("structure", "schema", "proof") for result in failures):
        return "invalid"
    settled = [result for result in failures if result.status == FAILED]
    if not settled:
        return "status_unknown"
    return _OUTCOME_BY_CODE.get(settled[0].code or "", "invalid")


def category(outcome_name: str | None) -> str:
    """How an outcome is counted: ``verified``, ``self_asserted``, ``status_unknown`` (not yet
    known: never counted as failed, never as verified) or ``failed`` (every other outcome, and
    any outcome this code does not know)."""
    return outcome_name if outcome_name in ("verified", "self_asserted", "status_unknown") else "failed"


def tally(outcomes: list[str | None]) -> dict[str, int]:
    """How many outcomes fall in each of ``CATEGORIES`` (all four keys, zeros included)."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for name in outcomes:
        counts[category(name)] += 1
    return counts
