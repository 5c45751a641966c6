"""Benchmark: the verifier service under load, against the library on the same cores.

Writes Ria's demo trust registry and an offline status bundle to a temporary folder, then:

- library: ``verify`` of one AantoonbaarBekwaam endorsement in one process per core, in parallel,
  and the CPU of a strict parse + ``check`` of each request body the service gets (one
  endorsement; a presentation of the profile and 10 endorsements with the caller's challenge,
  status lists verified once, as the service keeps them): the reference of the issue-14 ratio;
- the Flask app called in-process as WSGI (no HTTP, one core): CPU per request and where it
  goes (the strict parse, ``Verifier.check``, the 200 answer, Flask and Werkzeug);
- for each server set-up (``services.SERVER_KINDS``: gunicorn sync, gunicorn gthread, granian;
  ``-w cores`` each, new connection per request or persistent connections), the verifier and
  the bare Flask app (``bare_app.py``) under the same load - ``--clients`` concurrent clients
  in a separate process (raw sockets, HTTP/1.1) posting the same body to the same path for
  ``--seconds``; and the same for the bare app plus the library's parse + check
  (``create_library_app``). Per set-up and document: requests/s, the workers' CPU per request
  (from /proc, independent of the load generator sharing the cores), and the issue's target:
  (service - bare app) worker CPU per request / library parse + check <= 1.2, with the library's
  parse + check measured in a worker under the same load (the library app minus the bare app:
  both sides feel the same contention for caches and cores) and, for comparison, in a quiet
  loop in this process; p50 and p99 latency;
- a presentation end to end: ``POST /challenges``, then ``POST /presentations/verify`` (median
  of several rounds) against the library's ``verify``.

    python bench/bench_verifier.py [--seconds 5] [--clients 16] [--only granian,...]
"""
from __future__ import annotations

import argparse
import copy
import io
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from passport import StatusSource, check, present, sign, verify  # noqa: E402
from passport.demo.world import build_world  # noqa: E402
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, new_credential_id, paspoort_type  # noqa: E402
from passport.encoding.timeutil import format_datetime  # noqa: E402
from common import print_rows  # noqa: E402
from server_load import Load, measure  # noqa: E402
from services import SERVER_KINDS, serve  # noqa: E402

DOMAIN = "127.0.0.1"
CALLER_CHALLENGE = "bench-caller-challenge-0001"  # the caller's own (VC API): compared, never stored


def fixtures(now: datetime):
    world = build_world("ria", now)
    with_status = next(c for c in world.endorsements if paspoort_type(c) == AANTOONBAAR_BEKWAAM_TYPE)
    examiner = world.keys[world.role_of(with_status["issuer"]["id"])]
    plain = sign({k: v for k, v in with_status.items() if k not in ("proof", "credentialStatus")}, examiner,
                 created=now)
    ten = [copy.deepcopy(c) for c in world.endorsements]
    while len(ten) < 10:
        extra = copy.deepcopy({k: v for k, v in with_status.items() if k not in ("proof", "credentialStatus")})
        extra["id"] = new_credential_id()
        ten.append(world.issue(extra))
    return world, plain, ten[:10]


# --- the library, one process per core ---------------------------------------------------------
def _library_worker(args) -> tuple[int, float]:
    credential, registry, signer, seconds = args
    from passport import TrustRegistry, TrustStore

    now = datetime.now(timezone.utc)
    trust = TrustStore([TrustRegistry.from_credential(registry, trusted_signers={signer}, now=now)])
    verify(credential, now=now, trust=trust)
    count, deadline, cpu = 0, time.perf_counter() + seconds, time.process_time()
    while time.perf_counter() < deadline:
        verify(credential, now=now, trust=trust)
        count += 1
    return count, time.process_time() - cpu


def library_throughput(credential, registry, signer, cores: int, seconds: float) -> tuple[float, float]:
    """(verifies per second on all cores, CPU seconds per verify)."""
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        results = pool.map(_library_worker, [(credential, registry, signer, seconds)] * cores)
    count = sum(n for n, _ in results)
    return count / seconds, sum(cpu for _, cpu in results) / count


