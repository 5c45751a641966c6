"""What a load and fault run (``load_fault.Run``) shows: the figures table, the invariants, bench rows.

Times are seconds since the load started. A verify request counts as 'inside' a fault window
only when it started after the fault began and ended before it was over; requests that straddle
an edge may legitimately see either state and are counted apart.
"""
from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

ENDPOINTS = {"issue": "POST /credentials/issue", "verify": "POST /credentials/verify (verifier)",
             "lookup": "GET /credentials/<id>"}


def of(run: Any, endpoint: str) -> list:
    return [event for event in run.events if event.endpoint == endpoint]


def inside(events: list, start: float, end: float) -> list:
    return [event for event in events if event.start >= start and event.end <= end]


def overlapping(events: list, start: float, end: float) -> list:
    return [event for event in events if event.end > start and event.start < end]


def ok(event: Any) -> bool:
    return event.label in ("200", "201", "verified")


def first_ok_after(events: list, moment: float) -> float | None:
    """Seconds from ``moment`` to the end of the first successful answer that ended after it."""
    ends = [event.end for event in events if ok(event) and event.end >= moment]
    return min(ends) - moment if ends else None


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rate(events: list, start: float, end: float) -> float:
    """Successful answers per second that ended in ``[start, end)``."""
    if end <= start:
        return float("nan")
    return sum(1 for event in events if ok(event) and start <= event.end < end) / (end - start)


def windows(run: Any) -> dict[str, tuple[float, float]]:
    marks = run.marks
    return {"issuer was down": (marks["down"], marks["restart"]),
            "database was down": (marks["db_down"], marks["db_up"])}


def invariants(run: Any) -> list[str]:
    """Every broken promise, in words; an empty list when the run is clean."""
    problems = []
    got, stored = set(run.issued), set(run.stored)
    if got - stored:
        problems.append(f"{len(got - stored)} credential(s) a client got back are not in the database")
    if stored - got:
        problems.append(f"{len(stored - got)} credential(s) in the database that no client got back (unaccounted)")
    differs = [cid for cid in got & stored if run.stored[cid] != run.issued[cid]]
    if differs:
        problems.append(f"{len(differs)} stored credential(s) differ from what the client got, e.g. {differs[0]}")
    if run.audited != len(stored):
        problems.append(f"{run.audited} 'issue' audit entries for {len(stored)} stored credentials")
    if run.mismatched:
        problems.append(f"{len(run.mismatched)} id(s) not resolvable with the same proof, e.g. {run.mismatched[0]}")
    if run.unrecovered:
        problems.append(f"{len(run.unrecovered)} request(s) met 5xx or connection errors and never succeeded")
    if run.unexpected:
        problems.append(f"{len(run.unexpected)} unexpected answer(s), e.g. {run.unexpected[0][:300]}")
    verifies = of(run, "verify")
    down = inside(verifies, *windows(run)["issuer was down"])
    if not down:
        problems.append("no verify request fell entirely inside the issuer outage")
    wrong = Counter(event.label for event in down if event.label != "status unknown")
    if wrong:
        problems.append(f"verifier answers while the issuer was down other than 'status unknown': {dict(wrong)}")
    if not any(event.label == "verified" and event.end < run.marks["kill"] for event in verifies):
        problems.append("no credential verified before the issuer was killed")
    if not any(event.label == "verified" and event.start > run.marks["ready"] for event in verifies):
        problems.append("no credential verified after the issuer came back")
    issues = of(run, "issue")
    for name, moment in (("the issuer restart", run.marks["ready"]), ("the database outage", run.marks["db_back"])):
        if first_ok_after(issues, moment) is None:
            problems.append(f"no credential issued after {name}")
    return problems


