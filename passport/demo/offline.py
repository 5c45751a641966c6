"""``python -m passport.demo --offline``: the same story on the library alone, no servers.

Issuers sign with ``world.build_world`` (status lists in memory), Ria signs her profile and
shares it without her sensitive entries bound to the employer's challenge, the employer checks
it with ``passport.check``, the examiner revokes one certificate and the second check notices.
Runs on a fixed clock (``--now``), so its artifacts are reproducible. It writes into a folder
of its own and refuses a folder that holds the live demo's artifacts (it would clean them).
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Callable

from .. import check, present
from ..cli.core import format_report
from ..format.documents import BLOCK_KEYS, paspoort_type
from ..roles.sharing import left_out, select_profile
from ..proofs.signing import sign
from .output import Output, live_artifacts
from .world import World, build_world

EMPLOYER_DOMAIN = "werkenbij.zorggroep-de-brug.example"


class LiveArtifacts(Exception):
    """The output folder holds the live demo's files; the offline run does not touch it."""


def run(out: str, persona: str, now: datetime, say: Callable[[str], None]) -> bool:
    found = live_artifacts(out)
    if found:
        raise LiveArtifacts(f"{out} holds the live demo's artifacts ({', '.join(found)}); the offline demo "
                            "would replace them: give it a folder of its own with --out (default demo-out-offline)")
    output = Output(out)
    output.clean()
    world = build_world(persona, now)
    name = world.profile["credentialSubject"]["name"]
    say(f"Paspoort demo (offline, library only): {name}, at {now.isoformat()}")
    say(f"1. {name} signs her profile with her own key ({world.holder.did[:28]}...): "
        f"{sum(len(world.profile['credentialSubject'][b]) for b in BLOCK_KEYS)} entries in six building blocks.")
    for stem, credential in zip(world.stems, world.endorsements):
        issuer = credential["issuer"]["name"] if isinstance(credential["issuer"], dict) else credential["issuer"]
        say(f"2. {issuer} issues '{credential.get('name', paspoort_type(credential))}' "
            f"(status entry {credential['credentialStatus']['statusListIndex']} of its message list: "
            f"valid, suspended or revoked).")
        output.json(f"endorsements/{stem}.json", credential)
    say("3. The Loopbruggen registry operator signs the trust registry: who may issue what, and in which scope.")
    trust = world.trust()

    challenge = secrets.token_urlsafe(16)
    shared_profile = sign(select_profile(world.profile), world.holder, created=now)
    hidden = left_out(world.profile, shared_profile)
    say(f"4. The employer asks for a presentation (challenge {challenge}, domain {EMPLOYER_DOMAIN}). "
        f"{name} shares her profile without the sensitive entries {hidden} and {len(world.endorsements)} endorsements.")
    presentation = present([shared_profile, *world.endorsements], world.holder, now=now,
                           challenge=challenge, domain=EMPLOYER_DOMAIN)
    options = dict(now=now, trust=trust, status=world.status_documents, challenge=challenge, domain=EMPLOYER_DOMAIN)
    first = check(presentation, **options)
    say("5. The employer verifies the presentation:")
    say(format_report(first, "     ").rstrip("\n"))

    revoked = next(c for c in world.endorsements if paspoort_type(c) == "AantoonbaarBekwaamCredential")
    world.revoke(revoked["id"])
    second = check(presentation, **{**options, "status": world.status_documents})
    failures = [f"{result.name}: {result.code}" for result in second.failures()]
    say(f"6. The examiner withdraws '{revoked['name']}' (status bit set, list re-signed). "
        f"The employer checks again: {'VERIFIED' if second else 'NOT VERIFIED'} ({', '.join(failures)}).")
    _write(output, world, shared_profile, presentation, first, second)
    say(f"Artifacts in {out}/: profile, shared profile, presentation, endorsements, status lists, "
        "trust registry and both reports (JSON).")
    return first.verified and not second.verified and any(r.code == "REVOKED" for r in second.failures())


def _write(output: Output, world: World, shared_profile, presentation, first, second) -> None:
    output.json("profile.json", world.profile)
    output.json("profile-shared.json", shared_profile)
    output.json("presentation.json", presentation)
    output.json("trust-registry.json", world.registry)
    for url, document in world.status_documents.items():
        output.json(f"status-lists/{world.role_of(document['issuer'])}-message.json", document)
    output.json("report.json", first.to_dict())
    output.json("report-after-revocation.json", second.to_dict())
