"""What the verifier answered to ``passport respond``: its verdict and, when not verified, why.

The verifier's response endpoint answers a processed OpenID4VP answer with 200 and ``verified``
and ``errors`` (one item per failed or unknown check: ``check``, ``status``, ``code``,
``message``, and ``credentialIndex`` for a credential in the order sent); refusals are Problem
Details with ``code`` and ``detail``.
The answer comes from another party: its text is shown without control characters and cut
short, and a credential is named from the worker's own presentation, not from the answer.
In Dutch (the default) a check, its status and its error code are said with the words of
``passport.terms``; in English the verifier's own message is shown. An answer whose only
problem is a status that could not be checked is "status unknown", not "not verified".
"""
from __future__ import annotations

from typing import Any

from .. import terms
from ..wallet import render

MAX_LINES = 20
MAX_TEXT = 300
VERDICT_WORDS = ("refused", "verified", "failed", "unknown", "more", "silent", "item", "presentation")


def _words(lang: str) -> dict[str, str]:
    """The sentences of this module (``cli.verdict_*`` in ``passport.terms``), unfilled."""
    return {name: terms.term("cli.verdict_" + name, lang) for name in VERDICT_WORDS}


def explain(answer: Any, presentation: dict[str, Any], lang: str = terms.DEFAULT_LANG) -> list[str]:
    """Lines for the worker: the verdict, then each failed check with the item it belongs to."""
    words = _words(terms.check_lang(lang))
    if not isinstance(answer, dict):
        return []
    if "verified" not in answer:
        if answer.get("detail") or answer.get("code"):
            return [words["refused"].format(detail=_said(answer.get("code"), answer.get("detail"), lang),
                                            code=clean(answer.get("code")))]
        return []
    if answer["verified"] is True:
        return [words["verified"]]
    failures = _failures(answer)
    unsettled = bool(failures) and all(failure.get("status") == "unknown" for failure in failures)
    lines = [words["unknown" if unsettled else "failed"]]
    for failure in failures[:MAX_LINES]:
        lines.append(f"  {_item(failure.get('credentialIndex'), presentation, lang)}: "
                     f"{_check(failure.get('check'), lang)} {_status(failure.get('status'), lang)}: "
                     f"{_said(failure.get('code'), failure.get('message'), lang)} [{clean(failure.get('code'))}]")
    if len(failures) > MAX_LINES:
        lines.append(words["more"].format(n=len(failures) - MAX_LINES))
    if not failures:
        lines.append(words["silent"])
    return lines


def _said(code: Any, message: Any, lang: str) -> str:
    """English: the verifier's own words. Dutch: the sentence for a code we know, else its words."""
    if lang == "en" or not isinstance(code, str):
        return clean(message)
    return terms.problem(code, lang, default=clean(message))


def _check(name: Any, lang: str) -> str:
    if lang != "en" and isinstance(name, str):
        try:
            return terms.term(f"check.{name}", lang)
        except KeyError:  # a check our table does not name: the verifier's word
            pass
    return clean(name)


def _status(status: Any, lang: str) -> str:
    status = status or "failed"
    if lang != "en" and status in ("failed", "unknown"):
        return terms.term(f"check_status.{status}", lang)
    return clean(status)


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


def _item(index: Any, presentation: dict[str, Any], lang: str) -> str:
    credentials = presentation.get("verifiableCredential") or []
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(credentials):
        return _words(lang)["item"].format(n=index + 1, what=render.attests(credentials[index], lang))
    return _words(lang)["presentation"]


def clean(value: Any) -> str:
    """Another party's text made safe for a terminal: printable characters only, at most MAX_TEXT."""
    text = "" if value is None else str(value)
    text = "".join(character if character.isprintable() else " " for character in text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
