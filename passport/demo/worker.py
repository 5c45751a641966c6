"""Ria's side: her wallet, her profile, importing endorsements, and answering a verifier.

The wallet is the real encrypted wallet file (``passport.wallet``), with her key from
``examples/keys.json`` (her endorsements name that DID). The verifier service hands out an
OpenID4VP request (``POST /challenges``: its ``openid4vp://`` link); the wallet fetches the signed
request object and answers it as ``passport respond`` does.
"""
from __future__ import annotations

import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from ..crypto.keys import Ed25519Key
from ..wallet import Wallet
from ..wallet.inbox import import_credential
from ..wallet.profile import load_source, set_profile
from datetime import timedelta

from ..wallet import oid4vp
from ..wallet.share import Selection, Shared, build

PASSPHRASE_ENV = "PASSPORT_PASSPHRASE"


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


def import_all(wallet: Wallet, credentials: list[dict[str, Any]], *, status: dict[str, Any], trust: Any,
               now: datetime) -> list[dict[str, Any]]:
    """Import each endorsement (verified on import, with the issuers' current status lists)."""
    items = [import_credential(wallet, credential, now=now, source="issuer", status=status, trust=trust)
             for credential in credentials]
    wallet.save()
    return items


def answer(wallet: Wallet, created: dict[str, Any], now: datetime) -> tuple[Any, Shared, int, Any]:
    """Answer the OpenID4VP request ``POST /challenges`` made (sensitive entries left out); the
    ``Shared`` describes what went, as one presentation for the demo's files."""
    request = oid4vp.fetch_request(created["requestUrl"], now=now)
    selection = oid4vp.selection_for(request)
    shared = build(wallet, selection, now=now, challenge=request.nonce, domain=request.client_id)
    made = oid4vp.answer(wallet, request, selection, now=now, lifetime=timedelta(minutes=5))
    status, reply = oid4vp.send(request, made.vp_token)
    return request, shared, status, reply


def share_one(wallet: Wallet, credential_id: str, created: dict[str, Any], now: datetime) -> Shared:
    """A presentation of one endorsement only (small enough for one QR code), bound to the request."""
    selection = Selection(profile=False, endorsements=[credential_id])
    return build(wallet, selection, now=now, challenge=created["challenge"], domain=created["domain"])
