// The recruiter's page: send what the candidate shows to /inspect (or ask by QR and poll
// /requests/<challenge>), then say in plain Dutch or English what was found. No build step.
"use strict";

const T = {
  nl: {
    title: "Paspoort controleren", skip: "Naar het resultaat",
    intro: "Controleer wat een kandidaat met u deelt: welke certificaten echt zijn, door wie ze zijn afgegeven, en wat de persoon alleen zelf zegt.",
    jobHeading: "1. Kies de functie", jobLabel: "Functie (vakbekwaamheidsprofiel) om mee te vergelijken",
    jobNone: "Geen vergelijking", jobUploadSummary: "Eigen functieprofiel uploaden",
    jobUploadLabel: "Functieprofiel (JSON-bestand)", jobUpload: "Uploaden", jobUploaded: "Functieprofiel toegevoegd.",
    checkHeading: "2. Laat het paspoort zien", fileHeading: "Bestand uploaden",
    fileLabel: "Paspoort- of presentatiebestand (JSON)", check: "Controleren",
    photoHeading: "Foto of scan met QR-codes",
    photoLabel: "Afbeelding(en) met een of meer QR-codes, bijvoorbeeld de pagina's van een geprint paspoort",
    photoHint: "Elke QR-code wordt apart gecontroleerd. Kies meerdere pagina's tegelijk om alles samen met de functie te vergelijken.",
    textHeading: "QR-tekst plakken", textLabel: "Tekst uit de QR-code (begint met PP2:) of JSON",
    requestHeading: "Vraag het paspoort op met een QR-code",
    requestIntro: "De kandidaat beantwoordt het verzoek met de Paspoort-wallet op de computer (het programma passport): met het commando hieronder, of met een foto van de QR-code. Het resultaat verschijnt hier vanzelf.",
    requestNoWallet: "Geen wallet? Vraag de kandidaat om een paspoortbestand of een geprint paspoort en controleer dat hierboven.",
    requestButton: "Verzoek maken", requestCommandLabel: "Commando voor de kandidaat (kopiëren en sturen)",
    requestQrAlt: "QR-code met het verzoek om het paspoort te delen",
    waiting: "Wachten op het antwoord van de kandidaat…", requestExpired: "Het verzoek is verlopen. Maak een nieuw verzoek.",
    answered: "Antwoord ontvangen.", resultHeading: "3. Resultaat", resultEmpty: "Nog niets gecontroleerd.",
    checking: "Bezig met controleren…", chooseFirst: "Kies eerst een bestand of plak de tekst.",
    footer: "Zelf opgegeven gegevens zijn niet gecontroleerd. Alleen certificaten met het label \"Geverifieerd\" zijn echt, actueel en afgegeven door een erkende uitgever.",
    allGood: "Alle certificaten zijn echt, actueel en afgegeven door erkende uitgevers.",
    notAllGood: "Niet alles klopt. Hieronder staat per onderdeel wat er aan de hand is.",
    unbound: "Let op: dit bestand is niet gemaakt als antwoord op een verzoek van u. Het kan een kopie zijn. Vraag het paspoort bij twijfel op met een QR-code.",
    bound: "Gemaakt als antwoord op uw verzoek.", failedTitle: "Controle mislukt",
    paper: "Let op: losse documenten (van papier of een afbeelding) zijn niet gebonden aan de persoon die ze laat zien; iedereen met een kopie kan ze tonen. Vergelijk de naam met een identiteitsbewijs, of vraag het paspoort op met een QR-code.",
    manyAllGood: "{n} documenten gelezen. Alle controles kloppen.",
    manyNotAllGood: "{n} documenten gelezen. {bad} daarvan {verb} niet: zie hieronder per document.",
    verbOne: "klopt", verbMany: "kloppen",
    subjectHeading: "Documenten over {name}", someone: "een persoon zonder (geldig) profiel",
    documentsHeading: "Gelezen documenten ({n})", documentTitle: "Document {i}: {title}",
    profileTitle: "Persoonlijk profiel", presentationTitle: "Presentatie",
    verdict: {verified: "Echt, actueel en afgegeven door een erkende uitgever.",
              self_asserted: "De handtekening klopt, maar niemand anders heeft de inhoud gecontroleerd.",
              failed: "Niet geverifieerd: dit document telt niet mee.", presentationOk: "Presentatie geverifieerd.",
              presentationBad: "Presentatie niet geverifieerd."},
    problems: {PROOF_INVALID: "De handtekening klopt niet: het document is na het ondertekenen veranderd of vervalst.",
               PROOF_MISSING: "Het document is niet ondertekend.", EXPIRED: "De geldigheid is verlopen.",
               NOT_YET_VALID: "Het document is nog niet geldig.", REVOKED: "De uitgever heeft het ingetrokken.",
               SUSPENDED: "De uitgever heeft het geschorst.",
               STATUS_UNKNOWN: "Of het is ingetrokken, kon niet worden gecontroleerd.",
               ISSUER_UNKNOWN: "De uitgever staat niet in het register van erkende uitgevers.",
               ISSUER_OUT_OF_SCOPE: "De uitgever is niet bevoegd om dit af te geven.",
               SCHEMA_INVALID: "Het document heeft niet de vorm van een Paspoort-document."},
    signatureBad: "De handtekening onder het profiel klopt niet: de tekst kan na het ondertekenen veranderd zijn.",
    matchLoose: "Op basis van alle geverifieerde documenten over deze persoon hierboven; zelf opgegeven gegevens tellen niet als aangetoond.",
    personHeading: "Wie de persoon zegt te zijn", selfAssertedNote: "zelf opgegeven, niet gecontroleerd",
    name: "Naam", id: "Kenmerk (DID)", blocksHeading: "Wat de persoon over zichzelf zegt",
    credentialsHeading: "Certificaten en verklaringen", issuedBy: "Afgegeven door", validUntil: "Geldig tot",
    noCredentials: "Geen certificaten gedeeld.", presentationProblems: "Problemen met de presentatie zelf",
    matchHeading: "Vergelijking met de functie", demonstrated: "Aangetoond", claimed: "Alleen genoemd, nog niet aangetoond",
    missing: "Ontbreekt: het leerpad", nothing: "Geen.", requiredMark: "verplicht", unavailable: "Vergelijking niet beschikbaar",
    blocks: {talenten: "Talenten", skills: "Vaardigheden", drijfveren: "Drijfveren", wendbaarheid: "Wendbaarheid",
             werkEnDenkniveau: "Werk- en denkniveau", doelEnMotivatie: "Doel en motivatie"},
    outcome: {verified: "Geverifieerd", self_asserted: "Zelf opgegeven", expired: "Verlopen", not_yet_valid: "Nog niet geldig",
              revoked: "Ingetrokken", suspended: "Geschorst", untrusted: "Uitgever niet erkend",
              out_of_scope: "Uitgever niet bevoegd hiervoor", status_unknown: "Status onbekend", invalid: "Ongeldig of vervalst"},
    roles: {opleider: "opleider", examinator: "praktijkexaminator", assessor: "assessor", werkgever: "werkgever"},
    learningStep: "Leerstap", hours: "uur",
    reasons: {SELF_ASSERTED: "Alleen zelf opgegeven in het profiel, niet aangetoond met een certificaat.",
              NOT_FOUND: "Niets in het paspoort toont dit aan of noemt dit.",
              REVOKED: "Het certificaat hiervoor is ingetrokken.", SUSPENDED: "Het certificaat hiervoor is geschorst.",
              EXPIRED: "Het certificaat hiervoor is verlopen.", NOT_YET_VALID: "Het certificaat hiervoor is nog niet geldig.",
              STATUS_UNKNOWN: "Van het certificaat hiervoor is de status onbekend.",
              STATUS_LIST_INVALID: "Van het certificaat hiervoor is de status onbekend.",
              ISSUER_UNKNOWN: "De uitgever van het certificaat hiervoor is niet erkend.",
              ISSUER_OUT_OF_SCOPE: "De uitgever is niet bevoegd voor dit certificaat.",
              ENTRY_DIGEST_MISMATCH: "De aanbeveling hoort bij een andere versie van het profiel.",
              PROOF_INVALID: "Het certificaat hiervoor is ongeldig of vervalst."},
  },
  en: {
    title: "Check a passport", skip: "Skip to the result",
    intro: "Check what a candidate shares with you: which certificates are genuine, who issued them, and what the person only says about themselves.",
    jobHeading: "1. Choose the job", jobLabel: "Job (requirements profile) to compare with",
    jobNone: "No comparison", jobUploadSummary: "Upload your own job profile",
    jobUploadLabel: "Job profile (JSON file)", jobUpload: "Upload", jobUploaded: "Job profile added.",
    checkHeading: "2. Show the passport", fileHeading: "Upload a file",
    fileLabel: "Passport or presentation file (JSON)", check: "Check",
    photoHeading: "Photo or scan with QR codes",
    photoLabel: "Image(s) with one or more QR codes, for example the pages of a printed passport",
    photoHint: "Every QR code is checked on its own. Choose several pages at once to compare everything together with the job.",
    textHeading: "Paste QR text", textLabel: "Text from the QR code (starts with PP2:) or JSON",
    requestHeading: "Ask for the passport with a QR code",
    requestIntro: "The candidate answers the request with the Paspoort wallet on their computer (the passport program): with the command below, or with a photo of the QR code. The result appears here by itself.",
    requestNoWallet: "No wallet? Ask the candidate for a passport file or a printed passport and check it above.",
    requestButton: "Create request", requestCommandLabel: "Command for the candidate (copy and send)",
    requestQrAlt: "QR code with the request to share the passport",
    waiting: "Waiting for the candidate's answer…", requestExpired: "The request has expired. Create a new one.",
    answered: "Answer received.", resultHeading: "3. Result", resultEmpty: "Nothing checked yet.",
    checking: "Checking…", chooseFirst: "Choose a file or paste the text first.",
    footer: "Self-asserted information is not checked. Only certificates labelled \"Verified\" are genuine, current and issued by a recognised issuer.",
    allGood: "All certificates are genuine, current and issued by recognised issuers.",
    notAllGood: "Not everything checks out. See below what is the matter with each part.",
    unbound: "Note: this file was not made in answer to a request from you. It may be a copy. If in doubt, ask for the passport with a QR code.",
    bound: "Made in answer to your request.", failedTitle: "Check failed",
    paper: "Note: loose documents (from paper or an image) are not bound to the person showing them; anyone with a copy can show them. Compare the name with an identity document, or ask for the passport with a QR code.",
    manyAllGood: "{n} documents read. Every check passed.",
    manyNotAllGood: "{n} documents read. {bad} of them {verb} not check out: see each document below.",
    verbOne: "does", verbMany: "do",
    subjectHeading: "Documents about {name}", someone: "a person without a (valid) profile",
    documentsHeading: "Documents read ({n})", documentTitle: "Document {i}: {title}",
    profileTitle: "Personal profile", presentationTitle: "Presentation",
    verdict: {verified: "Genuine, current and issued by a recognised issuer.",
              self_asserted: "The signature is valid, but nobody else has checked the content.",
              failed: "Not verified: this document does not count.", presentationOk: "Presentation verified.",
              presentationBad: "Presentation not verified."},
    problems: {PROOF_INVALID: "The signature does not match: the document was changed after signing, or forged.",
               PROOF_MISSING: "The document is not signed.", EXPIRED: "Its validity has ended.",
               NOT_YET_VALID: "The document is not valid yet.", REVOKED: "The issuer has revoked it.",
               SUSPENDED: "The issuer has suspended it.", STATUS_UNKNOWN: "Whether it was revoked could not be checked.",
               ISSUER_UNKNOWN: "The issuer is not in the register of recognised issuers.",
               ISSUER_OUT_OF_SCOPE: "The issuer is not entitled to issue this.",
               SCHEMA_INVALID: "The document does not have the shape of a Paspoort document."},
    signatureBad: "The signature under the profile is not valid: the text may have changed after signing.",
    matchLoose: "Based on all verified documents about this person above; self-asserted content never counts as demonstrated.",
    personHeading: "Who the person says they are", selfAssertedNote: "self-asserted, not checked",
    name: "Name", id: "Identifier (DID)", blocksHeading: "What the person says about themselves",
    credentialsHeading: "Certificates and statements", issuedBy: "Issued by", validUntil: "Valid until",
    noCredentials: "No certificates shared.", presentationProblems: "Problems with the presentation itself",
    matchHeading: "Comparison with the job", demonstrated: "Demonstrated", claimed: "Claimed, not yet demonstrated",
    missing: "Missing: the learning path", nothing: "None.", requiredMark: "required", unavailable: "Comparison not available",
    blocks: {talenten: "Talents", skills: "Skills", drijfveren: "Drives", wendbaarheid: "Agility",
             werkEnDenkniveau: "Work and thinking level", doelEnMotivatie: "Goal and motivation"},
    outcome: {verified: "Verified", self_asserted: "Self-asserted", expired: "Expired", not_yet_valid: "Not yet valid",
              revoked: "Revoked", suspended: "Suspended", untrusted: "Issuer not recognised",
              out_of_scope: "Issuer not entitled to this", status_unknown: "Status unknown", invalid: "Invalid or forged"},
    roles: {opleider: "training provider", examinator: "workplace examiner", assessor: "assessor", werkgever: "employer"},
    learningStep: "Learning step", hours: "hours",
    reasons: {SELF_ASSERTED: "Only self-asserted in the profile, not evidenced by a certificate.",
              NOT_FOUND: "Nothing in the passport evidences or mentions this.",
              REVOKED: "The certificate for this has been revoked.", SUSPENDED: "The certificate for this is suspended.",
              EXPIRED: "The certificate for this has expired.", NOT_YET_VALID: "The certificate for this is not valid yet.",
              STATUS_UNKNOWN: "The status of the certificate for this is unknown.",
              STATUS_LIST_INVALID: "The status of the certificate for this is unknown.",
              ISSUER_UNKNOWN: "The issuer of the certificate for this is not recognised.",
              ISSUER_OUT_OF_SCOPE: "The issuer is not entitled to issue this certificate.",
              ENTRY_DIGEST_MISMATCH: "The endorsement belongs to another version of the profile.",
              PROOF_INVALID: "The certificate for this is invalid or forged."},
  },
};

