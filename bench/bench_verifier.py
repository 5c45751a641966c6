"""Benchmark: the verifier service under load, against the library on the same cores.

Starts gunicorn on 127.0.0.1 (a free port, one sync worker per core) with Ria's demo trust
registry and an offline status bundle, then:

- library: ``verify`` of one AantoonbaarBekwaam endorsement in one process per core, in parallel
  (the throughput the service could reach at best on these cores);
- service: ``POST /credentials/verify`` of the same endorsement for ``--seconds`` with
  2 x cores concurrent clients (a separate process, raw sockets): requests/s, its ratio to the
  library figure (target >= 0.5), p50 and p99 latency;
- a presentation of the profile and 10 endorsements, end to end: ``POST /challenges``, then
  ``POST /presentations/verify`` (median of several rounds) against the library's ``verify``.

    python bench/bench_verifier.py [--seconds 5]
"""
from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from passport import StatusSource, present, sign, verify  # noqa: E402
from passport.demo.world import build_world  # noqa: E402
from passport.documents import AANTOONBAAR_BEKWAAM_TYPE, new_credential_id, paspoort_type  # noqa: E402
from passport.timeutil import format_datetime  # noqa: E402

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


def cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's workers (the master's children), from /proc."""
    total = 0.0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return float("nan")
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            continue
    return total


# --- the load generator (its own process; raw sockets, Connection: close) ---------------------
def _load(port: int, body: bytes, clients: int, seconds: float, queue) -> None:
    request = (f"POST /credentials/verify HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client() -> None:
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(request)
                chunks = []
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            mine.append(time.perf_counter() - start)
            if not b"".join(chunks).startswith(b"HTTP/1.1 200"):
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors[0], time.perf_counter() - started))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(folder: str, cores: int, port: int, registry_signer: str) -> subprocess.Popen:
    env = {**os.environ,
           "PASPOORT_VERIFIER_TRUST_REGISTRIES": f"{folder}/registry.json",
           "PASPOORT_VERIFIER_TRUST_SIGNERS": registry_signer,
           "PASPOORT_VERIFIER_OFFLINE_BUNDLE": f"{folder}/bundle.json",
           "PASPOORT_VERIFIER_DATABASE_URL": f"sqlite:///{folder}/verifier.sqlite3",
           "PASPOORT_VERIFIER_DOMAIN": DOMAIN}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(cores), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--worker-tmp-dir", "/dev/shm",
         "verifier_service:create_app()"], cwd=str(ROOT), env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def post(port: int, path: str, document) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(document).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def main(argv: list[str] | None = None) -> list[tuple[str, float, float, str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    now = datetime.now(timezone.utc)
    world, plain, ten = fixtures(now)
    signer = world.keys["registry"].did

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "registry.json").write_text(json.dumps(world.registry))
        Path(folder, "bundle.json").write_text(json.dumps({"created": format_datetime(now),
                                                           "statusLists": world.status_documents}))
        library, library_cpu = library_throughput(plain, world.registry, signer, cores, args.seconds)

        port = free_port()
        server = start_gunicorn(folder, cores, port, signer)
        try:
            status, body = post(port, "/credentials/verify", {"verifiableCredential": plain})
            assert status == 200 and body["verified"], body
            queue = multiprocessing.get_context("spawn").Queue()
            payload = json.dumps({"verifiableCredential": plain, "options": {}}).encode()
            loader = multiprocessing.get_context("spawn").Process(
                target=_load, args=(port, payload, 2 * cores, args.seconds, queue))
            cpu_before = cpu_seconds(server.pid)
            loader.start()
            latencies, errors, elapsed = queue.get()
            loader.join()
            service_cpu = (cpu_seconds(server.pid) - cpu_before) / len(latencies)
            assert errors == 0, f"{errors} requests did not answer 200"
            rps = len(latencies) / elapsed
            latencies.sort()
            p50 = latencies[len(latencies) // 2] * 1e3
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3

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
        finally:
            server.terminate()
            server.wait(timeout=10)

    one = 1e3 / (library / cores)  # ms per library verify on one core
    rows = [
        (f"library verify of one endorsement, {cores} processes", library, library, "req/s"),
        (f"POST /credentials/verify, gunicorn -w {cores}, {2 * cores} clients", rps, library, "req/s"),
        ("  CPU per request in the workers vs CPU per library verify", service_cpu * 1e3, library_cpu * 1e3, "ms"),
        ("  p50 latency under that load", p50, one, "ms"),
        ("  p99 latency under that load", p99, one, "ms"),
        ("presentation of profile + 10 endorsements, challenge + verify over HTTP",
         statistics.median(rounds) * 1e3, statistics.median(library_vp) * 1e3, "ms"),
    ]
    print(f"{'figure':72} {'value':>10} {'reference':>10} {'ratio':>6}")
    for name, value, reference, unit in rows:
        print(f"{name:72} {value:8.1f}{unit} {reference:8.1f}{unit} {value / reference:6.2f}")
    return rows


if __name__ == "__main__":
    main()
