"""OpenID4VP 1.0 messages, both sides: the signed request object, the ``openid4vp://`` link to
it, and the authorization response.

The verifier is identified with the client identifier prefix ``decentralized_identifier:`` and
a ``did:key`` (decision 0196): the request object (JAR, ``typ`` ``oauth-authz-req+jwt``) is
signed with that key, named by ``kid``, so a wallet checks it offline. The response goes to
``response_uri`` by ``direct_post`` (form fields ``vp_token`` and ``state``) or
``direct_post.jwt`` (form field ``response``: a JWE to the request's ephemeral P-256 key, whose
payload holds the same fields). Every presentation in the ``vp_token`` is bound to the request:
``challenge`` = ``nonce``, ``domain`` = ``client_id``.

Nothing here does HTTP: the wallet's fetch and post are in ``passport.wallet.oid4vp``, the
verifier's endpoints in the verifier service.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..crypto.did import controller_of
from ..crypto.jwe import ALGORITHM, ENCRYPTIONS, encrypt_jwe
from ..crypto.jws import read_header, sign_jws, verify_jws
from ..crypto.keys import Ed25519Key
from ..errors import RequestInvalid
from ..protocol_errors import ClientIdInvalid
from .dcql import Query, parse_query

SCHEME = "openid4vp"
CLIENT_ID_PREFIX = "decentralized_identifier:"
REQUEST_TYP = "oauth-authz-req+jwt"
REQUEST_MEDIA_TYPE = "application/oauth-authz-req+jwt"
SELF_ISSUED = "https://self-issued.me/v2"
DIRECT_POST, DIRECT_POST_JWT = "direct_post", "direct_post.jwt"
RESPONSE_MODES = (DIRECT_POST, DIRECT_POST_JWT)
CRYPTOSUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
STATE = re.compile(r"^[A-Za-z0-9._~-]{8,256}$")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                      r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$")
MAX_LINK_CHARS = 4096
URI_METHODS = ("get", "post")
WALLET_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")  # what a verifier signs back (base64url, as 5.10 suggests)
WALLET_METADATA = {"vp_formats_supported": {"ldp_vc": {"proof_type_values": ["DataIntegrityProof"],
                                                       "cryptosuite_values": CRYPTOSUITES}},
                   "client_id_prefixes_supported": [CLIENT_ID_PREFIX.rstrip(":")],
                   "request_object_signing_alg_values_supported": ["EdDSA"],
                   "response_modes_supported": list(RESPONSE_MODES)}
MAX_NAME_CHARS = 120


def client_id_for(did: str) -> str:
    return CLIENT_ID_PREFIX + did


def check_endpoint_url(url: Any, what: str) -> str:
    """An ``https`` URL (``http`` only to this machine), without user info or fragment."""
    parts = urlsplit(url) if isinstance(url, str) else None
    host = (parts.hostname or "").lower() if parts else ""
    if parts is None or parts.scheme not in ("https", "http") or not host or parts.username or parts.password \
            or parts.fragment:
        raise RequestInvalid(f"{what} must be an https URL without user name, password or fragment")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise RequestInvalid(f"{what} must be https (plain http only to 127.0.0.1 or localhost)")
    return url


def request_claims(*, client_id: str, response_uri: str, nonce: str, state: str, dcql_query: dict[str, Any],
                   response_mode: str, now: datetime, lifetime: timedelta,
                   encryption_jwk: dict[str, Any] | None = None, enc: str = "A128GCM") -> dict[str, Any]:
    """The request object's claims; ``direct_post.jwt`` needs the ephemeral ``encryption_jwk``."""
    if response_mode not in RESPONSE_MODES:
        raise RequestInvalid(f"response_mode must be one of {', '.join(RESPONSE_MODES)}")
    metadata: dict[str, Any] = {"vp_formats_supported": {"ldp_vc": {"proof_type_values": ["DataIntegrityProof"],
                                                                    "cryptosuite_values": CRYPTOSUITES}}}
    if response_mode == DIRECT_POST_JWT:
        if encryption_jwk is None:
            raise RequestInvalid("direct_post.jwt needs an encryption key")
        metadata["jwks"] = {"keys": [encryption_jwk]}
        metadata["encrypted_response_enc_values_supported"] = [enc]
    # No iss: RFC 9101 says it SHOULD be the client_id, and @openid4vc/openid4vp 0.4.6 refuses a
    # prefixed client_id as iss of a DID-signed request; a wallet still accepts iss = client_id.
    return {"aud": SELF_ISSUED, "client_id": client_id, "response_type": "vp_token",
            "response_mode": response_mode, "response_uri": response_uri, "nonce": nonce, "state": state,
            "dcql_query": dcql_query, "client_metadata": metadata,
            "iat": int(now.timestamp()), "exp": int((now + lifetime).timestamp())}


