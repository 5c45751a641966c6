"""``passport key new``, ``passport sign`` and ``passport verify``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta

from ..encoding import jsonio
from .. import terms
from ..format.documents import paspoort_type
from ..errors import InputError, KeyNotAuthorized, PassportError
from ..crypto.keys import Ed25519Key
from ..proofs.signing import sign
from ..verification.status_check import StatusSource
from ..encoding.timeutil import as_datetime, parse_datetime
from ..format.trust import TrustRegistry
from ..verification.report import FAILED, UNKNOWN
from ..verification.verifier import check
from . import language
from .language import say
from .status_files import flatten, load_status_lists, trailing_document

EXAMPLES = {
    "key": "example:\n  passport key new --out ria.key.json",
    "key did": "example:\n  passport key did ria.key.json",
    "sign": ("example:\n  passport sign unsigned.json --key roc.key.json --created 2026-11-23T09:00:00Z > signed.json\n"
             "the document's issuer (a presentation's holder) must be the key's DID; --force signs anyway"),
    "verify": (
        "examples:\n  passport verify signed.json\n"
        "  passport verify signed.json --trust registry.json --status status-list.json --json\n"
        "  passport verify signed.json --status lists/ bundle.json   # a folder of lists, an offline bundle\n"
        "exit status: 0 verified, 1 not verified, 2 unusable input"
    ),
}


def register(commands: argparse._SubParsersAction) -> None:
    key = commands.add_parser("key", help="make and inspect signing keys", epilog=EXAMPLES["key"],
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    key_commands = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    new = key_commands.add_parser("new", help="generate an Ed25519 key (Multikey JSON, mode 0600)",
                                  epilog=EXAMPLES["key"], formatter_class=argparse.RawDescriptionHelpFormatter)
    new.add_argument("--out", required=True, help="where to write the key file (never overwritten)")
    language.add_option(new)
    new.set_defaults(run=_key_new)
    show = key_commands.add_parser("did", help="print the did:key of a key file", epilog=EXAMPLES["key did"],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    show.add_argument("key_file")
    language.add_option(show)
    show.set_defaults(run=_key_did)

    signer = commands.add_parser("sign", help="sign a credential or presentation (eddsa-jcs-2022)",
                                 epilog=EXAMPLES["sign"], formatter_class=argparse.RawDescriptionHelpFormatter)
    signer.add_argument("document", help="unsigned JSON document ('-' for standard input)")
    signer.add_argument("--key", required=True, help="Multikey JSON file with the secret key")
    signer.add_argument("--created", help="proof creation time, e.g. 2026-11-23T09:00:00Z (default: now)")
    signer.add_argument("--purpose", default="assertionMethod", choices=["assertionMethod", "authentication"])
    signer.add_argument("--force", action="store_true",
                        help="sign even when the document's issuer (or a presentation's holder) is another DID "
                             "than the key's; such a proof does not verify")
    language.add_option(signer)
    signer.set_defaults(run=_sign)

    verifier = commands.add_parser("verify", help="verify a credential or presentation and report every check",
                                   epilog=EXAMPLES["verify"], formatter_class=argparse.RawDescriptionHelpFormatter)
    verifier.add_argument("document", nargs="?", help="signed JSON document ('-' for standard input)")
    verifier.add_argument("--trust", action="append", default=[], metavar="FILE",
                          help="signed trust registry (repeatable)")
    verifier.add_argument("--trust-signer", action="append", default=[], metavar="DID",
                          help="DID allowed to sign trust registries (default: the registry file's own issuer)")
    verifier.add_argument("--status", action="append", nargs="+", default=[], metavar="PATH",
                          help="signed status list credential, a folder of them, or an offline bundle file "
                               "(several paths, repeatable); without it, status is 'unknown'")
    verifier.add_argument("--now", help="verification time (default: the clock)")
    verifier.add_argument("--challenge", help="the challenge the presentation must answer")
    verifier.add_argument("--domain", help="the domain the presentation must be meant for")
    verifier.add_argument("--max-age", type=int, metavar="SECONDS", help="oldest acceptable presentation")
    verifier.add_argument("--json", action="store_true", help="print the report as JSON")
    language.add_option(verifier)
    verifier.set_defaults(run=_verify)


def _read(path: str):
    if path == "-":
        return jsonio.loads(sys.stdin.buffer.read(jsonio.MAX_DOCUMENT_BYTES + 1))
    return jsonio.load_file(path)


def _key_new(args) -> int:
    key = Ed25519Key.generate()
    folder = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(folder, mode=0o700, exist_ok=True)  # `--out keys/me.json` makes keys/, private to you
    key.save(args.out)
    print(key.did)
    return 0


def _key_did(args) -> int:
    print(Ed25519Key.load(args.key_file).did)
    return 0


def _sign(args) -> int:
    document = _read(args.document)
    key = Ed25519Key.load(args.key)
    created = args.created
    if created is not None:
        _time("--created", created)
    signed = sign(document, key, created=created, proof_purpose=args.purpose)  # says what is wrong with the document
    if not args.force:
        _check_signer(document, key.did, args.lang)
    sys.stdout.write(jsonio.dumps_pretty(signed))
    return 0


def _check_signer(document, did: str, lang: str = terms.DEFAULT_LANG) -> None:
    """Refuse to sign for someone else: a credential's issuer, a presentation's holder, must be ``did``."""
    if not isinstance(document, dict):
        return  # sign() says what is wrong with the document itself
    types = document.get("type")
    presentation = "VerifiablePresentation" in (types if isinstance(types, list) else [types])
    field = "holder" if presentation else "issuer"
    value = document.get(field)
    named = value.get("id") if isinstance(value, dict) else value
    if named is None and presentation:
        return  # a presentation without a holder names nobody to sign for
    if named != did:
        said = field if lang == "en" else f"{terms.term('word.' + field, lang).lower()} ({field})"
        raise KeyNotAuthorized(say("err_not_your_document", lang, field=said, named=repr(named), did=did),
                               field=field, expected=named, key=did)


def _verify(args) -> int:
    path = args.document or trailing_document(args.status)
    if path is None:
        raise InputError(say("err_verify_no_document", args.lang))
    document = _read(path)
    now = _time("--now", args.now) if args.now else as_datetime(None)
    trust = _trust(args, now)
    lists = load_status_lists(flatten(args.status), args.lang)
    report = check(
        document, now=now, trust=trust, status=StatusSource(lists or None), challenge=args.challenge,
        domain=args.domain, max_age=timedelta(seconds=args.max_age) if args.max_age is not None else None,
    )
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_report(report, lang=args.lang))
    return 0 if report else 1


def _trust(args, now):
    if not args.trust:
        return None
    from ..format.trust import TrustStore

    registries = []
    for path in args.trust:
        document = _read(path)
        signers = set(args.trust_signer)
        if not signers and isinstance(document, dict):
            issuer = document.get("issuer")
            signers = {issuer.get("id") if isinstance(issuer, dict) else issuer}
            language.note("trust_own_issuer", args.lang, path=path, signer=sorted(signers)[0])
        registries.append(TrustRegistry.from_credential(document, trusted_signers=frozenset(signers), now=now))
    return TrustStore(registries)


def _time(option: str, value: str):
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise InputError(f"{option}: {exc}") from None


_MARKS = {
    "en": {"passed": "ok  ", "failed": "FAIL", "unknown": "??  ", "skipped": "--  "},
    "nl": {"passed": "ok  ", "failed": "FOUT", "unknown": "??  ", "skipped": "--  "},
}
_FROM = {"en": "from", "nl": "van"}


def headline(report) -> str:
    """``verified``; ``status_unknown`` when nothing failed but something could not be determined
    (the status, most often: not verified yet, and not failed either); else ``not_verified``."""
    if report.verified:
        return "verified"
    failures = report.failures()
    return "status_unknown" if all(result.status == UNKNOWN for result in failures) else "not_verified"


def format_report(report, indent: str = "", lang: str = "en") -> str:
    """Every check of a report, nested credentials indented. English keeps the wire names of the
    checks and the library's messages (scripts read it); Dutch says the same with the words of
    ``passport.terms``: the check's name, its status and the sentence for its error code."""
    words = {"verified": terms.term("category.verified", lang), "not_verified": terms.term("word.not_verified", lang),
             "status_unknown": terms.term("category.status_unknown", lang)}
    marks = _MARKS[lang]
    lines = []
    if lang == "en":
        title = "presentation" if report.kind == "presentation" else ", ".join(report.types[1:]) or "credential"
    else:
        title = _kind_name(report, lang)
    who = f" {_FROM[lang]} {report.issuer}" if report.issuer else ""
    self_asserted = f" ({terms.term('outcome.self_asserted', lang).lower()})" if report.self_asserted else ""
    lines.append(f"{indent}{words[headline(report)].upper()}: {title}{who}{self_asserted}")
    for result in report.checks:
        code = f" [{result.code}]" if result.code else ""
        if lang == "en":
            said = f"{result.name}: {result.message}"
        else:
            said = f"{_check_name(result.name, lang)}: {terms.term('check_status.' + result.status, lang)}"
            if result.status in (FAILED, UNKNOWN):
                said += f". {terms.problem(result.code, lang)}"
        lines.append(f"{indent}  {marks[result.status]} {said}{code}")
    for nested in report.credentials:
        lines.append(format_report(nested, indent + "    ", lang).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _kind_name(report, lang: str) -> str:
    if report.kind == "presentation":
        return terms.kind_name("VerifiablePresentation", lang)
    try:
        kind = paspoort_type({"type": report.types})
    except PassportError:  # two Paspoort types: the report's structure check says so
        kind = None
    return terms.kind_name(kind, lang, default=", ".join(report.types[1:]) or "document")


def _check_name(name: str, lang: str) -> str:
    try:
        return terms.term("check." + name, lang)
    except KeyError:  # a check this table does not name yet: its wire name
        return name
