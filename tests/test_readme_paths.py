"""The README's commands, as a new user runs them.

- What they write stays out of git: keys under the gitignored ``keys/`` (or the home folder),
  and ``.gitignore`` covers every other file they create.
- After ``make demo`` (here: the live demo run once into ``demo-out/`` of a temporary folder),
  every command of the "use it yourself" table runs as written and does what the row says;
  the verifier starts on the demo's offline bundle of status lists.
- ``--offline`` never cleans or overwrites the live demo's artifacts.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from support import ROOT
from passport.encoding import jsonio
from passport.demo.__main__ import main as demo_main

README = (ROOT / "README.md").read_text(encoding="utf-8")
REGISTRY_SIGNER = "did:key:z6Mki8PYnU7NSJ7wQVwA7yH1g7gT4LQd1Zax4wypiHCgYC99"  # examples/keys.json "registry"
WRITES = re.compile(r"(?:--out|--qr|--pdf|--wallet|>|backup|restore)\s+(\S+)|_KEY_FILE=(\S+)")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def table_commands() -> list[str]:
    """The backticked commands in the "use it yourself" table."""
    table = README.split("### What the demo leaves", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"`((?:PASPOORT_\S+ )*\.venv/bin/(?:passport|flask) [^`]+)`", table)


def written_paths() -> list[str]:
    """Every file or folder a README command names as its output, as written."""
    texts = shell_blocks() + table_commands()
    found = [a or b for text in texts for a, b in WRITES.findall(text)]
    return [path.strip("'\"") for path in found if path not in ("&&",)]


def ignored(path: str) -> bool:
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0


# --- item 18: nothing the README makes ends up in git --------------------------------------
def test_readme_commands_name_their_outputs() -> None:
    paths = written_paths()
    assert "keys/roc.key.json" in paths and "$PWD/keys/issuer.key.json" in paths and "~/vp.json" in paths
    assert len(paths) >= 12


def test_private_keys_from_the_readme_go_to_the_ignored_keys_folder() -> None:
    keys = [path for path in written_paths() if "key" in Path(path).name]
    assert keys and all(path.removeprefix("$PWD/").startswith("keys/") for path in keys), keys


def test_gitignore_covers_everything_the_readme_commands_create() -> None:
    inside = [path.removeprefix("$PWD/") for path in written_paths() if not path.startswith(("~", "/"))]
    assert inside
    assert [path for path in inside if not ignored(path)] == []
    # What the demo and the services create, and the same files made with names in the root.
    for path in ("demo-out/ria.wallet", "demo-out-offline/report.json", "instance/issuer.sqlite3", "keys/x.json",
                 "roc.key.json", "ria.wallet", "ria.wallet.generation", "ria.backup", "vp.json", "vp.png",
                 "passport.pdf", "signed.json"):
        assert ignored(path), f"{path} is not gitignored"
    assert not ignored("examples/trust-registry.json") and not ignored("passport/demo/flow.py")


# --- item 15: the live demo's artifacts, used as the table says ----------------------------
def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PASPOORT_", "PASSPORT_", "LC_", "LANG"))}
    # no locale: the command speaks its default, Dutch; a cheap Argon2id: the wallet format is the same
    return {**env, "PASSPORT_KDF_PROFILE": "test", **extra}


@pytest.fixture(scope="module")
def after_make_demo(tmp_path_factory) -> tuple[Path, str, str]:
    """(folder holding demo-out/, the demo's output, the wallet passphrase it showed once)."""
    here = tmp_path_factory.mktemp("checkout")
    run = subprocess.run([sys.executable, "-m", "passport.demo", "--out", "demo-out"], cwd=here, env=_env(),
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    secret = re.search(r"shown once and not stored: (\S+?)\)", run.stdout)
    assert secret, run.stdout[:2000]
    return here, run.stdout, secret[1]


def _passport(here: Path, command: str, passphrase: str) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    assert words[0] == ".venv/bin/passport"
    return subprocess.run([sys.executable, "-m", "passport", *words[1:]], cwd=here,
                          env=_env(PASSPORT_PASSPHRASE=passphrase), capture_output=True, text=True, timeout=120)


def test_demo_writes_an_offline_bundle_of_its_status_lists(after_make_demo) -> None:
    here, _, _ = after_make_demo
    bundle = jsonio.load_file(str(here / "demo-out" / "status-bundle.json"))
    assert set(bundle) == {"created", "statusLists", "didDocuments"}
    lists = list((here / "demo-out" / "status-lists").glob("*.json"))
    assert len(bundle["statusLists"]) == len(lists) == 4  # four issuers, one message list each (statusSize 2)
    for url, document in bundle["statusLists"].items():
        assert document["id"] == url and document["type"][-1] == "BitstringStatusListCredential"


def test_demo_prints_the_commands_the_readme_table_lists(after_make_demo) -> None:
    _, printed, _ = after_make_demo
    commands = table_commands()
    verify = next(c for c in commands if c.startswith(".venv/bin/passport verify demo-out/endorsements/"))
    assert verify in printed
    flask = next(c for c in commands if "flask --app verifier_service" in c)
    assert flask in printed and REGISTRY_SIGNER in flask
    assert printed.index("\n7. ") < printed.index("Use the artifacts yourself") < printed.index("Done in")
    app = next(c for c in commands if c.startswith(".venv/bin/passport app "))
    screens = printed[printed.index("Open the screens:"):printed.index("Done in")]
    assert app in screens and flask in printed and "recruiter page" in screens
    assert "http://127.0.0.1:5000/" in screens and "PASPOORT_VERIFIER_PUBLIC_URL=http://127.0.0.1:5000 " in flask


def test_every_passport_command_of_the_table_works_as_written(after_make_demo) -> None:
    here, _, passphrase = after_make_demo
    commands = [c for c in table_commands() if c.startswith(".venv/bin/passport ")
                and not c.startswith(".venv/bin/passport app ")]  # the app runs until stopped: its own test
    assert len(commands) >= 6
    for command in commands:
        result = _passport(here, command, passphrase)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        if " verify " in f" {command} ":
            assert result.stdout.startswith("GEVERIFIEERD: "), result.stdout
    assert (here / "demo-out" / "vp.json").is_file() and list((here / "demo-out").glob("vp-qr*.png"))
    assert (here / "demo-out" / "passport.pdf").read_bytes().startswith(b"%PDF")


def test_the_wallet_app_row_serves_the_demos_wallet(after_make_demo, tmp_path) -> None:
    """``passport app --wallet demo-out/ria.wallet`` as written (the browser it opens is ``true``
    here): it prints its one-time address, and that address lets the browser in to the unlock page."""
    here, _, _ = after_make_demo
    command = next(c for c in table_commands() if c.startswith(".venv/bin/passport app "))
    words = shlex.split(command)
    process = subprocess.Popen([sys.executable, "-m", "passport", *words[1:]], cwd=here, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=_env(BROWSER="true", HOME=str(tmp_path)))
    try:
        url = next(line.strip() for line in process.stdout if line.startswith("http://127.0.0.1:"))
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(url, timeout=30) as page:
            assert page.status == 200 and "/start" not in page.url
            assert "ria.wallet" in page.read().decode("utf-8")
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_the_table_verify_row_finds_the_revoked_certificate(after_make_demo) -> None:
    """The same row, on the certificate the examiner revoked: not verified, and it says why."""
    here, _, passphrase = after_make_demo
    verify = next(c for c in table_commands() if c.startswith(".venv/bin/passport verify demo-out/endorsements/"))
    revoked = verify.replace("bhv-certificaat", "aantoonbaar-bekwaam-medicatie-aanreiken")
    result = _passport(here, revoked, passphrase)
    assert result.returncode == 1 and "REVOKED" in result.stdout, result.stdout + result.stderr


def test_verifier_starts_on_the_demos_bundle_as_the_table_says(after_make_demo, monkeypatch) -> None:
    """The row's settings, given to create_app(): the issuers are gone, so status comes from the bundle."""
    here, _, _ = after_make_demo
    command = next(c for c in table_commands() if "flask --app verifier_service run" in c)
    settings = dict(word.split("=", 1) for word in shlex.split(command) if word.startswith("PASPOORT_"))
    assert set(settings) == {"PASPOORT_VERIFIER_TRUST_REGISTRIES", "PASPOORT_VERIFIER_TRUST_SIGNERS",
                             "PASPOORT_VERIFIER_OFFLINE_BUNDLE", "PASPOORT_VERIFIER_PUBLIC_URL"}
    for name in [k for k in os.environ if k.startswith("PASPOORT_")]:
        monkeypatch.delenv(name)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PASPOORT_VERIFIER_DATABASE_URL", f"sqlite:///{here / 'verifier.sqlite3'}")
    monkeypatch.chdir(here)
    from verifier_service import create_app

    client = create_app().test_client()
    assert client.get("/").status_code == 200  # the recruiter page the demo points at
    for stem, verified, http_status, code in (("bhv-certificaat", True, 200, None),
                                              ("aantoonbaar-bekwaam-medicatie-aanreiken", False, 422, "REVOKED")):
        credential = jsonio.load_file(str(here / "demo-out" / "endorsements" / f"{stem}.json"))
        answer = client.post("/credentials/verify", json={"verifiableCredential": credential})
        assert answer.status_code == http_status, answer.get_data(as_text=True)
        body = answer.get_json()
        assert body["verified"] is verified, body
        status = next(check for check in body["checks"] if check["name"] == "status")
        assert status.get("code") == code, status
        assert body["sources"]["offlineBundle"]["path"] == "demo-out/status-bundle.json"


# --- item 15: --offline keeps away from the live demo's folder -----------------------------
def test_offline_demo_never_deletes_the_live_demos_artifacts(tmp_path, monkeypatch, capsys) -> None:
    live = tmp_path / "demo-out"
    (live / "services" / "roc").mkdir(parents=True)
    (live / "ria.wallet").write_text("the live demo's wallet")
    (live / "report.json").write_text("the live demo's report")
    monkeypatch.chdir(tmp_path)
    assert demo_main(["--offline", "--out", "demo-out"]) == 2
    assert "holds the live demo's artifacts (ria.wallet, services)" in capsys.readouterr().out
    assert (live / "ria.wallet").read_text() == "the live demo's wallet"
    assert (live / "report.json").read_text() == "the live demo's report"
    assert demo_main(["--offline"]) == 0  # its own folder by default
    assert (tmp_path / "demo-out-offline" / "report-after-revocation.json").is_file()
    assert (live / "ria.wallet").read_text() == "the live demo's wallet"
    assert (live / "report.json").read_text() == "the live demo's report"
    assert sorted(p.name for p in live.iterdir()) == ["report.json", "ria.wallet", "services"]
