"""What the sharing commands do: share, qr decode and respond."""
from __future__ import annotations

import os
import re
import sys
from datetime import timedelta
from urllib.parse import urlsplit

from ..encoding import jsonio
from ..errors import InputError, RequestInvalid
from ..format.documents import PROFILE_TYPE, paspoort_type
from ..format.trust import TrustRegistry, TrustStore
from ..crypto.keys import write_private_file
from ..wallet import inbox, render, share as sharing
from ..wallet import oid4vp
from . import qr_output, verdict
from . import wallet_io as io
from .language import say, warn


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
        raise InputError(say("err_lifetime", args.lang))
    for path in args.qr:
        if os.path.splitext(path)[1].lower() not in (".png", ".svg"):
            raise InputError(say("err_qr_extension", args.lang, path=path))
    wallet = io.open_wallet(args)
    shared = sharing.build(wallet, selection_from(args), now=io.now(args), challenge=args.challenge,
                           domain=args.domain, lifetime=timedelta(minutes=args.lifetime))
    warn_revoked(shared, args.lang)
    # Without --out or --qr the JSON goes to stdout, so the summary goes to stderr.
    _summary(shared, sys.stderr if not (args.out or args.qr or args.qr_terminal) else sys.stdout, args.lang)
    _deliver(shared.presentation, args.out, args.qr, args.qr_terminal, args.lang)
    return 0


def warn_revoked(shared: sharing.Shared, lang: str) -> None:
    """Say on stderr which endorsements are known to be revoked, and whether they were left out."""
    for item in shared.revoked:
        credential = item["credential"]
        what = f"[{inbox.short_id(credential)}] {render.attests(credential, lang)}"
        checked = item["statusCheck"]["checkedAt"]
        included = any(credential is shared_one for shared_one in shared.endorsements)
        warn("revoked_included" if included else "revoked_left_out", lang, what=what, at=checked)


_STALE = ": its profile entry changed since it was endorsed"
_NOT_SHARED = re.compile(r"(?P<id>.*): endorses entry '(?P<entry>[^']*)', which is not shared")


def skipped_text(reason: str, lang: str) -> str:
    """Why an endorsement was left out (``Shared.skipped``, the wallet's English sentence) in ``lang``;
    a sentence not known here is shown as it is."""
    if reason.endswith(_STALE):
        return say("skipped_stale", lang, id=reason[:-len(_STALE)])
    found = _NOT_SHARED.fullmatch(reason)
    return say("skipped_not_shared", lang, id=found["id"], entry=found["entry"]) if found else reason


def _summary(shared: sharing.Shared, stream, lang: str) -> None:
    proof = shared.presentation["proof"]
    entries = shared.profile_entries
    lines = [say("share_entries_one" if len(entries) == 1 else "share_entries_many", lang, count=len(entries))
             + (": " + ", ".join(entries) if entries else "")]
    lines += [f"  + {render.attests(credential, lang)} ({render.issuer_name(credential)})"
              for credential in shared.endorsements]
    if shared.left_out:
        lines.append(say("share_left_out", lang, ids=", ".join(shared.left_out)))
    lines += [say("share_not_shared", lang, reason=skipped_text(reason, lang)) for reason in shared.skipped]
    bound = ", ".join(say("bound_" + name, lang, value=proof[name])
                      for name in ("challenge", "domain") if name in proof)
    lines.append(say("signed", lang, holder=shared.presentation["holder"], until=proof.get("expires"))
                 + (say("bound", lang, bound=bound) if bound else ""))
    stream.write("\n".join(lines) + "\n")


def _deliver(presentation, out: str | None, qr_paths: list[str], terminal: bool, lang: str) -> None:
    if out:  # first: the file does not depend on whether the selection fits QR codes
        write_private_file(out, jsonio.dumps_pretty(presentation).encode("utf-8"), overwrite=True)
        _print(say("presentation_written", lang, path=out))
    if qr_paths or terminal:
        qr_output.deliver(presentation, qr_paths, terminal, written=out, lang=lang)
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
        raise InputError(say("err_qr_none", args.lang, count=len(texts)))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(jsonio.dumps_pretty(documents[0]))
        _print(say("document_written", args.lang, path=args.out))
    else:
        for document in documents:
            _print(jsonio.dumps_pretty(document))
    return 0


