"""Regenerate the example endorsements, ``keys.json`` and ``trust-registry.json``.

Run ``python tools/build_examples.py`` after editing a persona's ``profile.yaml`` or an
endorsement below; ``tests/test_examples.py`` fails when the files on disk differ from what
this script builds. Every key is derived from a fixed seed (``keys.json``: sha256 of
``paspoort-example/<role>``), every credential id from its file name, so the output is stable.
All people, organisations and ``.example`` web addresses are fictional; the ESCO/CompetentNL
URIs are illustrative (see the comment in each profile.yaml). The credentials are UNSIGNED.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kit import (  # noqa: E402
    EXAMPLES, OB_CONTEXT, PASPOORT_CONTEXT, ROLES, VC_CONTEXT, aantoonbaar_bekwaam, achievement, credential_id, did, esco,
    issuer, load_profile, ob_credential, seed_hex,
)

from passport.format.documents import profile_endorsement  # noqa: E402

FIRST_AID = esco("skill", "5a030949-dbc8-4e3a-977d-9f6de5b0faad", "provide first aid")
SAFETY = esco("skill", "bd963673-7cc9-48da-b74c-9004ce51b5b2", "apply health and safety standards")
CARE_PLAN = esco("skill", "465b309b-9a1a-437b-b2dc-1b0f976cb328", "create care plan")
DISABILITY = esco("skill", "54543840-d15d-41aa-9367-54b8ac9c396a", "support individuals with disabilities")
COACH = esco("skill", "31b06436-fe89-46b8-887e-e683d3300d86", "coach youth sport")
EVENTS = esco("skill", "3319482a-a740-4a74-84fc-e340a83fc96e", "organise sports events")
MOTIVATE = esco("skill", "c3449ed2-57cc-4ccd-8382-36d126766a4c", "motivate sport participants")
TROUBLESHOOT = esco("skill", "7e2ea12a-dfbf-4938-b1d4-8ae25dd97e2e", "troubleshoot electrical systems")
VENTILATION = esco("skill", "47313c05-19f8-4934-a351-6576a3b9b8c7", "maintain ventilation systems")
DEFECTS = esco("skill", "59afc356-f6ee-4e61-987d-33c37484e0e6", "report defects")


def _outcome(name: str, *alignment: dict) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name}
    if alignment:
        out["alignment"] = list(alignment)  # typed Alignment, as on the achievement (OB 3.0)
    return out


def ria_endorsements() -> dict[str, Any]:
    bhv = ob_credential(
        "ria/bhv", "CertificaatCredential", "spoor-werkgever", "ria", "BHV-certificaat (bedrijfshulpverlening)",
        {
            "achievement": achievement(
                "spoor-werkgever", "bhv-basis", "Certificate", "Bedrijfshulpverlening (BHV) basis en herhaling",
                "Bedrijfshulpverlener voor treinpersoneel: eerste hulp, beginnende brand en ontruiming van "
                "treinen en stations.",
                "Praktijktoets eerste hulp (reanimatie met AED, verbanden, stabiele zijligging), brandbestrijding "
                "met kleine blusmiddelen en een ontruimingsoefening in een treinstel, met goed gevolg afgelegd.",
                [FIRST_AID, SAFETY]),
            "learningOutcomes": [
                _outcome("Verleent eerste hulp bij ongevallen en reanimeert met een AED", FIRST_AID),
                _outcome("Bestrijdt een beginnende brand met kleine blusmiddelen", SAFETY),
                _outcome("Begeleidt de ontruiming van een trein of stationsgebouw"),
                _outcome("Alarmeert en communiceert met hulpdiensten en de verkeersleiding"),
            ],
            "studyLoad": {"hours": 16},
        },
        valid_from="2026-03-10T15:00:00Z", valid_until="2027-03-31T23:59:59Z")
    riasec = ob_credential(
        "ria/riasec", "AssessmentResultaatCredential", "loopbaancoach", "ria", "Uitslag beroepsinteressetest (RIASEC)",
        {
            "achievement": achievement(
                "loopbaancoach", "riasec-interesse", "Assessment", "RIASEC-beroepsinteressetest met adviesgesprek",
                "Beroepsinteressetest naar het model van Holland met een adviesgesprek over passende beroepen.",
                "Test volledig ingevuld en uitslag besproken in een adviesgesprek met een geregistreerd "
                "loopbaanprofessional."),
            "method": "Online RIASEC-interessetest (90 items) gevolgd door een adviesgesprek van 60 minuten",
            "instrument": "RIASEC-beroepsinteressetest (Holland)",
            "date": "2026-02-17",
            "assessor": {"name": "Ingrid Smits", "role": "loopbaancoach"},
            "outcome": {
                "summary": "Sterk sociaal interesseprofiel (S), met conventionele en ondernemende kanten. Ria "
                           "zoekt werk waarin ze mensen helpt en structuur biedt.",
                "riasec": {"R": 35, "I": 30, "A": 25, "S": 85, "E": 40, "C": 55},
                "hollandCode": "SCE",
                "talents": ["Rust en overzicht in spanningsvolle situaties",
                            "Contact maken met mensen van uiteenlopende achtergrond"],
                "advice": "Goede aansluiting bij begeleidende beroepen in zorg en welzijn, zoals begeleider "
                          "gehandicaptenzorg.",
            },
        },
        valid_from="2026-02-20T10:00:00Z")
    methodisch = ob_credential(
        "ria/methodisch-werken", "CertificaatCredential", "roc", "ria", "Deelcertificaat Methodisch werken",
        {
            "achievement": achievement(
                "roc", "methodisch-werken", "ext:Deelcertificaat", "Methodisch werken (keuzedeel zorg en welzijn)",
                "Module uit de opleiding Begeleider gehandicaptenzorg: werken volgens de methodische cyclus "
                "met een ondersteuningsplan.",
                "Praktijkopdracht ondersteuningsplan en criteriumgericht interview met voldoende beoordeeld.",
                [CARE_PLAN, DISABILITY]),
            "level": {"framework": "mbo", "level": 3},
            "learningOutcomes": [
                _outcome("Verzamelt informatie over de cliënt en zijn ondersteuningsvraag"),
                _outcome("Stelt samen met de cliënt doelen op in het ondersteuningsplan", CARE_PLAN),
                _outcome("Voert activiteiten uit volgens plan, observeert en rapporteert"),
                _outcome("Evalueert de ondersteuning met cliënt, verwanten en team", DISABILITY),
            ],
            "studyLoad": {"hours": 160},
        },
        valid_from="2026-06-26T12:00:00Z")
    medicatie = aantoonbaar_bekwaam(
        "ria/ab-medicatie-aanreiken", "vrh:medicatie-aanreiken", "Medicatie aanreiken",
        "Reikt medicatie zelfstandig en veilig aan volgens protocol: controleert de vijf juiste's (juiste "
        "cliënt, medicijn, dosis, tijdstip en wijze), tekent af op de toedienlijst en meldt fouten en "
        "bijwerkingen (MIC-melding).",
        "Praktijkbeoordeling: observatie bij drie medicatierondes en een criteriumgericht interview",
        "2026-03-10", "2026-03-12T09:00:00Z", "2027-03-12T23:59:59Z",
        "Beoordelingsformulier medicatie aanreiken",
        esco("skill", "2d4adf3a-f28b-48ed-8299-da31de93d6cb", "administer medication"))
    tillift = aantoonbaar_bekwaam(
        "ria/ab-tillift-gebruiken", "vrh:tillift-gebruiken", "Transfer met tillift",
        "Voert een transfer met een passieve tillift veilig uit: controleert lift en tilband vooraf, kiest de "
        "juiste bandmaat, werkt met twee collega's waar het protocol dat vraagt en betrekt de cliënt bij elke stap.",
        "Praktijkbeoordeling: twee transfers bed-rolstoel bij een cliënt, met controle van tilband en lift",
        "2025-09-30", "2025-10-02T09:00:00Z", "2027-10-02T23:59:59Z",
        "Beoordelingsformulier transfer met tillift",
        esco("skill", "31f1836b-562e-4359-a01b-3adfb9713b2e", "use patient lifting equipment"))
    endorsement = profile_endorsement(
        load_profile("ria"), "rustig-bij-conflicten", issuer=issuer("spoor-werkgever"),
        comment="Als teamleider heb ik Ria acht jaar zien werken. Bij agressie of paniek in de trein blijft zij "
                "rustig, praat de situatie naar beneden en houdt intussen overzicht voor de andere reizigers. "
                "— Erik van den Berg, teamleider Treindienst Utrecht",
        valid_from="2026-11-10T08:00:00Z", credential_id=credential_id("ria/endorsement-rustig-bij-conflicten"))
    return {
        "bhv-certificaat.json": bhv,
        "riasec-assessment.json": riasec,
        "methodisch-werken.json": methodisch,
        "aantoonbaar-bekwaam-medicatie-aanreiken.json": medicatie,
        "aantoonbaar-bekwaam-tillift.json": tillift,
        "endorsement-rustig-bij-conflicten.json": endorsement,
    }


def jan_endorsements() -> dict[str, Any]:
    author = {"name": "Peter Verhoef", "role": "technisch jeugdcoördinator"}
    trainer = ob_credential(
        "jan/werkervaring-jeugdtrainer", "WerkervaringCredential", "sportclub", "jan", "Werkervaring jeugdtrainer",
        {
            "achievement": achievement(
                "sportclub", "jeugdtrainer", "ext:Werkervaring", "Jeugdtrainer voetbal",
                "Vrijwillig jeugdtrainer bij Sportvereniging Polderzicht.",
                "Verklaring van de technische jeugdcommissie over de uitgevoerde taken en het functioneren.",
                [COACH, MOTIVATE]),
            "role": "Jeugdtrainer JO11 en JO13",
            "engagement": "vrijwilliger",
            "hoursPerWeek": 6,
            "period": {"start": "2016-08-15"},
            "tasks": ["Geeft twee trainingen per week en coacht de wedstrijd op zaterdag",
                      "Maakt een seizoensplan per team samen met de jeugdcoördinator",
                      "Begeleidt twee beginnende trainers (ouders) in hun eerste seizoen",
                      "Voert oudergesprekken over de ontwikkeling van spelers"],
            "skills": [_outcome("Leeftijdsgerichte trainingen geven", COACH),
                       _outcome("Kinderen motiveren en een veilig sportklimaat bewaken", MOTIVATE)],
            "reference": {"text": "Jan is al negen seizoenen een van onze vaste krachten. Kinderen die bij hem "
                                  "trainen blijven bij de club; hij ziet ook de stille spelers en weet ouders "
                                  "goed te betrekken. Wij bevelen hem van harte aan voor het onderwijs.",
                          "author": author},
        },
        valid_from="2025-09-01T10:00:00Z")
    schoolsport = ob_credential(
        "jan/werkervaring-schoolsport", "WerkervaringCredential", "sportclub", "jan",
        "Werkervaring coördinator schoolvoetbal en Koningsspelen",
        {
            "achievement": achievement(
                "sportclub", "coordinator-schoolsport", "ext:Werkervaring", "Coördinator schoolsport",
                "Organisatie van sportactiviteiten voor basisscholen namens Sportvereniging Polderzicht.",
                "Verklaring van het bestuur over de uitgevoerde taken.", [EVENTS]),
            "role": "Coördinator schoolvoetbal en Koningsspelen",
            "engagement": "vrijwilliger",
            "period": {"start": "2022-01-10", "end": "2025-06-30"},
            "tasks": ["Organiseerde jaarlijks het schoolvoetbaltoernooi voor drie basisscholen (circa 250 kinderen)",
                      "Stelde met de vakleerkrachten gym het programma voor de Koningsspelen op",
                      "Regelde vrijwilligers, velden en EHBO-post"],
            "skills": [_outcome("Sportevenementen voor kinderen organiseren", EVENTS),
                       _outcome("Samenwerken met leerkrachten en vakleerkrachten bewegingsonderwijs")],
            "reference": {"text": "Dankzij Jan werden de Koningsspelen een vast en goed georganiseerd feest "
                                  "voor de scholen in de wijk.",
                          "author": {"name": "Annelies de Groot", "role": "voorzitter"}},
        },
        valid_from="2025-07-04T10:00:00Z")
    trainer_coach = ob_credential(
        "jan/trainer-coach", "CertificaatCredential", "sportopleider", "jan", "Certificaat Trainer-coach jeugdvoetbal",
        {
            "achievement": achievement(
                "sportopleider", "trainer-coach-jeugd-3", "Certificate", "Trainer-coach jeugdvoetbal niveau 3",
                "Opleiding voor trainers van jeugdteams: trainingen geven, wedstrijden coachen en werken aan een "
                "veilig sportklimaat.",
                "Portfolio met tien uitgewerkte trainingen, praktijkbeoordeling op de eigen club en een "
                "reflectiegesprek met goed gevolg afgerond.", [COACH, MOTIVATE]),
            "level": {"framework": "NLQF", "level": 3},
            "learningOutcomes": [
                _outcome("Geeft leeftijdsgerichte trainingen volgens een seizoensplan", COACH),
                _outcome("Coacht een team tijdens wedstrijden"),
                _outcome("Werkt aan een veilig en pedagogisch sportklimaat", MOTIVATE),
            ],
            "studyLoad": {"hours": 120},
        },
        valid_from="2025-05-20T14:00:00Z")
    return {"werkervaring-jeugdtrainer.json": trainer, "werkervaring-schoolsport.json": schoolsport,
            "certificaat-trainer-coach.json": trainer_coach}


def samira_endorsements() -> dict[str, Any]:
    werk = ob_credential(
        "samira/werkervaring-technisch-onderhoud", "WerkervaringCredential", "schoonmaak-werkgever", "samira",
        "Werkervaring met taakverbreding technisch onderhoud",
        {
            "achievement": achievement(
                "schoonmaak-werkgever", "taakverbreding-technisch-onderhoud", "ext:Werkervaring",
                "Taakverbreding technisch onderhoud",
                "Schoonmaakmedewerker die naast het schoonmaakwerk eenvoudige technische onderhoudstaken uitvoert "
                "voor de technische dienst van de klant.",
                "Verklaring van de leidinggevende en het hoofd technische dienst over de uitgevoerde taken.",
                [TROUBLESHOOT, VENTILATION, DEFECTS]),
            "role": "Schoonmaakmedewerker met technische taken",
            "engagement": "dienstverband",
            "taskBroadening": True,
            "hoursPerWeek": 24,
            "period": {"start": "2024-09-01"},
            "tasks": ["Controleert en vervangt wekelijks de filters van de luchtbehandelingskasten",
                      "Vervangt verlichting en voert kleine elektrische reparaties uit als voldoende onderricht "
                      "persoon (VOP, NEN 3140)",
                      "Legt storingen vast in het onderhoudssysteem en meldt ze aan de technische dienst",
                      "Loopt de preventieve ronde volgens de checklist van de technische dienst"],
            "skills": [_outcome("Storingen opsporen en melden", TROUBLESHOOT, DEFECTS),
                       _outcome("Preventief onderhoud aan luchtbehandeling", VENTILATION)],
            "reference": {"text": "Samira werkt nauwkeurig en ziet meer dan haar eigen taak. Zij heeft in korte tijd "
                                  "vrijwel alle eerstelijns storingen op deze locatie leren oplossen. Wij zien haar "
                                  "graag doorgroeien naar een technische functie.",
                          "author": {"name": "Ruud Janssen", "role": "hoofd technische dienst (klantlocatie)"}},
        },
        valid_from="2026-05-15T09:00:00Z")
    niveau = ob_credential(
        "samira/assessment-werk-en-denkniveau", "AssessmentResultaatCredential", "assessmentbureau", "samira",
        "Uitslag werk- en denkniveau-assessment",
        {
            "achievement": achievement(
                "assessmentbureau", "werk-en-denkniveau", "Assessment", "Werk- en denkniveau-assessment techniek",
                "Assessment van het werk- en denkniveau voor instroom in technische opleidingen zonder "
                "Nederlands diploma.",
                "Capaciteitentest, technische praktijkopdracht en criteriumgericht interview afgerond en "
                "beoordeeld door twee assessoren.", [TROUBLESHOOT]),
            "method": "Capaciteitentest (verbaal, numeriek, abstract; taalvrije versie), technische praktijkopdracht "
                      "en criteriumgericht interview",
            "instrument": "Werk- en denkniveau-assessment techniek",
            "date": "2026-04-08",
            "assessor": {"name": "drs. Thomas Mulder", "role": "assessor"},
            "outcome": {
                "summary": "Samira werkt en denkt op NLQF-niveau 4. Zij analyseert technische problemen "
                           "systematisch; de Nederlandse vaktaal is nog in ontwikkeling.",
                "level": {"framework": "NLQF", "level": 4},
                "talents": ["Systematisch storingen analyseren", "Zelfstandig en nauwkeurig werken"],
                "advice": "Geschikt voor een bbl-traject Eerste monteur service en onderhoud installatietechniek "
                          "(mbo 4) zonder aanvullende vooropleidingseis; vaktaal Nederlands meenemen in de "
                          "begeleiding.",
            },
        },
        valid_from="2026-04-15T11:00:00Z")
    return {"werkervaring-technisch-onderhoud.json": werk, "assessment-werk-en-denkniveau.json": niveau}


REGISTRY_TYPES = {
    "werkgever": ["CertificaatCredential", "WerkervaringCredential", "ProfielEndorsementCredential"],
    "opleider": ["CertificaatCredential", "ProfielEndorsementCredential"],
    "examinator": ["AantoonbaarBekwaamCredential"],
    "assessor": ["AssessmentResultaatCredential"],
}
REGISTRY_SCOPES = {"zorg-examinator": ["vrh:*"]}


def trust_registry() -> dict[str, Any]:
    entries = []
    for role, (name, _, kind) in ROLES.items():
        if kind in REGISTRY_TYPES:
            entries.append({"id": did(role), "name": name, "role": kind, "credentialTypes": REGISTRY_TYPES[kind],
                            "scope": REGISTRY_SCOPES.get(role),
                            "statusLists": [f"https://status.{role}.example/lists/"],
                            "validFrom": "2025-01-01T00:00:00Z"})
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, PASPOORT_CONTEXT],  # OB: the issuer is an OB Profile
        "id": credential_id("trust-registry"),
        "type": ["VerifiableCredential", "TrustRegistryCredential"],
        "issuer": issuer("registry"),
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-12-31T23:59:59Z",
        "credentialSubject": {"id": f"{ROLES['registry'][1]}/registers/loopbruggen-demo",
                              "type": "TrustRegistry", "name": "Loopbruggen demo-register",
                              "issuers": entries},
    }


def build() -> dict[str, Any]:
    """Every generated file: path relative to examples/ -> JSON document."""
    files: dict[str, Any] = {"keys.json": {role: seed_hex(role) for role in ROLES}}
    for person, make in (("ria", ria_endorsements), ("jan", jan_endorsements), ("samira", samira_endorsements)):
        for file_name, document in make().items():
            files[f"{person}/endorsements/{file_name}"] = document
    files["trust-registry.json"] = trust_registry()
    return files


def render(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    for relative, document in build().items():
        path = EXAMPLES / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(document), encoding="utf-8")
        print("wrote", path.relative_to(EXAMPLES.parent))


if __name__ == "__main__":
    main()
