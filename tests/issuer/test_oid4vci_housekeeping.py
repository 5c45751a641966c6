"""OpenID4VCI housekeeping: expired offers, access tokens and used c_nonces are purged in bounded
batches, with the clock as a parameter; an issued credential's record and audit log stay. On
SQLite and PostgreSQL (the ``backend`` fixture)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from issuer_service.models import AuditEntry, IssuedCredential
from issuer_service.oid4vci.housekeeping import OFFER_KEPT, PURGE_EVERY, Housekeeper, purge
from issuer_service.oid4vci.models import AccessToken, Nonce, Offer
from oid4vci_helpers import credential_request, jwt_proof, make_offer, nonce, redeemed, token_request

LATER = timedelta(minutes=10)  # past every offer, token and nonce made now (defaults: 10, 5 and 5 minutes)


def counts(app) -> dict[str, int]:
    with app.extensions["paspoort_issuer_db"].reading_connection() as connection:
        return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in (("offers", Offer), ("accessTokens", AccessToken), ("nonces", Nonce),
                                    ("credentials", IssuedCredential), ("audit", AuditEntry))}


def three_offers(client, tokens) -> None:
    """One offered, one redeemed (its access token unused), one issued (its c_nonce used)."""
    make_offer(client, tokens["administratie"])
    redeemed(client, tokens["administratie"])
    _created, access_token = redeemed(client, tokens["administratie"])
    response = credential_request(client, access_token, jwt_proof(nonce(client)))
    assert response.status_code == 200, response.get_data(as_text=True)


def test_nothing_current_is_purged(app, client, tokens):
    three_offers(client, tokens)
    before = counts(app)
    assert before["offers"] == 3 and before["accessTokens"] == 1 and before["nonces"] == 1
    done = purge(app.extensions["paspoort_issuer_db"], now=datetime.now(timezone.utc))
    assert done == {"accessTokens": 0, "nonces": 0, "offers": 0} and counts(app) == before


def test_expired_tokens_and_nonces_go_at_once_offers_after_they_were_kept(app, client, tokens):
    three_offers(client, tokens)
    before = counts(app)
    db, now = app.extensions["paspoort_issuer_db"], datetime.now(timezone.utc)
    done = purge(db, now=now + LATER + timedelta(seconds=1))
    assert done == {"accessTokens": 1, "nonces": 1, "offers": 0}  # an expired offer still says "expired"
    assert counts(app)["offers"] == 3
    done = purge(db, now=now + LATER + OFFER_KEPT + timedelta(seconds=1))
    assert done == {"accessTokens": 0, "nonces": 0, "offers": 3}
    after = counts(app)
    assert after["offers"] == after["accessTokens"] == after["nonces"] == 0
    assert after["credentials"] == before["credentials"] == 1  # the issued credential's record stays
    assert after["audit"] == before["audit"]  # and so does its audit trail


def test_an_offer_is_purged_with_the_access_token_still_bound_to_it(app, client, tokens):
    """A token can outlive its offer's expiry (both are configurable): it goes with the offer."""
    redeemed(client, tokens["administratie"])
    db, now = app.extensions["paspoort_issuer_db"], datetime.now(timezone.utc)
    with db.transaction() as session:  # as if the token were made to last longer
        session.connection().execute(AccessToken.__table__.update().values(expires_at=now + timedelta(days=1)))
    done = purge(db, now=now + LATER + OFFER_KEPT + timedelta(seconds=1))
    assert done["offers"] == 1 and counts(app)["accessTokens"] == 0


def test_each_run_is_bounded_and_catches_up_on_the_next_call(app, client, tokens):
    for _ in range(3):
        make_offer(client, tokens["administratie"])
    db, now = app.extensions["paspoort_issuer_db"], datetime.now(timezone.utc)
    late = now + LATER + OFFER_KEPT + timedelta(seconds=1)
    keeper = Housekeeper(db, batch=2)
    assert keeper.maybe_purge(late)["offers"] == 2  # a full batch: due again at once
    assert keeper.maybe_purge(late)["offers"] == 1  # caught up: due again only after PURGE_EVERY
    assert keeper.maybe_purge(late + PURGE_EVERY / 2) is None
    assert keeper.maybe_purge(late + PURGE_EVERY) == {"accessTokens": 0, "nonces": 0, "offers": 0}
    assert counts(app)["offers"] == 0


def test_the_wallet_endpoints_run_housekeeping(app, client, tokens):
    """A token request, later, purges what expired meanwhile (the app's clock decides)."""
    make_offer(client, tokens["administratie"])
    now = datetime.now(timezone.utc)
    app.config["CLOCK"] = lambda: now + LATER + OFFER_KEPT + timedelta(seconds=1)
    response = token_request(client, "no-such-code", "123456")
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"
    assert counts(app)["offers"] == 0
