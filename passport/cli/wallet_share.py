"""What the sharing commands do: share, qr decode and respond."""
from __future__ import annotations

import os
import sys
from datetime import timedelta

from ..encoding import jsonio
from ..errors import InputError, RequestInvalid
from ..crypto.keys import write_private_file
from ..wallet import inbox, render, share as sharing
from ..wallet.request import parse_request, send
from . import qr_output, verdict
from . import wallet_io as io


def _print(text: str = "") -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --- sharing --------------------------------------------------------------------------------
def selection_from(args) -> sharing.Selection:
    blocks = [name.strip() for value in args.block for name in value.split(",") if name.strip()]
    entries = list(args.entry)
    named = bool(args.all or blocks or entries or args.include_sensitive)
    if entries:
        entries += [entry for entry in args.include_sensitive if entry not in entries]
    elif args.include_sensitive and not blocks and not args.all:
        entries = list(args.include_sensitive)
    return sharing.Selection(profile=named and not args.no_profile, blocks=blocks or None, entries=entries or None,
                             include_sensitive=list(args.include_sensitive), endorsements=list(args.endorsement),
                             all_endorsements=args.all or args.all_endorsements, types=list(args.type),
                             include_revoked=args.include_revoked)


def share(args) -> int:
    if args.lifetime <= 0 or args.lifetime > 24 * 60:
        raise InputError("--lifetime is 1 to 1440 minutes")
    for path in args.qr:
        if os.path.splitext(path)[1].lower() not in (".png", ".svg"):
            raise InputError(f"--qr {path}: the file name must end in .png or .svg")
    wallet = io.open_wallet(args)
    shared = sharing.build(wallet, selection_from(args), now=io.now(args), challenge=args.challenge,
                           domain=args.domain, lifetime=timedelta(minutes=args.lifetime))
    warn_revoked(shared)
    # Without --out or --qr the JSON goes to stdout, so the summary goes to stderr.
    _summary(shared, sys.stderr if not (args.out or args.qr or args.qr_terminal) else sys.stdout)
    _deliver(shared.presentation, args.out, args.qr, args.qr_terminal)
    return 0


def warn_revoked(shared: sharing.Shared) -> None:
    """Say on stderr which endorsements are known to be revoked, and whether they were left out."""
    for item in shared.revoked:
        credential = item["credential"]
        what = f"[{inbox.short_id(credential)}] {render.attests(credential)}"
        checked = item["statusCheck"]["checkedAt"]
        if any(credential is shared_one for shared_one in shared.endorsements):
            sys.stderr.write(f"passport: warning: {what} is included although its issuer revoked it (found at "
                             f"{checked}). Verifiers will reject it.\n")
        else:
            sys.stderr.write(f"passport: warning: {what} is left out because its issuer revoked it (found at "
                             f"{checked}). Use --include-revoked to include it anyway.\n")


def _summary(shared: sharing.Shared, stream) -> None:
    proof = shared.presentation["proof"]
    lines = [f"Sharing {len(shared.profile_entries)} profile entr{'y' if len(shared.profile_entries) == 1 else 'ies'}"
             + (": " + ", ".join(shared.profile_entries) if shared.profile_entries else "")]
    lines += [f"  + {render.attests(credential)} ({render.issuer_name(credential)})" for credential in shared.endorsements]
    if shared.left_out:
        lines.append("Left out: " + ", ".join(shared.left_out))
    lines += [f"  not shared: {reason}" for reason in shared.skipped]
    bound = ", ".join(f"{name} {proof[name]}" for name in ("challenge", "domain") if name in proof)
    lines.append(f"Signed by {shared.presentation['holder']}; valid until {proof.get('expires')}"
                 + (f"; bound to {bound}" if bound else ""))
    stream.write("\n".join(lines) + "\n")


def _deliver(presentation, out: str | None, qr_paths: list[str], terminal: bool) -> None:
    if out:  # first: the file does not depend on whether the selection fits QR codes
        write_private_file(out, jsonio.dumps_pretty(presentation).encode("utf-8"), overwrite=True)
        _print(f"Presentation written to {out}")
    if qr_paths or terminal:
        qr_output.deliver(presentation, qr_paths, terminal, written=out)
    if not (out or qr_paths or terminal):
        _print(jsonio.dumps_pretty(presentation))


def qr_decode(args) -> int:
    qr = inbox.qr_module()
    texts = [text for image in args.image for text in qr.decode_image(image)]
    if args.text:
        _print("\n".join(texts))
        return 0
    documents = qr.read_documents(list(args.image))
    if not documents:
        raise InputError(f"the image(s) have {len(texts)} QR code(s), none with a Paspoort document")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(jsonio.dumps_pretty(documents[0]))
        _print(f"Document written to {args.out}")
    else:
        for document in documents:
            _print(jsonio.dumps_pretty(document))
    return 0


def respond(args) -> int:
    request = parse_request(_request_text(args.request))
    wallet = io.open_wallet(args)
    if not request.respond and not args.out:
        raise RequestInvalid("the request has no respond URL: use --out FILE to write the answer")
    selection = request.selection(args.include_sensitive)
    selection.include_revoked = args.include_revoked
    shared = sharing.build(wallet, selection, now=io.now(args),
                           challenge=request.challenge, domain=request.domain,
                           lifetime=timedelta(minutes=max(1, min(args.lifetime, 60))))
    who = f"{request.verifier} (unverified name) at " if request.verifier else ""
    _print(f"Request from {who}{request.domain}: {', '.join(request.blocks + request.types)}")
    warn_revoked(shared)
    _summary(shared, sys.stdout)
    if args.out:
        _deliver(shared.presentation, args.out, [], False)
        return 0
    if not io.confirm(f"Send this to {request.respond}?", args.yes):
        _print("Nothing was sent.")
        return 1
    status, answer = send(request.respond, shared.presentation)
    _print(f"Sent to {request.respond}: HTTP {status}")
    for line in verdict.explain(answer, shared.presentation, args.lang):
        _print(line)
    return 0 if 200 <= status < 300 else 1


def _request_text(value: str) -> str:
    if value.startswith(("https://", "http://")) or not os.path.isfile(value):
        return value
    with open(value, "rb") as handle:
        raw = handle.read(64 * 1024)
    if raw.startswith(inbox.PNG_MAGIC) or raw.startswith(inbox.JPEG_MAGIC):
        texts = inbox.qr_module().decode_image(value)
        return next((text for text in texts if text.startswith(("https://", "http://"))), texts[0])
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise RequestInvalid(f"{value} holds neither a request URL nor a QR image") from None