let lang = localStorage.getItem("paspoort-lang") || "nl";
let lastResult = null;
let pollTimer = null;

const $ = (id) => document.getElementById(id);
const t = (key) => T[lang][key] ?? T.nl[key] ?? key;

function text(value) {  // plain string, {nl, en}, or VC language values
  if (value == null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const hit = value.find((v) => v && v["@language"] && v["@language"].startsWith(lang)) || value[0];
    return hit ? (hit["@value"] ?? "") : "";
  }
  if (typeof value === "object") return value[lang] ?? value.nl ?? value["@value"] ?? "";
  return String(value);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child == null || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setLanguage(next) {
  lang = next;
  localStorage.setItem("paspoort-lang", lang);
  document.documentElement.lang = lang;
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  $("request-qr").alt = t("requestQrAlt");
  loadJobs();
  if (lastResult) render(lastResult, false);
}

async function loadJobs() {
  const select = $("job");
  const chosen = select.value;
  try {
    const response = await fetch("/job-profiles");
    const body = await response.json();
    select.replaceChildren(el("option", {value: ""}, t("jobNone")));
    for (const job of body.jobProfiles || []) select.append(el("option", {value: job.id}, text(job.name) || job.id));
    select.value = chosen;
  } catch (error) { /* the list stays as it is */ }
}

const fmt = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));