def _cpu_per_call(function, seconds: float, max_calls: int) -> float:
    """CPU seconds per call of ``function`` in this process (after one warm-up call)."""
    function()
    count, deadline, cpu = 0, time.perf_counter() + seconds, time.process_time()
    while time.perf_counter() < deadline and count < max_calls:
        function()
        count += 1
    return (time.process_time() - cpu) / count


def in_process(folder: str, signer: str, payload: bytes, seconds: float,
               max_requests: int) -> tuple[float, dict[str, float]]:
    """CPU seconds per request of the Flask app called as WSGI in this process: no HTTP, no gunicorn.

    The ceiling for any WSGI server in front of this app (one core, nothing else in the way).
    Also the CPU seconds of the view's own parts, each called alone (``parts``): the strict parse
    of the request body, ``Verifier.check`` of the parsed credential, and the 200 answer.
    """
    from verifier_service import create_app

    app = create_app({"TRUST_REGISTRIES": [f"{folder}/registry.json"], "TRUST_SIGNERS": [signer],
                      "OFFLINE_BUNDLE": f"{folder}/bundle.json", "DATABASE_URL": f"sqlite:///{folder}/inproc.sqlite3",
                      "DOMAIN": DOMAIN})
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/credentials/verify", "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(payload)), "HTTP_HOST": "127.0.0.1",
               "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": False,
               "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0)}
    answered = []

    def one() -> None:
        body = b"".join(app({**environ, "wsgi.input": io.BytesIO(payload)},
                            lambda status, headers, exc_info=None: answered.append(status)))
        assert answered.pop() == "200 OK", body[:300]

    wsgi = _cpu_per_call(one, seconds, max_requests)
    return wsgi, view_parts(app, payload, seconds / 3, max_requests)


def view_parts(app, payload: bytes, seconds: float, max_calls: int) -> dict[str, float]:
    """CPU seconds per call of what the ``/credentials/verify`` view does besides Flask."""
    from passport.encoding import jsonio
    from verifier_service.errors import json_response

    verifier = app.extensions["paspoort_verifier"].verifier
    report = verifier.check(jsonio.loads(payload)["verifiableCredential"])
    parse = _cpu_per_call(lambda: jsonio.loads(payload), seconds, max_calls)
    # a freshly parsed credential each time, as in a request (the same dict again runs warmer)
    parse_and_check = _cpu_per_call(lambda: verifier.check(jsonio.loads(payload)["verifiableCredential"]), seconds,
                                    max_calls)
    answer = _cpu_per_call(lambda: json_response({**report.to_dict(), "sources": verifier.sources()}), seconds,
                           max_calls)
    return {"parse": parse, "check": max(parse_and_check - parse, 0.0), "answer": answer}


def library_parse_check(payload: bytes, trust, status: StatusSource, seconds: float, max_calls: int) -> float:
    """CPU seconds per strict parse + ``check`` of the request body, as the service's view calls them
    (the policy of the VC API endpoints, the caller's challenge), the status lists verified once."""
    from passport.encoding import jsonio
    from passport.verification.policy import VCDM

    def one() -> None:
        body = jsonio.loads(payload)
        document = body.get("verifiableCredential") or body["verifiablePresentation"]
        options = body.get("options", {})
        report = check(document, now=datetime.now(timezone.utc), trust=trust, status=status, policy=VCDM,
                       challenge=options.get("challenge"), domain=options.get("domain"))
        assert report.verified, report.to_dict()
    return _cpu_per_call(one, seconds, max_calls)


def verifier_env(folder: str, signer: str) -> dict[str, str]:
    return {"PASPOORT_VERIFIER_TRUST_REGISTRIES": f"{folder}/registry.json",
            "PASPOORT_VERIFIER_TRUST_SIGNERS": signer,
            "PASPOORT_VERIFIER_OFFLINE_BUNDLE": f"{folder}/bundle.json",
            "PASPOORT_VERIFIER_DATABASE_URL": f"sqlite:///{folder}/verifier.sqlite3",
            "PASPOORT_VERIFIER_DOMAIN": DOMAIN}


