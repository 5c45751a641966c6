"""``passport receive``: accept a credential offer (OpenID4VCI 1.0) from any issuer that speaks it.

Shows who offers what (the issuer's registered name when ``--trust`` lists it; otherwise the
name it gives itself, marked as unchecked), asks for the transaction code the issuer gave out of
band (``--tx-code-file``, ``$PASSPORT_TX_CODE`` or the terminal), proves possession of the wallet
key, verifies the credential as ``passport import`` does and keeps it.
"""
from __future__ import annotations

import argparse
import os
import sys

from ..errors import InputError
from ..protocol_errors import CredentialOfferInvalid
from ..terms import kind_name
from ..wallet import inbox
from ..wallet.receive import open_offer, receive as receive_offer
from ..wallet.transport import Transport
from . import wallet_io as io
from .core import _trust
from .language import say
from .wallet_run import keep_and_say
from .wallet_options import add

TX_CODE_ENV = "PASSPORT_TX_CODE"
HELP = "receive a credential an issuer offers you (OpenID4VCI offer link or QR code)"
EXAMPLE = ("examples:\n  passport receive 'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Froc.example"
           "%2Foid4vci%2Foffers%2F...'\n  passport receive offer-qr.png --trust registry.json\n"
           f"  {TX_CODE_ENV}=123456 passport receive offer.txt --yes   # for scripts\n"
           "the transaction code comes from the issuer by another way (e-mail, text message, on paper)")
OFFER_PREFIXES = ("openid-credential-offer://", "https://", "http://", "haip://")


def register(commands: argparse._SubParsersAction) -> None:
    parser = add(commands, "receive", HELP, EXAMPLE, receive, now=True)
    parser.add_argument("offer", help="the offer link (openid-credential-offer://...), a file holding it, or an "
                                      "image of the issuer's QR code")
    parser.add_argument("--tx-code-file", metavar="FILE", help="read the transaction code from the first line of FILE")
    parser.add_argument("--trust", action="append", default=[], metavar="FILE",
                        help="signed trust registry: shows the issuer's registered name (repeatable)")
    parser.add_argument("--trust-signer", action="append", default=[], metavar="DID",
                        help="DID allowed to sign trust registries (default: the registry file's own issuer)")
    parser.add_argument("--yes", action="store_true", help="accept without asking (for scripts)")


def receive(args) -> int:
    lang, moment = args.lang, io.now(args)
    trust = _trust(args, moment)
    transport = Transport()
    opened = open_offer(offer_text(args.offer), transport, trust=trust, lang=lang)
    if opened.registered is not None:
        who = say("offer_registered", lang, name=opened.registered.name, host=opened.issuer_host)
    else:
        who = say("offer_unregistered", lang, name=opened.declared_name or opened.issuer_host, host=opened.issuer_host)
    _print(say("offer_from", lang, who=who, what=kind_name(opened.configuration_id, lang)))
    if not io.confirm(say("offer_accept", lang), args.yes, lang):
        _print(say("offer_declined", lang))
        return 1
    tx_code = _tx_code(args, opened.tx_code_length) if opened.needs_tx_code else None
    wallet = io.open_wallet(args)
    before = len(wallet.credentials)
    fixed = moment if args.now else None  # without --now the clock is read at each step (validFrom is the issuer's)
    item = receive_offer(opened, wallet, tx_code, transport, now=fixed, trust=trust)
    return keep_and_say(wallet, item, before, lang, "received", id=inbox.short_id(item["credential"]))


def offer_text(value: str) -> str:
    """The offer link itself, or read from a file (text, or a QR code in a PNG/JPEG image)."""
    if value.startswith(OFFER_PREFIXES):
        return value
    if not os.path.isfile(value):
        raise CredentialOfferInvalid("not an offer link (openid-credential-offer://...) and not a file", path=value)
    with open(value, "rb") as handle:
        raw = handle.read(64 * 1024)
    if raw.startswith(inbox.PNG_MAGIC) or raw.startswith(inbox.JPEG_MAGIC):
        texts = inbox.qr_module().decode_image(value)
        found = [text for text in texts if text.startswith(OFFER_PREFIXES)]
        if not found:
            raise CredentialOfferInvalid(f"{value}: no credential offer QR code found", path=value)
        return found[0]
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise CredentialOfferInvalid(f"{value} holds neither an offer link nor a QR image", path=value) from None


def _tx_code(args, length: int | None) -> str:
    lang = args.lang
    if args.tx_code_file:
        value = io._read_secret_file(args.tx_code_file, lang)
    elif os.environ.get(TX_CODE_ENV):
        value = os.environ[TX_CODE_ENV]
    elif sys.stdin.isatty():
        value = input(say("prompt_tx_code", lang, length=length or "?"))
    else:
        raise InputError(say("err_tx_code_none", lang, env=TX_CODE_ENV))
    value = value.strip()
    if not value:
        raise InputError(say("err_tx_code_none", lang, env=TX_CODE_ENV))
    return value


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")
