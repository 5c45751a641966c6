"""Nothing the OpenID4VCI tables hold is kept without bounds: expired offers, expired access
tokens and used c_nonces past their expiry are deleted, piggy-backed on the requests that store
them (offers, token, credential; no scheduler to run).

``Housekeeper.maybe_purge(now)`` runs at most every ``PURGE_EVERY`` per process and deletes at
most ``PURGE_BATCH`` rows per table (by time columns), so one request never does unbounded work;
when a batch was full it runs again on the next request until it has caught up. What goes:

- an access token once it has expired (a used one is deleted when it is used);
- a used c_nonce once it has expired: a proof with it is refused as expired from then on, so the
  row that refused a second use is no longer needed;
- an offer ``OFFER_KEPT`` after it expired, whatever its state (until then the wallet is told
  "expired", not "unknown", and the desk lists it as expired or collected), with any access
  token still bound to it. An issued offer's trail
  stays where it belongs: the credential record and the audit log are other tables and are never
  touched here. The offered body (personal data) goes with the offer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from .models import AccessToken, Nonce, Offer

PURGE_EVERY = timedelta(seconds=10)
PURGE_BATCH = 1000
OFFER_KEPT = timedelta(days=1)  # the desk lists expired and collected offers that long


def purge(db: Any, *, now: datetime, batch: int = PURGE_BATCH) -> dict[str, int]:
    """Delete at most ``batch`` stale rows of each kind in one transaction; how many of each went."""
    with db.transaction() as session:
        connection = session.connection()
        tokens = select(AccessToken.token_hash).where(AccessToken.expires_at <= now).limit(batch)
        done = {"accessTokens": connection.execute(
            delete(AccessToken).where(AccessToken.token_hash.in_(tokens))).rowcount}
        nonces = select(Nonce.nonce_hash).where(Nonce.expires_at <= now).limit(batch)
        done["nonces"] = connection.execute(delete(Nonce).where(Nonce.nonce_hash.in_(nonces))).rowcount
        stale = [row.id for row in connection.execute(
            select(Offer.id).where(Offer.expires_at <= now - OFFER_KEPT).order_by(Offer.expires_at).limit(batch))]
        if stale:
            connection.execute(delete(AccessToken).where(AccessToken.offer_id.in_(stale)))
        done["offers"] = connection.execute(delete(Offer).where(Offer.id.in_(stale))).rowcount if stale else 0
    return done


@dataclass
class Housekeeper:
    db: Any  # the issuer's Database
    batch: int = PURGE_BATCH
    next_run: datetime | None = field(default=None)

    def maybe_purge(self, now: datetime) -> dict[str, int] | None:
        """Purge when due (``None`` when not); again on the next call when a batch was full."""
        if self.next_run is not None and now < self.next_run:
            return None
        self.next_run = now + PURGE_EVERY  # set first: concurrent requests do not all purge
        done = purge(self.db, now=now, batch=self.batch)
        if max(done.values()) >= self.batch:
            self.next_run = now
        return done