function badge(kind, label) { return el("span", {class: `badge ${kind}`}, label); }

function renderProblem(problem) {
  const box = el("div", {class: "banner bad", role: "alert"}, `${t("failedTitle")}: ${problem.detail || problem.title}`);
  return [box];
}

function renderPerson(person, level = 3, suffix = "") {
  if (!person) return [];
  const rows = el("dl", {}, el("dt", {}, t("name")), el("dd", {}, person.name || "—"),
                  el("dt", {}, t("id")), el("dd", {class: "detail"}, person.did || "—"));
  const blocks = [];
  for (const [key, entries] of Object.entries(person.blocks || {})) {
    if (!entries.length) continue;
    blocks.push(el(`h${level + 1}`, {}, T[lang].blocks[key] || key),
                el("ul", {}, entries.map((entry) => el("li", {}, badge("self_asserted", T[lang].outcome.self_asserted), text(entry.name)))));
  }
  return [el("section", {class: "person", "aria-labelledby": `person-heading${suffix}`},
    el(`h${level}`, {id: `person-heading${suffix}`}, t("personHeading"), " ", badge("self_asserted", t("selfAssertedNote"))),
    person.signatureOk === false ? el("p", {class: "banner bad"}, t("signatureBad")) : null,
    rows,
    blocks.length ? el(`h${level}`, {}, t("blocksHeading")) : null, blocks)];
}