def post(port: int, path: str, document) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(document).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# (server kind, clients keep their connection): sync gunicorn closes every connection anyway
SETUPS = [("gunicorn sync", False), ("gunicorn gthread", True), ("granian", False), ("granian", True)]
PATHS = {"one": "/credentials/verify", "ten": "/presentations/verify"}
APPS = {"service": "verifier_service:create_app()", "bare": "bench.bare_app:create_app()",
        "library": "bench.bare_app:create_library_app()"}


def server_loads(folder: str, signer: str, payloads: dict[str, bytes], kind: str, keep_alive: bool, cores: int,
                 clients: int, seconds: float, max_requests: int, rounds: int) -> dict[tuple[str, str], Load]:
    """Per (app, document): the load run of each of ``APPS`` under server ``kind`` whose workers
    spent the least CPU per request. The three servers run side by side (idle unless loaded) and
    are loaded in turn, ``rounds`` times, so that each sees the same moments of a shared machine;
    the least CPU per request is the one least inflated by other processes."""
    servers = {}
    try:
        for app, target in APPS.items():
            servers[app] = serve(kind, target, verifier_env(folder, signer), Path(folder) / f"{app}.log",
                                 workers=cores)
        for app, server in servers.items():
            for name, payload in payloads.items():
                status, body = post(server.port, PATHS[name], json.loads(payload))
                assert status == 200 and body["verified"], body  # and the status lists are verified by now
        runs: dict[tuple[str, str], list[Load]] = {}
        for _ in range(rounds):
            for name, payload in payloads.items():
                for app, server in servers.items():
                    runs.setdefault((app, name), []).append(measure(
                        server.port, server.process.pid, payload, clients, seconds / rounds, max_requests,
                        keep_alive, path=PATHS[name]))
    finally:
        for server in servers.values():
            server.stop()
    return {key: min(loads, key=lambda load: load.worker_cpu_ms) for key, loads in runs.items()}


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--max-requests", type=int, default=500_000, help="upper bound per load run")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (default 8 per core)")
    parser.add_argument("--rounds", type=int, default=3, help="load runs per app and document, in turn")
    parser.add_argument("--only", help="comma-separated server kinds (default all: " + ", ".join(SERVER_KINDS) + ")")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    clients = args.clients or 8 * cores
    kinds = args.only.split(",") if args.only else list(SERVER_KINDS)
    now = datetime.now(timezone.utc)
    world, plain, ten = fixtures(now)
    signer = world.keys["registry"].did
    vp = present([world.profile, *ten], world.holder, now=now, challenge=CALLER_CHALLENGE, domain=DOMAIN)
    payloads = {"one": json.dumps({"verifiableCredential": plain, "options": {}}).encode(),
                "ten": json.dumps({"verifiablePresentation": vp,
                                   "options": {"challenge": CALLER_CHALLENGE, "domain": DOMAIN}}).encode()}
    status_source = StatusSource(world.status_documents)  # verified once, as the service keeps them
    library_pc = {name: library_parse_check(payload, world.trust(), status_source, min(args.seconds, 3.0),
                                            args.max_requests) for name, payload in payloads.items()}
    runs: list[tuple[str, bool, dict]] = []

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "registry.json").write_text(json.dumps(world.registry))
        Path(folder, "bundle.json").write_text(json.dumps({"created": format_datetime(now),
                                                           "statusLists": world.status_documents}))
        library, library_cpu = library_throughput(plain, world.registry, signer, cores, args.seconds)
        wsgi_cpu, parts = in_process(folder, signer, payloads["one"], min(args.seconds, 3.0), args.max_requests)
        for kind, keep_alive in SETUPS:
            if kind in kinds:
                runs.append((kind, keep_alive, server_loads(folder, signer, payloads, kind, keep_alive, cores, clients,
                                                            args.seconds, args.max_requests, args.rounds)))
        server = serve("gunicorn gthread", "verifier_service:create_app()", verifier_env(folder, signer),
                       Path(folder) / "rounds.log", workers=cores)
        try:
            end_to_end = presentation_rounds(server.port, world, ten, now)
        finally:
            server.stop()

    ms = 1e3
    rows = [(f"library verify of one endorsement, {cores} processes", library, library, "req/s"),
            ("  CPU per library verify (the same credential object again)", library_cpu * ms, library_cpu * ms, "ms"),
            ("library strict parse + check of the one-endorsement request body", library_pc["one"] * ms,
             library_cpu * ms, "ms"),
            ("library strict parse + check of the 10-endorsement presentation request body", library_pc["ten"] * ms,
             library_pc["one"] * ms, "ms"),
            ("Flask app called in-process (WSGI, no HTTP): CPU per request vs library parse + check",
             wsgi_cpu * ms, library_pc["one"] * ms, "ms"),
            ("  of which the strict parse of the request body (passport.encoding.jsonio)", parts["parse"] * ms,
             library_pc["one"] * ms, "ms"),
            ("  of which Verifier.check of the parsed credential (the library's check)", parts["check"] * ms,
             library_pc["one"] * ms, "ms"),
            ("  of which the 200 answer (report, sources, JSON encoding, Response)", parts["answer"] * ms,
             library_pc["one"] * ms, "ms"),
            ("  of which Flask and Werkzeug (request context, routing, body read, WSGI response): the rest",
             max(wsgi_cpu - sum(parts.values()), 0.0) * ms, library_pc["one"] * ms, "ms")]
    for kind, keep_alive, loads in runs:
        label = f"{kind} -w {cores}, {'persistent connections' if keep_alive else 'new connection per request'}"
        for name, what in (("one", "POST /credentials/verify, one endorsement"),
                           ("ten", "POST /presentations/verify, profile + 10 endorsements, caller's challenge")):
            service, bare, lib = loads["service", name], loads["bare", name], loads["library", name]
            rows += [
                (f"{what}, {label}, {clients} clients", service.rps, library if name == "one" else
                 cores / library_pc["ten"], "req/s"),
                ("  worker CPU per request: service vs bare Flask app (same server, same load)", service.worker_cpu_ms,
                 bare.worker_cpu_ms, "ms"),
                ("  worker CPU per request: bare Flask app + library parse + check vs bare Flask app",
                 lib.worker_cpu_ms, bare.worker_cpu_ms, "ms"),
                ("  TARGET <= 1.2: (service - bare app) vs (bare app + library - bare app), worker CPU per request",
                 service.worker_cpu_ms - bare.worker_cpu_ms, lib.worker_cpu_ms - bare.worker_cpu_ms, "ms"),
                ("  the same against library parse + check measured in a loop in this process (no load)",
                 service.worker_cpu_ms - bare.worker_cpu_ms, library_pc[name] * ms, "ms"),
                ("  CPU per request in the load generator (shares the cores)", service.client_cpu_ms,
                 service.worker_cpu_ms, "ms"),
                ("  busiest worker's share of the workers' CPU vs an even share", service.busiest_share, 1 / cores, ""),
                ("  p50 latency under that load vs library parse + check", service.p50_ms, library_pc[name] * ms, "ms"),
                ("  p99 latency under that load vs library parse + check", service.p99_ms, library_pc[name] * ms, "ms"),
            ]
    rows.append(("presentation of profile + 10 endorsements, challenge + verify over HTTP (gunicorn gthread)",
                 end_to_end[0], end_to_end[1], "ms"))
    print_rows(rows)
    return rows


def presentation_rounds(port: int, world, ten, now: datetime) -> tuple[float, float]:
    """Median ms of challenge + presentation verify over HTTP, and of the library's verify."""
    trust = world.trust()
    status_source = StatusSource(world.status_documents)
    rounds, library_vp = [], []
    for _ in range(7):
        start = time.perf_counter()
        _, created = post(port, "/challenges", {})
        vp = present([world.profile, *ten], world.holder, now=datetime.now(timezone.utc),
                     challenge=created["challenge"], domain=created["domain"])
        status, body = post(port, "/presentations/verify", {
            "verifiablePresentation": vp,
            "options": {"challenge": created["challenge"], "domain": created["domain"]}})
        rounds.append(time.perf_counter() - start)
        assert status == 200 and body["verified"], body.get("errors")
        begin = time.perf_counter()
        verify(vp, now=datetime.now(timezone.utc), trust=trust, status=status_source,
               challenge=created["challenge"], domain=created["domain"])
        library_vp.append(time.perf_counter() - begin)
    return statistics.median(rounds) * 1e3, statistics.median(library_vp) * 1e3


if __name__ == "__main__":
    main()
