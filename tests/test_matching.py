"""Kwalitatieve match: Ria's (and Jan's, Samira's) checked presentation against a job profile.

Demonstrated needs a verified, trusted, in-scope, current credential in a verified presentation;
the self-asserted profile only ever makes a requirement ``claimed``; a credential that matches
but does not count makes it ``claimed`` with the reason; everything else is ``missing`` and
goes into the learning path. The demo world signs everything at a fixed ``NOW``.
"""
from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import NOW

from passport import check, present
from passport.encoding import jsonio
from passport.format import schemas
from passport.demo.world import World, build_world
from passport.errors import SchemaInvalid, StructureInvalid
from passport.roles.matching import CLAIMED, DEMONSTRATED, MISSING, MatchResult, match
from passport.roles.sharing import select_profile
from passport.proofs.signing import sign

JOBS = Path(__file__).resolve().parents[1] / "examples" / "jobs"
JOB_FILES = sorted(JOBS.glob("*.json"))
MEDICATIE_AB = "urn:uuid:49baf97a-2f0a-43e8-acc6-ab40daf0b857"
TILLIFT_AB = "urn:uuid:468ffce2-77c9-4dda-9792-151d43a935df"
CHALLENGE, DOMAIN = "c-7f3a9e", "https://werkenbij.zorggroepdebrug.example"


def load_job(name: str) -> dict:
    return jsonio.load_file(JOBS / f"{name}.json")


@pytest.fixture
def world() -> World:
    return build_world("ria", NOW)


def run_match(world: World, job: str = "begeleider-gehandicaptenzorg", *, trust: bool = True,
              status: bool = True, profile: dict | None = None, extra: tuple = (), with_profile: bool = True,
              tamper=None) -> MatchResult:
    """Ria shares her profile (sensitive entries left out) and every endorsement; the employer checks and matches."""
    now = world.now
    shared = profile or sign(select_profile(world.profile), world.holder, created=now)
    credentials = ([shared] if with_profile else []) + [*world.endorsements, *extra]
    vp = present(credentials, world.holder, now=now, challenge=CHALLENGE, domain=DOMAIN)
    if tamper:
        tamper(vp)
    report = check(vp, now=now, trust=world.trust() if trust else None,
                   status=world.status_documents if status else None, challenge=CHALLENGE, domain=DOMAIN)
    return match(load_job(job), report, vp)


def statuses(result: MatchResult) -> dict[str, str]:
    return {outcome.requirement_id: outcome.status for outcome in result.outcomes}


# --- Ria vs begeleider gehandicaptenzorg ---------------------------------------------------
def test_ria_both_procedures_demonstrated_by_the_examiner(world: World) -> None:
    result = run_match(world)
    for requirement, credential_id in (("medicatie-aanreiken", MEDICATIE_AB), ("tillift-gebruiken", TILLIFT_AB)):
        outcome = result.outcome(requirement)
        assert outcome.status == DEMONSTRATED
        assert [e.credential_id for e in outcome.evidence] == [credential_id]
        assert outcome.evidence[0].issuer_name == "Stichting De Wilgenhoeve"
        assert outcome.evidence[0].valid_until is not None and not outcome.evidence[0].self_asserted


def test_ria_full_picture_and_summary(world: World) -> None:
    result = run_match(world)
    assert statuses(result) == {
        "medicatie-aanreiken": DEMONSTRATED, "tillift-gebruiken": DEMONSTRATED, "methodisch-werken": DEMONSTRATED,
        "bhv": DEMONSTRATED, "rust-in-conflicten": DEMONSTRATED, "niveau-mbo-3": DEMONSTRATED,
        "contact-met-clienten": CLAIMED, "sondevoeding": MISSING, "epilepsie-signaleren": MISSING,
    }
    assert result.summary.startswith("6 of 9 requirements demonstrated (6 of 7 must-haves)")
    assert not result.required_met
    # the talent is demonstrated by the employer's endorsement of her profile entry
    assert result.outcome("rust-in-conflicten").evidence[0].credential_type == "ProfielEndorsementCredential"


def test_requirement_only_in_the_profile_is_claimed_never_demonstrated(world: World) -> None:
    outcome = run_match(world).outcome("contact-met-clienten")
    assert outcome.status == CLAIMED and outcome.reason_code == "SELF_ASSERTED"
    assert [(e.entry_id, e.self_asserted) for e in outcome.evidence] == [("klantcontact", True)]


def test_missing_requirement_is_in_the_learning_path(world: World) -> None:
    result = run_match(world)
    assert result.outcome("sondevoeding").status == MISSING
    path = [outcome.requirement_id for outcome in result.learning_path]
    assert path == ["sondevoeding", "contact-met-clienten", "epilepsie-signaleren"]  # must-haves first
    step = result.to_dict()["learningPath"][0]
    assert step["requirementId"] == "sondevoeding" and "praktijkbeoordeling" in step["text"]
    assert step["hours"] == 10 and step["required"] is True


