"""OpenID4VCI 1.0 shapes: issuer metadata, credential offers and offer URIs (no HTTP, no storage).

Paspoort issues with the pre-authorized code flow only (SPEC.md, "OpenID4VCI profile"): staff
make an offer, the wallet fetches it by reference (``openid-credential-offer://?credential_offer_uri=``),
exchanges the pre-authorized code and a transaction code for an access token, asks for a
``c_nonce`` and proves possession of its did:key (``oid4vci_proofs``). The credential format is
``ldp_vc``: a W3C VC 2.0 credential with a Data Integrity proof, one configuration per Paspoort
type, its id the type's name.

Here: the metadata documents the issuer serves, the offer document, the offer URI, and the
wallet's strict reading of offers and metadata (``CredentialOfferInvalid`` for anything else).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import parse_qs, quote, urlsplit

from ..encoding import jsonio
from ..errors import PassportError
from ..proofs.cryptosuites import SUITES
from ..terms import kind_name
from .issuing import ENDORSEMENT_CONTEXT, ISSUABLE_TYPES
from ..protocol_errors import CredentialOfferInvalid

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_SCHEME = "openid-credential-offer"
LDP_VC = "ldp_vc"
JWT_PROOF, DI_VP_PROOF = "jwt", "di_vp"
ISSUER_METADATA_PATH = "/.well-known/openid-credential-issuer"
AS_METADATA_PATH = "/.well-known/oauth-authorization-server"
TOKEN_PATH, NONCE_PATH, CREDENTIAL_PATH = "/oid4vci/token", "/oid4vci/nonce", "/oid4vci/credential"
OFFERS_PATH = "/oid4vci/offers"
TX_CODE_LENGTH = 6
CONFIGURATIONS = tuple(ISSUABLE_TYPES)  # configuration id = the Paspoort type's name
MAX_OFFER_URI = 4096
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_CODE = re.compile(r"^[A-Za-z0-9_-]{16,512}$")


def configuration(kind: str) -> dict[str, Any]:
    """One entry of ``credential_configurations_supported``: format ``ldp_vc`` for a Paspoort type."""
    return {
        "format": LDP_VC,
        "scope": kind,
        "cryptographic_binding_methods_supported": ["did:key"],
        "credential_signing_alg_values_supported": sorted(SUITES),
        "proof_types_supported": {JWT_PROOF: {"proof_signing_alg_values_supported": ["EdDSA"]},
                                  DI_VP_PROOF: {"proof_signing_alg_values_supported": ["eddsa-jcs-2022"]}},
        "credential_definition": {"@context": list(ENDORSEMENT_CONTEXT), "type": list(ISSUABLE_TYPES[kind])},
        "credential_metadata": {"display": [{"name": kind_name(kind, lang), "locale": lang} for lang in ("nl", "en")]},
    }


def issuer_metadata(base_url: str, name: str | None) -> dict[str, Any]:
    """The credential issuer metadata served at ``<base>/.well-known/openid-credential-issuer``.

    No ``authorization_servers``: the credential issuer is its own authorization server."""
    metadata: dict[str, Any] = {
        "credential_issuer": base_url,
        "credential_endpoint": base_url + CREDENTIAL_PATH,
        "nonce_endpoint": base_url + NONCE_PATH,
        "credential_configurations_supported": {kind: configuration(kind) for kind in CONFIGURATIONS},
    }
    if name:
        metadata["display"] = [{"name": name, "locale": lang} for lang in ("nl", "en")]
    return metadata


def authorization_server_metadata(base_url: str) -> dict[str, Any]:
    """RFC 8414 metadata: the token endpoint and the one grant this issuer supports."""
    return {"issuer": base_url, "token_endpoint": base_url + TOKEN_PATH,
            "grant_types_supported": [PRE_AUTHORIZED_GRANT], "response_types_supported": [],
            "pre-authorized_grant_anonymous_access_supported": True,
            "token_endpoint_auth_methods_supported": ["none"]}


def offer_document(base_url: str, configuration_id: str, code: str, *, tx_code_length: int = TX_CODE_LENGTH,
                   lang: str = "nl") -> dict[str, Any]:
    """The credential offer a wallet fetches from ``credential_offer_uri``."""
    description = {"nl": "De code die u van de uitgever kreeg", "en": "The code the issuer gave you"}[lang]
    return {"credential_issuer": base_url, "credential_configuration_ids": [configuration_id],
            "grants": {PRE_AUTHORIZED_GRANT: {"pre-authorized_code": code, "tx_code": {
                "input_mode": "numeric", "length": tx_code_length, "description": description}}}}


def offer_uri(credential_offer_uri: str) -> str:
    """The text of the offer's QR code: the offer by reference, so the code stays small."""
    return f"{OFFER_SCHEME}://?credential_offer_uri={quote(credential_offer_uri, safe='')}"


