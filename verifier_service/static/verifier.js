// The recruiter's page: send what the candidate shows to /inspect (or ask by OpenID4VP QR and poll
// /requests/<challenge>), then say in plain Dutch or English what was found (result.js); the
// camera is camera.js. No build step.
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
    requestIntro: "De kandidaat scant de QR-code met een wallet die OpenID4VP kent, zoals de Paspoort-app (Delen, dan Verzoek van een werkgever beantwoorden), of beantwoordt het verzoek op de computer met het commando hieronder. Het resultaat verschijnt hier vanzelf.",
    requestNoWallet: "Geen wallet? Vraag de kandidaat om een paspoortbestand of een geprint paspoort en controleer dat hierboven.",
    requestButton: "Verzoek maken", requestCommandLabel: "Commando voor de kandidaat (kopiëren en sturen)",
    requestQrAlt: "QR-code met het verzoek om het paspoort te delen",
    waiting: "Wachten op het antwoord van de kandidaat…", requestExpired: "Het verzoek is verlopen. Maak een nieuw verzoek.",
    answered: "Antwoord ontvangen.", declined: "De kandidaat heeft het verzoek geweigerd. Er is niets gedeeld.",
    walletError: "De wallet kon het verzoek niet beantwoorden (fout: {code}). Er is niets gedeeld.", resultHeading: "3. Resultaat", resultEmpty: "Nog niets gecontroleerd.",
    checking: "Bezig met controleren…", chooseFirst: "Kies eerst een bestand of plak de tekst.",
    footer: "Zelf opgegeven gegevens zijn niet gecontroleerd. Alleen certificaten met het label \"Geverifieerd\" zijn echt, actueel en afgegeven door een erkende uitgever.",
    unbound: "Let op: dit bestand is niet gemaakt als antwoord op een verzoek van u. Het kan een kopie zijn. Vraag het paspoort bij twijfel op met een QR-code.",
    bound: "Gemaakt als antwoord op uw verzoek.", failedTitle: "Controle mislukt",
    paper: "Let op: losse documenten (van papier of een afbeelding) zijn niet gebonden aan de persoon die ze laat zien; iedereen met een kopie kan ze tonen. Vergelijk de naam met een identiteitsbewijs, of vraag het paspoort op met een QR-code.",
    manyAllGood: "{n} documenten gelezen. Alle controles kloppen.",
    manyNotAllGood: "{n} documenten gelezen. {bad} daarvan {verb} niet: zie hieronder per document.",
    verbOne: "klopt", verbMany: "kloppen",
    subjectHeading: "Documenten over {name}", someone: "een persoon zonder (geldig) profiel in dit paspoort",
    documentsHeading: "Gelezen documenten ({n})", documentTitle: "Document {i}: {title}",
    signatureBad: "De handtekening onder het profiel klopt niet: de tekst kan na het ondertekenen veranderd zijn.",
    matchLoose: "Op basis van alle geverifieerde documenten over deze persoon; zelf opgegeven gegevens tellen niet als aangetoond.",
    personHeading: "Wie de persoon zegt te zijn", selfAssertedNote: "zelf opgegeven, niet gecontroleerd",
    name: "Naam", blocksHeading: "Wat de persoon over zichzelf zegt",
    noCredentials: "Geen certificaten gedeeld.", presentationProblems: "Problemen met de presentatie zelf",
    matchHeading: "Vergelijking met de functie", missingPath: "het leerpad",
    nothing: "Geen.", unavailable: "Vergelijking niet beschikbaar", learningStep: "Leerstap", hours: "uur",
    manyUnsettled: "{n} documenten gelezen. Van {unknown} daarvan kon de status niet worden gecontroleerd; verder klopt alles.",
    noTerms: "De woordenlijst van deze pagina kon niet worden geladen. Vernieuw de pagina.",
    networkError: "De dienst is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.",
    codeLabel: "Code",
    moreSummary: "Alle details", failuresHeading: "Wat niet klopt",
    wrongDocuments: "Documenten die niet kloppen ({n})", rightDocuments: "Documenten die kloppen ({n})",
    offlineStatus: "Of iets is ingetrokken, komt uit opgeslagen statusinformatie van {date} UTC ({age} oud).",
    ageMinutes: "{n} minuten", ageHours: "{n} uur", ageDays: "{n} dagen", print: "Afdrukken",
    cameraHeading: "Scannen met de camera",
    cameraIntro: "Houd de QR-code voor de camera: een geprint paspoort, of de telefoon van de kandidaat. Bestaat een document uit meer QR-codes? Scan ze een voor een. Elk document wordt meteen gecontroleerd.",
    cameraStart: "Camera aanzetten", cameraStop: "Camera uitzetten", cameraReset: "Opnieuw beginnen",
    cameraLooking: "Zoeken naar een QR-code…", cameraParts: "{have} van {total} delen gelezen. Scan de volgende QR-code van dit document.",
    cameraRead: "{n} document(en) gelezen en gecontroleerd. Scan er nog een, of zet de camera uit.",
    cameraOtherSet: "Deze QR-code hoort bij een ander document. Scan eerst de andere delen van dit document ({have} van {total} gelezen), of kies Opnieuw beginnen.",
    cameraNotOurs: "Dit is geen QR-code van een paspoort.", cameraProblem: "Deze QR-code kan niet worden gelezen:",
    cameraNone: "De camera kan niet worden gebruikt. Geef de pagina toestemming, of maak een foto en upload die hieronder.",
    cameraFull: "Er zijn {n} documenten gelezen; meer kan niet tegelijk. Kies Opnieuw beginnen om verder te scannen.",
    cameraProgressLabel: "Delen gelezen",
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
    requestIntro: "The candidate scans the QR code with a wallet that speaks OpenID4VP, such as the Paspoort app (Share, then Answer an employer's request), or answers on their computer with the command below. The result appears here by itself.",
    requestNoWallet: "No wallet? Ask the candidate for a passport file or a printed passport and check it above.",
    requestButton: "Create request", requestCommandLabel: "Command for the candidate (copy and send)",
    requestQrAlt: "QR code with the request to share the passport",
    waiting: "Waiting for the candidate's answer…", requestExpired: "The request has expired. Create a new one.",
    answered: "Answer received.", declined: "The candidate declined the request. Nothing was shared.",
    walletError: "The wallet could not answer the request (error: {code}). Nothing was shared.", resultHeading: "3. Result", resultEmpty: "Nothing checked yet.",
    checking: "Checking…", chooseFirst: "Choose a file or paste the text first.",
    footer: "Self-asserted information is not checked. Only certificates labelled \"Verified\" are genuine, current and issued by a recognised issuer.",
    unbound: "Note: this file was not made in answer to a request from you. It may be a copy. If in doubt, ask for the passport with a QR code.",
    bound: "Made in answer to your request.", failedTitle: "Check failed",
    paper: "Note: loose documents (from paper or an image) are not bound to the person showing them; anyone with a copy can show them. Compare the name with an identity document, or ask for the passport with a QR code.",
    manyAllGood: "{n} documents read. Every check passed.",
    manyNotAllGood: "{n} documents read. {bad} of them {verb} not check out: see each document below.",
    verbOne: "does", verbMany: "do",
    subjectHeading: "Documents about {name}", someone: "a person without a (valid) profile in this passport",
    documentsHeading: "Documents read ({n})", documentTitle: "Document {i}: {title}",
    signatureBad: "The signature under the profile is not valid: the text may have changed after signing.",
    matchLoose: "Based on all verified documents about this person; self-asserted content never counts as demonstrated.",
    personHeading: "Who the person says they are", selfAssertedNote: "self-asserted, not checked",
    name: "Name", blocksHeading: "What the person says about themselves",
    noCredentials: "No certificates shared.", presentationProblems: "Problems with the presentation itself",
    matchHeading: "Comparison with the job", missingPath: "the learning path",
    nothing: "None.", unavailable: "Comparison not available", learningStep: "Learning step", hours: "hours",
    manyUnsettled: "{n} documents read. For {unknown} of them the status could not be checked; everything else checks out.",
    noTerms: "The words of this page could not be loaded. Reload the page.",
    networkError: "The service cannot be reached. Check the connection and try again.",
    codeLabel: "Code",
    moreSummary: "All details", failuresHeading: "What does not check out",
    wrongDocuments: "Documents that do not check out ({n})", rightDocuments: "Documents that check out ({n})",
    offlineStatus: "Whether anything was revoked comes from stored status information of {date} UTC ({age} old).",
    ageMinutes: "{n} minutes", ageHours: "{n} hours", ageDays: "{n} days", print: "Print",
    cameraHeading: "Scan with the camera",
    cameraIntro: "Hold the QR code in front of the camera: a printed passport, or the candidate's phone. Is a document split over several QR codes? Scan them one by one. Every document is checked at once.",
    cameraStart: "Turn the camera on", cameraStop: "Turn the camera off", cameraReset: "Start again",
    cameraLooking: "Looking for a QR code…", cameraParts: "{have} of {total} parts read. Scan the next QR code of this document.",
    cameraRead: "{n} document(s) read and checked. Scan another one, or turn the camera off.",
    cameraOtherSet: "This QR code belongs to another document. First scan the other parts of this document ({have} of {total} read), or choose Start again.",
    cameraNotOurs: "This is not a passport QR code.", cameraProblem: "This QR code cannot be read:",
    cameraNone: "The camera cannot be used. Allow the page to use it, or take a photo and upload it below.",
    cameraFull: "{n} documents have been read; no more fit at once. Choose Start again to scan on.",
    cameraProgressLabel: "Parts read",
  },
};

