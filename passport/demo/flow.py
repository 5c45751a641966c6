"""The live demo: Ria de Vries's route with real issuer and verifier services on 127.0.0.1.

Steps (each prints what happened; a failure names its step):

1. four issuer services and the employer's verifier start (gunicorn, SQLite, own key files);
   the registry operator signs the trust registry the verifier trusts;
2. Ria creates her wallet and writes her profile;
3. the issuers offer her endorsements by OpenID4VCI: each offer is a QR code image, her wallet
   reads the picture and receives the credential with the transaction code (``passport receive``);
4. the employer's verifier hands out an OpenID4VP request for the job, as a QR code image;
5. her wallet reads the picture and answers (``passport respond``; sensitive entries left out);
   the verifier checks and matches; the page's result is read with its read token;
6. the practice examiner revokes one 'aantoonbaar bekwaam' certificate over HTTP;
7. the employer asks again: the verifier reports the certificate REVOKED;
8. she shows her other certificate as a QR code; the recruiter page reads the picture.
"""
from __future__ import annotations

import base64
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import qr
from ..format.documents import paspoort_type
from ..roles.oid4vci import CREDENTIAL_PATH, OFFERS_PATH
from ..proofs.signing import sign
from ..encoding.timeutil import format_datetime, utcnow
from ..format.trust import TrustRegistry, TrustStore
from . import http
from . import issuers as issuer_services
from .account import INDENT, failed_codes, match_lines, use_it_yourself, verdict_lines
from .html_report import render
from .issuers import LiveIssuer, fetch_status_lists, make_issuer, set_up, verifier_server
from .output import WALLET, WERKERVARING, Output, offer_qr
from .servers import Server, Servers
from .story import (
    ISSUERS, JOB_PROFILE, PERSONA, REGISTRY_ROLE, by_issuer, example_endorsements, profile_path, rebase, shift_days,
    trust_registry, werkervaring,
)
from .world import load_keys
from .worker import answer, create_wallet, passphrase, receive_from_qr, refresh_status, sensitive_entries, share_one

REVOKED_STEM = "aantoonbaar-bekwaam-medicatie-aanreiken"
QR_STEM = "aantoonbaar-bekwaam-tillift"
REQUEST_QR, REQUEST_QR_AGAIN = "request-qr.png", "request-after-revocation-qr.png"
REVOKE_REASON = "Herbeoordeling: medicatie aanreiken niet meer aantoonbaar bekwaam; opnieuw beoordelen na scholing."


class StepFailed(Exception):
    def __init__(self, number: int, title: str, cause: BaseException) -> None:
        self.number, self.title, self.cause = number, title, cause
        super().__init__(f"step {number} ({title}): {type(cause).__name__}: {cause}")


class Unexpected(RuntimeError):
    """The services answered, but not what the demo's story needs."""


@contextmanager
def step(number: int, title: str) -> Iterator[None]:
    try:
        yield
    except StepFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is reported with the step it broke
        raise StepFailed(number, title, exc) from exc


def live_registry(registry: dict[str, Any], issuers: list[LiveIssuer]) -> dict[str, Any]:
    """The example registry with each running issuer's status lists at ``<base>/status-lists/``
    (SPEC: a verifier fetches a status list only at a location the registry lists)."""
    bases = {issuer.did: issuer.base for issuer in issuers}
    for entry in registry["credentialSubject"]["issuers"]:
        if entry["id"] in bases:
            entry["statusLists"] = [bases[entry["id"]] + "/status-lists/"]
    return registry


