"""A fresh clone with nothing beside it: the suite collects, and the vector tests skip with a reason.

The published vectors live outside the repository (``../shared/vectors``, or ``$PASPOORT_VECTORS``).
These tests run pytest in a subprocess with ``PASPOORT_VECTORS`` pointing at a folder that does
not exist, as in a clone that has only the repository.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

from support import ROOT

MISSING = "/nonexistent/paspoort-vectors"
REASON = f"published test vectors not found at {MISSING}"


def _vector_test_files() -> list[str]:
    """Every test module that reads the published vectors (through support's helpers)."""
    return [str(path.relative_to(ROOT)) for path in sorted((ROOT / "tests").rglob("test_*.py"))
            if path.name != "test_fresh_clone.py"
            and re.search(r"\b(vector_json|needs_vectors|W3C_EDDSA|VECTORS)\b", path.read_text(encoding="utf-8"))]


def _pytest(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PASPOORT_VECTORS": MISSING}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=540)


def test_no_test_reads_the_shared_folder_by_its_own_path() -> None:
    """Only support.py knows where the vectors are; a test building ``../shared`` itself would not skip."""
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py")
                 if path.name not in ("support.py", "test_fresh_clone.py")
                 and re.search(r"""/\s*["']shared["']|["']\.\./shared""", path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_vector_tests_skip_with_the_reason_when_the_vectors_are_absent() -> None:
    files = _vector_test_files()
    assert {"tests/test_w3c_vectors.py", "tests/test_status_list.py", "tests/test_schemas.py"} <= set(files)
    run = _pytest("-q", "-rs", *files)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped and all(REASON in line for line in skipped), run.stdout[-3000:]
    assert "PASPOORT_VECTORS" in skipped[0]
    counts = re.search(r"(\d+) passed, (\d+) skipped", run.stdout)
    assert counts and int(counts[1]) > 100 and int(counts[2]) >= 20, run.stdout[-500:]  # the rest still runs


def test_whole_suite_collects_without_the_vectors() -> None:
    run = _pytest("--collect-only", "-q")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "error" not in run.stdout.lower().split("collected")[-1]
    assert re.search(r"\d+ tests? collected", run.stdout), run.stdout[-500:]


def _ci_vector_guard() -> str:
    """The lines of .ci/run that check for the vectors before `make test`."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    start = script.index('vectors="${PASPOORT_VECTORS')
    return script[start:script.index("\nfi\n", start) + 4]


def test_ci_refuses_to_run_without_the_vectors(tmp_path) -> None:
    """In CI the vector tests must run, not skip: .ci/run stops before `make test` when they are missing."""
    guard = _ci_vector_guard() + "echo guard-passed\n"
    for folder, passes in ((MISSING, False), (str(tmp_path), True)):
        run = subprocess.run(["bash", "-c", "set -euo pipefail\n" + guard], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "PASPOORT_VECTORS": folder}, timeout=30)
        assert (run.returncode == 0 and "guard-passed" in run.stdout) is passes, run.stdout + run.stderr
        if not passes:
            assert run.returncode == 1 and f"published test vectors are missing at {MISSING}" in run.stderr
