"""What every benchmark shares: timing one call, and printing rows (figure, value, reference, unit)."""
from __future__ import annotations

import statistics
import time
from typing import Callable, Iterable


def per_call(function: Callable[[], object], seconds: float) -> float:
    """Median seconds per call over five rounds of about ``seconds / 5`` each (after one warm-up)."""
    function()
    rounds = []
    for _ in range(5):
        count, start = 0, time.perf_counter()
        deadline = start + seconds / 5
        while True:
            function()
            count += 1
            if time.perf_counter() > deadline:
                break
        rounds.append((time.perf_counter() - start) / count)
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
