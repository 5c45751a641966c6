"""Item 4 of issue #11 on the verifier service: nothing stored without bounds. Uploaded job
profiles belong to the page session that uploaded them and are capped; listing them parses none;
old challenges go in bounded batches.
Each test fails on the service as it was before the fix."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select, update

from verifier_service import housekeeping, jobs
from verifier_service.models import challenges, job_profiles
from test_verifier_hardening import Clock, engine_of, example_job, rows


# --- item 4: nothing stored without bounds -----------------------------------------------------
def uploads_listed(client) -> set[str]:
    return {item["id"] for item in client.get("/job-profiles").get_json()["jobProfiles"] if item["source"] == "upload"}


def test_an_uploaded_job_profile_is_listed_only_for_its_page_session(app):
    mine, theirs = app.test_client(), app.test_client()
    mine.get("/")  # the page sets its session cookie
    created = mine.post("/job-profiles", json=example_job())
    assert created.status_code == 201, created.get_json()
    job_id = created.get_json()["id"]
    assert uploads_listed(mine) == {job_id}
    assert uploads_listed(theirs) == set()
    theirs.get("/")
    assert uploads_listed(theirs) == set()
    with engine_of(app).connect() as conn:
        owner = conn.execute(select(job_profiles.c.owner).where(job_profiles.c.id == job_id)).scalar_one()
    assert owner == hashlib.sha256(mine.get_cookie("paspoort_page").value.encode()).hexdigest()
    assert len(job_id) >= len("upload-") + 32  # 128 random bits: the id is not guessable


def test_job_profile_uploads_are_capped_in_size_and_count(make_app, monkeypatch):
    client = make_app().test_client()
    big = {**example_job(), "description": "x" * (jobs.MAX_UPLOAD_BYTES + 1)}
    refused = client.post("/job-profiles", json=big)
    assert refused.status_code == 413 and refused.content_type == "application/problem+json"
    monkeypatch.setattr(jobs, "MAX_UPLOADS_PER_SESSION", 2)
    assert [client.post("/job-profiles", json=example_job()).status_code for _ in range(2)] == [201, 201]
    third = client.post("/job-profiles", json=example_job())
    assert third.status_code == 400 and "20" not in third.get_json()["detail"] and "2 job profiles" in \
        third.get_json()["detail"]
    assert make_app().test_client().post("/job-profiles", json=example_job()).status_code == 201  # a new session


def test_listing_job_profiles_does_not_parse_the_uploads(app):
    client = app.test_client()
    job_id = client.post("/job-profiles", json=example_job()).get_json()["id"]
    with engine_of(app).begin() as conn:  # were the documents read again, this would be a 500
        conn.execute(update(job_profiles).where(job_profiles.c.id == job_id).values(document="{not json"))
    listed = client.get("/job-profiles").get_json()["jobProfiles"]
    assert {"id": job_id, "name": example_job()["name"], "source": "upload"} in listed


def test_an_uploaded_job_profile_goes_after_job_upload_ttl(make_app):
    clock = Clock()
    app = make_app(CLOCK=clock, JOB_UPLOAD_TTL=3600)
    client = app.test_client()
    job_id = client.post("/job-profiles", json=example_job()).get_json()["id"]
    clock.now += timedelta(seconds=3601)
    assert uploads_listed(client) == set()
    refused = client.post("/challenges", json={"jobProfile": job_id})
    assert refused.status_code == 400 and job_id in refused.get_json()["detail"]
    assert rows(app, job_profiles) == 1
    client.post("/challenges", json={})  # the next request that stores something purges it
    assert rows(app, job_profiles) == 0


def test_old_challenges_are_purged_in_bounded_batches(make_app):
    clock = Clock()
    app = make_app(CLOCK=clock)
    client = app.test_client()
    for _ in range(7):
        client.post("/challenges", json={})
    keeper = app.extensions["paspoort_verifier"].housekeeping()
    keeper.batch = 3
    clock.now += timedelta(seconds=app.config["CHALLENGE_TTL"]) + housekeeping.CHALLENGE_KEPT + timedelta(seconds=1)
    left = []
    for _ in range(4):
        client.post("/challenges", json={})  # each request purges at most one batch
        left.append(rows(app, challenges))
    assert left == [7 - 3 + 1, 7 - 6 + 2, 3, 4]  # full batches run again at once, then every PURGE_EVERY