function renderCredentials(lines, level = 3) {
  const items = lines.filter((line) => line.type !== "PersoonlijkProfielCredential");
  const list = el("ul", {class: "items"});
  for (const line of items) {
    const outcome = T[lang].outcome[line.outcome] || line.outcome;
    const role = line.role ? ` (${T[lang].roles[line.role] || line.role})` : "";
    list.append(el("li", {},
      el("div", {}, badge(line.outcome, outcome), el("strong", {}, text(line.title) || line.type)),
      el("p", {class: "detail"}, `${t("issuedBy")}: ${text(line.issuer) || line.issuerDid}${role}`),
      line.validUntil ? el("p", {class: "detail"}, `${t("validUntil")}: ${line.validUntil.slice(0, 10)}`) : null,
      line.problems.length ? el("ul", {class: "detail"}, line.problems.map((p) => el("li", {}, problemText(p)))) : null));
  }
  return [el(`h${level}`, {}, t("credentialsHeading")), items.length ? list : el("p", {}, t("noCredentials"))];
}

function renderMatch(match, level = 3, suffix = "") {
  if (!match) return [];
  if (match.available === false) return [el(`h${level}`, {}, t("matchHeading")), el("p", {}, `${t("unavailable")}: ${match.reason}`)];
  const steps = Object.fromEntries((match.learningPath || []).map((step) => [step.requirementId, step]));
  const reason = (item) => (item.reasonCode && (T[lang].reasons[item.reasonCode]
    || T[lang].reasons[PROBLEM_ALIASES[item.reasonCode] || item.reasonCode])) || item.reason;
  const step = (item) => {
    const found = steps[item.requirementId];
    if (!found || !found.text) return null;
    const extra = [found.provider, found.hours ? `${found.hours} ${t("hours")}` : null].filter(Boolean).join(", ");
    return el("p", {class: "detail"}, `${t("learningStep")}: ${text(found.text)}${extra ? ` (${extra})` : ""}`);
  };
  const column = (status, items) => el("section", {"aria-labelledby": `match-${status}${suffix}`},
    el(`h${level + 1}`, {id: `match-${status}${suffix}`}, badge(status, t(status)), `(${items.length})`),
    items.length ? el("ul", {class: "items"}, items.map((item) => el("li", {},
      el("strong", {}, text(item.name)), item.required ? ` — ${t("requiredMark")}` : "",
      status !== "demonstrated" && reason(item) ? el("p", {class: "detail"}, reason(item)) : null,
      status !== "demonstrated" ? step(item) : null,
      (item.evidence || []).filter((e) => !e.problem && !e.selfAsserted).map((e) =>
        el("p", {class: "detail"}, `${t("issuedBy")}: ${text(e.issuerName) || e.issuer}`)))))
      : el("p", {}, t("nothing")));
  const job = match.jobProfile || {};
  return [el("section", {"aria-labelledby": `match-heading${suffix}`},
    el(`h${level}`, {id: `match-heading${suffix}`}, `${t("matchHeading")}: ${text(job.name)}`),
    match.basis === "credentials" ? el("p", {class: "detail"}, t("matchLoose")) : null,
    el("div", {class: "match-grid"},
      column("demonstrated", match.demonstrated || []), column("claimed", match.claimed || []),
      column("missing", match.missing || [])))];
}

