"""What the verifier answered to ``passport respond``: its verdict and, when not verified, why.

The verifier service answers a presentation with its report: 200 and ``{"verified": true, ...}``,
or 422 Problem Details with ``verified: false`` and ``errors`` (one item per failed or unknown
check: ``check``, ``status``, ``code``, ``message``, and ``credentialIndex`` for a credential
inside the presentation); other refusals are Problem Details with ``code`` and ``detail``.
The answer comes from another party: its text is shown without control characters and cut
short, and a credential is named from the worker's own presentation, not from the answer.
"""
from __future__ import annotations

from typing import Any

from ..wallet import render

MAX_LINES = 20
MAX_TEXT = 300


def explain(answer: Any, presentation: dict[str, Any]) -> list[str]:
    """Lines for the worker: the verdict, then each failed check with the item it belongs to."""
    if not isinstance(answer, dict):
        return []
    if "verified" not in answer:
        if answer.get("detail") or answer.get("code"):
            return [f"The verifier refused the presentation: {clean(answer.get('detail'))} [{clean(answer.get('code'))}]"]
        return []
    if answer["verified"] is True:
        return ["The verifier reports: verified."]
    lines = ["The verifier reports: NOT verified. What failed:"]
    failures = _failures(answer)
    for failure in failures[:MAX_LINES]:
        lines.append(f"  {_item(failure.get('credentialIndex'), presentation)}: {clean(failure.get('check'))} "
                     f"{clean(failure.get('status') or 'failed')}: {clean(failure.get('message'))} "
                     f"[{clean(failure.get('code'))}]")
    if len(failures) > MAX_LINES:
        lines.append(f"  ... and {len(failures) - MAX_LINES} more.")
    if not failures:
        lines.append("  (the verifier did not say which check failed)")
    return lines


def _failures(answer: dict[str, Any]) -> list[dict[str, Any]]:
    errors = answer.get("errors")
    if isinstance(errors, list):
        return [error for error in errors if isinstance(error, dict)]
    found = [_failed(check) for check in _list(answer.get("checks"))]
    for index, inner in enumerate(_list(answer.get("credentials"))):
        if isinstance(inner, dict):
            found += [{**_failed(check), "credentialIndex": index} for check in _list(inner.get("checks"))]
    return [failure for failure in found if failure]


def _failed(check: Any) -> dict[str, Any]:
    if not isinstance(check, dict) or check.get("status") in ("passed", "skipped"):
        return {}
    return {"check": check.get("name"), "status": check.get("status"), "code": check.get("code"),
            "message": check.get("message")}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _item(index: Any, presentation: dict[str, Any]) -> str:
    credentials = presentation.get("verifiableCredential") or []
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(credentials):
        return f"item {index + 1} ({render.attests(credentials[index])})"
    return "the presentation"


def clean(value: Any) -> str:
    """Another party's text made safe for a terminal: printable characters only, at most MAX_TEXT."""
    text = "" if value is None else str(value)
    text = "".join(character if character.isprintable() else " " for character in text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
