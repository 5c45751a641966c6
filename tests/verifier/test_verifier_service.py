"""The service around the checks: start-up refusal, challenges shared by instances, the
wallet's answer and the page's polling, job profiles and the match."""
from __future__ import annotations

import json

import pytest

from passport import present
from verifier_helpers import client_answer, DOMAIN, NOW, base_config
from verifier_service import ConfigError, create_app


@pytest.mark.parametrize("missing", ["TRUST_REGISTRIES", "TRUST_SIGNERS"])
def test_refuses_to_start_without_trust_configuration(trust_files, sqlite_database, missing):
    config = base_config(trust_files, sqlite_database, **{missing: []})
    with pytest.raises(ConfigError, match=f"PASPOORT_VERIFIER_{missing}"):
        create_app(config)


def test_refuses_to_start_from_an_empty_environment(tmp_path):
    with pytest.raises(ConfigError, match="refuses to start without trust configuration"):
        create_app({"ENV": {}, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"})


def test_refuses_a_registry_signed_by_someone_else(trust_files, sqlite_database, world):
    config = base_config(trust_files, sqlite_database, TRUST_SIGNERS=[world.keys["roc"].did])
    with pytest.raises(ConfigError, match="not a trusted registry operator"):
        create_app(config)


def test_reads_trust_configuration_from_the_environment(trust_files, tmp_path):
    env = {"PASPOORT_VERIFIER_TRUST_REGISTRIES": trust_files["registry"],
           "PASPOORT_VERIFIER_TRUST_SIGNERS": trust_files["signer"],
           "PASPOORT_VERIFIER_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "PASPOORT_VERIFIER_DOMAIN": DOMAIN}
    app = create_app({"ENV": env, "CLOCK": lambda: NOW})
    assert app.config["TRUST_SIGNERS"] == [trust_files["signer"]]


def test_challenges_are_shared_by_two_instances(trust_files, database, world):
    first = create_app(base_config(trust_files, database)).test_client()
    second = create_app(base_config(trust_files, database)).test_client()
    challenge = first.post("/challenges", json={}).get_json()["challenge"]
    vp = present([world.profile], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    body = {"verifiablePresentation": vp, "options": {"challenge": challenge, "domain": DOMAIN}}
    assert second.post("/presentations/verify", json=body).status_code == 200
    replay = first.post("/presentations/verify", json=body)
    assert replay.status_code == 409 and replay.get_json()["code"] == "CHALLENGE_REPLAYED"


def test_wallet_answer_reaches_the_page(client, world):
    created = client.post("/challenges", json={}).get_json()
    assert created["requestUrl"].startswith("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3A")
    assert created["qr"]["text"] == created["requestUrl"] and created["qr"]["png"].startswith("data:image/png;base64,")
    assert created["dcqlQuery"]["credentials"][0]["format"] == "ldp_vc"
    auth = {"Authorization": f"Bearer {created['readToken']}"}
    assert client.get(f"/requests/{created['challenge']}", headers=auth).get_json()["status"] == "pending"

    answered = client_answer(client, created, world, [world.profile, *world.endorsements])
    assert answered.status_code == 200, answered.get_json()
    polled = client.get(f"/requests/{created['challenge']}", headers=auth).get_json()
    assert polled["status"] == "answered" and polled["answer"]["verified"] is True
    assert polled["answer"]["summary"]["person"]["name"] == "Ria de Vries"
    request_path = "/oid4vp/requests/" + created["challenge"]  # an answered request is no longer handed out
    again = client.get(request_path)
    assert again.status_code == 409 and again.get_json()["code"] == "CHALLENGE_REPLAYED"


def test_polling_an_unknown_request_is_404(client):
    response = client.get("/requests/nobody-asked")
    assert response.status_code == 404 and response.get_json()["code"] == "CHALLENGE_UNKNOWN"


def test_inspect_a_presentation_file_without_our_challenge_is_marked_unbound(client, world):
    vp = present([world.profile, *world.endorsements], world.holder, now=NOW)
    response = client.post("/inspect", data={"text": json.dumps(vp)})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["binding"] == "none"
    outcomes = {line["type"]: line["outcome"] for line in body["summary"]["credentials"]}
    assert outcomes["PersoonlijkProfielCredential"] == "self_asserted"
    assert outcomes["AantoonbaarBekwaamCredential"] == "verified"


def test_inspect_qr_text(client, world):
    from passport.qr import encode_text

    challenge = client.post("/challenges", json={}).get_json()["challenge"]
    vp = present(world.endorsements[:1], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    response = client.post("/inspect", data={"text": encode_text(vp)})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["binding"] == "challenge" and response.get_json()["verified"] is True


def test_unknown_routes_and_methods_are_problems(client):
    assert client.get("/nothing").content_type == "application/problem+json"
    response = client.get("/credentials/verify")
    assert response.status_code == 405 and response.content_type == "application/problem+json"


def test_presentation_with_a_job_profile_gets_the_match(client, world):
    challenge = client.post("/challenges", json={}).get_json()["challenge"]
    vp = present([world.profile, *world.endorsements], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    body = {"verifiablePresentation": vp,
            "options": {"challenge": challenge, "domain": DOMAIN, "jobProfile": "begeleider-gehandicaptenzorg"}}
    response = client.post("/presentations/verify", json=body)
    assert response.status_code == 200, response.get_json()
    match = response.get_json()["match"]
    demonstrated = {item["requirementId"] for item in match["demonstrated"]}
    assert "medicatie-aanreiken" in demonstrated
    assert all(item["status"] != "demonstrated" for item in match["learningPath"])


def test_job_profiles_listed_uploaded_and_refused_when_invalid(client):
    listed = client.get("/job-profiles").get_json()["jobProfiles"]
    assert "begeleider-gehandicaptenzorg" in {item["id"] for item in listed}
    from pathlib import Path

    example = json.loads((Path(__file__).resolve().parents[2] / "examples" / "jobs" / "servicemonteur.json").read_text())
    created = client.post("/job-profiles", json=example)
    assert created.status_code == 201
    assert created.get_json()["id"] in {item["id"] for item in client.get("/job-profiles").get_json()["jobProfiles"]}
    refused = client.post("/job-profiles", json={"type": "Vakbekwaamheidsprofiel"})
    assert refused.status_code == 422 and refused.get_json()["code"] == "SCHEMA_INVALID"


def test_an_unknown_job_profile_does_not_use_up_the_challenge(client, world):
    challenge = client.post("/challenges", json={}).get_json()["challenge"]
    vp = present([world.profile], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    body = {"verifiablePresentation": vp, "options": {"challenge": challenge, "jobProfile": "no-such-job"}}
    assert client.post("/presentations/verify", json=body).status_code == 400
    body["options"].pop("jobProfile")
    assert client.post("/presentations/verify", json=body).status_code == 200


def test_inspect_one_document_also_lists_it_under_documents(client, world):
    """Backward compatible: the top level stays the one document's result; documents and subjects are added."""
    response = client.post("/inspect", data={"text": json.dumps(world.endorsements[0]),
                                             "jobProfile": "begeleider-gehandicaptenzorg"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    [only] = body["documents"]
    assert only["index"] == 0 and only["binding"] is None and body["binding"] is None
    assert (only["verified"], only["summary"], only["report"]) == (body["verified"], body["summary"], body["report"])
    [subject] = body["subjects"]
    assert subject["subject"] == world.holder.did and subject["documents"] == [0] and subject["person"] is None
    assert body["match"] == subject["match"] and body["match"]["basis"] == "credentials"


def test_the_api_writes_json_as_the_apps_json_provider_does(app, client, world):
    """One encoder made once (``errors.json_response``): UTF-8 as is, keys in order, dates as Flask writes them."""
    from verifier_service.errors import json_response
    body = {"naam": "Zoë Çelik", "since": NOW, "nested": {"b": 1, "a": [True, None, 1.5]}}
    with app.app_context():
        expected = json.loads(app.json.dumps(body))
    response = json_response(body)
    assert response.content_type == "application/json"
    assert response.get_data(as_text=True) == '{"naam":"Zoë Çelik","since":"Mon, 23 Nov 2026 12:00:00 GMT",' \
                                              '"nested":{"b":1,"a":[true,null,1.5]}}'
    assert json.loads(response.get_data()) == expected
    verified = client.post("/credentials/verify", json={"verifiableCredential": world.endorsements[0]})
    assert verified.status_code == 200 and verified.content_type == "application/json"
    registries = app.extensions["paspoort_verifier"].verifier.trust.registries
    assert verified.get_json()["sources"]["trustRegistries"] == [registry.name for registry in registries]
