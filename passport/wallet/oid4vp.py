"""The wallet's side of OpenID4VP 1.0: fetch and check a verifier's request, build the answer,
send it.

``fetch_request`` reads the ``openid4vp://`` link, GETs the request object from ``request_uri``
(or POSTs a ``wallet_nonce`` for it, as the link asks; bounded: ``MAX_REQUEST_OBJECT_BYTES``,
``FETCH_TIMEOUT``, no redirects, one fetch) and checks it
(``passport.roles.oid4vp.verify_request``). ``answer`` chooses what to share as the DCQL query
asks (the profile reduced to the blocks named, sensitive entries only when named; each
endorsement of a type asked for, by the wallet's sharing rules) and signs one presentation per
credential with challenge = ``nonce`` and domain = ``client_id``. ``send`` POSTs the form (plain
or encrypted) to ``response_uri`` and reads a bounded JSON answer; ``decline`` POSTs an error
response (``access_denied``) instead, so the verifier's page learns the holder said no.
"""
from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..errors import RequestInvalid, SendFailed, StructureInvalid, WalletError
from ..format.trust import TrustStore
from ..roles.dcql import PROFILE_QUERY
from ..roles.holder import present
from ..roles.oid4vp_error import ACCESS_DENIED, error_form
from ..roles.oid4vp import (REQUEST_MEDIA_TYPE, AuthorizationRequest, display_name, read_authorization_link,
                            response_form, verify_request, wallet_request_form)
from .share import Selection, build
from .store import Wallet

MAX_REQUEST_OBJECT_BYTES = 64 * 1024
MAX_ANSWER_BYTES = 1024 * 1024
FETCH_TIMEOUT = 10.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any):  # never follow: the target was checked once
        return None


def _open(http_request: urllib.request.Request, limit: int, what: str,
          unreachable: type[WalletError] = SendFailed) -> tuple[int, str, bytes]:
    """One bounded request; ``unreachable`` is raised when nothing came back (for the request
    itself ``RequestInvalid``: nothing was sent yet, so it is not a failure to send)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(http_request, timeout=FETCH_TIMEOUT) as response:
            status, kind, raw = response.status, response.headers.get_content_type(), response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        status, kind, raw = exc.code, exc.headers.get_content_type() if exc.headers else "", exc.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if unreachable is SendFailed:
            raise SendFailed(f"could not reach {what}: {reason}") from None
        raise unreachable(f"could not fetch the request from {what}: {reason}; nothing was sent") from None
    if len(raw) > limit:
        raise SendFailed(f"{what} answered with more than {limit} bytes", status=status)
    return status, kind, raw


def fetch_request(link: str, *, now: datetime) -> AuthorizationRequest:
    """The verifier's request behind an ``openid4vp://`` link, fetched and checked. With
    ``request_uri_method=post`` the wallet POSTs a fresh ``wallet_nonce`` (and its metadata), and
    the request object must carry that nonce back."""
    read = read_authorization_link(link)
    client_id, request_uri, wallet_nonce = read.client_id, read.request_uri, None
    if read.method == "post":
        wallet_nonce = secrets.token_urlsafe(24)
        asked = urllib.request.Request(
            request_uri, method="POST", data=urllib.parse.urlencode(wallet_request_form(wallet_nonce)).encode(),
            headers={"Accept": REQUEST_MEDIA_TYPE, "Content-Type": "application/x-www-form-urlencoded"})
    else:
        asked = urllib.request.Request(request_uri, method="GET", headers={"Accept": REQUEST_MEDIA_TYPE})
    status, kind, raw = _open(asked, MAX_REQUEST_OBJECT_BYTES, "the request_uri", RequestInvalid)
    if status != 200:
        raise RequestInvalid(f"the verifier did not hand out its request (HTTP {status}); it may have expired",
                             status=status)
    if kind != REQUEST_MEDIA_TYPE:
        raise RequestInvalid(f"the request_uri answered {kind or 'no content type'}, not {REQUEST_MEDIA_TYPE}")
    try:
        token = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        raise RequestInvalid("the request object is not a compact JWS") from None
    return verify_request(token, client_id=client_id, now=now, wallet_nonce=wallet_nonce)


def verifier_name(request: AuthorizationRequest, trust: TrustStore | None) -> tuple[str, str] | None:
    """``(name, role)`` of the verifier's DID in a trust registry the worker gave, or None."""
    for registry in trust.registries if trust is not None else ():
        entry = registry.entries.get(request.did)
        if entry is not None and display_name(entry.name):
            return display_name(entry.name) or "", entry.role
    return None


@dataclass
class Answer:
    vp_token: dict[str, list[dict[str, Any]]]
    credentials: list[tuple[str, dict[str, Any]]]  # (query id, credential) in the order sent
    profile_entries: list[str]
    skipped: list[str]


def selection_for(request: AuthorizationRequest, include_sensitive: list[str] | None = None,
                  include_revoked: bool = False) -> Selection:
    profile = request.query.find(PROFILE_QUERY)
    types = [name for item in request.query.credentials if item.id != PROFILE_QUERY for name in item.type_names]
    return Selection(profile=profile is not None and bool(profile.blocks), blocks=profile.blocks if profile else [],
                     include_sensitive=list(include_sensitive or []), types=types, include_revoked=include_revoked)


def answer(wallet: Wallet, request: AuthorizationRequest, selection: Selection, *, now: datetime,
           lifetime: timedelta) -> Answer:
    """One presentation per credential chosen, grouped by the credential query it answers."""
    shared = build(wallet, selection, now=now, lifetime=lifetime)
    token: dict[str, list[dict[str, Any]]] = {}
    sent: list[tuple[str, dict[str, Any]]] = []
    for credential in shared.presentation["verifiableCredential"]:
        asked = next((item for item in request.query.credentials if item.matches(credential)), None)
        if asked is None or (asked.id in token and not asked.multiple):
            continue
        token.setdefault(asked.id, []).append(present([credential], wallet.holder_key, now=now,
                                                      challenge=request.nonce, domain=request.client_id,
                                                      lifetime=lifetime))
        sent.append((asked.id, credential))
    missing = sorted(request.query.required - set(token))
    if missing:
        raise StructureInvalid(f"the verifier requires {', '.join(missing)}, which this wallet cannot give; "
                               "nothing is sent", missing=missing)
    return Answer(token, sent, shared.profile_entries, shared.skipped)


def send(request: AuthorizationRequest, vp_token: dict[str, list[dict[str, Any]]]) -> tuple[int, Any]:
    """POST the answer to ``response_uri`` (encrypted when the request asks); ``(status, JSON body)``."""
    return _post(request, response_form(request, vp_token))


def decline(request: AuthorizationRequest, error: str = ACCESS_DENIED) -> tuple[int, Any]:
    """POST an error response (the holder declines) to ``response_uri``; ``(status, JSON body)``."""
    return _post(request, error_form(request, error))


def _post(request: AuthorizationRequest, form: dict[str, str]) -> tuple[int, Any]:
    body = urllib.parse.urlencode(form).encode("utf-8")
    posted = urllib.request.Request(request.response_uri, data=body, method="POST",
                                    headers={"Content-Type": "application/x-www-form-urlencoded",
                                             "Accept": "application/json"})
    status, _kind, raw = _open(posted, MAX_ANSWER_BYTES, "the verifier's response_uri")
    try:
        reply: Any = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        reply = raw.decode("utf-8", "replace")[:500]
    return status, reply
