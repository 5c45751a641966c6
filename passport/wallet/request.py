"""A verifier's request (URL or QR text) and sending the answer back.

Request format (SPEC.md section 11, URL form)::

    https://werkgever.example/paspoort/request?challenge=Zq3...&domain=werkgever.example
        &ask=skills,doelEnMotivatie,AantoonbaarBekwaam&respond=https://werkgever.example/paspoort/response
        &verifier=Zorggroep%20De%20Linde

``challenge`` (8-256 characters of ``A-Za-z0-9-._~``) and ``domain`` (a host name) are
required; ``ask`` is a comma-separated list of profile block keys, ``profile`` (every block),
and endorsement types (``AantoonbaarBekwaam``, ``Certificaat``, ``AssessmentResultaat``,
``Werkervaring``, ``ProfielEndorsement``, with or without ``Credential``); ``respond`` is where the
presentation is POSTed: ``https``, or ``http`` only to 127.0.0.1/localhost/::1, and its host must
equal ``domain`` (so a presentation bound to one verifier is never sent to another).
``verifier`` is a display name, shown but not trusted. A verifier QR code holds the URL as text.

The verifier service hands out its request as an object instead (SPEC.md section 11, object form:
``{"type": "PaspoortPresentationRequest", "version": 1, "challenge", "domain", "query":
{"profileBlocks", "credentialTypes"}, "responseUrl", "verifier", ...}``), as JSON or as the
``PP<n>:`` text of its QR code; ``parse_request`` reads all three forms with the same rules.
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from ..format.documents import BLOCK_KEYS, PROFILE_TYPE
from ..errors import RequestInvalid, SendFailed
from ..encoding.jsonio import loads
from ..qr.text import PREFIX_SHAPE, decode_text
from ..format.schemas import CREDENTIAL_TYPES
from .share import Selection

CHALLENGE = re.compile(r"^[A-Za-z0-9._~-]{8,256}$")
HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ENDORSEMENT_TYPES = frozenset(CREDENTIAL_TYPES - {"PersoonlijkProfielCredential", "TrustRegistryCredential",
                                                  "BitstringStatusListCredential"})
MAX_REQUEST_CHARS = 4096
REQUEST_TYPE = "PaspoortPresentationRequest"
MAX_RESPONSE_BYTES = 1024 * 1024  # the verifier's report of a presentation with many endorsements
SEND_TIMEOUT = 10.0


@dataclass(frozen=True)
class VerifierRequest:
    challenge: str
    domain: str
    blocks: tuple[str, ...]
    types: tuple[str, ...]
    respond: str | None
    verifier: str | None

    def selection(self, include_sensitive: list[str] | None = None) -> Selection:
        return Selection(profile=bool(self.blocks), blocks=list(self.blocks), include_sensitive=include_sensitive or [],
                         types=list(self.types))


def parse_request(text: str) -> VerifierRequest:
    """A request URL, a verifier service's request object as JSON, or its ``PP<n>:`` QR text."""
    text = text.strip()
    if len(text) > MAX_REQUEST_CHARS:
        raise RequestInvalid(f"the request is longer than {MAX_REQUEST_CHARS} characters")
    if PREFIX_SHAPE.match(text):
        return request_from_object(decode_text(text, max_bytes=MAX_REQUEST_CHARS * 4))
    if text.startswith("{"):
        return request_from_object(loads(text, max_bytes=MAX_REQUEST_CHARS))
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise RequestInvalid("a verifier request is an https URL with challenge, domain and ask parameters")
    try:
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True, strict_parsing=True, max_num_fields=16)
    except ValueError as exc:
        raise RequestInvalid(f"the request's query is not readable: {exc}") from None
    for name, values in query.items():
        if len(values) != 1:
            raise RequestInvalid(f"parameter {name!r} appears more than once")
    return _checked({name: values[0] for name, values in query.items()})


