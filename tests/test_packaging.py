"""Packaging: `pip install paspoort` is the library and the worker's CLI, without the server stack.

The slow test (marked ``packaging``, about a minute) builds the wheel from a copy of the working
tree, installs it without extras into a fresh venv under a temporary folder (dependencies from
the package index; skipped, with the reason, only when the index cannot be reached) and uses it
the way a worker would. The quick tests check the same promises in this checkout.
"""
from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from support import ROOT

SERVER_STACK = ("flask", "sqlalchemy", "alembic", "psycopg", "gunicorn", "granian", "werkzeug", "click")
TEST_ONLY = ("jsonschema", "requests", "pytest")  # the library runs without them (cryptography is a dependency: decision 0197)
REGISTRY_SIGNER = "did:key:z6Mki8PYnU7NSJ7wQVwA7yH1g7gT4LQd1Zax4wypiHCgYC99"  # examples/keys.json "registry"


def run(*command: str | Path, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PASPOORT_", "PASSPORT_", "PYTHON", "LC_", "LANG"))}
    env["LANG"] = "C.UTF-8"  # no language asked for: the command speaks Dutch, whatever this machine's locale
    return subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


# --- quick: this checkout ------------------------------------------------------------------
def test_importing_the_library_and_running_the_cli_loads_no_server_stack() -> None:
    probe = ("import sys, passport, passport.cli\n"
             "try:\n    passport.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
             "import passport.demo.offline, passport.demo.world\n"
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {SERVER_STACK!r}))")
    result = run(sys.executable, "-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_python_dash_m_passport_is_the_cli() -> None:
    result = run(sys.executable, "-m", "passport", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: passport ") and " verify " in result.stdout


def test_the_package_reaches_the_examples_and_declares_its_types() -> None:
    from passport.demo.world import EXAMPLES

    assert EXAMPLES.parent == ROOT / "passport" and (EXAMPLES / "keys.json").is_file()
    assert (EXAMPLES / "jobs" / "begeleider-gehandicaptenzorg.json").is_file()
    assert (ROOT / "passport" / "py.typed").is_file()


# --- slow: the wheel in a fresh venv ---------------------------------------------------------
def _copy_of_the_working_tree(target: Path) -> Path:
    """Tracked and new (not ignored) files, symlinks kept: what a clone with these changes holds."""
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    assert listed.returncode == 0, listed.stderr
    for name in sorted(set(filter(None, listed.stdout.split("\0")))):
        source, copy = ROOT / name, target / name
        if not os.path.lexists(source):
            continue  # deleted in the working tree
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            copy.symlink_to(os.readlink(source))
        else:
            copy.write_bytes(source.read_bytes())
    return target


def _index_reachable(tmp: Path) -> str | None:
    """None when pip can download from its index; else why not."""
    probe = run(sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", tmp / "probe",
                "setuptools>=77", timeout=180)
    return None if probe.returncode == 0 else f"the package index is unreachable: {probe.stderr.strip()[-300:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(venv bin folder, the wheel, a work folder): the wheel installed without extras."""
    tmp = tmp_path_factory.mktemp("packaging")
    unreachable = _index_reachable(tmp)
    if unreachable:
        pytest.skip(unreachable)
    source = _copy_of_the_working_tree(tmp / "src")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp / "wheels", source, timeout=600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (wheel,) = (tmp / "wheels").glob("paspoort-*.whl")
    venv.create(tmp / "venv", with_pip=True)
    bin_dir = tmp / "venv" / "bin"
    install = run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, timeout=600)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    work = tmp / "work"  # not the checkout: nothing may come from the repository
    work.mkdir()
    return bin_dir, wheel, work


@pytest.mark.packaging
def test_wheel_holds_every_package_the_data_and_py_typed(installed) -> None:
    _, wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in sorted(ROOT.glob("*/**/__init__.py")):
        relative = init.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in ("passport", "issuer_service", "verifier_service"):
            assert relative in names, f"{relative} is not in the wheel"
    examples = {name for name in names if name.startswith("passport/_examples/")}
    for name in ("keys.json", "trust-registry.json", "jobs/begeleider-gehandicaptenzorg.json", "ria/profile.yaml",
                 "ria/endorsements/bhv-certificaat.json"):
        assert f"passport/_examples/{name}" in examples
    assert not [name for name in examples if name.endswith(".py")]  # the build scripts stay in the repository
    assert {"passport/py.typed", "passport/__main__.py", "passport/_schemas/defs.json"} <= names
    assert "passport/qr/pp2-dictionary.bin" in names  # the QR text's preset dictionary (SPEC section 9)
    contexts = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "passport/jsonld/contexts").iterdir())
    assert len(contexts) == 6 and set(contexts) <= names  # the shipped JSON-LD contexts and their README
    app_files = {p.relative_to(ROOT).as_posix() for folder in ("templates", "static")
                 for p in (ROOT / "passport/app" / folder).iterdir()}
    assert app_files and app_files <= names  # the wallet app's pages and its style sheet and script


@pytest.mark.packaging
def test_installed_without_extras_the_app_says_how_to_get_flask(installed) -> None:
    bin_dir, _, work = installed
    result = run(bin_dir / "passport", "app", "--no-browser", cwd=work)
    assert result.returncode == 2 and "pip install '.[wallet-app]'" in result.stderr, result.stderr


@pytest.mark.packaging
def test_installed_without_extras_has_no_server_stack_or_test_tools(installed) -> None:
    bin_dir, _, work = installed
    probe = f"import importlib.util as u; print([m for m in {SERVER_STACK + TEST_ONLY!r} if u.find_spec(m)])"
    result = run(bin_dir / "python", "-c", probe, cwd=work)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr


@pytest.mark.packaging
def test_installed_cli_helps_and_runs_as_a_module(installed) -> None:
    bin_dir, _, work = installed
    for command in ([bin_dir / "passport", "--help"], [bin_dir / "python", "-m", "passport", "--help"]):
        result = run(*command, cwd=work)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: passport ") and "verify" in result.stdout


@pytest.mark.packaging
def test_installed_offline_demo_and_verify(installed) -> None:
    bin_dir, _, work = installed
    out = work / "offline"
    demo = run(bin_dir / "python", "-m", "passport.demo", "--offline", "--out", out, cwd=work)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert "NOT VERIFIED (status: REVOKED)" in demo.stdout
    checked = run(bin_dir / "passport", "verify", out / "endorsements" / "bhv-certificaat.json",
                  "--trust", out / "trust-registry.json", "--trust-signer", REGISTRY_SIGNER,
                  "--status", out / "status-lists", "--now", "2026-11-23T12:00:00Z", cwd=work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("GEVERIFIEERD")  # the installed command speaks Dutch by default


@pytest.mark.packaging
def test_installed_live_demo_names_the_missing_extras(installed) -> None:
    bin_dir, _, work = installed
    result = run(bin_dir / "python", "-m", "passport.demo", "--out", work / "live", cwd=work)
    assert result.returncode == 2
    assert ".[services]" in result.stdout and "--offline" in result.stdout
    assert not (work / "live").exists()
