"""Job requirement profiles (vakbekwaamheidsprofielen): the examples, uploads, and the match.

A job profile is given inline (a JSON object) or by id: the file name (without ``.json``) of
an example in ``JOB_PROFILES_DIR`` (default ``examples/jobs``) or the id an upload got. The
comparison itself is ``passport.matching.match`` (a presentation) or ``match_credentials``
(loose credentials about one person, e.g. a scanned printed passport); this module only finds
the profile.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Engine, insert, select

from passport import Report, jsonio
from passport.errors import InputError, PassportError

from .models import job_profiles

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "jobs"
JOB_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
MAX_JOB_BYTES = 256 * 1024


def _folder() -> Path:
    return Path(current_app.config.get("JOB_PROFILES_DIR") or EXAMPLES)


def _title(document: Any) -> Any:
    if isinstance(document, dict):
        for key in ("name", "title", "role"):
            if key in document:
                return document[key]
    return None


def list_profiles(engine: Engine) -> list[dict[str, Any]]:
    found = []
    folder = _folder()
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            try:
                found.append({"id": path.stem, "name": _title(jsonio.load_file(str(path))), "source": "example"})
            except (OSError, PassportError):
                continue
    with engine.connect() as conn:
        for row in conn.execute(select(job_profiles).order_by(job_profiles.c.created)):
            found.append({"id": row.id, "name": _title(json.loads(row.document)), "source": "upload"})
    return found


def resolve(engine: Engine, given: Any) -> dict[str, Any] | None:
    """The job profile document for an inline object or an id; ``None`` when not asked for."""
    if given is None or given == "":
        return None
    if isinstance(given, dict):
        validate(given)
        return given
    if not isinstance(given, str) or not JOB_ID.match(given):
        raise InputError("jobProfile must be a job profile object or the id of one", jobProfile=str(given)[:80])
    path = _folder() / f"{given}.json"
    if path.is_file():
        return jsonio.load_file(str(path), max_bytes=MAX_JOB_BYTES)
    with engine.connect() as conn:
        row = conn.execute(select(job_profiles).where(job_profiles.c.id == given)).first()
    if row is None:
        raise InputError(f"there is no job profile {given!r}", jobProfile=given)
    return json.loads(row.document)


def upload(engine: Engine, document: Any) -> str:
    if not isinstance(document, dict):
        raise InputError("a job profile is a JSON object")
    validate(document)
    job_id = f"upload-{secrets.token_hex(6)}"
    with engine.begin() as conn:
        conn.execute(insert(job_profiles).values(id=job_id, created=int(time.time() * 1000),
                                                 document=json.dumps(document, ensure_ascii=False)))
    return job_id


def validate(document: dict[str, Any]) -> None:
    try:
        from passport import matching
    except ImportError:
        return
    check = getattr(matching, "validate_job_profile", None) or getattr(matching, "validate", None)
    if check is not None:
        check(document)


def match(job: dict[str, Any] | None, report: Report, presentation: Any) -> dict[str, Any] | None:
    if job is None:
        return None
    try:
        from passport import matching
    except ImportError:  # the match engine is optional until it lands
        return {"available": False, "reason": "the match engine (passport.matching) is not installed"}
    return matching.match(job, report, presentation).to_dict()


def match_credentials(job: dict[str, Any] | None, credentials: list[dict[str, Any]], reports: list[Report],
                      subject: str) -> dict[str, Any] | None:
    """The match for loose credentials about ``subject``, marked ``basis: "credentials"``: nothing
    binds them to the person showing them."""
    if job is None:
        return None
    from passport import matching

    result = matching.match_credentials(job, credentials, reports, subject=subject)
    return {**result.to_dict(), "basis": "credentials"}
