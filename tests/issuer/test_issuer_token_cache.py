"""Staff tokens remembered per process for TOKEN_CACHE_SECONDS (decision 0176): the clock is a
parameter, nothing sleeps. A token revoked by another process (a direct database update here) is
refused once the bound has passed; revoke-token in this process refuses it at once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from issuer_helpers import base_config, bearer, example

from issuer_service import create_app
from issuer_service.auth import ROLE_TYPES, Staff, TokenCache, bearer_digest
from issuer_service.cli import init_db
from issuer_service.config import ConfigError
from issuer_service.errors import Unauthorized
from issuer_service.models import Token

START = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
ADMIN = Staff(token_id=1, name="Marleen", role="admin", types=ROLE_TYPES["admin"], scopes=None)
HEADER = "Bearer psi_example"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Reads:
    """``read(digest)`` of TokenCache: counts the database reads; ``revoked`` makes it refuse."""

    def __init__(self, expires_at: datetime | None = None) -> None:
        self.count, self.revoked, self.expires_at = 0, False, expires_at

    def __call__(self, digest: str):
        assert digest == bearer_digest(HEADER)
        self.count += 1
        if self.revoked:
            raise Unauthorized("the token has been revoked")
        return ADMIN, self.expires_at


def test_a_valid_token_is_read_once_within_the_bound_and_again_after_it():
    cache, reads = TokenCache(5), Reads()
    assert cache.staff(reads, HEADER, START) == ADMIN
    assert cache.staff(reads, HEADER, START + timedelta(seconds=4.999)) == ADMIN
    assert reads.count == 1
    reads.revoked = True  # revoked by another process
    with pytest.raises(Unauthorized, match="revoked"):
        cache.staff(reads, HEADER, START + timedelta(seconds=5))
    assert reads.count == 2


def test_a_refused_token_is_never_remembered():
    cache, reads = TokenCache(5), Reads()
    reads.revoked = True
    for _ in range(3):
        with pytest.raises(Unauthorized):
            cache.staff(reads, HEADER, START)
    assert reads.count == 3


def test_expiry_is_checked_on_every_request_even_from_the_cache():
    cache, reads = TokenCache(5), Reads(expires_at=START + timedelta(seconds=2))
    assert cache.staff(reads, HEADER, START) == ADMIN
    with pytest.raises(Unauthorized, match="expired"):
        cache.staff(reads, HEADER, START + timedelta(seconds=2))
    assert reads.count == 1


def test_a_clock_set_back_reads_again_and_zero_seconds_keeps_nothing():
    cache, reads = TokenCache(5), Reads()
    cache.staff(reads, HEADER, START)
    cache.staff(reads, HEADER, START - timedelta(seconds=1))
    assert reads.count == 2
    uncached, reads = TokenCache(0), Reads()
    uncached.staff(reads, HEADER, START)
    uncached.staff(reads, HEADER, START)
    assert reads.count == 2


def test_clear_forgets_every_token():
    cache, reads = TokenCache(5), Reads()
    cache.staff(reads, HEADER, START)
    cache.clear()
    cache.staff(reads, HEADER, START)
    assert reads.count == 2


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer  "])
def test_a_malformed_header_is_refused_before_any_read(header):
    reads = Reads()
    with pytest.raises(Unauthorized):
        TokenCache(5).staff(reads, header, START)
    assert reads.count == 0


@pytest.mark.parametrize("seconds", [-1, 61])
def test_the_bound_is_limited(tmp_path, seconds):
    with pytest.raises(ConfigError, match="TOKEN_CACHE_SECONDS"):
        create_app(base_config(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
                               TOKEN_CACHE_SECONDS=seconds))


def test_over_http_a_token_revoked_elsewhere_is_refused_within_the_bound(tmp_path, database):
    clock = Clock()
    app = create_app(base_config(tmp_path, database, CLOCK=clock, TOKEN_CACHE_SECONDS=5))
    init_db(app)
    try:
        from issuer_helpers import make_tokens
        token = make_tokens(app)["admin"]
        client = app.test_client()
        body = {"credential": example("ria/endorsements/bhv-certificaat.json")}
        assert client.post("/credentials/issue", json=body, headers=bearer(token)).status_code == 201
        with app.extensions["paspoort_issuer_db"].transaction() as session:  # as another process would
            session.execute(update(Token).where(Token.token_hash == bearer_digest(f"Bearer {token}"))
                            .values(revoked_at=clock.now))
        clock.now += timedelta(seconds=4)
        assert client.post("/credentials/issue", json=body, headers=bearer(token)).status_code == 201
        clock.now += timedelta(seconds=1)
        refused = client.post("/credentials/issue", json=body, headers=bearer(token))
        assert refused.status_code == 401 and "revoked" in refused.get_json()["detail"]
    finally:
        app.extensions["paspoort_issuer_db"].dispose()
