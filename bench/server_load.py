"""One load run against a running server, and what its workers spent on it.

``measure`` starts the load generator (``http_load.load``) in a process of its own, reads the
CPU of the server's workers from /proc before and after, and returns a ``Load``: requests/s,
latencies, the workers' CPU per request (user + system, all their threads), the load
generator's own CPU per request (it shares the cores), and how evenly the workers were loaded.
Worker CPU per request does not depend on the load generator competing for the same cores, so
it is the figure the server comparisons and the service-minus-bare-app ratios use.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path

import http_load


@dataclass
class Load:
    """One load run against one server set-up."""

    rps: float
    p50_ms: float
    p99_ms: float
    worker_cpu_ms: float  # CPU of all workers per request
    client_cpu_ms: float  # CPU of the load generator per request (it shares the cores)
    requests: int
    busiest_share: float  # the busiest worker's part of the workers' CPU (1/workers when balanced)


def worker_cpu(master: int) -> dict[str, float]:
    """User + system CPU seconds of each worker (the master's children), from /proc."""
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


def measure(port: int, master: int, payload: bytes, clients: int, seconds: float, max_requests: int,
            keep_alive: bool, *, path: str = "/credentials/verify", headers: tuple[tuple[str, str], ...] = (),
            expect: int = 200) -> Load:
    """Load ``path`` with ``payload`` from ``clients`` concurrent clients for ``seconds``."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    loader = context.Process(target=http_load.load, args=(port, payload, clients, seconds, max_requests, keep_alive,
                                                          queue, path, headers, expect))
    cpu_before = worker_cpu(master)
    loader.start()
    latencies, errors, elapsed, client_cpu = queue.get(timeout=seconds + 120)
    loader.join(timeout=30)
    cpu_after = worker_cpu(master)
    spent = [cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after]
    assert latencies and errors == 0, f"{errors} of {len(latencies)} requests to {path} did not answer {expect}"
    latencies.sort()
    n = len(latencies)
    return Load(rps=n / elapsed, p50_ms=latencies[n // 2] * 1e3, p99_ms=latencies[min(n - 1, int(n * 0.99))] * 1e3,
                worker_cpu_ms=sum(spent) / n * 1e3, client_cpu_ms=client_cpu / n * 1e3, requests=n,
                busiest_share=max(spent) / sum(spent) if sum(spent) else float("nan"))