def sign_request(claims: dict[str, Any], key: Ed25519Key) -> str:
    """The request object, a compact JWS by the verifier's key (``kid``: its did:key method)."""
    return sign_jws(claims, key, typ=REQUEST_TYP)


def authorization_link(client_id: str, request_uri: str) -> str:
    return f"{SCHEME}://?" + urlencode({"client_id": client_id, "request_uri": request_uri})


@dataclass(frozen=True)
class AuthorizationLink:
    client_id: str
    request_uri: str
    method: str  # how the wallet fetches request_uri: "get", or "post" with a wallet_nonce


def parse_authorization_link(text: str) -> tuple[str, str]:
    """``(client_id, request_uri)`` of an ``openid4vp://`` link (request by reference only)."""
    link = read_authorization_link(text)
    return link.client_id, link.request_uri


def read_authorization_link(text: str) -> AuthorizationLink:
    """An ``openid4vp://`` link (request by reference only) with its ``request_uri_method``."""
    text = text.strip()
    if len(text) > MAX_LINK_CHARS:
        raise RequestInvalid(f"the request link is longer than {MAX_LINK_CHARS} characters")
    parts = urlsplit(text)
    if parts.scheme != SCHEME:
        raise RequestInvalid(f"an OpenID4VP request starts with {SCHEME}://")
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True, max_num_fields=8)
    except ValueError as exc:
        raise RequestInvalid(f"the request link's query is not readable: {exc}") from None
    params = dict(pairs)
    if len(params) != len(pairs):
        raise RequestInvalid("a parameter appears more than once in the request link")
    if "request" in params:
        raise RequestInvalid("a request by value is not accepted: only a signed request by reference (request_uri)")
    method = params.get("request_uri_method", "get")
    if method not in URI_METHODS:
        raise RequestInvalid(f"request_uri_method must be get or post, not {method[:40]!r}")
    client_id, request_uri = params.get("client_id"), params.get("request_uri")
    if not client_id or not request_uri:
        raise RequestInvalid("the request link needs client_id and request_uri")
    client_did(client_id)
    return AuthorizationLink(client_id, check_endpoint_url(request_uri, "request_uri"), method)


def wallet_request_form(wallet_nonce: str) -> dict[str, str]:
    """The form a wallet POSTs to ``request_uri`` (``request_uri_method=post``): its ``wallet_nonce``,
    which the request object must carry back, and what it accepts (``wallet_metadata``)."""
    return {"wallet_nonce": wallet_nonce, "wallet_metadata": json.dumps(WALLET_METADATA, separators=(",", ":"))}


def client_did(client_id: str) -> str:
    """The DID of a ``decentralized_identifier:did:key:...`` client_id; other prefixes refused."""
    if not client_id.startswith(CLIENT_ID_PREFIX):
        raise ClientIdInvalid(f"client_id {client_id[:80]!r} does not use the prefix {CLIENT_ID_PREFIX} "
                              "(the only one accepted)", client_id=client_id[:200])
    did = client_id[len(CLIENT_ID_PREFIX):]
    if not did.startswith("did:key:") or "#" in did:
        raise ClientIdInvalid(f"client_id names {did[:80]!r}; only a did:key verifier is accepted")
    return did


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    did: str
    response_uri: str
    response_mode: str
    nonce: str
    state: str
    query: Query
    encryption_jwk: dict[str, Any] | None
    enc: str
    claims: dict[str, Any]