def respond(args) -> int:
    """Answer an OpenID4VP request: fetch and check it, say who asks what, choose, confirm, send.
    ``--decline``, or "no" at the confirmation, sends an error response (``access_denied``) instead:
    the employer's page then shows that the request was declined."""
    moment, lang = io.now(args), args.lang
    request = oid4vp.fetch_request(_request_text(args.request), now=moment)
    trust = _trust_store(args.trust_registry, args.trust_signer, moment)
    _show_request(request, trust, args.include_sensitive, lang)
    if args.decline:
        return _decline(request, lang)
    wallet = io.open_wallet(args)
    selection = oid4vp.selection_for(request, args.include_sensitive, args.include_revoked)
    made = oid4vp.answer(wallet, request, selection, now=moment,
                         lifetime=timedelta(minutes=max(1, min(args.lifetime, 60))))
    _print(say("oid4vp_sending", lang, count=len(made.credentials)))
    for _query, credential in made.credentials:
        what = (", ".join(made.profile_entries) if paspoort_type(credential) == PROFILE_TYPE
                else f"{render.attests(credential, lang)} ({render.issuer_name(credential)})")
        _print(say("oid4vp_item", lang, what=what))
    _print_skipped(made.skipped, lang)
    if args.out:
        write_private_file(args.out, jsonio.dumps_pretty(made.vp_token).encode("utf-8"), overwrite=True)
        _print(say("oid4vp_written", lang, path=args.out))
        return 0
    said = io.choice(say("oid4vp_send_confirm", lang, url=request.response_uri), args.yes, lang)
    if said is None:  # nobody to ask: nothing is sent, not even a refusal
        _print(say("nothing_sent", lang))
        _print(say("oid4vp_decline_hint", lang))
        return 1
    if said is False:
        return _decline(request, lang)
    status, reply = oid4vp.send(request, made.vp_token)
    _print(say("sent", lang, url=request.response_uri, status=status))
    for line in verdict.explain(reply, {"verifiableCredential": [c for _q, c in made.credentials]}, lang):
        _print(line)
    return 0 if 200 <= status < 300 and isinstance(reply, dict) and reply.get("verified") is True else 1


def _show_request(request, trust: TrustStore | None, include_sensitive: list[str], lang: str) -> None:
    known = oid4vp.verifier_name(request, trust)
    _print(say("oid4vp_asking_known", lang, name=known[0], role=known[1]) if known
           else say("oid4vp_asking_unknown", lang, did=request.did))
    sealed = say("oid4vp_sealed", lang) if request.encryption_jwk else ""
    _print(say("oid4vp_answer_to", lang, host=urlsplit(request.response_uri).netloc, sealed=sealed))
    _print(say("oid4vp_asks", lang))
    for item in request.query.credentials:
        need = say("oid4vp_required" if item.id in request.query.required else "oid4vp_optional", lang)
        if item.blocks:
            _print(say("oid4vp_ask_profile", lang, blocks=", ".join(item.blocks), need=need))
        else:
            _print(say("oid4vp_ask_type", lang, kind=", ".join(item.type_names) or item.id, need=need))
    if not include_sensitive:
        _print(say("oid4vp_ask_sensitive", lang))


def _decline(request, lang: str) -> int:
    """Send ``access_denied``: nothing of the wallet goes out, the employer sees "declined"."""
    status, reply = oid4vp.decline(request)
    if 200 <= status < 300:
        _print(say("oid4vp_declined", lang, url=request.response_uri))
        return 0
    detail = reply.get("detail") if isinstance(reply, dict) else reply
    _print(say("oid4vp_decline_refused", lang, status=status, detail=str(detail or "")[:300]))
    return 1


def _print_skipped(skipped: list[str], lang: str) -> None:
    for reason in skipped:
        _print(say("share_not_shared", lang, reason=skipped_text(reason, lang)))


def _trust_store(paths: list[str], signers: list[str], now) -> TrustStore | None:
    """The registries the worker named (each checked against the signers named), or None."""
    if not paths:
        return None
    return TrustStore([TrustRegistry.from_credential(jsonio.load_file(path), trusted_signers=frozenset(signers),
                                                     now=now) for path in paths])


def _request_text(value: str) -> str:
    """The ``openid4vp://`` link: as given, from a file holding it, or from an image of its QR code."""
    if value.startswith("openid4vp:") or not os.path.isfile(value):
        return value
    with open(value, "rb") as handle:
        raw = handle.read(64 * 1024)
    if raw.startswith(inbox.PNG_MAGIC) or raw.startswith(inbox.JPEG_MAGIC):
        texts = inbox.qr_module().decode_image(value)
        return next((text for text in texts if text.startswith("openid4vp:")), texts[0] if texts else "")
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise RequestInvalid(f"{value} holds neither a request link nor a QR image") from None
