"""Nothing the verifier stores is kept without bounds: old challenges, unread answers and page
uploads are purged, piggy-backed on the requests that store things (no scheduler to run).

``Housekeeper.maybe_purge(now)`` runs at most every ``PURGE_EVERY`` per process and deletes at
most ``PURGE_BATCH`` rows per table (by indexed time columns), so one request never does
unbounded work; when a batch was full it runs again on the next request until it has caught up.
What goes:

- a wallet's answer ``ANSWER_TTL`` after it arrived (the page deletes it sooner, when it reads it);
- a challenge ``CHALLENGE_KEPT`` after it expired (until then the page is told "expired"), with
  its answer;
- a job profile uploaded on the page ``JOB_UPLOAD_TTL`` after the upload.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select

from .models import answers, challenges, job_profiles, millis

PURGE_EVERY = timedelta(seconds=10)
PURGE_BATCH = 1000
CHALLENGE_KEPT = timedelta(hours=1)


def purge(engine: Engine, *, now: datetime, answer_ttl: timedelta, upload_ttl: timedelta,
          batch: int = PURGE_BATCH) -> dict[str, int]:
    """Delete at most ``batch`` stale rows of each kind; returns how many of each went."""
    old_answer, old_challenge = millis(now - answer_ttl), millis(now - CHALLENGE_KEPT)
    old_upload = millis(now - upload_ttl)
    with engine.begin() as conn:
        stale = select(challenges.c.challenge).where(challenges.c.expires < old_challenge).limit(batch)
        gone = [row.challenge for row in conn.execute(stale)]
        conn.execute(delete(answers).where(answers.c.challenge.in_(gone)))
        done = {"challenges": conn.execute(delete(challenges).where(challenges.c.challenge.in_(gone))).rowcount}
        unread = select(answers.c.challenge).where(answers.c.received < old_answer).limit(batch)
        done["answers"] = conn.execute(delete(answers).where(answers.c.challenge.in_(unread))).rowcount
        uploads = select(job_profiles.c.id).where(job_profiles.c.created < old_upload).limit(batch)
        done["jobProfiles"] = conn.execute(delete(job_profiles).where(job_profiles.c.id.in_(uploads))).rowcount
    return done


@dataclass
class Housekeeper:
    engine: Engine
    answer_ttl: timedelta
    upload_ttl: timedelta
    batch: int = PURGE_BATCH
    next_run: datetime | None = field(default=None)

    def maybe_purge(self, now: datetime) -> dict[str, int] | None:
        """Purge when due (``None`` when not); again on the next call when a batch was full."""
        if self.next_run is not None and now < self.next_run:
            return None
        done = purge(self.engine, now=now, answer_ttl=self.answer_ttl, upload_ttl=self.upload_ttl, batch=self.batch)
        self.next_run = now if max(done.values()) >= self.batch else now + PURGE_EVERY
        return done
