"""Held-out AantoonbaarBekwaam credentials for the PP3 codec: own wording, issuers and keys.

Nothing here was used to build the PP3 tables, dictionary or word model; they measure how the
codec does on certificates it has never seen (five Dutch, one English). Each is signed by its
own issuer key and presented with a holder proof, deterministically (fixed seeds and clock).
"""
from __future__ import annotations

import base64
import hashlib
import random
import uuid
from datetime import UTC, datetime
from typing import Any

from passport import present
from passport.keys import Ed25519Key
from passport.signing import sign
from passport.status_list import status_entry

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def key(name: str) -> Ed25519Key:
    return Ed25519Key(hashlib.sha256(name.encode()).digest())


def urn(rng: random.Random) -> str:
    return f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"


def digest(rng: random.Random) -> str:
    return "u" + base64.urlsafe_b64encode(b"\x12\x20" + rng.randbytes(32)).decode().rstrip("=")


CASES = [
  dict(slug="insuline-injecteren", issuer="Zorggroep Het Lindehof", url="https://lindehof.example", role="lindehof",
       name="Aantoonbaar bekwaam: insuline injecteren", esco=("f0b1c2d3-4a5b-4c6d-8e7f-0123456789ab", "administer injections"),
       description="Op basis van een praktijktoets verklaart de zorgorganisatie dat deze verzorgende de voorbehouden handeling 'insuline injecteren' zelfstandig mag uitvoeren. Herbeoordeling volgt binnen een jaar of eerder wanneer het protocol wijzigt.",
       narrative="Bereidt de insulinepen correct voor, controleert de bloedglucosewaarde en het voorschrift, kiest een geschikte injectieplaats, spuit onderhuids volgens de richtlijn en registreert tijd, dosis en plaats direct in het elektronisch dossier.",
       category="voorbehouden", protocol="Werkinstructie subcutaan injecteren met insulinepen, Lindehof (2024)",
       date="2026-05-18", vf="2026-05-20T08:00:00Z", vu="2027-05-20T23:59:59Z",
       method="Observatie in de praktijk bij vier injectiemomenten, gevolgd door een reflectiegesprek met de beoordelaar",
       examiner=("Sanne de Groot", "verpleegkundig specialist diabetes"), location="Afdeling Somatiek, Lindehof Zwolle",
       evname="Toetsformulier insuline injecteren", genre="Toetsformulier",
       evnarr="Ingevuld en getekend door beoordelaar en deelnemer; opgenomen in het digitale scholingsdossier van de organisatie."),
  dict(slug="blaaskatheter-inbrengen", issuer="Thuiszorg Rivierenland", url="https://thuiszorg-rivierenland.example", role="rivierenland",
       name="Aantoonbaar bekwaam: blaaskatheterisatie", esco=("0a1b2c3d-5e6f-4a7b-9c8d-fedcba987654", "perform catheterisation"),
       description="Deze verklaring bevestigt dat de wijkverpleegkundige na een beoordeling in de thuissituatie bekwaam is bevonden voor het katheteriseren van de blaas. Zonder herhaling van de toets vervalt de bekwaamheid na twee jaar.",
       narrative="Werkt steriel bij het inbrengen van een verblijfskatheter, legt de handeling uit aan de cliënt, herkent complicaties zoals een blaasontsteking of bloeding, verwijdert de katheter veilig en rapporteert afwijkingen aan de huisarts.",
       category="voorbehouden", protocol="Vilans-protocol katheterisatie van de blaas bij vrouwen en mannen, versie 2023",
       date="2025-11-04", vf="2025-11-05T10:30:00Z", vu="2027-11-05T23:59:59Z",
       method="Twee praktijkbeoordelingen bij cliënten thuis en een toets in het skillslab met een oefenpop",
       examiner=("Ahmed El Idrissi", "senior wijkverpleegkundige"), location="Wijkteam Culemborg-Oost",
       evname="Beoordelingsverslag katheterisatie", genre="Beoordelingsverslag",
       evnarr="Verslag van beide observaties met handtekening van de beoordelaar, bewaard bij de afdeling opleidingen in Tiel."),
  dict(slug="sondevoeding-toedienen", issuer="Ziekenhuis Noordoever", url="https://noordoever-zkh.example", role="noordoever",
       name="Aantoonbaar bekwaam: sondevoeding toedienen", esco=("7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7", "administer enteral nutrition"),
       description="Na theorie en praktijkbeoordeling is vastgesteld dat de zorgmedewerker sondevoeding via een neusmaagsonde of PEG-sonde veilig kan toedienen. De verklaring geldt achttien maanden en wordt daarna opnieuw beoordeeld.",
       narrative="Controleert de ligging van de sonde voor elke toediening, spoelt de sonde door, sluit de voedingspomp aan met de juiste snelheid, let op tekenen van misselijkheid of verslikken en houdt de vochtbalans bij op het toedienformulier.",
       category="risicovol", protocol="Protocol enterale voeding volwassenen, Noordoever (herzien maart 2025)",
       date="2026-01-27", vf="2026-02-01T07:45:00Z", vu="2027-08-01T23:59:59Z",
       method="Kennistoets met twintig vragen en een praktijkobservatie tijdens een ochtenddienst op de verpleegafdeling",
       examiner=("Joost van Leeuwen", "praktijkbegeleider interne geneeskunde"), location="Verpleegafdeling Interne Geneeskunde, Harderwijk",
       evname="Observatielijst sondevoeding", genre="Observatielijst",
       evnarr="Lijst met alle stappen afgevinkt en ondertekend; het origineel zit in het personeelsdossier bij HR."),
  dict(slug="wondzorg-complex", issuer="Woonzorgcentrum De Meerpaal", url="https://demeerpaal.example", role="meerpaal",
       name="Aantoonbaar bekwaam: complexe wondverzorging", esco=("3e2d1c0b-9a8f-47e6-b5d4-c3b2a1908f7e", "treat wounds"),
       description="De medewerker heeft laten zien dat zij complexe wonden zoals decubitus en ulcus cruris volgens de geldende richtlijn kan verzorgen. Bij wijziging van de richtlijn of na een incident volgt een nieuwe toetsing.",
       narrative="Beoordeelt de wond met het TIME-model, maakt een foto voor het wonddossier, reinigt en verbindt aseptisch met het voorgeschreven materiaal, signaleert infectie of vertraagde genezing en overlegt tijdig met de wondconsulent.",
       category="risicovol", protocol="Richtlijn wondzorg De Meerpaal, gebaseerd op de landelijke richtlijn decubitus",
       date="2026-08-12", vf="2026-08-15T09:00:00Z", vu="2028-08-15T23:59:59Z",
       method="Casusbespreking met de wondconsulent en drie beoordeelde wondbehandelingen op de somatische afdeling",
       examiner=("Petra Hoogendoorn", "wondconsulent en docent"), location="Locatie Meerpaal, Emmeloord",
       evname="Portfolio wondverzorging", genre="Portfolio",
       evnarr="Digitaal portfolio met foto's, casusverslag en ondertekende beoordelingen, gearchiveerd in het leerplatform."),
  dict(slug="zuurstof-toedienen", issuer="Hospice Zonnestraal", url="https://hospice-zonnestraal.example", role="zonnestraal",
       name="Aantoonbaar bekwaam: zuurstof toedienen", esco=("9d8c7b6a-5f4e-4d3c-8b2a-19f0e8d7c6b5", "administer oxygen therapy"),
       description="Met deze verklaring bevestigt het hospice dat de vrijwilliger-verzorgende zuurstoftherapie met een concentrator of cilinder mag starten en bewaken. Jaarlijks wordt de vaardigheid in een korte praktijktoets gecontroleerd.",
       narrative="Sluit de neusbril of het masker goed aan, stelt de voorgeschreven flow in liters per minuut in, controleert saturatie en ademhaling, let op brandgevaar en droge slijmvliezen en waarschuwt de arts bij benauwdheid of verwardheid.",
       category="overig", protocol="Instructie zuurstoftherapie in de palliatieve zorg, Zonnestraal 2026",
       date="2026-09-30", vf="2026-10-01T12:00:00Z", vu="2027-10-01T23:59:59Z",
       method="Demonstratie met de zuurstofconcentrator en een gesprek over veiligheid en het herkennen van alarmsignalen",
       examiner=("Willem Bakker", "coördinator zorg en kwaliteit"), location="Hospice Zonnestraal, Apeldoorn",
       evname="Aftekenlijst zuurstoftherapie", genre="Aftekenlijst",
       evnarr="Door de coördinator afgetekende lijst, samen met de instructie bewaard in de map vaardigheden van het hospice."),
]
ENGLISH = dict(slug="medication-administration", issuer="Riverside Care Group", url="https://riverside-care.example", role="riverside",
   name="Demonstrably competent: administering medication", esco=("2d1c0b9a-8f7e-4d6c-b5a4-938271605f4e", "administer medication"),
   description="The care worker was assessed in daily practice and found competent to carry out the high-risk task of administering medication. Competence is reassessed before this certificate expires or whenever there is doubt.",
   narrative="Prepares and hands out medication safely following the protocol: checks the right client, drug, dose, time and route, signs the administration record and reports errors and side effects through the incident system.",
   category="risicovol", protocol="Medication administration protocol, Riverside Care Group (2025 edition)",
   date="2026-04-14", vf="2026-04-15T09:00:00Z", vu="2027-04-15T23:59:59Z",
   method="Workplace assessment: observation during three medication rounds and a structured interview",
   examiner=("Helen Thompson", "practice educator and vocational assessor"), location="Oakwood residential home, Leeds",
   evname="Assessment form medication administration", genre="Assessment form",
   evnarr="Form signed by the assessor and the care worker; kept in the competence file of Riverside Care Group.")