// The words every surface shares (outcomes, categories, verdicts, check names, problems, reasons,
// document kinds, roles, profile blocks) come from /terms/<lang>.json, the table of
// passport.terms that the CLI, the printed passport and the demo's report speak too; T above
// holds only this page's own layout text. A problem is always shown as the sentence for its
// code, never as the library's English message.
const LANGS = ["nl", "en"];
const CATEGORIES = ["verified", "self_asserted", "status_unknown", "failed"];
const VERDICT_CSS = {all_verified: "ok", unsettled: "unknown", not_verified: "bad"};
const TERMS = {};  // lang -> the table, loaded once per language

let lang = LANGS.includes(localStorage.getItem("paspoort-lang")) ? localStorage.getItem("paspoort-lang") : "nl";
let W = {};  // the table of the page's language
let lastResult = null;
let pollTimer = null;

const $ = (id) => document.getElementById(id);
const t = (key) => T[lang][key] ?? T.nl[key] ?? key;
const w = (section, key) => (W[section] && W[section][key]) ?? key;

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

async function loadTerms(which) {
  if (!TERMS[which]) {
    const response = await fetch(`/terms/${which}.json`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    TERMS[which] = await response.json();
  }
  return TERMS[which];
}

async function setLanguage(next) {
  lang = LANGS.includes(next) ? next : "nl";
  localStorage.setItem("paspoort-lang", lang);
  document.documentElement.lang = lang;
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
  $("request-qr").alt = t("requestQrAlt");
  $("camera-progress").setAttribute("aria-label", t("cameraProgressLabel"));
  loadJobs();
  let words;
  try { words = await loadTerms(lang); } catch (error) { words = null; }
  if (lang !== next) return;  // another language was chosen meanwhile
  W = words || {};
  document.documentElement.dataset.terms = words ? lang : "";  // which table is in use (tests wait for it)
  if (!words) render({problem: {pageKey: "noTerms"}}, false);
  else if (lastResult) render(lastResult, false);
  if (typeof cameraSayAgain === "function") cameraSayAgain();  // camera.js: its status line too
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

async function ready() {  // the words of the page's language, before anything is said with them
  try { W = await loadTerms(lang); } catch (error) { /* the words stay as they are */ }
}

let inspected = 0;  // the latest check asked for: an older answer arriving later is not shown

async function inspect(formData, moveFocus = true) {
  const job = $("job").value;
  if (job) formData.append("jobProfile", job);
  const mine = ++inspected;
  $("result-body").replaceChildren(el("p", {}, t("checking")));
  try {
    const response = await fetch("/inspect", {method: "POST", body: formData});
    const body = await response.json();
    await ready();
    if (mine === inspected) render(response.ok ? body : {problem: body}, moveFocus);
  } catch (error) {
    if (mine === inspected) render({problem: {pageKey: "networkError"}}, moveFocus);
  }
}

function wireForm(formId, build) {
  $(formId).addEventListener("submit", (event) => {
    event.preventDefault();
    const data = build();
    if (!data) { render({problem: {pageKey: "chooseFirst"}}); return; }
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
  // The read token stays in this page: the QR code and the command hold only the openid4vp:// link.
  pollTimer = setInterval(() => poll(body.statusUrl, body.readToken), 2000);
}

async function poll(statusUrl, readToken) {
  const response = await fetch(statusUrl, {headers: {Authorization: `Bearer ${readToken}`}});
  const body = await response.json();
  if (body.status === "answered" && body.answer) {
    clearInterval(pollTimer);
    $("request-status").textContent = t("answered");
    await ready();
    render(body.answer);
  } else if (body.status === "declined" && body.answer) {
    clearInterval(pollTimer);
    $("request-status").textContent = body.answer.declined ? t("declined")
      : fmt(t("walletError"), {code: body.answer.error});
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
    const value = $("qrtext").value;  // untrimmed: a QR part may end with a space, a base45 digit
    if (!value.trim()) return null;
    const data = new FormData();
    data.append("text", value);
    return data;
  });
  $("request").addEventListener("click", createRequest);
  $("job-upload").addEventListener("click", uploadJob);
  $("print").addEventListener("click", () => window.print());
  setLanguage(lang);
});
