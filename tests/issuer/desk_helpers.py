"""Helpers for the desk's tests: sign in through the pages, read the CSRF token, redeem an offer."""
from __future__ import annotations

import re
from typing import Any

from oid4vci_helpers import code_of, credential_request, jwt_proof, nonce, token_request

HTTPS = {"base_url": "https://issuer.example"}  # the service's base URL is https: its cookie is Secure
COOKIE = "__Host-paspoort_desk"
EVIDENCE = b"%PDF-1.4 beoordelingsformulier medicatie aanreiken, ondertekend\n"


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} field in the page"
    return found.group(1)


def sign_in(client, token: str, lang: str = "nl"):
    page = client.get(f"/desk/sign-in?lang={lang}", **HTTPS)
    assert page.status_code == 200
    return client.post("/desk/sign-in", data={"login": field(page.get_data(as_text=True), "login"), "token": token,
                                              "lang": lang}, **HTTPS)


def csrf(client, path: str = "/desk/new") -> str:
    page = client.get(path, **HTTPS)
    assert page.status_code == 200, page.status_code
    return field(page.get_data(as_text=True), "csrf")


def examiner_form(token_csrf: str, **changes: Any) -> dict[str, Any]:
    import io
    form = {"csrf": token_csrf, "kind": "examiner", "procedure": "vrh:medicatie-aanreiken",
            "assessment_date": "2026-11-20", "valid_months": "12",
            "method": "Observatie bij drie medicatierondes en een criteriumgericht interview",
            "examiner": "Marleen Kuipers", "location": "De Hoeksteen, Tiel",
            "evidence": (io.BytesIO(EVIDENCE), "beoordeling.pdf", "application/pdf")}
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def offer_parts(html: str) -> tuple[str, str]:
    """The offer link and the transaction code shown on the offer page."""
    tx_code = re.search(r'id="tx-code">(\d{6})<', html).group(1)
    link = re.search(r'id="offer-link">([^<]+)<', html).group(1).replace("&amp;", "&")
    return link, tx_code


def redeem(client, link: str, tx_code: str, base: str = "https://issuer.example",
           configuration: str = "AantoonbaarBekwaamCredential") -> dict[str, Any]:
    """The worker's wallet collects the offer: offer document, token with tx_code, nonce, credential."""
    from urllib.parse import unquote
    uri = unquote(link.split("credential_offer_uri=", 1)[1])
    document = client.get(uri.removeprefix(base)).get_json()
    answer = token_request(client, code_of(document), tx_code)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    response = credential_request(client, answer.get_json()["access_token"], jwt_proof(nonce(client), audience=base),
                                  configuration)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["credentials"][0]["credential"]
