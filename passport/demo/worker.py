"""Ria's side: her wallet, her profile, receiving endorsements and answering a verifier.

The wallet is the real encrypted wallet file (``ria.wallet``), with her key from
``examples/keys.json`` (her endorsements name that DID). Everything reaches her wallet as a
QR code *image*, read with zxing as the wallet's camera would (``passport receive photo.png``,
``passport respond photo.png``), and then takes the path the CLI takes:

- an issuer's OpenID4VCI offer (``openid-credential-offer://``): ``open_offer`` and ``receive``
  (``passport.wallet.receive``) with the transaction code the issuer gave her by another way;
  afterwards ``passport status`` (``passport.wallet.status.refresh``) fetches the status lists;
- the employer's OpenID4VP request (``openid4vp://``): ``fetch_request``, ``selection_for``,
  ``answer`` and ``send`` (``passport.wallet.oid4vp``, ``direct_post.jwt``).
"""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..crypto.keys import Ed25519Key
from ..protocol_errors import CredentialOfferInvalid
from ..errors import RequestInvalid
from ..wallet import Wallet, oid4vp
from ..wallet import status as statuses
from ..wallet.inbox import qr_module
from ..wallet.profile import load_source, set_profile
from ..wallet.receive import OpenOffer, open_offer, receive
from ..wallet.share import Selection, Shared, build
from ..wallet.transport import Transport

PASSPHRASE_ENV = "PASSPORT_PASSPHRASE"
OFFER_SCHEME, REQUEST_SCHEME = "openid-credential-offer://", "openid4vp://"
LOCAL_HOSTS = ("127.0.0.1",)  # the demo's issuers serve plain http on loopback (``--allow-http-host``)
ANSWER_LIFETIME = timedelta(minutes=5)  # ``passport respond``'s default --lifetime


def passphrase() -> tuple[str, str]:
    """``(passphrase, where it comes from)``: ``$PASSPORT_PASSPHRASE``, else a new random one that
    the account shows once (secrets never land on disk in plain text), so the demo wallet can be
    opened afterwards."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given, f"passphrase from ${PASSPHRASE_ENV}"
    made = secrets.token_urlsafe(18)
    return made, f"passphrase, shown once and not stored: {made}"


def create_wallet(path: Path, secret: str, holder: Ed25519Key, profile_file: Path, now: datetime) -> Wallet:
    """A new wallet with her key and her signed profile (entry ids kept from the file)."""
    wallet = Wallet.create(str(path), secret, holder_key=holder, now=now)
    set_profile(wallet, load_source(str(profile_file)), now=now)
    wallet.save()
    return wallet


def sensitive_entries(wallet: Wallet) -> list[str]:
    source = wallet.data["profileSource"] or {}
    return [entry["id"] for block in source.values() if isinstance(block, list) for entry in block
            if isinstance(entry, dict) and entry.get("sensitive")]


def scan(image: Path, scheme: str) -> str:
    """The ``scheme`` link in a QR code image (zxing, as ``passport receive``/``respond`` read a photo)."""
    found = [text for text in qr_module().decode_image(str(image)) if text.startswith(scheme)]
    if not found:
        error = CredentialOfferInvalid if scheme == OFFER_SCHEME else RequestInvalid
        raise error(f"{image.name}: no {scheme} QR code found")
    return found[0]


def receive_from_qr(wallet: Wallet, image: Path, tx_code: str, *, trust: Any,
                    now: datetime) -> tuple[OpenOffer, dict[str, Any]]:
    """``passport receive IMAGE --trust ...`` with the transaction code: the offer read from the
    picture, opened (who offers what), accepted; the credential verified and kept (not saved)."""
    transport = Transport()  # one per offer, as one ``passport receive``
    opened = open_offer(scan(image, OFFER_SCHEME), transport, trust=trust)
    return opened, receive(opened, wallet, tx_code, transport, now=now, trust=trust)


def refresh_status(wallet: Wallet, now: datetime) -> list[statuses.Outcome]:
    """``passport status --allow-http-host 127.0.0.1``: every endorsement against its issuer's list now."""
    outcomes = statuses.refresh(wallet, now=now, load=statuses.bounded_loader(wallet, http_hosts=LOCAL_HOSTS))
    wallet.save()
    return outcomes


def answer(wallet: Wallet, image: Path, now: datetime) -> tuple[oid4vp.AuthorizationRequest, Shared, int, Any]:
    """``passport respond IMAGE --yes``: the request read from the picture of its QR code, fetched
    and checked, answered (sensitive entries left out) and sent; the ``Shared`` describes what
    went, as one presentation for the demo's files."""
    request = oid4vp.fetch_request(scan(image, REQUEST_SCHEME), now=now)
    selection = oid4vp.selection_for(request)
    shared = build(wallet, selection, now=now, challenge=request.nonce, domain=request.client_id)
    made = oid4vp.answer(wallet, request, selection, now=now, lifetime=ANSWER_LIFETIME)
    status, reply = oid4vp.send(request, made.vp_token)
    return request, shared, status, reply


def share_one(wallet: Wallet, credential_id: str, created: dict[str, Any], now: datetime) -> Shared:
    """A presentation of one endorsement only (small enough for one QR code), bound to the request."""
    selection = Selection(profile=False, endorsements=[credential_id])
    return build(wallet, selection, now=now, challenge=created["challenge"], domain=created["domain"])
