"""The service keeps verified status lists per process: a list fetched over HTTP is verified once
and reused by later requests until its cache time (``max-age``) is over; then it is fetched
again, and verified again only when new bytes came. Verifications are counted by wrapping the
proof check of the status step."""
from __future__ import annotations

from typing import Any

import pytest

from registry_helpers import registry_file
from verifier_helpers import base_config, issue_with_status, status_list_doc
from verifier_service import create_app


@pytest.fixture
def app_listing(trust_files, sqlite_database, world, tmp_path, server):
    registry = registry_file(world, tmp_path, [server.url("/lists/")])
    app = create_app(base_config(trust_files, sqlite_database, TRUST_REGISTRIES=[registry]))
    clock = [1000.0]
    app.extensions["paspoort_verifier"].verifier.fetcher.clock = lambda: clock[0]
    return app, clock


def verified(client, credential: dict[str, Any]) -> bool:
    response = client.post("/credentials/verify", json={"verifiableCredential": credential, "options": {}})
    return response.status_code == 200 and response.get_json()["verified"]


def test_a_fetched_list_is_verified_once_until_its_max_age(app_listing, world, server, verifications):
    app, clock = app_listing
    url = server.url("/lists/revocation")
    server.serve("/lists/revocation", status_list_doc(world, url), headers={"Cache-Control": "max-age=60"})
    credential, client = issue_with_status(world, url, index=7), app.test_client()
    for _ in range(3):
        assert verified(client, credential)
    assert len(server.hits["/lists/revocation"]) == 1 and verifications == [url]

    clock[0] += 61  # the cache time is over: fetched again, new bytes, verified again
    server.serve("/lists/revocation", status_list_doc(world, url, set_bits=(7,)),
                 headers={"Cache-Control": "max-age=60"})
    assert not verified(client, credential)  # the revocation in the new list is seen
    assert len(server.hits["/lists/revocation"]) == 2 and verifications == [url, url]
    assert not verified(client, credential)
    assert len(verifications) == 2


def test_a_not_modified_list_keeps_its_verification(app_listing, world, server, verifications):
    app, clock = app_listing
    url = server.url("/lists/tagged")
    server.serve("/lists/tagged", status_list_doc(world, url), etag='"v1"', headers={"Cache-Control": "max-age=5"})
    credential, client = issue_with_status(world, url, index=7), app.test_client()
    assert verified(client, credential)
    clock[0] += 6
    assert verified(client, credential)  # revalidated: 304, the same document
    assert len(server.hits["/lists/tagged"]) == 2 and verifications == [url]


def test_a_forged_list_is_verified_on_every_request_never_kept(app_listing, world, server, verifications):
    app, _ = app_listing
    url = server.url("/lists/forged")
    forged = status_list_doc(world, url)
    forged["credentialSubject"]["id"] = url + "#other"
    server.serve("/lists/forged", forged, headers={"Cache-Control": "max-age=60"})
    credential, client = issue_with_status(world, url, index=7), app.test_client()
    for _ in range(2):
        assert not verified(client, credential)
    assert len(verifications) == 2
    assert len(app.extensions["paspoort_verifier"].verifier.verified_lists) == 0