const PROBLEM_ALIASES = {SIGNATURE_INVALID: "PROOF_INVALID", PROOF_MALFORMED: "PROOF_INVALID", DID_INVALID: "PROOF_INVALID",
  PROOF_KEY_NOT_AUTHORIZED: "PROOF_INVALID", STATUS_LIST_INVALID: "STATUS_UNKNOWN", STRUCTURE_INVALID: "SCHEMA_INVALID"};

function problemText(problem) {  // in the page's language when the code is a common one
  return t("problems")[PROBLEM_ALIASES[problem.code] || problem.code] || problem.message;
}

function verdict(summary) {  // one document in one sentence; self-asserted is never "verified"
  if (summary.kind === "presentation") return t("verdict")[summary.verified ? "presentationOk" : "presentationBad"];
  const line = summary.credentials[0] || {};
  return t("verdict")[line.outcome === "verified" || line.outcome === "self_asserted" ? line.outcome : "failed"];
}

function renderDocument(doc, level) {
  const summary = doc.summary;
  const line = summary.kind === "presentation" ? null : summary.credentials[0] || {};
  const outcome = line ? line.outcome : (summary.verified ? "verified" : "invalid");
  const title = line ? (line.type === "PersoonlijkProfielCredential" ? t("profileTitle") : text(line.title) || line.type)
    : t("presentationTitle");
  const heading = `doc-${doc.index}-heading`;
  const parts = [el(`h${level}`, {id: heading}, fmt(t("documentTitle"), {i: doc.index + 1, title})),
    el("p", {class: "verdict"}, badge(outcome, T[lang].outcome[outcome] || outcome), verdict(summary))];
  if (line) {
    const role = line.role ? ` (${T[lang].roles[line.role] || line.role})` : "";
    if (outcome !== "invalid" && outcome !== "self_asserted") {  // a forged document's claims are not shown as facts
      parts.push(el("p", {class: "detail"}, `${t("issuedBy")}: ${text(line.issuer) || line.issuerDid}${role}`));
      if (line.validUntil) parts.push(el("p", {class: "detail"}, `${t("validUntil")}: ${line.validUntil.slice(0, 10)}`));
    }
    if (line.problems.length) parts.push(el("ul", {class: "detail"}, line.problems.map((p) => el("li", {}, problemText(p)))));
  } else {
    if (doc.binding === "none") parts.push(el("p", {class: "banner warn"}, t("unbound")));
    if (doc.binding === "challenge") parts.push(el("p", {class: "detail"}, t("bound")));
    parts.push(...renderPerson(summary.person, level + 1, `-d${doc.index}`), ...renderCredentials(summary.credentials, level + 1));
  }
  return el("li", {}, el("article", {"aria-labelledby": heading, class: `document ${outcome}`}, parts));
}

