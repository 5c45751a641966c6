"""Load and fault test: issuer and verifier under concurrent load, with faults in the middle.

Starts the issuer and a verifier that trusts it as gunicorn servers on 127.0.0.1
(``services.Stack``). For ``--seconds``, issuing clients POST /credentials/issue (each credential
with an id of its own, the same body on every retry) and verifying clients POST
/credentials/verify with credentials issued so far (the verifier fetches the issuer's status list
every time: no cache). The faults, in order:

1. the issuer's gunicorn master and workers are SIGKILLed, kept down ``--down`` seconds, then
   started again on the same port and database;
2. the database is unavailable for ``--db-down`` seconds (PostgreSQL: the proxy between issuer
   and server refuses and resets connections; SQLite: an exclusive write lock).

Client rule: a connection error or a 5xx on issue is retried with the same body; a 409 on a retry
means an earlier attempt committed, and the credential is fetched with GET /credentials/<id>.
``load_report.invariants`` then checks: every id a client got back is in the database with the
same proof (and GET /credentials/<id> gives it back: every retried one and a random sample),
nothing is in the database that no client got back, no 5xx or connection error was left
unretried, and every verify answered entirely while the issuer was down said 'status unknown',
never 'verified'. The figures table is printed; ``main`` returns rows for bench/RESULTS.md and
raises ``AssertionError`` (exit status 1 from the command line) when an invariant is broken.

    python bench/load_fault.py [--seconds 60] [--db sqlite|postgresql] [--issuers 4] [--verifiers 4]
                               [--down 4] [--db-down 2] [--keep]
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from load_report import figures, invariants, rows  # noqa: E402
from services import Stack  # noqa: E402

EXAMPLE = HERE.parent / "examples" / "ria" / "endorsements" / "bhv-certificaat.json"
RETRY_BUDGET = 45.0  # seconds one credential is retried before its client gives up (a failure)
TIMEOUT = 30.0


@dataclass
class Event:
    """One HTTP attempt: ``label`` is the status and problem code, a verify outcome, or the error."""

    endpoint: str  # issue | verify | lookup
    start: float
    end: float
    status: int | None  # None: no HTTP answer (refused, reset, timeout)
    label: str
    retry: bool = False


@dataclass
class Run:
    """Everything one run saw; times in ``marks`` are seconds since the load started."""

    db: str
    seconds: float
    clients: tuple[int, int]
    workers: int
    events: list[Event] = field(default_factory=list)
    issued: dict[str, str] = field(default_factory=dict)  # id -> proofValue the client holds
    how: Counter = field(default_factory=Counter)  # how each credential was obtained
    unrecovered: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    marks: dict[str, float] = field(default_factory=dict)
    stored: dict[str, str] = field(default_factory=dict)
    audited: int = 0
    checked: int = 0  # ids looked up over HTTP at the end
    resolved: int = 0
    mismatched: list[str] = field(default_factory=list)
    logs: dict[str, str] = field(default_factory=dict)  # the end of each server's log


class Load:
    """The clients: they share one ``Run`` and stop starting new work when ``stop`` is set."""

    def __init__(self, stack: Stack, run: Run) -> None:
        self.stack, self.run = stack, run
        self.stop = threading.Event()
        self.t0 = time.monotonic()
        self.pool: list[dict[str, Any]] = []  # issued credentials, for the verifying clients
        self.retried: dict[str, str] = {}  # ids obtained only after a retry
        self.auth = {"Authorization": f"Bearer {stack.token}"}
        template = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        template.pop("issuer")
        self.template = template

    def now(self) -> float:
        return time.monotonic() - self.t0

    def call(self, http: requests.Session, endpoint: str, method: str, url: str, body: str | None = None, *,
             retry: bool = False, outcome: Callable[[int, Any], str] | None = None) -> tuple[int | None, Any, dict]:
        sent = {"Content-Type": "application/json", **(self.auth if endpoint != "verify" else {})}
        start = self.now()
        status, answer, headers = None, None, {}
        try:
            response = http.request(method, url, data=body, headers=sent, timeout=TIMEOUT)
            status, headers = response.status_code, response.headers
            try:
                answer = response.json()
            except ValueError:
                answer = None
            if outcome is not None:
                label = outcome(status, answer)
            else:
                code = answer.get("code") if status >= 400 and isinstance(answer, dict) else None
                label = f"{status} {code}" if code else str(status)
        except requests.Timeout:
            label = "timeout"
        except requests.ConnectionError as exc:
            label = "connection refused" if "refused" in str(exc).lower() else "connection reset"
        except requests.RequestException:  # e.g. the answer cut off half-way (ChunkedEncodingError)
            label = "answer cut off"
        self.run.events.append(Event(endpoint, start, self.now(), status, label, retry))
        return status, answer, headers

    # --- issuing ---------------------------------------------------------------------------------
    def issue_one(self, http: requests.Session) -> None:
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        body = json.dumps({"credential": {**self.template, "id": credential_id}})
        began, delay, attempt = time.monotonic(), 0.05, 0
        while True:
            attempt += 1
            status, answer, headers = self.call(http, "issue", "POST", self.stack.issuer.base + "/credentials/issue",
                                                body, retry=attempt > 1)
            if status == 201:
                return self._keep(answer["verifiableCredential"], "201 on a retry" if attempt > 1 else "201")
            if status == 409 and attempt > 1:  # an earlier attempt committed: fetch what was stored
                status, answer, headers = self.call(http, "lookup", "GET",
                                                    f"{self.stack.issuer.base}/credentials/{credential_id}")
                if status == 200:
                    return self._keep(answer["verifiableCredential"], "409 on a retry, then GET")
            elif status is not None and status < 500:
                self.run.unexpected.append(f"{status} on attempt {attempt} for {credential_id}: {answer}")
                return
            if time.monotonic() - began > RETRY_BUDGET:
                self.run.unrecovered.append(credential_id)
                return
            wait = headers.get("Retry-After", "") if headers else ""
            time.sleep(min(float(wait), 2.0) if wait.isdigit() else delay)
            delay = min(delay * 2, 1.0)

    def _keep(self, credential: dict[str, Any], how: str) -> None:
        self.run.issued[credential["id"]] = credential["proof"]["proofValue"]
        self.run.how[how] += 1
        if how != "201":
            self.retried[credential["id"]] = how
        self.pool.append(credential)

    # --- verifying -------------------------------------------------------------------------------
    def verify_one(self, http: requests.Session) -> None:
        if not self.pool:
            time.sleep(0.02)
            return
        body = json.dumps({"verifiableCredential": random.choice(self.pool)})
        began, retry = time.monotonic(), False
        while True:
            status, _, _ = self.call(http, "verify", "POST", self.stack.verifier.base + "/credentials/verify", body,
                                     retry=retry, outcome=verify_outcome)
            if status is not None and status < 500:
                return
            if time.monotonic() - began > RETRY_BUDGET:
                self.run.unrecovered.append("a verify request")
                return
            time.sleep(0.1)
            retry = True

    def client(self, one: Callable[[requests.Session], None]) -> None:
        with requests.Session() as http:
            while not self.stop.is_set():
                try:
                    one(http)
                except Exception as exc:  # noqa: BLE001 - a client bug is a failure of the run, not a hang
                    self.run.unexpected.append(f"client error: {type(exc).__name__}: {exc}")
                    time.sleep(0.1)

    # --- the final check -------------------------------------------------------------------------
    def resolve(self, sample: int, threads: int = 4) -> None:
        """GET /credentials/<id> for every id got on a retry and ``sample`` others: the same proof back."""
        retried = list(self.retried)
        others = [cid for cid in self.run.issued if cid not in self.retried]
        ids = retried + random.sample(others, min(sample, len(others)))
        self.run.checked = len(ids)
        lock = threading.Lock()

        def work(part: list[str]) -> None:
            with requests.Session() as http:
                for credential_id in part:
                    for _ in range(20):
                        status, answer, _ = self.call(http, "lookup", "GET",
                                                      f"{self.stack.issuer.base}/credentials/{credential_id}")
                        if status is not None and status < 500:
                            break
                        time.sleep(0.2)
                    proof = answer["verifiableCredential"]["proof"]["proofValue"] if status == 200 else None
                    with lock:
                        if proof == self.run.issued[credential_id]:
                            self.run.resolved += 1
                        else:
                            self.run.mismatched.append(f"{credential_id}: HTTP {status}")

        workers = [threading.Thread(target=work, args=(ids[n::threads],)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()


def verify_outcome(status: int, answer: Any) -> str:
    """'verified', 'status unknown', 'not verified (<codes>)' or the HTTP status and problem code."""
    if not isinstance(answer, dict) or status not in (200, 422) or "checks" not in answer:
        code = answer.get("code") if isinstance(answer, dict) else None
        return f"{status} {code}" if code else str(status)
    checks = {check["name"]: check["status"] for check in answer["checks"]}
    if status == 200 and answer.get("verified") is True and checks.get("status") == "passed":
        return "verified"
    if answer.get("verified") is False and checks.get("status") == "unknown":
        return "status unknown"
    failed = sorted({check["code"] or check["name"] for check in answer["checks"] if check["status"] != "passed"
                     and check["status"] != "skipped"})
    return f"not verified ({', '.join(failed)})"


def run(seconds: float = 60, db: str = "sqlite", *, issuers: int = 4, verifiers: int = 4, down: float = 4.0,
        db_down: float = 2.0, workers: int = 2, settle: float = 1.0, resolve_sample: int = 1000,
        keep: bool = False, log: Callable[[str], None] = print) -> Run:
    """Set up, load, kill and restart the issuer, take the database away, check; every figure in the ``Run``.

    The issuer is killed at a quarter of ``seconds``; the database goes away at 55 % of it, or
    ``settle`` seconds after the issuer answers again if that is later; the load goes on at least
    ``2 * settle`` seconds (and a fifth of ``seconds``) after the database is back.
    """
    folder = Path(tempfile.mkdtemp(prefix="load-fault-"))
    result = Run(db=db, seconds=seconds, clients=(issuers, verifiers), workers=workers)
    stack = load = None
    try:
        stack = Stack(folder, db, workers=workers)
        stack.start()
        load = Load(stack, result)
        threads = [threading.Thread(target=load.client, args=(load.issue_one,), daemon=True) for _ in range(issuers)]
        threads += [threading.Thread(target=load.client, args=(load.verify_one,), daemon=True)
                    for _ in range(verifiers)]
        for thread in threads:
            thread.start()
        _faults(stack, load, seconds, down, db_down, settle, log)
        load.stop.set()
        result.marks["end"] = load.now()
        for thread in threads:
            thread.join(RETRY_BUDGET + 2 * TIMEOUT)
        log(f"{load.now():6.1f} s  load stopped; checking the credentials")
        result.stored, result.audited = stack.stored()
        load.resolve(resolve_sample)
    finally:
        if load is not None:
            load.stop.set()
        if stack is not None:
            stack.close()
            for server in (stack.issuer, stack.verifier):
                result.logs[server.log.name] = server.log.read_text(errors="replace")[-4000:] \
                    if server.log.exists() else ""
        if keep:
            log(f"kept {folder} (server logs)")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return result


def _faults(stack: Stack, load: Load, seconds: float, down: float, db_down: float, settle: float,
            log: Callable[[str], None]) -> None:
    """The timeline: kill and restart the issuer, then take the database away; marks every moment."""
    marks = load.run.marks
    _sleep_until(load, 0.25 * seconds)
    log(f"{load.now():6.1f} s  SIGKILL the issuer (gunicorn master and workers)")
    marks["kill"] = load.now()
    stack.issuer.kill()
    marks["down"] = load.now()
    time.sleep(down)
    log(f"{load.now():6.1f} s  restart the issuer on port {stack.issuer.port}")
    marks["restart"] = load.now()
    stack.issuer.start()
    marks["ready"] = load.now()
    _sleep_until(load, max(0.55 * seconds, marks["ready"] + settle))
    log(f"{load.now():6.1f} s  database unavailable for {db_down} s")
    marks["db_cut"] = load.now()
    with stack.database_down():
        marks["db_down"] = load.now()
        time.sleep(db_down)
        marks["db_up"] = load.now()
    marks["db_back"] = load.now()
    _sleep_until(load, max(seconds, marks["db_back"] + max(2 * settle, 0.2 * seconds)))


def _sleep_until(load: Load, moment: float) -> None:
    remaining = moment - load.now()
    if remaining > 0:
        time.sleep(remaining)


def main(argv: list[str] | None = None) -> list[tuple[str, float | None, float, str]]:
    """Run once, print the figures; raise ``AssertionError`` when an invariant does not hold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--issuers", type=int, default=4, help="issuing client threads")
    parser.add_argument("--verifiers", type=int, default=4, help="verifying client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per service")
    parser.add_argument("--down", type=float, default=4.0, help="seconds the issuer stays killed")
    parser.add_argument("--db-down", type=float, default=2.0, help="seconds the database is unavailable")
    parser.add_argument("--resolve", type=int, default=1000,
                        help="credentials looked up over HTTP at the end besides every retried one (all: in the DB)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with the server logs")
    args = parser.parse_args(argv)
    result = run(args.seconds, args.db, issuers=args.issuers, verifiers=args.verifiers, down=args.down,
                 db_down=args.db_down, workers=args.workers, resolve_sample=args.resolve, keep=args.keep)
    print(figures(result))
    problems = invariants(result)
    if problems:
        raise AssertionError("invariants broken: " + "; ".join(problems))
    return rows(result)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