def test_to_dict_is_json_with_wire_names(world: World) -> None:
    out = json.loads(json.dumps(run_match(world).to_dict()))
    assert set(out) == {"jobProfile", "summary", "requiredMet", "demonstrated", "claimed", "missing", "learningPath"}
    first = out["demonstrated"][0]
    assert first["requirementId"] == "medicatie-aanreiken"
    assert first["evidence"][0]["credentialId"] == MEDICATIE_AB and "validUntil" in first["evidence"][0]


# --- evidence that does not count ----------------------------------------------------------
def test_revoked_certificate_becomes_claimed_with_the_reason(world: World) -> None:
    world.revoke(MEDICATIE_AB)
    result = run_match(world)
    outcome = result.outcome("medicatie-aanreiken")
    assert outcome.status == CLAIMED and outcome.reason_code == "REVOKED"
    assert "revoked" in outcome.reason
    assert outcome.evidence[0].credential_id == MEDICATIE_AB and outcome.evidence[0].problem == "revoked"
    assert result.outcome("tillift-gebruiken").status == DEMONSTRATED
    assert "medicatie-aanreiken" in [o.requirement_id for o in result.learning_path]


def test_without_trust_registry_nothing_is_demonstrated(world: World) -> None:
    result = run_match(world, trust=False)
    assert result.demonstrated == []
    outcome = result.outcome("tillift-gebruiken")
    assert outcome.status == CLAIMED and outcome.reason_code == "TRUST_NOT_CHECKED"
    assert outcome.evidence[0].issuer_name is None  # names come from a registry, never from the credential


def test_status_that_cannot_be_checked_does_not_count(world: World) -> None:
    result = run_match(world, status=False)
    assert result.demonstrated == []
    assert result.outcome("bhv").reason_code == "STATUS_UNKNOWN"


def test_out_of_scope_examiner_does_not_count(world: World) -> None:
    registry = copy.deepcopy(world.registry)
    del registry["proof"]
    for entry in registry["credentialSubject"]["issuers"]:
        if entry["name"] == "Stichting De Wilgenhoeve":
            entry["scope"] = ["vrh:medicatie-*"]  # may assess medication procedures only
    world.registry = sign(registry, world.keys["registry"], created=NOW)
    result = run_match(world)
    assert result.outcome("medicatie-aanreiken").status == DEMONSTRATED
    outcome = result.outcome("tillift-gebruiken")
    assert outcome.status == CLAIMED and outcome.reason_code == "ISSUER_OUT_OF_SCOPE"
    assert "out of scope" in outcome.reason


def test_expired_certificate_does_not_count() -> None:
    later = build_world("ria", datetime(2027, 3, 20, 12, 0, tzinfo=UTC))  # medicatie ran out 2027-03-12
    result = run_match(later)
    outcome = result.outcome("medicatie-aanreiken")
    assert outcome.status == CLAIMED and outcome.reason_code == "EXPIRED" and "expired" in outcome.reason
    assert result.outcome("tillift-gebruiken").status == DEMONSTRATED
    assert result.outcome("bhv").status == DEMONSTRATED  # valid until 2027-03-31


def test_self_issued_certificate_is_never_demonstrated_even_if_the_registry_lists_the_worker(world: World) -> None:
    own = json.loads(json.dumps(world.endorsements[0]))
    assert own["id"] == MEDICATIE_AB
    del own["proof"], own["credentialStatus"]
    own["id"] = "urn:uuid:0d6c1b1e-5a8e-4d0b-9a57-3f7e2c1d9b40"
    own["issuer"] = {"id": world.holder.did, "type": ["Profile"], "name": "Ria de Vries"}
    own["credentialSubject"]["procedure"]["code"] = "vrh:sondevoeding"
    registry = copy.deepcopy(world.registry)
    del registry["proof"]
    registry["credentialSubject"]["issuers"].append({
        "id": world.holder.did, "name": "Ria de Vries", "role": "examinator",
        "credentialTypes": ["AantoonbaarBekwaamCredential"], "scope": None, "validFrom": "2025-01-01T00:00:00Z"})
    world.registry = sign(registry, world.keys["registry"], created=NOW)
    outcome = run_match(world, extra=(sign(own, world.holder, created=NOW),)).outcome("sondevoeding")
    assert outcome.status == CLAIMED and outcome.reason_code == "SELF_ASSERTED"


def test_endorsement_of_a_changed_profile_entry_does_not_count(world: World) -> None:
    shared = select_profile(world.profile)
    talent = shared["credentialSubject"]["talenten"][0]
    assert talent["id"] == "rustig-bij-conflicten"
    talent["description"] = "Heeft als enige in Nederland nooit een conflict laten escaleren."
    outcome = run_match(world, profile=sign(shared, world.holder, created=NOW)).outcome("rust-in-conflicten")
    assert outcome.status == CLAIMED and outcome.reason_code == "ENTRY_DIGEST_MISMATCH"


def test_tampered_presentation_demonstrates_nothing(world: World) -> None:
    def tamper(vp: dict) -> None:
        vp["verifiableCredential"] = vp["verifiableCredential"][:-1]  # drop one after signing
    result = run_match(world, tamper=tamper)
    assert result.demonstrated == []
    assert result.outcome("tillift-gebruiken").reason.startswith(
        "aantoonbaar-bekwaam certificate not counted: the presentation did not verify")