function renderMany(result) {
  const docs = result.documents;
  const bad = docs.filter((doc) => !doc.verified).length;
  const parts = [el("div", {class: `banner ${bad ? "bad" : "ok"}`}, bad
    ? fmt(t("manyNotAllGood"), {n: docs.length, bad, verb: bad === 1 ? t("verbOne") : t("verbMany")})
    : fmt(t("manyAllGood"), {n: docs.length}))];
  if (docs.some((doc) => doc.summary.kind === "credential")) parts.push(el("div", {class: "banner warn"}, t("paper")));
  result.subjects.forEach((subject, number) => {
    const suffix = `-s${number}`;
    const name = (subject.person && subject.person.name) || subject.subject || t("someone");
    parts.push(el("section", {class: "subject", "aria-labelledby": `subject${suffix}`},
      el("h3", {id: `subject${suffix}`}, fmt(t("subjectHeading"), {name})),
      renderPerson(subject.person, 4, suffix),
      el("h4", {}, fmt(t("documentsHeading"), {n: subject.documents.length})),
      el("ol", {class: "items documents"}, subject.documents.map((index) => renderDocument(docs[index], 5))),
      renderMatch(subject.match, 4, suffix)));
  });
  return parts;
}

function render(result, moveFocus = true) {
  lastResult = result;
  const body = $("result-body");
  const parts = [];
  if (result.problem) {
    parts.push(...renderProblem(result.problem));
  } else if (result.documents && result.documents.length > 1) {
    parts.push(...renderMany(result));
  } else {
    const summary = result.summary;
    parts.push(el("div", {class: `banner ${summary.verified ? "ok" : "bad"}`}, summary.verified ? t("allGood") : t("notAllGood")));
    if (result.binding === "none") parts.push(el("div", {class: "banner warn"}, t("unbound")));
    if (summary.kind === "credential") parts.push(el("div", {class: "banner warn"}, t("paper")));
    if (result.binding === "challenge") parts.push(el("p", {class: "detail"}, t("bound")));
    if (summary.presentationProblems && summary.presentationProblems.length) {
      parts.push(el("h3", {}, t("presentationProblems")),
                 el("ul", {}, summary.presentationProblems.map((p) => el("li", {}, p.message))));
    }
    parts.push(...renderPerson(summary.person), ...renderCredentials(summary.credentials), ...renderMatch(result.match));
  }
  body.replaceChildren(...parts);
  if (moveFocus) $("result").focus();
}

