"""Receiving a credential by OpenID4VCI 1.0 (pre-authorized code flow): ``passport receive``.

Two steps, so the worker sees who offers what before typing the transaction code:

1. ``open_offer``: read the offer URI (``openid-credential-offer://?credential_offer_uri=...``, or
   the offer by value), fetch the offer, the issuer's metadata and its authorization server's
   metadata (``transport``: bounded in size, time and number of requests), and look the issuer
   up in the trust registry: its registered name where it is listed (by its did:web, or by the
   status lists the registry names for it), otherwise only the name it gives itself;
2. ``receive``: exchange the pre-authorized code and the transaction code for an access token,
   get a ``c_nonce``, prove possession of the wallet's key (a ``jwt`` proof by its did:key), get
   the credential, verify it as ``passport import`` does (``inbox.import_credential``) and keep
   it. A credential from another issuer than the registered one the offer named is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping
from urllib.parse import quote, urlsplit

from ..encoding.timeutil import utcnow
from ..errors import ImportRefused
from ..format.documents import issuer_id
from ..format.trust import TrustedIssuer
from ..roles.oid4vci import (
    AS_METADATA_PATH,
    ISSUER_METADATA_PATH,
    LDP_VC,
    PRE_AUTHORIZED_GRANT,
    Offer,
    check_url,
    display_name,
    parse_offer_uri,
    read_issuer_metadata,
    read_offer,
)
from ..protocol_errors import CredentialOfferInvalid, IssuanceFailed
from ..roles.oid4vci_proofs import make_jwt_proof
from .inbox import import_credential
from .store import Wallet
from .transport import Answer, Transport

MAX_TX_CODE = 64


@dataclass(frozen=True)
class OpenOffer:
    """An offer, ready to be accepted: what the worker is shown before giving the transaction code."""

    offer: Offer
    metadata: dict[str, Any]
    token_endpoint: str
    configuration_id: str
    registered: TrustedIssuer | None  # the trust registry's entry for this issuer, when listed
    declared_name: str | None  # the name the issuer gives itself (not checked)

    @property
    def issuer_host(self) -> str:
        return urlsplit(self.offer.credential_issuer).netloc

    @property
    def needs_tx_code(self) -> bool:
        return self.offer.tx_code is not None

    @property
    def tx_code_length(self) -> int | None:
        length = (self.offer.tx_code or {}).get("length")
        return length if isinstance(length, int) and not isinstance(length, bool) else None


def open_offer(text: str, transport: Transport, *, trust: Any = None, lang: str = "nl") -> OpenOffer:
    """Fetch and check everything an offer points at; nothing is sent but GET requests."""
    reference, document = parse_offer_uri(text)
    if reference is not None:
        document = _expect(transport.get(reference), "offer")
    offer = read_offer(document)
    issuer = offer.credential_issuer
    metadata = read_issuer_metadata(_expect(transport.get(_well_known(issuer, ISSUER_METADATA_PATH)), "metadata"),
                                    issuer)
    if len(offer.configuration_ids) != 1:
        raise CredentialOfferInvalid("this wallet receives one credential per offer; the offer names "
                                     f"{len(offer.configuration_ids)}")
    configuration_id = offer.configuration_ids[0]
    configuration = metadata["credential_configurations_supported"].get(configuration_id)
    if not isinstance(configuration, Mapping) or configuration.get("format") != LDP_VC:
        raise CredentialOfferInvalid(f"{configuration_id[:80]!r} is not an ldp_vc credential of this issuer")
    proof_types = configuration.get("proof_types_supported")
    if isinstance(proof_types, Mapping) and "jwt" not in proof_types:
        raise CredentialOfferInvalid("the issuer does not accept jwt key proofs for this credential")
    return OpenOffer(offer, metadata, _token_endpoint(metadata, issuer, transport), configuration_id,
                     registered_issuer(trust, issuer), display_name(metadata, lang))


def receive(opened: OpenOffer, wallet: Wallet, tx_code: str | None, transport: Transport, *,
            now: datetime | Callable[[], datetime] | None, status: Any = None, trust: Any = None) -> dict[str, Any]:
    """Token, nonce, key proof, credential; verified and stored in ``wallet`` (not saved).

    ``now`` fixes the time of every step; a clock (a callable, such as the app's) or ``None`` (the
    system clock) is read at each step, so a credential whose ``validFrom`` is the moment the
    issuer signed it is checked after that moment."""
    form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": opened.offer.code}
    if opened.needs_tx_code:
        if not tx_code or len(tx_code) > MAX_TX_CODE:
            raise CredentialOfferInvalid("this offer needs the transaction code the issuer gave you")
        form["tx_code"] = tx_code
    token = _expect(transport.post_form(opened.token_endpoint, form), "token")
    access_token = token.get("access_token") if isinstance(token, Mapping) else None
    if not isinstance(access_token, str) or not access_token or token.get("token_type", "").lower() != "bearer":
        raise IssuanceFailed("the issuer's token answer holds no bearer access token", step="token")
    metadata, issuer = opened.metadata, opened.offer.credential_issuer
    nonce = _expect(transport.post_json(metadata["nonce_endpoint"]), "nonce")
    fresh = nonce.get("c_nonce") if isinstance(nonce, Mapping) else None
    if not isinstance(fresh, str) or not fresh:
        raise IssuanceFailed("the issuer's nonce answer holds no c_nonce", step="nonce")
    proof = make_jwt_proof(wallet.holder_key, audience=issuer, nonce=fresh, now=_read(now))
    answer = _expect(transport.post_json(metadata["credential_endpoint"], {
        "credential_configuration_id": opened.configuration_id, "proofs": {"jwt": [proof]}}, bearer=access_token),
        "credential")
    credential = _credential_of(answer)
    if opened.registered is not None and issuer_id(credential) != opened.registered.id:
        raise ImportRefused(f"refused: the credential is signed by {issuer_id(credential)}, not by "
                            f"{opened.registered.name} ({opened.registered.id}) who made the offer",
                            check="issuer", reason="ISSUER_MISMATCH")
    return import_credential(wallet, credential, now=_read(now), source=f"oid4vci:{opened.issuer_host}", status=status,
                             trust=trust)


def _read(now: datetime | Callable[[], datetime] | None) -> datetime:
    """The time of a step: ``now`` when fixed, else the clock read now."""
    if now is None:
        return utcnow()
    return now() if callable(now) else now


def registered_issuer(trust: Any, credential_issuer: str) -> TrustedIssuer | None:
    """The registry entry of the issuer at ``credential_issuer``: its did:web, or its status lists."""
    registries = getattr(trust, "registries", None) or ([trust] if hasattr(trust, "entries") else [])
    parts = urlsplit(credential_issuer)
    did_web = "did:web:" + quote(parts.netloc, safe="") + "".join(
        ":" + quote(segment, safe="") for segment in parts.path.split("/") if segment)
    for registry in registries:
        for entry in registry.entries.values():
            if entry.id == did_web or any(url.startswith(credential_issuer.rstrip("/") + "/")
                                          for url in entry.status_lists):
                return entry
    return None


def _well_known(issuer: str, path: str) -> str:
    """RFC 8615 placement: ``https://host/.well-known/<name>/<issuer path>``."""
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}{path}{parts.path.rstrip('/')}"


