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


def paired(function: Callable[[], object], reference: Callable[[], object], seconds: float,
           clock: Callable[[], float] = time.perf_counter, rounds: int = 11) -> tuple[float, float]:
    """Seconds per call of ``function`` and of ``reference``, measured in alternating rounds of
    about ``seconds / (2 * rounds)`` each (after one warm-up of both); the medians of each.

    On a shared machine the load moves within seconds; measured side by side, both figures see
    the same moments, so their ratio holds where two separate ``per_call`` runs would not.
    """
    function(), reference()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for side, call in enumerate((function, reference)):
            count, start, deadline = 0, clock(), time.perf_counter() + seconds / (2 * rounds)
            while True:
                call()
                count += 1
                if time.perf_counter() > deadline:
                    break
            times[side].append((clock() - start) / count)
    return statistics.median(times[0]), statistics.median(times[1])


def print_rows(rows: Iterable[tuple[str, float | None, float, str]]) -> None:
    """One line per figure with its same-run reference and the ratio; ``None`` means 'not reached'."""
    rows = list(rows)
    width = max([len(name) for name, *_ in rows] + [20])
    print(f"{'figure':{width}} {'value':>12} {'reference':>12} {'ratio':>6}")
    for name, value, reference, unit in rows:
        shown = "not reached" if value is None else f"{value:10.2f}{unit}"
        ratio = "" if value is None or not reference else f"{value / reference:6.2f}"
        print(f"{name:{width}} {shown:>12} {reference:10.2f}{unit} {ratio:>6}")