async function inspect(formData) {
  const job = $("job").value;
  if (job) formData.append("jobProfile", job);
  $("result-body").replaceChildren(el("p", {}, t("checking")));
  try {
    const response = await fetch("/inspect", {method: "POST", body: formData});
    const body = await response.json();
    render(response.ok ? body : {problem: body});
  } catch (error) {
    render({problem: {detail: String(error)}});
  }
}

function wireForm(formId, build) {
  $(formId).addEventListener("submit", (event) => {
    event.preventDefault();
    const data = build();
    if (!data) { render({problem: {detail: t("chooseFirst")}}); return; }
    inspect(data);
  });
}

function fileData(inputId) {
  const input = $(inputId);
  if (!input.files.length) return null;
  const data = new FormData();
  for (const file of input.files) data.append("file", file);  // the photo field takes several pages
  return data;
}

async function createRequest() {
  const job = $("job").value;
  const response = await fetch("/challenges", {method: "POST", headers: {"Content-Type": "application/json"},
                                               body: JSON.stringify(job ? {jobProfile: job} : {})});
  const body = await response.json();
  if (!response.ok) { render({problem: body}); return; }
  $("request-box").hidden = false;
  if (body.qr) $("request-qr").src = body.qr.png;
  $("request-command").value = `passport respond '${body.requestUrl}'`;
  $("request-status").textContent = t("waiting");
  clearInterval(pollTimer);
  // The read token stays in this page: the QR code and the command hold only the challenge.
  pollTimer = setInterval(() => poll(body.statusUrl, body.readToken), 2000);
}

async function poll(statusUrl, readToken) {
  const response = await fetch(statusUrl, {headers: {Authorization: `Bearer ${readToken}`}});
  const body = await response.json();
  if (body.status === "answered" && body.answer) {
    clearInterval(pollTimer);
    $("request-status").textContent = t("answered");
    render(body.answer);
  } else if (body.status !== "pending" || !response.ok) {
    clearInterval(pollTimer);
    $("request-status").textContent = t("requestExpired");
  }
}

async function uploadJob() {
  const input = $("job-file");
  if (!input.files.length) return;
  const response = await fetch("/job-profiles", {method: "POST", headers: {"Content-Type": "application/json"},
                                                 body: await input.files[0].text()});
  const body = await response.json();
  if (!response.ok) { render({problem: body}); return; }
  await loadJobs();
  $("job").value = body.id;
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang));
  }
  wireForm("form-file", () => fileData("file"));
  wireForm("form-photo", () => fileData("photo"));
  wireForm("form-text", () => {
    const value = $("qrtext").value.trim();
    if (!value) return null;
    const data = new FormData();
    data.append("text", value);
    return data;
  });
  $("request").addEventListener("click", createRequest);
  $("job-upload").addEventListener("click", uploadJob);
  setLanguage(lang);
});