class LiveDemo:
    def __init__(self, out: str | Path, say: Callable[[str], None]) -> None:
        self.output = Output(out)
        self.say = say
        self.keys = load_keys()
        self.holder = self.keys[PERSONA]
        self.servers = Servers()
        self.issuers: list[LiveIssuer] = []
        self.verifier: Server | None = None
        self.registry: dict[str, Any] = {}  # the signed trust registry
        self.trust: TrustStore | None = None
        self.unsigned: dict[str, dict[str, dict[str, Any]]] = {}  # issuer role -> file stem -> example
        self.issued: dict[str, dict[str, Any]] = {}  # file stem -> signed credential
        self.sensitive: list[str] = []
        self.days = 0  # the example dates are moved this many days to today
        self.wallet = None
        self.read_tokens: dict[str, str] = {}  # challenge -> the readToken that shows the verifier's answer

    def run(self) -> None:
        started = time.monotonic()
        now = utcnow()
        days = shift_days(now.date())
        self.say(f"Paspoort demo: Ria de Vries, live on 127.0.0.1, {format_datetime(now)}"
                 + (f" (example dates moved {days:+d} days to today)" if days else ""))
        try:
            with self.servers:
                with step(1, "clean the output folder, start the issuer services and the employer's verifier"):
                    self.output.clean()
                    self.start(now, days)
                with step(2, "Ria creates her wallet and writes her profile"):
                    self.wallet_and_profile()
                with step(3, "the issuers offer her endorsements by OpenID4VCI; her wallet receives them"):
                    self.offer_and_receive()
                with step(4, "the employer asks for a presentation"):
                    request = self.first_request()
                with step(5, "Ria's wallet answers; the verifier checks and matches"):
                    self.first_answer(request)
                with step(6, "the examiner revokes a certificate over HTTP"):
                    revoked = self.revoke()
                with step(7, "the employer checks again and sees REVOKED"):
                    self.second_answer(revoked)
                with step(8, "Ria shows a certificate as a QR code; the recruiter page reads it"):
                    self.qr_share()
                with step(9, "save the status lists as the issuers serve them now"):
                    self.save_status_lists()
                self.say(f"Artifacts in {self.output.root}/: {WALLET}, offers/ (QR codes), endorsements/, "
                         f"trust-registry.json, request(-qr), {REQUEST_QR_AGAIN}, presentation(s), report(s) as JSON "
                         "and HTML, match(es), presentation-qr.png, status-lists/ and status-bundle.json, services/ "
                         "(keys, databases), logs/.")
                examiner = next(issuer for issuer in self.issuers if issuer.part.issue_token.scopes)
                for line in use_it_yourself(str(self.output.root), self.keys[REGISTRY_ROLE].did, "bhv-certificaat",
                                            examiner.part, examiner.name):
                    self.say(line)
        finally:
            if self.wallet is not None:
                self.wallet.close()
        self.say(f"Done in {time.monotonic() - started:.1f} s; all {len(self.servers.started)} servers stopped.")

    # --- steps -----------------------------------------------------------------------------
    def start(self, now: datetime, days: int) -> None:
        self.days = days
        self.unsigned = by_issuer({stem: rebase(c, days) for stem, c in example_endorsements(PERSONA).items()})
        for part in ISSUERS:
            profile = next(iter(self.unsigned[part.role].values()))["issuer"]
            issuer = make_issuer(part, self.keys[part.role], profile, self.output)
            set_up(issuer)
            self.issuers.append(issuer)
            self.servers.launch(issuer.server)
        self.servers.wait_ready()  # their ports are final now: the registry says where their status lists live
        registry_key = self.keys[REGISTRY_ROLE]
        self.registry = sign(live_registry(rebase(trust_registry(), days), self.issuers), registry_key, created=now)
        registry_path = self.output.json("trust-registry.json", self.registry)
        self.trust = TrustStore([TrustRegistry.from_credential(
            self.registry, trusted_signers=frozenset({registry_key.did}), now=now)])
        self.verifier = verifier_server(self.output, registry_path, registry_key.did)
        self.servers.launch(self.verifier)
        self.servers.wait_ready()
        listed = self.registry["credentialSubject"]["issuers"]
        for issuer in self.issuers:  # the right service on each port, under the DID the registry lists
            served = http.get(issuer.base + "/.well-known/did.json")["id"]
            if served != issuer.did or served not in {entry["id"] for entry in listed}:
                raise Unexpected(f"{issuer.base} serves DID {served}, expected {issuer.did} from the trust registry")
        self.say("1. Four issuers start as real services (gunicorn, own key file 0600, own SQLite database, staff "
                 f"tokens from `create-token`; status lists served with max-age={issuer_services.STATUS_MAX_AGE}):")
        for issuer in self.issuers:
            scopes = f", scope {', '.join(issuer.part.issue_token.scopes)}" if issuer.part.issue_token.scopes else ""
            self.say(f"{INDENT}{issuer.name} ({issuer.part.label}) at {issuer.base}; token for "
                     f"{issuer.part.issue_token.name} ({issuer.part.issue_token.role}{scopes})"
                     + (f" and {issuer.part.admin_token.name} (admin)" if issuer.part.admin_token else ""))
        self.say(f"   The Loopbruggen registry operator signs the trust registry ({len(listed)} issuers with roles "
                 f"and scopes); the employer's verifier trusts it and starts at {self.verifier.base}.")

    def wallet_and_profile(self) -> None:
        secret, where = passphrase()
        self.wallet = create_wallet(self.output.path(WALLET), secret, self.holder, profile_path(PERSONA), utcnow())
        profile = self.wallet.data["profile"]["credentialSubject"]
        count = sum(len(value) for value in profile.values() if isinstance(value, list))
        self.sensitive = sensitive_entries(self.wallet)
        self.say(f"2. Ria creates her wallet ({WALLET}, encrypted; {where}) with her key "
                 f"{self.holder.did[:24]}... and writes her profile: {count} entries in six building blocks, "
                 f"sensitive: {', '.join(self.sensitive) or 'none'}.")

    def offer_and_receive(self) -> None:
        """Each endorsement by OpenID4VCI: staff make an offer, its QR code is drawn, Ria's wallet
        reads the picture and receives the credential with the transaction code (``passport receive``)."""
        self.say(f"3. The issuers offer her endorsements by OpenID4VCI: staff POST {OFFERS_PATH} (bearer token); "
                 "each offer is a QR code (offers/*.png), its 6-digit transaction code reaches her by another "
                 "way. Her wallet reads each picture, looks the issuer up in the trust registry and receives the "
                 f"credential (token, c_nonce, key proof by her DID, POST {CREDENTIAL_PATH}); each gets one status "
                 "entry (statusPurpose message, 2 bits: valid, suspended, revoked):")
        offers = [(issuer, stem, unsigned, None) for issuer in self.issuers
                  for stem, unsigned in self.unsigned[issuer.part.role].items()]
        werkgever = next(issuer for issuer in self.issuers if issuer.part.role == "spoor-werkgever")
        offers.append((werkgever, WERKERVARING, rebase(werkervaring(self.holder.did), self.days), "werkervaring"))
        for issuer, stem, unsigned, template in offers:
            created = issuer.offer(unsigned, template)
            image = self.output.path(offer_qr(stem))
            qr.render_png(created["offer"], image)
            opened, item = receive_from_qr(self.wallet, image, created["tx_code"], trust=self.trust, now=utcnow())
            if opened.registered is None or opened.registered.id != issuer.did:
                raise Unexpected(f"her wallet did not find {issuer.name} at {issuer.base} in the trust registry")
            if set(item["flags"]) - {"status-unknown"}:  # the status is fetched after receiving, as `passport status`
                raise Unexpected(f"her wallet flagged {item['credential']['id']}: {', '.join(item['flags'])}")
            self.issued[stem] = item["credential"]
            self._issued_line(issuer, item["credential"], f"{offer_qr(stem)}, "
                              + (f"template {template}, " if template else "") + f"by {issuer.part.issue_token.name}")
        self.wallet.save()
        for stem, credential in self.issued.items():
            self.output.json(f"endorsements/{stem}.json", credential)
        outcomes = refresh_status(self.wallet, utcnow())
        states = sorted({outcome.status for outcome in outcomes})
        if states != ["valid"] or len(outcomes) != len(self.issued):
            raise Unexpected(f"after receiving, her wallet's status check found {states} for {len(outcomes)} "
                             f"endorsements, expected {len(self.issued)} valid")
        self.say(f"   Her wallet verified each on receipt (signature, dates, about her, issuer registered for the "
                 f"type) and kept it; then it fetched the issuers' status lists (as `passport status`): all "
                 f"{len(outcomes)} valid.")

    def _issued_line(self, issuer: LiveIssuer, credential: dict[str, Any], how: str = "") -> None:
        index = credential["credentialStatus"]["statusListIndex"]
        entry = credential["credentialSubject"].get("entry")
        name = credential.get("name") or (f"endorsement of her profile entry {entry['id']}" if entry
                                          else paspoort_type(credential))
        self.say(f"{INDENT}{issuer.name}: '{name}'" + (f" ({how})" if how else "")
                 + f", status index {index}")

    def ask(self, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """``POST /challenges``: a new single-use presentation request (with the job profile by default)."""
        created = http.post(self.verifier.base + "/challenges", body or {"jobProfile": JOB_PROFILE})
        self.read_tokens[created["challenge"]] = created["readToken"]
        return created

    def first_request(self) -> dict[str, Any]:
        created = self.ask()
        self.output.json("request.json", {key: created[key] for key in ("challenge", "requestUrl", "clientId",
                                                                        "dcqlQuery")})
        self.output.bytes(REQUEST_QR, _png(created["qr"]["png"]))
        asked = len(created["dcqlQuery"]["credentials"])
        self.say(f"4. Zorggroep De Brug's verifier asks for a presentation by OpenID4VP (POST /challenges, job "
                 f"profile '{JOB_PROFILE}'): nonce {created['challenge'][:10]}..., client_id "
                 f"{created['clientId'][:40]}..., {asked} DCQL credential queries; shown as the QR code {REQUEST_QR}.")
        return created

    def first_answer(self, request: dict[str, Any]) -> None:
        shared, stored = self._answer(request, REQUEST_QR, "", "")
        if set(shared.profile_entries) & set(self.sensitive):
            raise Unexpected(f"sensitive entries were shared: {set(shared.profile_entries) & set(self.sensitive)}")
        left = [entry for entry in shared.left_out if entry in self.sensitive]
        self.say(f"5. Ria's wallet reads the QR code from the picture, fetches and checks the signed request and "
                 f"answers (as `passport respond {REQUEST_QR}`: POST {self.verifier.base}/oid4vp/response, "
                 "direct_post.jwt): "
                 f"her profile ({len(shared.profile_entries)} entries; left out: sensitive "
                 f"{', '.join(left)}, and blocks not asked for) and {len(shared.endorsements)} endorsements. "
                 f"The verifier fetches the issuers' status lists and answers "
                 f"{'VERIFIED' if stored['verified'] else 'NOT VERIFIED'}:")
        for line in verdict_lines(stored["summary"]) + match_lines(stored["match"]):
            self.say(line)
        if not stored["verified"]:
            raise Unexpected(f"the first check is not verified: {failed_codes(stored['summary'])}")

    def _answer(self, request: dict[str, Any], image: str, suffix: str, note: str) -> tuple[Any, dict[str, Any]]:
        """Ria's wallet reads ``request``'s QR code from the picture ``image`` and answers; the page's
        result (read with its read token: report, summary, match) is saved as ``report{suffix}.json/.html``
        and ``match{suffix}.json``."""
        _parsed, shared, status, _reply = answer(self.wallet, self.output.path(image), utcnow())
        self.output.json(f"presentation{suffix}.json", shared.presentation)
        stored = http.get(f"{self.verifier.base}/requests/{request['challenge']}",
                          token=self.read_tokens[request["challenge"]])["answer"]
        if stored is None:
            raise Unexpected(f"the verifier stored no answer (the wallet's POST got HTTP {status})")
        self.output.json(f"report{suffix}.json", stored["report"])
        self.output.json(f"match{suffix}.json", stored["match"])
        title = "Verificatie Persoonlijk Profiel Paspoort: Ria de Vries"
        self.output.text(f"report{suffix}.html", render(title, stored["summary"], stored["match"], note))
        return shared, stored

    def revoke(self) -> dict[str, Any]:
        examiner = next(issuer for issuer in self.issuers if issuer.part.admin_token is not None)
        credential = self.issued[REVOKED_STEM]
        record = examiner.revoke(credential["id"], REVOKE_REASON)
        if not record.get("revoked"):
            raise Unexpected(f"the issuer did not record the revocation: {record}")
        self.say(f"6. {examiner.name} withdraws '{credential['name']}' (POST /credentials/status, action revoke, "
                 f"by {examiner.part.admin_token.name}): the status bit is set and the list re-signed.")
        return credential

    def second_answer(self, revoked: dict[str, Any]) -> None:
        request = self.ask()
        self.output.bytes(REQUEST_QR_AGAIN, _png(request["qr"]["png"]))
        note = f"Tweede controle, na intrekking van '{revoked['name']}'."
        _shared, stored = self._answer(request, REQUEST_QR_AGAIN, "-after-revocation", note)
        failures = failed_codes(stored["summary"])
        verdict = "VERIFIED" if stored["verified"] else "NOT VERIFIED"
        self.say(f"7. The employer asks again (a new request, {REQUEST_QR_AGAIN}) and Ria's wallet answers it; "
                 "the verifier revalidates "
                 f"the status lists (max-age={issuer_services.STATUS_MAX_AGE}, ETag) and answers {verdict}:")
        for line in verdict_lines(stored["summary"]) + match_lines(stored["match"]):
            self.say(line)
        if stored["verified"] or failures != {revoked["id"]: ["REVOKED"]}:
            hint = ("; a verifier keeps a status list for the issuer's Cache-Control max-age "
                    "(PASPOORT_ISSUER_STATUS_MAX_AGE)" if not failures else "")
            got = failures or "no failures"
            raise Unexpected(f"expected only {revoked['id']} to fail with REVOKED, got {got}{hint}")
        outcomes = refresh_status(self.wallet, utcnow())  # her wallet learns it too, while the issuers still answer
        states = {outcome.item["credential"]["id"]: outcome.status for outcome in outcomes}
        if {key for key, state in states.items() if state != "valid"} != {revoked["id"]} or \
                states[revoked["id"]] != "revoked":
            raise Unexpected(f"her wallet's status check found {states}, expected only {revoked['id']} revoked")
        self.say(f"   Her wallet fetches the status lists again (as `passport status`): '{revoked['name']}' is "
                 "revoked there too, so `passport list` says so and `passport share` leaves it out.")

    def qr_share(self) -> None:
        query = {"credentialTypes": ["AantoonbaarBekwaamCredential"],
                 "description": {"nl": "Uw certificaat 'aantoonbaar bekwaam'", "en": "Your certificate"}}
        request = self.ask({"query": query})
        credential = self.issued[QR_STEM]
        shared = share_one(self.wallet, credential["id"], request, utcnow())
        text = qr.encode_text(shared.presentation)
        path = self.output.path("presentation-qr.png")
        version = qr.render_png(text, path, box_size=4)
        self.output.json("presentation-qr.json", shared.presentation)
        result = http.post_file(self.verifier.base + "/inspect", "file", path.name, path.read_bytes(), "image/png",
                                {"jobProfile": JOB_PROFILE})
        self.output.json("inspect.json", result)
        verdict = "VERIFIED" if result["verified"] else "NOT VERIFIED"
        self.say(f"8. At the care home Ria shows '{credential['name']}' as a QR code (presentation-qr.png, QR version "
                 f"{version}); the recruiter page reads the picture (POST /inspect): {verdict}, "
                 f"bound to the request on the team leader's screen (binding: {result['binding']}).")
        if not result["verified"] or result["binding"] != "challenge":
            raise Unexpected(f"the QR presentation was not verified and bound: {failed_codes(result['summary'])}")

    def save_status_lists(self) -> None:
        """Each list as a file, and all of them as a verifier's offline bundle (SPEC: offline bundle)."""
        lists = fetch_status_lists(list(self.issued.values()))
        self.output.json("status-bundle.json", {"created": format_datetime(utcnow()), "statusLists": lists,
                                                "didDocuments": {}})
        by_base = {issuer.base: issuer.part.role for issuer in self.issuers}
        for url, document in lists.items():
            role = next(role for base, role in by_base.items() if url.startswith(base + "/"))
            purpose = document["credentialSubject"]["statusPurpose"]
            self.output.json(f"status-lists/{role}-{purpose}.json", document)


def _png(data_uri: str) -> bytes:
    prefix = "data:image/png;base64,"
    if not data_uri.startswith(prefix):
        raise Unexpected("the verifier's request QR is not a PNG data URI")
    return base64.b64decode(data_uri[len(prefix):])
