"""What the verifier asks for: the presentation request object, the link a wallet answers, and
whether an answer gave what was asked.

The request object (SPEC.md section 11, object form) goes into the QR code; ``wallet_link`` is the same
request in the URL form of SPEC.md section 11, the text the page shows for
``passport respond '<link>'``. Both are bound to the configured ``DOMAIN`` and ``PUBLIC_URL``,
never to the request's Host header. A request the wallet would refuse is refused here, when it
is made, with the wallet's own reason.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from passport import Report
from passport.format.documents import PROFILE_TYPE
from passport.errors import DocumentInvalid, InputError, RequestInvalid
from passport.verification.report import FAILED, CheckResult
from passport.encoding.timeutil import format_datetime
from passport.wallet.request import parse_request

REQUEST_PATH = "/request"  # the link's path; a wallet reads only its parameters


def presentation_request(*, base: str, domain: str, token: str, query: dict[str, Any], expires: datetime,
                         job_id: str | None) -> dict[str, Any]:
    found = {"type": "PaspoortPresentationRequest", "version": 1, "verifier": base, "challenge": token,
             "domain": domain, "query": query, "responseUrl": f"{base}/presentations/submit/{token}",
             "expires": format_datetime(expires)}
    if job_id is not None:
        found["jobProfile"] = job_id
    return found


def wallet_link(request: dict[str, Any]) -> str:
    """The request as ``https://<verifier>/request?challenge=...&domain=...&ask=...&respond=...``;
    ``InputError`` when a wallet would not accept it (what the query asks for, or its length)."""
    query = request["query"]
    blocks = [item for item in query.get("profileBlocks", []) if isinstance(item, str)]
    kinds = [item for item in query.get("credentialTypes", []) if isinstance(item, str)]
    if PROFILE_TYPE in kinds and not blocks:
        blocks = ["profile"]
    ask = ",".join([*blocks, *(kind.removesuffix("Credential") for kind in kinds if kind != PROFILE_TYPE)])
    params = {"challenge": request["challenge"], "domain": request["domain"], "ask": ask,
              "respond": request["responseUrl"], "verifier": request["verifier"]}
    link = f"{request['verifier']}{REQUEST_PATH}?{urlencode(params)}"
    try:
        parse_request(link)
    except RequestInvalid as exc:
        raise InputError(f"a wallet would refuse this request: {exc.message}", **exc.details) from None
    return link


def asked_types(request: dict[str, Any]) -> list[str]:
    query = request.get("query") if isinstance(request.get("query"), dict) else {}
    kinds = query.get("credentialTypes")
    return [kind for kind in kinds if isinstance(kind, str)] if isinstance(kinds, list) else []


def check_answered(report: Report, presentation: Any, request: dict[str, Any]) -> Report:
    """Add a failed ``request`` check when the request asked for credentials and the presentation
    holds none: an empty presentation proves only that its holder has a key."""
    asked = asked_types(request)
    inner = presentation.get("verifiableCredential") if isinstance(presentation, dict) else None
    if asked and not inner:
        error = DocumentInvalid(f"the request asked for credentials ({', '.join(asked)}); the presentation "
                                "holds none", asked=asked)
        report.add(CheckResult("request", FAILED, error.message, error.code, error))
    return report
