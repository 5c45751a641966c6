"""The printed account: short lines for what the verifier said and what the match found."""
from __future__ import annotations

import shlex
from typing import Any

from ..format.documents import PROFILE_TYPE
from ..verification.report import category
from .html_report import OUTCOMES, text
from .output import WALLET, issuer_database, service_folder
from .story import IssuerPart

INDENT = "     "
RECRUITER_PAGE = "http://127.0.0.1:5000"  # flask run's default address
DESK_PORT = 5001  # the examiner's issuer, beside the recruiter page
WORDS = {key: key.replace("_", " ") for key in OUTCOMES}
MARKS = {"verified": "ok  ", "self_asserted": "ok  ", "status_unknown": "??  ", "failed": "FAIL"}


def verdict_lines(summary: dict[str, Any]) -> list[str]:
    """One line per credential: its outcome in words, what it is, who issued it, and any problem."""
    lines = []
    person = (summary.get("person") or {}).get("name")
    for line in summary.get("credentials", []):
        outcome = line.get("outcome") or "invalid"
        mark = MARKS[category(outcome)]  # a status that could not be checked is "??", never FAIL
        title = text(line.get("title"))
        if line.get("type") == PROFILE_TYPE:
            title = f"profile of {person}: her own claims, shown as such"
        issuer = text(line.get("issuer")) + (f" ({line['role']})" if line.get("role") else "")
        codes = ", ".join(p["code"] for p in line.get("problems", []) if p.get("code"))
        lines.append(f"{INDENT}  {mark} {WORDS.get(outcome, outcome):<13} {title}"
                     + (f", by {issuer}" if outcome != "self_asserted" else "") + (f" [{codes}]" if codes else ""))
    for problem in summary.get("presentationProblems", []):
        lines.append(f"{INDENT}  FAIL presentation   {problem.get('check')}: {problem.get('message')}")
    return lines


def match_lines(match: dict[str, Any] | None) -> list[str]:
    if not match or match.get("available") is False:
        return [f"{INDENT}Match: not available ({(match or {}).get('reason', 'no job profile')})"]
    lines = [f"{INDENT}Match with '{text(match['jobProfile'].get('name'))}': {match['summary']}."]
    path = [text(item.get("name")) + (" (must-have)" if item.get("required") else "")
            for item in match.get("learningPath", [])]
    if path:
        lines.append(f"{INDENT}Learning path (learn only what she cannot show yet): {'; '.join(path)}.")
    return lines


def failed_codes(summary: dict[str, Any]) -> dict[str, list[str]]:
    """Credential id -> the codes of its failed checks (only credentials that failed)."""
    found = {}
    for line in summary.get("credentials", []):
        codes = [p.get("code") for p in line.get("problems", [])]
        if codes:
            found[line.get("id")] = codes
    return found


def use_it_yourself(out: str, registry_signer: str, endorsement: str, examiner: IssuerPart,
                    examiner_name: str) -> list[str]:
    """The commands that work on the artifacts after the demo (the README's table lists them too),
    and how to open each screen on them: the wallet app, the examiner's issuing desk (her
    organisation's issuer again, on its key and database) and the recruiter page."""
    verifier = (f"PASPOORT_VERIFIER_TRUST_REGISTRIES={out}/trust-registry.json "
                f"PASPOORT_VERIFIER_TRUST_SIGNERS={registry_signer} "
                f"PASPOORT_VERIFIER_OFFLINE_BUNDLE={out}/status-bundle.json "
                f"PASPOORT_VERIFIER_PUBLIC_URL={RECRUITER_PAGE} .venv/bin/flask --app verifier_service run")
    desk = f"http://127.0.0.1:{DESK_PORT}"
    issuer = (f"export PASPOORT_ISSUER_KEY_FILE={out}/{service_folder(examiner.role)}/key.json "
              f"PASPOORT_ISSUER_DATABASE_URL=sqlite:///{out}/{issuer_database(examiner.role)} "
              f"PASPOORT_ISSUER_NAME={shlex.quote(examiner_name)} PASPOORT_ISSUER_BASE_URL={desk}")
    token = examiner.issue_token
    scopes = "".join(f" --scope {shlex.quote(scope)}" for scope in token.scopes)
    return [
        "Use the artifacts yourself (the servers are stopped; the files stay):",
        f"{INDENT}.venv/bin/passport verify {out}/endorsements/{endorsement}.json --trust {out}/trust-registry.json "
        f"--trust-signer {registry_signer} --status {out}/status-lists",
        f"   The employer's verifier on the saved status lists ({out}/status-bundle.json, an offline bundle; "
        "flask prints the page's address):",
        f"{INDENT}{verifier}",
        "Open the screens:",
        "   Ria's wallet app (profile, passport, share, receive, backup): it opens your browser; type the "
        "passphrase of step 2 in the page:",
        f"{INDENT}.venv/bin/passport app --wallet {out}/{WALLET}",
        f"   The issuing desk of {examiner_name} (the practice examiner's organisation, on its saved key and "
        f"database): make a staff token for the examiner, start the issuer, open {desk}/desk/ and sign in "
        "with the token (it prints it once):",
        f"{INDENT}{issuer}",
        f"{INDENT}.venv/bin/flask --app issuer_service create-token --role {token.role}{scopes} "
        f"--name {shlex.quote(token.name)}",
        f"{INDENT}.venv/bin/flask --app issuer_service run --port {DESK_PORT}",
        "   The recruiter page of the employer's verifier (upload a presentation or a picture of its QR code, "
        f"or scan with the camera): start it with the command above, then open {RECRUITER_PAGE}/",
    ]
