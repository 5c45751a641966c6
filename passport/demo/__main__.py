"""``python -m passport.demo``: Ria de Vries's passport flow, end to end, on the library alone.

Issuers sign her endorsements (each with a revocation entry), a registry operator signs the
trust registry, Ria signs her profile and shares it without her sensitive entries, bound to
the employer's challenge; the employer verifies everything; then the examiner revokes one
certificate and the employer's second check notices. Artifacts land in ``--out``.
"""
from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

from .. import check, present
from ..cli.core import format_report
from ..documents import BLOCK_KEYS, paspoort_type
from ..jsonio import dumps_pretty
from ..sharing import left_out, select_profile
from ..signing import sign
from ..timeutil import parse_datetime
from .world import build_world

DEMO_NOW = "2026-11-23T12:00:00Z"
EMPLOYER_DOMAIN = "werkenbij.zorggroep-de-brug.example"
ARTIFACTS = ("profile.json", "profile-shared.json", "presentation.json", "trust-registry.json", "report.json",
             "report-after-revocation.json")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m passport.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="demo-out", help="folder for the artifacts (default demo-out)")
    parser.add_argument("--persona", default="ria", choices=["ria", "jan", "samira"])
    parser.add_argument("--now", default=DEMO_NOW, help=f"the demo's clock (default {DEMO_NOW})")
    args = parser.parse_args(argv)
    now = parse_datetime(args.now)
    out = Path(args.out)
    (out / "endorsements").mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("endorsements/*.json"), *out.glob("status-*.json"), *(out / name for name in ARTIFACTS)]:
        old.unlink(missing_ok=True)  # only the demo's own files: --out may be a folder with other JSON in it

    world = build_world(args.persona, now)
    name = world.profile["credentialSubject"]["name"]
    say(f"Paspoort demo: {name}, at {args.now}")
    say(f"1. {name} signs her profile with her own key ({world.holder.did[:28]}...):",
        f"{sum(len(world.profile['credentialSubject'][b]) for b in BLOCK_KEYS)} entries in six building blocks.")
    for credential in world.endorsements:
        issuer = credential["issuer"]["name"] if isinstance(credential["issuer"], dict) else credential["issuer"]
        say(f"2. {issuer} issues '{credential.get('name', paspoort_type(credential))}'",
            f"(revocation entry {credential['credentialStatus']['statusListIndex']} of its status list).")
        write(out / "endorsements" / f"{_slug(credential)}.json", credential)
    say("3. The Loopbruggen registry operator signs the trust registry: who may issue what, and in which scope.")
    trust = world.trust()

    challenge = secrets.token_urlsafe(16)
    shared_profile = sign(select_profile(world.profile), world.holder, created=now)
    hidden = left_out(world.profile, shared_profile)
    say(f"4. The employer asks for a presentation (challenge {challenge}, domain {EMPLOYER_DOMAIN}).",
        f"{name} shares her profile without the sensitive entries {hidden} and {len(world.endorsements)} endorsements.")
    presentation = present([shared_profile, *world.endorsements], world.holder, now=now,
                           challenge=challenge, domain=EMPLOYER_DOMAIN)
    options = dict(now=now, trust=trust, status=world.status_documents, challenge=challenge, domain=EMPLOYER_DOMAIN)
    first = check(presentation, **options)
    say("5. The employer verifies the presentation:", "")
    print(format_report(first, "     "))

    revoked = next(c for c in world.endorsements if paspoort_type(c) == "AantoonbaarBekwaamCredential")
    world.revoke(revoked["id"])
    second = check(presentation, **{**options, "status": world.status_documents})
    failures = [f"{result.name}: {result.code}" for result in second.failures()]
    say(f"6. The examiner withdraws '{revoked['name']}' (status bit set, list re-signed).",
        f"The employer checks again: {'VERIFIED' if second else 'NOT VERIFIED'} ({', '.join(failures)}).")

    write(out / "profile.json", world.profile)
    write(out / "profile-shared.json", shared_profile)
    write(out / "presentation.json", presentation)
    write(out / "trust-registry.json", world.registry)
    for url, document in world.status_documents.items():
        write(out / f"status-{url.split('.')[1]}.json", document)
    write(out / "report.json", first.to_dict())
    write(out / "report-after-revocation.json", second.to_dict())
    say(f"Artifacts in {out}/: profile, shared profile, presentation, endorsements, status lists, "
        "trust registry and both reports (JSON).")
    ok = first.verified and not second.verified and any(r.code == "REVOKED" for r in second.failures())
    if not ok:
        say("DEMO FAILED: the first check must pass and the second must report REVOKED.")
    return 0 if ok else 1


def say(*parts: str) -> None:
    print(" ".join(part for part in parts if part))


def write(path: Path, document: object) -> None:
    path.write_text(dumps_pretty(document), encoding="utf-8")


def _slug(credential: dict) -> str:
    return credential["id"].rsplit(":", 1)[-1][:8] + "-" + (paspoort_type(credential) or "credential")


if __name__ == "__main__":
    sys.exit(main())
