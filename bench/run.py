"""Run every benchmark of the project and write one table to bench/RESULTS.md.

    python bench/run.py [--only verify,qr,...] [--out bench/RESULTS.md]

Each benchmark module (``bench_*.py``, ``load_fault.py``) has ``main(argv) -> rows`` with rows ``(figure, value, reference,
unit)``; the reference is measured in the same run (e.g. raw libsodium Ed25519 verify), so
the ratio means something on a shared, noisy machine even when the absolute values move.
"""
from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# section -> (module, its arguments); the load and fault test runs about a minute per database
BENCHES = {"verify": ("bench_verify", []), "trust": ("bench_trust", []), "rdfc": ("bench_rdfc", []),
           "qr": ("bench_qr", []), "wallet": ("bench_wallet", []), "issuer": ("bench_issuer", []),
           "oid4vci": ("bench_oid4vci", []), "verifier": ("bench_verifier", []), "oid4vp": ("bench_oid4vp", []),
           "servers": ("bench_servers", []),
           "load-fault-sqlite": ("load_fault", ["--db", "sqlite"]),
           "load-fault-postgresql": ("load_fault", ["--db", "postgresql"])}
LIBRARIES = ["PyNaCl", "rfc8785", "jsonschema-rs", "qrcode", "zxing-cpp", "Flask", "SQLAlchemy", "gunicorn", "granian",
             "orjson"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated subset of " + ",".join(BENCHES))
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args(argv)
    chosen = args.only.split(",") if args.only else list(BENCHES)
    unknown = [name for name in chosen if name not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {', '.join(BENCHES)}")
    sections = []
    failed = []
    for name in chosen:
        module, arguments = BENCHES[name]
        print(f"== {name}", flush=True)
        try:
            rows = importlib.import_module(module).main(list(arguments))
        except Exception as exc:  # a broken benchmark (or a broken invariant) is reported, the others still run
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        sections.append((name, rows))
    Path(args.out).write_text(render(sections, failed), encoding="utf-8")
    print(f"wrote {args.out}")
    return 1 if failed else 0


def render(sections, failed) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}.",
        "Libraries: " + ", ".join(f"{name} {_version(name)}" for name in LIBRARIES) + ".",
        "",
        "Ratio = value / reference, both measured in the same run. Shared machine: absolute values move.",
        "",
    ]
    for name, rows in sections:
        lines += [f"## {name}", "", "| figure | value | reference | ratio |", "|---|---|---|---|"]
        for figure, value, reference, unit in rows:
            ratio = f"{value / reference:.2f}" if value is not None and reference else ""
            shown = "" if value is None else f"{value:.3g} {unit}"
            ref = "" if not reference else f"{reference:.3g} {unit}"
            lines.append(f"| {figure.strip()} | {shown} | {ref} | {ratio} |")
        lines.append("")
    if failed:
        lines += ["## Failed", ""] + [f"- {item}" for item in failed] + [""]
    return "\n".join(lines)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    sys.exit(main())
