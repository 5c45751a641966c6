"""The public ``sign``: a Data Integrity proof (``eddsa-jcs-2022`` unless asked), ``created`` from the clock."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from . import proof
from ..crypto.keys import Ed25519Key
from ..encoding.timeutil import format_datetime, utcnow


def sign(
    document: Mapping[str, Any],
    key: Ed25519Key,
    *,
    created: str | datetime | None = None,
    proof_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
    expires: str | None = None,
    cryptosuite: str = proof.CRYPTOSUITE,
    document_loader: Any = None,
) -> dict[str, Any]:
    """Return a signed copy of ``document``; ``created`` is a dateTimeStamp or an aware datetime.

    ``cryptosuite``: ``eddsa-jcs-2022`` (the default) or ``eddsa-rdfc-2022``; ``document_loader``:
    a ``passport.jsonld.DocumentLoader`` with extra contexts (for ``eddsa-rdfc-2022``).
    """
    if created is None:
        created = utcnow()
    if isinstance(created, datetime):
        created = format_datetime(created)
    return proof.sign(
        document, key, created=created, proof_purpose=proof_purpose, challenge=challenge, domain=domain,
        expires=expires, cryptosuite=cryptosuite, document_loader=document_loader,
    )
