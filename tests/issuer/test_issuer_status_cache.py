"""Status lists served from memory (decision 0177): a 304 for a fresh list asks the database
nothing; a change in this process shows at once, a change by another process within
min(5 s, STATUS_MAX_AGE) of the request clock; the 200 is gzipped when the client accepts it."""
from __future__ import annotations

import gzip
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from issuer_helpers import BASE_URL, base_config, bearer, example, make_tokens

from issuer_service import create_app
from issuer_service.cli import init_db

START = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Statements:
    """Counts the SQL statements an engine runs on tables (not BEGIN or pings)."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection, _cursor, statement: str, *_args) -> None:
        self.count += statement.lstrip().split(" ", 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app_config(clock):
    return {"CLOCK": clock}


def issue(client, token):
    response = client.post("/credentials/issue", json={"credential": example("ria/endorsements/bhv-certificaat.json")},
                           headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["verifiableCredential"]


def revoke(client, token, credential_id):
    response = client.post("/credentials/status", json={"credentialId": credential_id, "action": "revoke",
                                                        "reason": "test"}, headers=bearer(token))
    assert response.status_code == 200


def list_path(credential) -> str:
    return credential["credentialStatus"]["statusListCredential"][len(BASE_URL):]


def test_a_fresh_list_answers_304_and_200_without_the_database(app, client, tokens, clock):
    path = list_path(issue(client, tokens["admin"]))
    first = client.get(path)
    statements = Statements(app.extensions["paspoort_issuer_db"].engine)
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(path).get_data() == first.get_data()
    assert statements.count == 0
    clock.now += timedelta(seconds=5)  # the bound: one small query confirms the version
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert statements.count == 1


def test_a_change_in_this_process_shows_at_once(app, client, tokens):
    credential = issue(client, tokens["admin"])
    before = client.get(list_path(credential)).headers["ETag"]
    revoke(client, tokens["admin"], credential["id"])
    after = client.get(list_path(credential), headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


def test_a_change_by_another_process_shows_within_the_bound(app, client, tokens, clock, tmp_path, database):
    credential = issue(client, tokens["admin"])
    before = client.get(list_path(credential)).headers["ETag"]
    other = create_app(base_config(tmp_path, database))  # another worker on the same database
    try:
        revoke(other.test_client(), tokens["admin"], credential["id"])
    finally:
        other.extensions["paspoort_issuer_db"].dispose()
    clock.now += timedelta(seconds=4.9)
    assert client.get(list_path(credential), headers={"If-None-Match": before}).status_code == 304  # stale, stated
    clock.now += timedelta(seconds=0.1)
    changed = client.get(list_path(credential), headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["ETag"] != before


@pytest.mark.parametrize("max_age", [0])
def test_max_age_zero_asks_the_database_every_time(tmp_path, database, max_age):
    app = create_app(base_config(tmp_path, database, STATUS_MAX_AGE=max_age))
    init_db(app)
    try:
        client = app.test_client()
        path = list_path(issue(client, make_tokens(app)["admin"]))
        etag = client.get(path).headers["ETag"]
        statements = Statements(app.extensions["paspoort_issuer_db"].engine)
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert statements.count == 1
    finally:
        app.extensions["paspoort_issuer_db"].dispose()


def test_gzip_when_the_client_accepts_it(app, client, tokens):
    path = list_path(issue(client, tokens["admin"]))
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert "Content-Encoding" not in plain.headers and plain.headers["Vary"] == "Accept-Encoding"
    assert packed.headers["Content-Encoding"] == "gzip" and packed.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < len(plain.get_data())
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'  # another representation, another tag
    for refused in ("identity", "gzip;q=0", "deflate"):
        assert "Content-Encoding" not in client.get(path, headers={"Accept-Encoding": refused}).headers


def test_either_tag_of_a_version_answers_304(app, client, tokens):
    path = list_path(issue(client, tokens["admin"]))
    plain = client.get(path).headers["ETag"]
    packed = client.get(path, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    for sent, encoding in [(packed, "identity"), (plain, "gzip"), ("W/" + plain, "identity"), ("*", "gzip"),
                           (f'"other", {plain}', "identity")]:
        answer = client.get(path, headers={"If-None-Match": sent, "Accept-Encoding": encoding})
        assert answer.status_code == 304 and answer.get_data() == b""
        assert answer.headers["ETag"] == (packed if encoding == "gzip" else plain)
    assert client.get(path, headers={"If-None-Match": '"1-0-nokey"'}).status_code == 200


def test_an_unknown_list_is_404_every_time(app, client):
    for _ in range(2):
        assert client.get("/status-lists/999").status_code == 404
