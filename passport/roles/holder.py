"""The holder's role: wrap chosen credentials in a presentation signed by the holder key."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping

from ..proofs import proof
from ..format.documents import new_credential_id
from ..crypto.keys import Ed25519Key
from ..encoding.timeutil import format_datetime

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
DEFAULT_LIFETIME = timedelta(minutes=15)


def present(
    credentials: Iterable[Mapping[str, Any]],
    key: Ed25519Key,
    *,
    now: datetime,
    challenge: str | None = None,
    domain: str | None = None,
    lifetime: timedelta | None = DEFAULT_LIFETIME,
) -> dict[str, Any]:
    """A ``VerifiablePresentation`` by ``key``'s DID, bound to ``challenge``/``domain`` when given."""
    unsigned = {
        "@context": [VC_CONTEXT],
        "id": new_credential_id(),
        "type": ["VerifiablePresentation"],
        "holder": key.did,
        "verifiableCredential": [dict(credential) for credential in credentials],
    }
    return proof.sign(
        unsigned,
        key,
        created=format_datetime(now),
        proof_purpose="authentication",
        challenge=challenge,
        domain=domain,
        expires=format_datetime(now + lifetime) if lifetime else None,
    )
