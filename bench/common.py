"""What every benchmark shares: timing one call, and printing rows (figure, value, reference, unit)."""
from __future__ import annotations

import statistics
import time
from typing import Callable, Iterable


def per_call(function: Callable[[], object], seconds: float, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median seconds per call over five rounds of about ``seconds / 5`` each (after one warm-up).

    ``clock=time.thread_time`` counts the CPU time of this thread only: on a shared machine,
    wall time also counts the moments another process holds the core.
    """
    function()
    rounds = []
    for _ in range(5):
        count, start, wall = 0, clock(), time.perf_counter()
        deadline = wall + seconds / 5
        while True:
            function()
            count += 1
            if time.perf_counter() > deadline:
                break
        rounds.append((clock() - start) / count)
    return statistics.median(rounds)


def print_rows(rows: Iterable[tuple[str, float | None, float, str]]) -> None:
    """One line per figure with its same-run reference and the ratio; ``None`` means 'not reached'."""
    rows = list(rows)
    width = max([len(name) for name, *_ in rows] + [20])
    print(f"{'figure':{width}} {'value':>12} {'reference':>12} {'ratio':>6}")
    for name, value, reference, unit in rows:
        shown = "not reached" if value is None else f"{value:10.2f}{unit}"
        ratio = "" if value is None or not reference else f"{value / reference:6.2f}"
        print(f"{name:{width}} {shown:>12} {reference:10.2f}{unit} {ratio:>6}")
