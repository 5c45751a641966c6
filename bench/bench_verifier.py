"""Benchmark: the verifier service under load, against the library on the same cores.

Writes Ria's demo trust registry and an offline status bundle to a temporary folder, then:

- library: ``verify`` of one AantoonbaarBekwaam endorsement in one process per core, in parallel
  (the throughput the service could reach at best on these cores), and its CPU per verify;
- the Flask app called in-process as WSGI (no HTTP, one core): CPU per request, the ceiling for
  any server in front of the app, and where it goes: the strict parse of the request body, the
  service's ``Verifier.check`` (the library's ``check``), building the 200 answer, and the rest
  (Flask and Werkzeug: request context, routing, reading the body, the WSGI response);
- service: gunicorn on 127.0.0.1 (a free port, one worker per core) in three set-ups - sync
  workers with a new TCP connection per request, gthread workers with a new connection per
  request, gthread workers (``--keep-alive 5``) with one persistent connection per client - each
  loaded with ``POST /credentials/verify`` of the same endorsement by ``--clients`` concurrent
  clients in a separate process (raw sockets, HTTP/1.1), bounded by ``--seconds`` and
  ``--max-requests``. Per set-up: requests/s and its ratio to the library (target >= 0.5); the
  CPU-normalised ratio (library CPU per verify / workers' CPU per request, from /proc), which
  does not depend on the load generator sharing the cores; the load generator's own CPU per
  request (it competes with the workers for the same cores); how evenly the workers were
  loaded; p50 and p99 latency. The labels name gunicorn's HTTP parser: ``h1c`` when
  ``gunicorn_h1c`` (``gunicorn[fast]``) is installed, else ``python``;
- a presentation of the profile and 10 endorsements, end to end: ``POST /challenges``, then
  ``POST /presentations/verify`` (median of several rounds) against the library's ``verify``.

    python bench/bench_verifier.py [--seconds 5] [--clients 16] [--threads 4] [--max-requests N]
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
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from passport import StatusSource, present, sign, verify  # noqa: E402
from passport.demo.world import build_world  # noqa: E402
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, new_credential_id, paspoort_type  # noqa: E402
from passport.encoding.timeutil import format_datetime  # noqa: E402
import http_load  # noqa: E402
from services import Gunicorn  # noqa: E402

DOMAIN = "127.0.0.1"


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


def worker_cpu(master: int) -> dict[str, float]:
    """User + system CPU seconds of each of gunicorn's workers (the master's children), from /proc."""
    out: dict[str, float] = {}
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return out
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            continue
    return out


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


def http_parser() -> str:
    """The HTTP parser gunicorn picks by default: ``h1c`` when gunicorn_h1c is installed."""
    try:
        import gunicorn_h1c  # noqa: F401
    except ImportError:
        return "python"
    return "h1c"


def start_gunicorn(folder: str, cores: int, registry_signer: str, *, threads: int = 0,
                   keep_alive: int = 2) -> Gunicorn:
    """gunicorn with ``cores`` workers: sync workers, or gthread workers with ``threads`` threads."""
    env = {"PASPOORT_VERIFIER_TRUST_REGISTRIES": f"{folder}/registry.json",
           "PASPOORT_VERIFIER_TRUST_SIGNERS": registry_signer,
           "PASPOORT_VERIFIER_OFFLINE_BUNDLE": f"{folder}/bundle.json",
           "PASPOORT_VERIFIER_DATABASE_URL": f"sqlite:///{folder}/verifier.sqlite3",
           "PASPOORT_VERIFIER_DOMAIN": DOMAIN}
    worker = (("--worker-class", "gthread", "--threads", str(threads), "--keep-alive", str(keep_alive)) if threads
              else ("--worker-class", "sync"))
    server = Gunicorn("verifier_service:create_app()", env, Path(folder) / "gunicorn.log", workers=cores,
                      options=(*worker, "--worker-tmp-dir", "/dev/shm"))
    server.start(timeout=30)
    return server


def post(port: int, path: str, document) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(document).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@dataclass
class Load:
    """One load run against one gunicorn set-up."""

    rps: float
    p50_ms: float
    p99_ms: float
    worker_cpu_ms: float  # CPU of all gunicorn workers per request
    client_cpu_ms: float  # CPU of the load generator per request (it shares the cores)
    requests: int
    busiest_share: float  # the busiest worker's part of the workers' CPU (1/workers when balanced)


def measure(port: int, master: int, payload: bytes, clients: int, seconds: float, max_requests: int,
            keep_alive: bool) -> Load:
    queue = multiprocessing.get_context("spawn").Queue()
    loader = multiprocessing.get_context("spawn").Process(
        target=http_load.load, args=(port, payload, clients, seconds, max_requests, keep_alive, queue))
    cpu_before = worker_cpu(master)
    loader.start()
    latencies, errors, elapsed, client_cpu = queue.get(timeout=seconds + 120)
    loader.join(timeout=30)
    cpu_after = worker_cpu(master)
    spent = [cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after]
    assert latencies and errors == 0, f"{errors} of {len(latencies)} requests did not answer 200"
    latencies.sort()
    n = len(latencies)
    return Load(rps=n / elapsed, p50_ms=latencies[n // 2] * 1e3, p99_ms=latencies[min(n - 1, int(n * 0.99))] * 1e3,
                worker_cpu_ms=sum(spent) / n * 1e3, client_cpu_ms=client_cpu / n * 1e3, requests=n,
                busiest_share=max(spent) / sum(spent) if sum(spent) else float("nan"))


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--max-requests", type=int, default=500_000, help="upper bound per load run")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (default 8 per core)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    clients = args.clients or 8 * cores
    now = datetime.now(timezone.utc)
    world, plain, ten = fixtures(now)
    signer = world.keys["registry"].did
    payload = json.dumps({"verifiableCredential": plain, "options": {}}).encode()
    # (label, gthread threads or 0 for sync, client keeps its connection)
    parser_name = http_parser()
    setups = [(f"sync workers, new connection per request, {parser_name} parser", 0, False),
              (f"gthread x{args.threads} --keep-alive 5, new connection per request, {parser_name} parser",
               args.threads, False),
              (f"gthread x{args.threads} --keep-alive 5, persistent connections, {parser_name} parser", args.threads,
               True)]
    loads: list[Load] = []

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "registry.json").write_text(json.dumps(world.registry))
        Path(folder, "bundle.json").write_text(json.dumps({"created": format_datetime(now),
                                                           "statusLists": world.status_documents}))
        library, library_cpu = library_throughput(plain, world.registry, signer, cores, args.seconds)
        wsgi_cpu, parts = in_process(folder, signer, payload, min(args.seconds, 3.0), args.max_requests)

        for label, threads, keep_alive in setups:
            server = start_gunicorn(folder, cores, signer, threads=threads, keep_alive=5)
            port = server.port
            try:
                status, body = post(port, "/credentials/verify", {"verifiableCredential": plain})
                assert status == 200 and body["verified"], body
                loads.append(measure(port, server.process.pid, payload, clients, args.seconds, args.max_requests,
                                     keep_alive))
                if threads and keep_alive:
                    end_to_end = presentation_rounds(port, world, ten, now)
            finally:
                server.stop()

    one = 1e3 / (library / cores)  # ms per library verify on one core
    rows = [(f"library verify of one endorsement, {cores} processes", library, library, "req/s"),
            ("  CPU per library verify", library_cpu * 1e3, library_cpu * 1e3, "ms"),
            ("Flask app called in-process (WSGI, no HTTP): CPU per request vs per library verify",
             wsgi_cpu * 1e3, library_cpu * 1e3, "ms"),
            ("  of which the strict parse of the request body (passport.encoding.jsonio)", parts["parse"] * 1e3,
             library_cpu * 1e3, "ms"),
            ("  of which Verifier.check of the parsed credential (the library's check)", parts["check"] * 1e3,
             library_cpu * 1e3, "ms"),
            ("  of which the 200 answer (report, sources, JSON encoding, Response)", parts["answer"] * 1e3,
             library_cpu * 1e3, "ms"),
            ("  of which Flask and Werkzeug (request context, routing, body read, WSGI response): the rest",
             max(wsgi_cpu - sum(parts.values()), 0.0) * 1e3, library_cpu * 1e3, "ms"),
            ("  CPU-normalised ceiling for any server in front of the app", cores / wsgi_cpu, cores / library_cpu,
             "req/s")]
    for (label, _, _), load in zip(setups, loads):
        rows += [
            (f"POST /credentials/verify, gunicorn -w {cores} {label}, {clients} clients", load.rps, library, "req/s"),
            # what the workers would serve with all the cores to themselves, against the same for the library
            ("  CPU-normalised: cores / worker CPU per request vs cores / library CPU per verify",
             cores / (load.worker_cpu_ms / 1e3), cores / library_cpu, "req/s"),
            ("  CPU per request in the workers vs CPU per library verify", load.worker_cpu_ms, library_cpu * 1e3, "ms"),
            ("  CPU per request in the load generator (shares the cores)", load.client_cpu_ms, library_cpu * 1e3, "ms"),
            ("  busiest worker's share of the workers' CPU vs an even share", load.busiest_share, 1 / cores, ""),
            ("  p50 latency under that load", load.p50_ms, one, "ms"),
            ("  p99 latency under that load", load.p99_ms, one, "ms"),
        ]
    rows.append(("presentation of profile + 10 endorsements, challenge + verify over HTTP",
                 end_to_end[0], end_to_end[1], "ms"))
    print(f"{'figure':92} {'value':>12} {'reference':>12} {'ratio':>6}")
    for name, value, reference, unit in rows:
        print(f"{name:92} {value:9.3g}{unit:>5} {reference:9.3g}{unit:>5} {value / reference:6.2f}")
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