def credential(c: dict[str, Any], holder_did: str, rng: random.Random) -> dict[str, Any]:
    k = key("issuer-" + c["role"])
    cred = {
      "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://w3id.org/paspoort/v1"],
      "id": urn(rng),
      "type": ["VerifiableCredential", "OpenBadgeCredential", "AantoonbaarBekwaamCredential"],
      "name": c["name"],
      "issuer": {"id": k.did, "type": ["Profile"], "name": c["issuer"], "url": c["url"]},
      "validFrom": c["vf"], "validUntil": c["vu"],
      "credentialSubject": {
        "id": holder_did, "type": ["AchievementSubject"],
        "achievement": {"id": f"{c['url']}/bekwaamheden/{c['slug']}", "type": ["Achievement"],
            "achievementType": "ext:AantoonbaarBekwaam", "name": c["name"], "description": c["description"],
            "criteria": {"narrative": c["narrative"]},
            "alignment": [{"type": ["Alignment"], "targetUrl": "http://data.europa.eu/esco/skill/" + c["esco"][0],
                           "targetFramework": "ESCO", "targetName": c["esco"][1]}]},
        "procedure": {"code": "zh:" + c["slug"], "name": c["name"].split(": ")[1].capitalize(), "category": c["category"], "protocol": c["protocol"]},
        "assessment": {"date": c["date"], "method": c["method"],
            "examiner": {"name": c["examiner"][0], "role": c["examiner"][1]},
            "institution": {"name": c["issuer"], "id": k.did}, "location": c["location"]},
      },
      "evidence": [{"type": ["Evidence"], "id": urn(rng), "name": c["evname"], "genre": c["genre"], "mediaType": "application/pdf",
                    "narrative": c["evnarr"], "digestMultibase": digest(rng)}],
    }
    cred["credentialStatus"] = status_entry(f"https://status.{c['role']}.example/lijsten/3", rng.randrange(131072), "revocation")
    return sign(cred, k, created=datetime(2026, 11, 2 + len(c["slug"]) % 20, 8, 30, tzinfo=UTC))


def presentations() -> list[tuple[str, dict[str, Any]]]:
    """(slug, signed presentation of one credential) for every held-out case, English last."""
    rng = random.Random(4242)
    out = []
    for i, case in enumerate([*CASES, ENGLISH]):
        holder = key(f"holder-{i}")
        credential_ = credential(case, holder.did, rng)
        out.append((case["slug"], present([credential_], holder, now=NOW,
                                          challenge=f"nonce-{rng.getrandbits(40):x}", domain="verifier.example")))
    return out