def figures(run: Any) -> str:
    marks, lines = run.marks, []
    duration = marks["end"]
    lines.append(f"load and fault test: {run.db}, {duration:.0f} s of load, gunicorn {run.workers} workers per "
                 f"service, {run.clients[0]} issuing + {run.clients[1]} verifying client threads (127.0.0.1)")
    lines.append("")
    lines.append(f"{'endpoint':38} {'requests':>8} {'ok':>7} {'ok/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
                 "  answers")
    for endpoint, title in ENDPOINTS.items():
        events = of(run, endpoint)
        if not events:
            continue
        latencies = [1000 * (event.end - event.start) for event in events]
        good = sum(1 for event in events if ok(event))
        answers = ", ".join(f"{label} {count}" for label, count in Counter(e.label for e in events).most_common())
        span = marks["end"] if endpoint != "lookup" else max(e.end for e in events) - min(e.start for e in events)
        lines.append(f"{title:38} {len(events):8} {good:7} {good / span:7.1f} {percentile(latencies, 0.5):8.1f} "
                     f"{percentile(latencies, 0.99):8.1f} {max(latencies):8.1f}  {answers}")
    issues = of(run, "issue")
    retried = [event for event in issues if event.retry]
    got, stored = set(run.issued), set(run.stored)
    failed = [event for event in issues if event.status is None or event.status >= 500]
    same = sum(1 for cid in got & stored if run.stored[cid] == run.issued[cid])
    lines += ["", "issuing"]
    items = [
        ("credentials the clients got back", f"{len(got)}  ({', '.join(f'{k} {v}' for k, v in run.how.items())})"),
        ("retried issue attempts", f"{len(retried)}  ({_counts(retried)})"),
        ("issue answers 5xx / no answer", f"{len(failed)}  ({_counts(failed)})"),
        ("requests never retried into success", str(len(run.unrecovered))),
        ("credentials in the database", f"{len(stored)}  (audit 'issue' entries {run.audited})"),
        ("in the database with the same proof", str(same)),
        ("resolvable by GET /credentials/<id>, same proof", f"{run.resolved} of {run.checked} looked up (every "
                                                            "retried one and a random sample)"),
        ("lost (got back, not in the database)", str(len(got - stored))),
        ("unaccounted (in the database, never got back)", str(len(stored - got))),
    ]
    lines += [f"  {name:50} {value}" for name, value in items]
    verifies = of(run, "verify")
    for name, (start, end) in windows(run).items():
        within = inside(verifies, start, end)
        edge = [e for e in overlapping(verifies, start, end) if e not in within]
        lines += ["", f"verifier while the {name} ({start:.1f} s to {end:.1f} s, {end - start:.1f} s)"]
        lines.append(f"  {'verify answers entirely inside':50} {len(within)}  ({_counts(within)})")
        lines.append(f"  {'verify answers straddling an edge':50} {len(edge)}  ({_counts(edge)})")
    clear = [e for e in verifies if not overlapping([e], marks["kill"], marks["ready"])
             and not overlapping([e], marks["db_cut"], marks["db_back"])]
    lines.append(f"  {'verify answers away from both faults':50} {len(clear)}  ({_counts(clear)})")
    db_issues = overlapping(issues, marks["db_cut"], marks["db_back"])
    recover = [
        ("issuer SIGKILL to restart (planned outage)", marks["restart"] - marks["down"]),
        ("gunicorn restart to answering", marks["ready"] - marks["restart"]),
        ("restart to first credential issued", first_ok_after(issues, marks["restart"])),
        ("restart to first 'verified'", first_ok_after(verifies, marks["restart"])),
        ("database back to first credential issued", first_ok_after(issues, marks["db_up"])),
        ("database back to first 'verified'", first_ok_after(verifies, marks["db_up"])),
        ("longest issue attempt overlapping the DB outage", max((e.end - e.start for e in db_issues), default=None)),
    ]
    lines += ["", "time to recover"]
    lines += [f"  {name:50} {'-' if value is None else f'{value:.2f} s'}" for name, value in recover]
    problems = invariants(run)
    lines += ["", "invariants: " + ("all hold" if not problems else "BROKEN")] + [f"  - {p}" for p in problems]
    return "\n".join(lines)


def rows(run: Any) -> list[tuple[str, float | None, float, str]]:
    """Rows for bench/RESULTS.md: (figure, value, reference from the same run, unit)."""
    marks, issues, verifies = run.marks, of(run, "issue"), of(run, "verify")
    before_issue, before_verify = rate(issues, 0, marks["kill"]), rate(verifies, 0, marks["kill"])
    after = max(marks["db_back"] + 0.5, marks["end"] - 10)
    latencies = [1000 * (e.end - e.start) for e in issues]
    boot = marks["ready"] - marks["restart"]
    first = first_ok_after(issues, marks["restart"])
    return [
        (f"load+fault {run.db}: issued/s before the faults", before_issue, before_issue, "/s"),
        (f"load+fault {run.db}: issued/s at the end", rate(issues, after, marks["end"]), before_issue, "/s"),
        (f"load+fault {run.db}: verified/s before the faults", before_verify, before_verify, "/s"),
        (f"load+fault {run.db}: issue p99 latency (p50 as reference)", percentile(latencies, 0.99),
         statistics.median(latencies), "ms"),
        (f"load+fault {run.db}: restart to first issued (gunicorn boot as reference)", first, boot, "s"),
        (f"load+fault {run.db}: DB back to first issued", first_ok_after(issues, marks["db_up"]), boot, "s"),
    ]


def _counts(events: list) -> str:
    return ", ".join(f"{label} {count}" for label, count in Counter(e.label for e in events).most_common()) or "-"