# --- the wallet's reading ---------------------------------------------------------------------
@dataclass(frozen=True)
class Offer:
    credential_issuer: str
    configuration_ids: tuple[str, ...]
    code: str
    tx_code: Mapping[str, Any] | None  # input_mode, length, description when the issuer asks for one


def parse_offer_uri(text: str) -> tuple[str | None, Any]:
    """``(credential_offer_uri, None)`` for an offer by reference, ``(None, offer)`` by value."""
    if not isinstance(text, str) or len(text) > MAX_OFFER_URI:
        raise CredentialOfferInvalid(f"a credential offer is a URI of at most {MAX_OFFER_URI} characters")
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme not in (OFFER_SCHEME, "https", "haip"):
        raise CredentialOfferInvalid(f"not a credential offer: it must start with {OFFER_SCHEME}://")
    query = parse_qs(parts.query, keep_blank_values=True)
    by_reference, by_value = query.get("credential_offer_uri"), query.get("credential_offer")
    if bool(by_reference) == bool(by_value) or len(by_reference or by_value) != 1:
        raise CredentialOfferInvalid("a credential offer carries exactly one credential_offer_uri or credential_offer")
    if by_reference:
        return check_url(by_reference[0], "credential_offer_uri"), None
    try:
        return None, jsonio.loads(by_value[0].encode("utf-8"), max_bytes=MAX_OFFER_URI)
    except PassportError as exc:
        raise CredentialOfferInvalid(f"credential_offer is not JSON: {exc.message}") from None


def read_offer(document: Any) -> Offer:
    """The parts of an offer document the pre-authorized flow needs, strictly."""
    if not isinstance(document, Mapping):
        raise CredentialOfferInvalid("the credential offer is not a JSON object")
    issuer = check_url(document.get("credential_issuer"), "credential_issuer")
    ids = document.get("credential_configuration_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(item, str) and item for item in ids):
        raise CredentialOfferInvalid("credential_configuration_ids must be a non-empty list of strings")
    grants = document.get("grants")
    grant = grants.get(PRE_AUTHORIZED_GRANT) if isinstance(grants, Mapping) else None
    if not isinstance(grant, Mapping):
        raise CredentialOfferInvalid("the offer has no pre-authorized code grant; this wallet supports only that")
    code = grant.get("pre-authorized_code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise CredentialOfferInvalid("pre-authorized_code must be a URL-safe string of 16 to 512 characters")
    tx_code = grant.get("tx_code")
    if tx_code is not None and not isinstance(tx_code, Mapping):
        raise CredentialOfferInvalid("tx_code must be an object")
    return Offer(issuer, tuple(ids), code, tx_code)


def read_issuer_metadata(document: Any, credential_issuer: str) -> dict[str, Any]:
    """Issuer metadata, checked to belong to ``credential_issuer`` (OID4VCI 1.0, section 12.2.2)."""
    if not isinstance(document, Mapping) or document.get("credential_issuer") != credential_issuer:
        raise CredentialOfferInvalid("the issuer metadata is not about the issuer that made the offer")
    for name in ("credential_endpoint", "nonce_endpoint"):
        check_url(document.get(name), name)
    if not isinstance(document.get("credential_configurations_supported"), Mapping):
        raise CredentialOfferInvalid("the issuer metadata has no credential_configurations_supported")
    return dict(document)


def check_url(value: Any, name: str) -> str:
    """An ``https`` URL (``http`` only to a loopback host, for development) without user info."""
    if not isinstance(value, str) or len(value) > 2048:
        raise CredentialOfferInvalid(f"{name} must be an https URL")
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        raise CredentialOfferInvalid(f"{name} is not a valid URL") from None
    if parts.username or parts.password or not host:
        raise CredentialOfferInvalid(f"{name} must be an https URL with a host and no user name")
    if parts.scheme != "https" and not (parts.scheme == "http" and host in _LOOPBACK):
        raise CredentialOfferInvalid(f"{name} must be an https URL (http only to 127.0.0.1 or localhost)")
    return value


def display_name(metadata: Mapping[str, Any], lang: str) -> str | None:
    """The issuer's own display name in ``lang`` (self-declared: the trust registry decides)."""
    entries = metadata.get("display")
    if not isinstance(entries, list):
        return None
    names = {item.get("locale"): item.get("name") for item in entries if isinstance(item, Mapping)}
    name = names.get(lang) or next((value for value in names.values() if isinstance(value, str)), None)
    return name[:200] if isinstance(name, str) else None
