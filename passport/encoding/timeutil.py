"""XML Schema ``dateTimeStamp`` values, as VC 2.0 uses them for ``validFrom`` and friends."""
from __future__ import annotations

import re
from datetime import datetime, timezone

_DATETIME = re.compile(
    r"^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)


def parse_datetime(value: object) -> datetime:
    """Parse a dateTimeStamp (a time zone is required); ``ValueError`` with the reason."""
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise ValueError(f"{value!r} is not a date-time with time zone, like 2026-11-23T09:00:00Z")
    try:
        return datetime.fromisoformat(value)  # Python 3.11 reads the "Z" suffix and any fraction
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date-time: {exc}") from None


def format_datetime(moment: datetime) -> str:
    """Seconds precision, UTC, ``Z`` suffix: the form this project writes."""
    if moment.tzinfo is None:
        raise ValueError("a time must carry its time zone")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_datetime(value: datetime | str | None) -> datetime:
    """Accept ``now=`` as a datetime (aware) or a dateTimeStamp string; None means the clock."""
    if value is None:
        return utcnow()
    if isinstance(value, str):
        return parse_datetime(value)
    if value.tzinfo is None:
        raise ValueError("now= must carry a time zone")
    return value