def _token_endpoint(metadata: Mapping[str, Any], issuer: str, transport: Transport) -> str:
    servers = metadata.get("authorization_servers") or [issuer]
    if not isinstance(servers, list) or not isinstance(servers[0], str):
        raise CredentialOfferInvalid("authorization_servers must be a list of URLs")
    server = check_url(servers[0], "authorization_servers")
    document = _expect(transport.get(_well_known(server, AS_METADATA_PATH)), "metadata")
    if not isinstance(document, Mapping) or document.get("issuer") != server:
        raise CredentialOfferInvalid("the authorization server metadata is not about the authorization server")
    grants = document.get("grant_types_supported")
    if isinstance(grants, list) and PRE_AUTHORIZED_GRANT not in grants:
        raise CredentialOfferInvalid("the authorization server does not support the pre-authorized code grant")
    return check_url(document.get("token_endpoint"), "token_endpoint")


def _expect(answer: Answer, step: str) -> Any:
    if not answer.ok:
        error, description = answer.error()
        raise IssuanceFailed(f"the issuer refused the {step} step: {error}" + (f" ({description})" if description
                                                                              else ""), step=step, error=error)
    if not isinstance(answer.document, Mapping):
        raise IssuanceFailed(f"the issuer's {step} answer is not a JSON object", step=step)
    return answer.document


def _credential_of(answer: Mapping[str, Any]) -> dict[str, Any]:
    credentials = answer.get("credentials")
    if "transaction_id" in answer:
        raise IssuanceFailed("the issuer deferred the credential; this wallet does not wait for it", step="credential")
    if not isinstance(credentials, list) or len(credentials) != 1 or not isinstance(credentials[0], Mapping):
        raise IssuanceFailed("the issuer's answer holds no credential (credentials: [one object])", step="credential")
    credential = credentials[0].get("credential")
    if not isinstance(credential, dict):
        raise IssuanceFailed("an ldp_vc credential is a JSON object", step="credential")
    return credential