def verify_request(token: str, *, client_id: str, now: datetime,
                   wallet_nonce: str | None = None) -> AuthorizationRequest:
    """Check a request object fetched for the link's ``client_id``: signature by that DID (``kid``
    one of its methods), claims as OpenID4VP 1.0 and this profile say, and the ``wallet_nonce``
    the wallet POSTed, if it did; raise otherwise."""
    did = client_did(client_id)
    kid = read_header(token).get("kid")
    if not isinstance(kid, str) or controller_of(kid) != did:
        raise ClientIdInvalid(f"the request object is signed by {str(kid)[:80]!r}, not by the client {did[:80]!r}")
    _header, claims = verify_jws(token, typ=REQUEST_TYP)
    if claims.get("client_id") != client_id:
        raise ClientIdInvalid("the request object's client_id differs from the link's")
    if wallet_nonce is not None and claims.get("wallet_nonce") != wallet_nonce:
        raise RequestInvalid("the request object does not carry the wallet_nonce this wallet sent for it: it was "
                             "not made for this fetch")
    if claims.get("aud", SELF_ISSUED) != SELF_ISSUED or claims.get("iss", client_id) != client_id:
        raise RequestInvalid("the request object's aud or iss is not this profile's")
    expires = claims.get("exp")
    if not isinstance(expires, int) or isinstance(expires, bool) or expires <= now.timestamp():
        raise RequestInvalid("the request has expired (exp); ask the verifier for a new one")
    if claims.get("response_type") != "vp_token":
        raise RequestInvalid("response_type must be vp_token")
    mode = claims.get("response_mode")
    if mode not in RESPONSE_MODES:
        raise RequestInvalid(f"response_mode must be one of {', '.join(RESPONSE_MODES)}")
    if "redirect_uri" in claims or "transaction_data" in claims or "presentation_definition" in claims:
        raise RequestInvalid("redirect_uri, transaction_data and presentation_definition are not supported")
    nonce, state = claims.get("nonce"), claims.get("state")
    if not isinstance(nonce, str) or not 16 <= len(nonce) <= 256 or not isinstance(state, str) \
            or not STATE.match(state):
        raise RequestInvalid("the request needs a nonce (16-256 characters) and a state (URL-safe characters)")
    jwk, enc = _encryption(claims.get("client_metadata"), mode)
    return AuthorizationRequest(client_id, did, check_endpoint_url(claims.get("response_uri"), "response_uri"),
                                mode, nonce, state, parse_query(claims.get("dcql_query")), jwk, enc, claims)


def _encryption(metadata: Any, mode: str) -> tuple[dict[str, Any] | None, str]:
    if mode != DIRECT_POST_JWT:
        return None, "A128GCM"
    keys = metadata.get("jwks", {}).get("keys") if isinstance(metadata, dict) and isinstance(
        metadata.get("jwks"), dict) else None
    usable = [key for key in keys or [] if isinstance(key, dict) and key.get("kty") == "EC"
              and key.get("crv") == "P-256" and key.get("alg") == ALGORITHM and key.get("use", "enc") == "enc"]
    if not usable:
        raise RequestInvalid("direct_post.jwt without a P-256 ECDH-ES key in client_metadata.jwks")
    offered = metadata.get("encrypted_response_enc_values_supported", ["A128GCM"])
    enc = next((value for value in offered if value in ENCRYPTIONS), None) if isinstance(offered, list) else None
    if enc is None:
        raise RequestInvalid(f"none of the offered response encryptions is supported ({', '.join(ENCRYPTIONS)})")
    return usable[0], enc


def response_form(request: AuthorizationRequest, vp_token: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """The form fields to POST to ``response_uri``: plain, or encrypted to the request's key."""
    if request.response_mode == DIRECT_POST_JWT:
        payload = json.dumps({"vp_token": vp_token, "state": request.state}, ensure_ascii=False).encode("utf-8")
        return {"response": encrypt_jwe(payload, request.encryption_jwk or {}, enc=request.enc)}
    return {"vp_token": json.dumps(vp_token, ensure_ascii=False), "state": request.state}


def display_name(name: Any) -> str | None:
    """A registry's ``name`` (text or language map) as one printable line, or None."""
    if isinstance(name, dict):
        name = name.get("nl") or next(iter(name.values()), None)
    if not isinstance(name, str) or not name.isprintable():
        return None
    return name[:MAX_NAME_CHARS]

