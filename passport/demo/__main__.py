"""``python -m passport.demo``: Ria de Vries's passport route, end to end, with real services.

Four issuer services and the employer's verifier service run on 127.0.0.1 (gunicorn, SQLite,
files under ``--out``, default ``demo-out``); Ria's wallet, the issuing, the presentation, the
check, the revocation and the second check all go over HTTP, her endorsements by OpenID4VCI and
the employer's requests by OpenID4VP, each picked up from a QR code image. ``--offline`` runs the same story on
the library alone, into a folder of its own (default ``demo-out-offline``): it never writes into,
or cleans, a folder that holds the live demo's artifacts. The live demo needs the service extras
(``pip install '.[services]'``); ``--offline`` needs only the library.
Exit 0 when every step did what the story needs; 1 (naming the step) otherwise; 130 when
interrupted. The servers the demo started are stopped in every case.
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ..encoding.timeutil import parse_datetime
from .output import owned_files
from .servers import tail
from .story import PERSONAS

OFFLINE_NOW = "2026-11-23T12:00:00Z"
LIVE_OUT, OFFLINE_OUT = "demo-out", "demo-out-offline"


def say(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m passport.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", help=f"folder for the artifacts (default {LIVE_OUT}; with --offline {OFFLINE_OUT})")
    parser.add_argument("--offline", action="store_true", help="library only: no servers, fixed clock")
    parser.add_argument("--persona", default="ria", choices=PERSONAS, help="(--offline) whose passport")
    parser.add_argument("--now", default=OFFLINE_NOW, help=f"(--offline) the clock (default {OFFLINE_NOW})")
    args = parser.parse_args(argv)
    if args.offline:
        from .offline import LiveArtifacts, run
        try:
            ok = run(args.out or OFFLINE_OUT, args.persona, parse_datetime(args.now), say)
        except LiveArtifacts as refused:
            say(f"python -m passport.demo: {refused}")
            return 2
        if not ok:
            say("DEMO FAILED: the first check must pass and the second must report REVOKED.")
        return 0 if ok else 1
    if args.persona != "ria" or args.now != OFFLINE_NOW:
        parser.error("--persona and --now go with --offline (the live demo runs Ria's route on the real clock)")
    out = args.out or LIVE_OUT
    try:
        from .flow import LiveDemo, StepFailed  # the services' stack: Flask, SQLAlchemy, gunicorn
    except ImportError as missing:
        say(f"python -m passport.demo: the live demo runs the services and needs their extras ({missing}); "
            "install them with pip install '.[services]', or run python -m passport.demo --offline")
        return 2
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        LiveDemo(out, say).run()
    except StepFailed as failure:
        say(f"DEMO FAILED in step {failure.number} ({failure.title}): {failure.cause}")
        _log_tails(Path(out))
        return 1
    except KeyboardInterrupt:
        say("Interrupted; the demo's servers are stopped.")
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(signum, frame) -> None:  # SIGTERM: stop like Ctrl-C, so the servers are stopped too
    raise KeyboardInterrupt


def _log_tails(out: Path) -> None:
    for name in owned_files():
        if name.startswith("logs/") and (out / name).is_file():
            say(f"--- last lines of {out / name} ---")
            say(tail(out / name))


if __name__ == "__main__":
    sys.exit(main())
