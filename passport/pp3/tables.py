"""The frozen tables of PP3: format keys, fixed values, URI prefixes, structure tags, text gaps.

Every table is part of the format: a key's code is its position in ``KEYS`` plus one, a fixed
value's code its position in ``CONSTS``. Changing, reordering or extending any of them is a new
version of the QR text (``PP4:``), never an edit.

``KEYS`` and ``CONSTS`` hold every property name and const/enum string of the Paspoort JSON
schemas, the keys and fixed values of the PP2 skeleton dictionary and the VC 2.0, Data
Integrity and Bitstring Status List terms, most frequent first.
"""
from __future__ import annotations

KEYS = ["id", "type", "name", "@language", "@value", "description", "@context", "credentialSubject", "alignment",
        "targetFramework", "targetUrl", "targetName", "level", "achievement", "achievementType", "issuer", "source",
        "kind", "role", "proof", "statusPurpose", "validFrom", "created", "credentialStatus", "cryptosuite",
        "narrative", "proofPurpose", "proofValue", "statusListCredential", "statusListIndex", "verificationMethod",
        "url", "criteria", "date", "digestMultibase", "evidence", "framework", "method", "skills", "text",
        "validUntil", "A", "C", "E", "I", "R", "S", "hours", "hoursPerWeek", "riasec", "assessment", "author", "code",
        "doelEnMotivatie", "drijfveren", "encodedList", "endorsementComment", "entry", "examiner", "holder",
        "institution", "learningOutcomes", "location", "outcome", "period", "procedure", "sectors", "start",
        "statusSize", "studyLoad", "summary", "talenten", "tasks", "verifiableCredential", "wendbaarheid",
        "werkEnDenkniveau", "@direction", "advice", "assessor", "category", "challenge", "credentialSchema",
        "credentialTypes", "credits", "domain", "employer", "end", "engagement", "experienceYears", "expires", "genre",
        "hollandCode", "instrument", "issuers", "keywords", "max", "mediaType", "min", "procedureCode", "protocol",
        "reference", "refreshService", "region", "required", "requirements", "sensitive", "startDate", "talents",
        "targetRole", "termsOfUse", "ttl", "@id", "@type", "acceptedTypes", "audience", "learningPath", "nonce",
        "previousProof", "provider", "scope", "statusMessage", "targetCode", "targetDescription", "targetType",
        "taskBroadening"]
CONSTS = ["VerifiableCredential", "https://www.w3.org/ns/credentials/v2", "en", "nl", "https://w3id.org/paspoort/v1",
          "ESCO", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "revocation", "DataIntegrityProof",
          "OpenBadgeCredential", "eddsa-jcs-2022", "BitstringStatusListEntry", "assertionMethod", "Profile",
          "Achievement", "AchievementSubject", "Alignment", "AantoonbaarBekwaamCredential",
          "AssessmentResultaatCredential", "CertificaatCredential", "ProfielEndorsementCredential",
          "WerkervaringCredential", "mbo", "suspension", "BitstringStatusListCredential",
          "PersoonlijkProfielCredential", "VerifiablePresentation", "ext:Deelcertificaat", "getoond", "Assessment",
          "BitstringStatusList", "CompetentNL", "EndorsementCredential", "EndorsementSubject", "Evidence",
          "PersoonlijkProfiel", "TrustRegistryCredential", "authentication", "certificate", "drive",
          "ext:AantoonbaarBekwaam", "ext:Werkervaring", "level", "procedure", "risicovol", "skill", "talent",
          "vrijwilliger", "werkgever", "Certificate", "EQF", "NLQF", "TrustRegistry", "Vakbekwaamheidsprofiel",
          "application/json", "application/pdf", "assessor", "dienstverband", "eddsa-rdfc-2022", "examinator",
          "image/jpeg", "image/png", "latent", "ltr", "opleider", "overig", "registry", "rtl", "stage", "text/plain",
          "uitzendkracht", "voorbehouden", "zzp"]
PREFIXES = ["http://data.europa.eu/esco/skill/", "http://data.europa.eu/esco/occupation/", "https://competentnl.nl/",
            "https://", "http://"]
KEY_CODES = {key: code for code, key in enumerate(KEYS, start=1)}  # 0 is END, KEY_LITERAL a coded key
CONST_CODES = {value: code for code, value in enumerate(CONSTS)}

# --- structure stream tags --------------------------------------------------------------------
# A value position holds one tag (and, for CONST, MB58, MB64 and PREFIXED, one more byte); a key
# position holds END (0), a key code 1..len(KEYS) or KEY_LITERAL (the key is text in the value stream).
(END, OBJECT, ARRAY, NULL, TRUE, FALSE, INTEGER, FLOAT, TEXT, TEXT_RAW, CONST, DID_NEW, DID_REF,
 METHOD_NEW, METHOD_REF, BASE58, BASE58_64, BASE64URL, URN_UUID, DATE_TIME, DATE, DIGITS, TEXT_REF,
 PREFIXED, STATUS_ID) = range(25)
KEY_LITERAL = 0xF0

# --- text tokens --------------------------------------------------------------------------------
UUID_MARK = "\x01"  # inside TEXT / PREFIXED text: "the next UUID of the value stream goes here"
# the common gaps between words (index = symbol); any other gap is spelled from PUNCT
GAPS = ["", " ", ", ", ". ", ": ", "; ", " (", ") ", "), ", ").", ".", "-", "'", "/", " - ", " \u2013 ", "://", "(",
        ")", ":", ",", "?", "!", " & ", '"', ' "', '" ', "_", "#", "@", "+", " + ", "*", "%", " %", "\u2019", " = ",
        ", (", ".)", " / ", UUID_MARK]
GAP_CODES = {gap: code for code, gap in enumerate(GAPS)}
GAP_END, GAP_SPELLED = len(GAPS), len(GAPS) + 1
# characters of a spelled gap: printable ASCII punctuation, the UUID mark, a few typographic marks
PUNCT = [chr(c) for c in range(32, 127) if not chr(c).isalnum()] + [
    UUID_MARK, "\u2013", "\u2019", "\u2018", "\u201c", "\u201d", "\u2026", "\u20ac", "\u00b0", "\u00b7"]
PUNCT_CODES = {char: code for code, char in enumerate(PUNCT)}
PUNCT_STOP, PUNCT_ESCAPE = len(PUNCT), len(PUNCT) + 1
UNICODE_SIZE = 0x110000  # an escaped character is coded uniformly over every code point
