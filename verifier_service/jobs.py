"""Job requirement profiles (vakbekwaamheidsprofielen): the examples, uploads, and the match.

A job profile is given inline (a JSON object) or by id: the file name (without ``.json``) of
an example in ``JOB_PROFILES_DIR`` (default ``examples/jobs``) or the id an upload got. The
comparison itself is ``passport.roles.matching.match`` (a presentation) or ``match_credentials``
(loose credentials about one person, e.g. a scanned printed passport); this module only finds
the profile.

Uploads on the page belong to the page session that made them (``owner``, the SHA-256 of the
session cookie): only that session lists them, and they go after ``JOB_UPLOAD_TTL``. An upload's
id is 128 random bits, so naming it (in a challenge, to the wallet) is enough to use it. Each
upload is capped (``MAX_UPLOAD_BYTES``), and so is their number per session and in all.
Listing reads the stored titles and caches the example folder by file times: no document is
parsed again.
"""
from __future__ import annotations

import json
import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Engine, func, insert, select

import passport
from passport import Report
from passport.encoding import jsonio
from passport.errors import InputError, InputTooLarge, PassportError

from .models import job_profiles, millis

EXAMPLES = Path(passport.__file__).resolve().parent / "_examples" / "jobs"  # shipped with the wheel too
JOB_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
MAX_JOB_BYTES = 256 * 1024
MAX_UPLOAD_BYTES = 64 * 1024  # the largest example is under 8 KiB
MAX_UPLOADS_PER_SESSION = 20
MAX_UPLOADS = 2_000


def _folder() -> Path:
    return Path(current_app.config.get("JOB_PROFILES_DIR") or EXAMPLES)


def _title(document: Any) -> Any:
    if isinstance(document, dict):
        for key in ("name", "title", "role"):
            if key in document:
                return document[key]
    return None


def list_profiles(engine: Engine, *, owner: str | None, now: datetime, ttl: timedelta) -> list[dict[str, Any]]:
    """The examples, then the uploads of the session ``owner`` that have not expired."""
    folder = _folder()
    found = [dict(item) for item in _examples(str(folder), _stamps(folder))]
    if owner is None:
        return found
    query = (select(job_profiles.c.id, job_profiles.c.name)
             .where(job_profiles.c.owner == owner, job_profiles.c.created >= millis(now - ttl))
             .order_by(job_profiles.c.created).limit(MAX_UPLOADS_PER_SESSION))
    with engine.connect() as conn:
        found.extend({"id": row.id, "name": json.loads(row.name) if row.name else None, "source": "upload"}
                     for row in conn.execute(query))
    return found


def _stamps(folder: Path) -> tuple[tuple[str, int], ...]:
    if not folder.is_dir():
        return ()
    return tuple((path.name, path.stat().st_mtime_ns) for path in sorted(folder.glob("*.json")))


@lru_cache(maxsize=8)
def _examples(folder: str, stamps: tuple[tuple[str, int], ...]) -> tuple[dict[str, Any], ...]:
    """The examples' ids and titles, read again only when a file in the folder changed."""
    found = []
    for name, _ in stamps:
        try:
            document = jsonio.load_file(str(Path(folder) / name), max_bytes=MAX_JOB_BYTES)
        except (OSError, PassportError):
            continue
        found.append({"id": name.removesuffix(".json"), "name": _title(document), "source": "example"})
    return tuple(found)


def resolve(engine: Engine, given: Any, *, now: datetime | None = None,
            ttl: timedelta | None = None) -> dict[str, Any] | None:
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
    query = select(job_profiles.c.document).where(job_profiles.c.id == given)
    if now is not None and ttl is not None:
        query = query.where(job_profiles.c.created >= millis(now - ttl))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise InputError(f"there is no job profile {given!r} (an upload is kept for a day)", jobProfile=given)
    return json.loads(row.document)


def upload(engine: Engine, document: Any, *, owner: str, now: datetime, ttl: timedelta) -> str:
    """Store a job profile for the page session ``owner``; refused beyond the caps."""
    if not isinstance(document, dict):
        raise InputError("a job profile is a JSON object")
    stored = json.dumps(document, ensure_ascii=False)
    if len(stored.encode("utf-8")) > MAX_UPLOAD_BYTES:
        raise InputTooLarge(f"a job profile may be at most {MAX_UPLOAD_BYTES} bytes", limit=MAX_UPLOAD_BYTES)
    validate(document)
    live = job_profiles.c.created >= millis(now - ttl)
    count = select(func.count()).select_from(job_profiles).where(live)
    with engine.begin() as conn:
        if conn.execute(count.where(job_profiles.c.owner == owner)).scalar_one() >= MAX_UPLOADS_PER_SESSION:
            raise InputError(f"this page has uploaded {MAX_UPLOADS_PER_SESSION} job profiles already; each is kept "
                             "for a day (put lasting profiles in the verifier's job profile folder)",
                             limit=MAX_UPLOADS_PER_SESSION)
        if conn.execute(count).scalar_one() >= MAX_UPLOADS:
            raise InputError(f"the verifier holds {MAX_UPLOADS} uploaded job profiles, its limit; try again "
                             "tomorrow", limit=MAX_UPLOADS)
        job_id = f"upload-{secrets.token_hex(16)}"
        conn.execute(insert(job_profiles).values(id=job_id, created=millis(now), document=stored, owner=owner,
                                                 name=json.dumps(_title(document), ensure_ascii=False)))
    return job_id


def validate(document: dict[str, Any]) -> None:
    try:
        from passport.roles import matching
    except ImportError:
        return
    check = getattr(matching, "validate_job_profile", None) or getattr(matching, "validate", None)
    if check is not None:
        check(document)


def match(job: dict[str, Any] | None, report: Report, presentation: Any) -> dict[str, Any] | None:
    if job is None:
        return None
    try:
        from passport.roles import matching
    except ImportError:  # the match engine is optional until it lands
        return {"available": False, "reason": "the match engine (passport.roles.matching) is not installed"}
    return matching.match(job, report, presentation).to_dict()


def match_credentials(job: dict[str, Any] | None, credentials: list[dict[str, Any]], reports: list[Report],
                      subject: str) -> dict[str, Any] | None:
    """The match for loose credentials about ``subject``, marked ``basis: "credentials"``: nothing
    binds them to the person showing them."""
    if job is None:
        return None
    from passport.roles import matching

    result = matching.match_credentials(job, credentials, reports, subject=subject)
    return {**result.to_dict(), "basis": "credentials"}