def test_endorsements_without_the_profile_claim_nothing(world: World) -> None:
    result = run_match(world, with_profile=False)
    assert result.outcome("contact-met-clienten").status == MISSING
    assert result.outcome("rust-in-conflicten").status == MISSING  # the endorsed entry was not shared
    assert result.outcome("medicatie-aanreiken").status == DEMONSTRATED


def test_report_of_another_presentation_is_refused(world: World) -> None:
    shared = sign(select_profile(world.profile), world.holder, created=NOW)
    vp = present([shared, *world.endorsements], world.holder, now=NOW)
    other = present([shared], world.holder, now=NOW)
    report = check(other, now=NOW, trust=world.trust(), status=world.status_documents)
    with pytest.raises(StructureInvalid):
        match(load_job("begeleider-gehandicaptenzorg"), report, vp)


# --- the job profile document --------------------------------------------------------------
@pytest.mark.parametrize("path", JOB_FILES, ids=lambda p: p.stem)
def test_example_job_profiles_validate(path: Path) -> None:
    assert schemas.validate(jsonio.load_file(path), schema="vakbekwaamheidsprofiel") == "vakbekwaamheidsprofiel"


def test_all_three_example_jobs_exist() -> None:
    assert {p.stem for p in JOB_FILES} >= {"begeleider-gehandicaptenzorg", "docent-lo", "servicemonteur"}


@pytest.mark.parametrize("change, path", [
    (lambda job: job["requirements"][0].pop("procedureCode"), "requirements[0]"),
    (lambda job: job["requirements"][2].update(kind="hobby"), "requirements[2].kind"),
    (lambda job: job["requirements"][1].update(id="medicatie-aanreiken"), "requirements[1].id"),
    (lambda job: job.update(hoursPerWeek={"min": 36, "max": 24}), "hoursPerWeek"),
    (lambda job: job["requirements"][3].update(requird=True), "requirements[3]"),
    (lambda job: job.update(type="Vacature"), "type"),
], ids=["procedure-without-code", "unknown-kind", "duplicate-id", "hours-min-over-max", "unknown-field", "type"])
def test_invalid_job_profile_raises_schema_invalid_with_path(world: World, change, path: str) -> None:
    job = load_job("begeleider-gehandicaptenzorg")
    change(job)
    shared = sign(select_profile(world.profile), world.holder, created=NOW)
    vp = present([shared], world.holder, now=NOW)
    with pytest.raises(SchemaInvalid) as caught:
        match(job, check(vp, now=NOW), vp)
    assert caught.value.details["path"] == path


# --- the other personas --------------------------------------------------------------------
@pytest.mark.parametrize("persona, job, expected", [
    ("jan", "docent-lo", {
        "sporttraining-geven": DEMONSTRATED, "leerlingen-motiveren": DEMONSTRATED, "groep-leiden": CLAIMED,
        "lesgeven-bewegingsonderwijs": MISSING, "hbo-denkniveau": MISSING, "vog": MISSING,
        "sportevenementen": DEMONSTRATED, "eerste-hulp-sport": MISSING, "kinderen-enthousiasmeren": CLAIMED,
        "jongeren-in-beweging": CLAIMED}),
    ("samira", "servicemonteur", {
        "storingen-opsporen": DEMONSTRATED, "onderhoud-luchtbehandeling": DEMONSTRATED,
        "niveau-mbo-3": DEMONSTRATED, "vca-basis": MISSING, "nen-3140": MISSING, "nederlands-b1": CLAIMED,
        "gebreken-rapporteren": DEMONSTRATED, "technisch-inzicht": CLAIMED, "warmtepompen": MISSING,
        "rijbewijs-b": MISSING}),
])
def test_other_personas_against_their_jobs(persona: str, job: str, expected: dict[str, str]) -> None:
    assert statuses(run_match(build_world(persona, NOW), job)) == expected


def test_accepted_types_narrow_what_counts(world: World) -> None:
    job = load_job("begeleider-gehandicaptenzorg")
    job["requirements"][2]["acceptedTypes"] = ["WerkervaringCredential"]  # methodisch werken: only work experience
    shared = sign(select_profile(world.profile), world.holder, created=NOW)
    vp = present([shared, *world.endorsements], world.holder, now=NOW)
    outcome = match(job, check(vp, now=NOW, trust=world.trust(), status=world.status_documents), vp) \
        .outcome("methodisch-werken")
    assert outcome.status == CLAIMED and outcome.evidence[0].entry_id == "ondersteuningsplan"


def test_unreadable_presentation_leaves_everything_missing(world: World) -> None:
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": world.holder.did, "verifiableCredential": "not a credential"}
    result = match(load_job("begeleider-gehandicaptenzorg"), check(vp, now=NOW), vp)
    assert [o.status for o in result.outcomes] == [MISSING] * 9
    assert result.outcomes[0].reason_code == "PRESENTATION_INVALID"