def _checked(one: dict[str, str]) -> VerifierRequest:
    """The request's parameters (as the URL form names them), checked."""
    challenge, domain = one.get("challenge", ""), one.get("domain", "")
    if not CHALLENGE.match(challenge):
        raise RequestInvalid("challenge must be 8-256 characters of A-Z a-z 0-9 - . _ ~")
    if not HOSTNAME.match(domain) and domain not in LOCAL_HOSTS:
        raise RequestInvalid(f"domain {domain!r} is not a host name")
    blocks, types = _ask(one.get("ask", ""))
    respond = one.get("respond") or None
    if respond is not None:
        check_response_url(respond, domain)
    verifier = one.get("verifier")
    if verifier is not None and (len(verifier) > 120 or not verifier.isprintable()):
        raise RequestInvalid("verifier name must be printable text of at most 120 characters")
    return VerifierRequest(challenge, domain, blocks, types, respond, verifier)


def request_from_object(request: Any) -> VerifierRequest:
    """The verifier service's ``PaspoortPresentationRequest``, checked like the URL form."""
    if not isinstance(request, dict) or request.get("type") != REQUEST_TYPE:
        raise RequestInvalid(f"a verifier request object has type {REQUEST_TYPE!r}")
    if request.get("version") != 1:
        raise RequestInvalid(f"request version {request.get('version')!r} is not understood (only 1)")
    query = request.get("query") if isinstance(request.get("query"), dict) else {}
    blocks, kinds = query.get("profileBlocks", []), query.get("credentialTypes", [])
    if not isinstance(blocks, list) or not isinstance(kinds, list) or not all(
            isinstance(item, str) for item in [*blocks, *kinds]):
        raise RequestInvalid("query.profileBlocks and query.credentialTypes must be lists of names")
    if PROFILE_TYPE in kinds and not blocks:
        blocks = ["profile"]  # the profile asked for without naming blocks: all of them
    ask = ",".join([*blocks, *(kind for kind in kinds if kind != PROFILE_TYPE)])
    params = {"challenge": request.get("challenge"), "domain": request.get("domain"), "ask": ask,
              "respond": request.get("responseUrl"), "verifier": request.get("verifier")}
    if not all(isinstance(value, str) for value in params.values() if value is not None):
        raise RequestInvalid("challenge, domain, responseUrl and verifier must be strings")
    return _checked({name: value for name, value in params.items() if value is not None})


def _ask(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    blocks: list[str] = []
    types: list[str] = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        if item == "profile":
            blocks.extend(key for key in BLOCK_KEYS if key not in blocks)
        elif item in BLOCK_KEYS:
            if item not in blocks:
                blocks.append(item)
        elif (item if item.endswith("Credential") else item + "Credential") in ENDORSEMENT_TYPES:
            types.append(item if item.endswith("Credential") else item + "Credential")
        else:
            raise RequestInvalid(f"the request asks for {item!r}, which is no profile block or endorsement type",
                                 ask=item)
    if not blocks and not types:
        raise RequestInvalid("the request asks for nothing (ask=...)")
    return tuple(blocks), tuple(types)


def check_response_url(url: str, domain: str) -> None:
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise RequestInvalid("respond must be an https URL (plain http only to 127.0.0.1 or localhost)")
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise RequestInvalid("respond must be an https URL without user name or password")
    if host != domain.lower():
        raise RequestInvalid(f"respond goes to {host!r}, but the presentation would be bound to {domain!r}; "
                             "refusing to send it to another party")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any):  # never follow: the target was checked once
        return None


def send(url: str, presentation: dict[str, Any], *, timeout: float = SEND_TIMEOUT) -> tuple[int, Any]:
    """POST the presentation as JSON; returns (HTTP status, parsed JSON body or text)."""
    body = json.dumps(presentation, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Accept": "application/json"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            status, raw = response.status, response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SendFailed(f"could not send the presentation to {url}: {getattr(exc, 'reason', exc)}") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise SendFailed(f"the verifier's answer is larger than {MAX_RESPONSE_BYTES} bytes", status=status)
    try:
        answer: Any = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        answer = raw.decode("utf-8", "replace")[:500]
    return status, answer
