// The recruiter's page, the result: what /inspect (or the answer to a request) found, shortest first:
// the verdict, then what is demonstrated for the job, then the details folded (printed unfolded).
// Uses the words and helpers of verifier.js (loaded first; classic scripts share their globals).
"use strict";

const fmt = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));

function badge(kind, label) { return el("span", {class: `badge ${kind}`}, label); }

function problemText(problem) {  // the sentence for the code in the page's language, never the message
  const found = W.problem || {};
  return found[problem.code] || found.PASSPORT_ERROR || problem.code || "";
}

function renderProblem(problem) {  // a refusal by the service ({code, ...}) or the page's own words ({pageKey})
  const said = problem.pageKey ? t(problem.pageKey) : problemText(problem);
  return [el("div", {class: "banner bad", role: "alert"}, `${t("failedTitle")}: ${said}`),
          problem.code ? el("p", {class: "detail"}, `${t("codeLabel")}: ${problem.code}`) : null];
}

function category(outcome) {  // as passport.verification.report.category: anything unknown to the page counts as failed
  return ["verified", "self_asserted", "status_unknown"].includes(outcome) ? outcome : "failed";
}

function verdictOf(summary) {  // all_verified, unsettled or not_verified
  if (summary.verdict in VERDICT_CSS) return summary.verdict;
  return summary.verified === true ? "all_verified" : "not_verified";
}

function renderCounts(lines) {  // how many credentials fall in each category, with the terms' words
  const counts = Object.fromEntries(CATEGORIES.map((name) => [name, 0]));
  for (const line of lines) counts[line.category in counts ? line.category : category(line.outcome)] += 1;
  return el("p", {class: "detail counts"}, CATEGORIES.map((name) => `${w("category", name)}: ${counts[name]}`).join(" · "));
}

function renderPerson(person, level = 3, suffix = "") {
  if (!person) return [];
  const rows = el("dl", {}, el("dt", {}, t("name")), el("dd", {}, person.name || "—"),
                  el("dt", {}, w("word", "did")), el("dd", {class: "detail"}, person.did || "—"));
  const blocks = [];
  for (const [key, entries] of Object.entries(person.blocks || {})) {
    if (!entries.length) continue;
    blocks.push(el(`h${level + 1}`, {}, w("block", key)),
                el("ul", {}, entries.map((entry) => el("li", {}, badge("self_asserted", w("outcome", "self_asserted")), text(entry.name)))));
  }
  return [el("section", {class: "person", "aria-labelledby": `person-heading${suffix}`},
    el(`h${level}`, {id: `person-heading${suffix}`}, t("personHeading"), " ", badge("self_asserted", t("selfAssertedNote"))),
    person.signatureOk === false ? el("p", {class: "banner bad"}, t("signatureBad")) : null,
    rows,
    blocks.length ? el(`h${level}`, {}, t("blocksHeading")) : null, blocks)];
}

function issuerLine(line) {
  const role = line.role ? ` (${w("role", line.role)})` : "";
  return el("p", {class: "detail"}, `${w("word", "issued_by")}: ${text(line.issuer) || line.issuerDid}${role}`);
}

function shownAsFact(line) {  // a forged document's claims (issuer, dates) are not shown as facts
  return line.outcome !== "invalid" && line.outcome !== "self_asserted";
}

function renderCredentials(lines, level = 3) {
  const items = lines.filter((line) => line.type !== "PersoonlijkProfielCredential");
  const list = el("ul", {class: "items"});
  for (const line of items) {
    list.append(el("li", {class: `credential ${line.outcome}`},
      el("div", {}, badge(line.outcome, w("outcome", line.outcome)), el("strong", {}, text(line.title) || w("kind", line.type))),
      shownAsFact(line) ? issuerLine(line) : null,
      shownAsFact(line) && line.validUntil ? el("p", {class: "detail"}, `${w("word", "valid_until")}: ${line.validUntil.slice(0, 10)}`) : null,
      line.problems.length ? el("ul", {class: "detail"}, line.problems.map((p) => el("li", {}, problemText(p)))) : null));
  }
  return [el(`h${level}`, {}, w("word", "endorsements")), items.length ? list : el("p", {}, t("noCredentials"))];
}

function reasonText(item) {  // why a requirement is not demonstrated, from its code
  if (!item.reasonCode) return "";
  return (W.reason || {})[item.reasonCode] || problemText({code: item.reasonCode});
}

function renderMatch(match, level = 3, suffix = "") {
  if (!match) return [];
  if (match.available === false) return [el(`h${level}`, {}, t("matchHeading")), el("p", {}, t("unavailable"))];
  const steps = Object.fromEntries((match.learningPath || []).map((step) => [step.requirementId, step]));
  const step = (item) => {
    const found = steps[item.requirementId];
    if (!found || !found.text) return null;
    const extra = [found.provider, found.hours ? `${found.hours} ${t("hours")}` : null].filter(Boolean).join(", ");
    return el("p", {class: "detail"}, `${t("learningStep")}: ${text(found.text)}${extra ? ` (${extra})` : ""}`);
  };
  const column = (status, items) => el("section", {"aria-labelledby": `match-${status}${suffix}`},
    el(`h${level + 1}`, {id: `match-${status}${suffix}`}, badge(status, w("match", status)),
       status === "missing" ? `${t("missingPath")} ` : "", `(${items.length})`),
    items.length ? el("ul", {class: "items"}, items.map((item) => el("li", {},
      el("strong", {}, text(item.name)), item.required ? ` — ${w("match", "required")}` : "",
      status !== "demonstrated" && item.reasonCode !== "NOT_FOUND" && reasonText(item)  // "missing" says that already
        ? el("p", {class: "detail"}, reasonText(item)) : null,
      status !== "demonstrated" ? step(item) : null,
      (item.evidence || []).filter((e) => !e.problem && !e.selfAsserted).map((e) =>
        el("p", {class: "detail"}, `${w("word", "issued_by")}: ${text(e.issuerName) || e.issuer}`)))))
      : el("p", {}, t("nothing")));
  const job = match.jobProfile || {};
  return [el("section", {"aria-labelledby": `match-heading${suffix}`},
    el(`h${level}`, {id: `match-heading${suffix}`}, `${t("matchHeading")}: ${text(job.name)}`),
    match.basis === "credentials" ? el("p", {class: "detail"}, t("matchLoose")) : null,
    el("div", {class: "match-grid"},
      column("demonstrated", match.demonstrated || []), column("claimed", match.claimed || []),
      column("missing", match.missing || [])))];
}

function verdictLine(summary, line) {  // one document in one sentence; self-asserted is never "verified"
  if (!line) {
    const said = verdictOf(summary);
    return w("verdict", said === "unsettled" ? said : said === "all_verified" ? "presentation_verified"
      : "presentation_not_verified");
  }
  return w("verdict", line.category || category(line.outcome));
}

function renderDocument(doc, level) {
  const summary = doc.summary;
  const line = summary.kind === "presentation" ? null : summary.credentials[0] || {};
  const outcome = line ? line.outcome
    : {all_verified: "verified", unsettled: "status_unknown", not_verified: "invalid"}[verdictOf(summary)];
  const title = line ? (line.type === "PersoonlijkProfielCredential" ? w("kind", line.type) : text(line.title) || w("kind", line.type))
    : w("kind", "VerifiablePresentation");
  const heading = `doc-${doc.index}-heading`;
  const parts = [el(`h${level}`, {id: heading}, fmt(t("documentTitle"), {i: doc.index + 1, title})),
    el("p", {class: "verdict"}, badge(outcome, w("outcome", outcome)), verdictLine(summary, line))];
  if (line) {
    if (shownAsFact(line)) {
      parts.push(issuerLine(line));
      if (line.validUntil) parts.push(el("p", {class: "detail"}, `${w("word", "valid_until")}: ${line.validUntil.slice(0, 10)}`));
    }
    if (line.problems.length) parts.push(el("ul", {class: "detail"}, line.problems.map((p) => el("li", {}, problemText(p)))));
  } else {
    if (doc.binding === "none") parts.push(el("p", {class: "banner warn"}, t("unbound")));
    if (doc.binding === "challenge") parts.push(el("p", {class: "detail"}, t("bound")));
    parts.push(...renderPresentationProblems(summary, level + 1));
    parts.push(...renderPerson(summary.person, level + 1, `-d${doc.index}`), ...renderCredentials(summary.credentials, level + 1));
  }
  return el("li", {}, el("article", {"aria-labelledby": heading, class: `document ${outcome}`}, parts));
}

function renderPresentationProblems(summary, level = 3) {
  const problems = summary.presentationProblems || [];
  if (!problems.length) return [];
  return [el(`h${level}`, {}, t("presentationProblems")), el("ul", {}, problems.map((p) => el("li", {}, problemText(p))))];
}

function folded(details) {  // "All details": closed on the screen, opened for printing (below)
  const shown = details.filter(Boolean);
  return shown.length ? el("details", {class: "more"}, el("summary", {}, t("moreSummary")), ...shown) : null;
}

function statusChecked(report) {  // whether a status check ran (not skipped) in a report or one inside it
  if (!report) return false;
  return (report.checks || []).some((check) => check.name === "status" && check.status !== "skipped")
    || (report.credentials || []).some(statusChecked);
}

function ageText(seconds) {
  const minutes = Math.max(0, Math.round(seconds / 60));
  if (minutes < 120) return fmt(t("ageMinutes"), {n: minutes});
  const hours = Math.round(minutes / 60);
  return hours < 48 ? fmt(t("ageHours"), {n: hours}) : fmt(t("ageDays"), {n: Math.round(hours / 24)});
}

function renderOffline(result) {  // how old the stored status information is, when a status came from it
  const bundle = (result.sources || {}).offlineBundle;
  const reports = result.documents ? result.documents.map((doc) => doc.report) : [result.report];
  if (!bundle || !bundle.used || !bundle.created || bundle.ageSeconds == null || !reports.some(statusChecked)) return [];
  const date = bundle.created.slice(0, 16).replace("T", " ");
  return [el("p", {class: "detail offline"}, fmt(t("offlineStatus"), {date, age: ageText(bundle.ageSeconds)}))];
}

function renderFailures(lines, level = 3) {  // the credentials that did not verify, each with its first reason
  const failed = lines.filter((line) => !["verified", "self_asserted"].includes(line.outcome));
  if (!failed.length) return [];
  return [el(`h${level}`, {}, t("failuresHeading")), el("ul", {class: "items"}, failed.map((line) =>
    el("li", {class: `credential ${line.outcome}`}, badge(line.outcome, w("outcome", line.outcome)),
      el("strong", {}, text(line.title) || w("kind", line.type)),
      line.problems.length ? el("p", {class: "detail"}, problemText(line.problems[0])) : null)))];
}

function renderMany(result) {  // several documents (the codes of a printed page): per person, failures first
  const docs = result.documents;
  const verdicts = docs.map((doc) => verdictOf(doc.summary));
  const bad = verdicts.filter((said) => said === "not_verified").length;
  const unknown = verdicts.filter((said) => said === "unsettled").length;
  let banner;
  if (bad) {
    banner = el("div", {class: "banner bad"}, fmt(t("manyNotAllGood"), {n: docs.length, bad, verb: bad === 1 ? t("verbOne") : t("verbMany")}));
  } else if (unknown) {
    banner = el("div", {class: "banner unknown"}, fmt(t("manyUnsettled"), {n: docs.length, unknown}));
  } else {
    banner = el("div", {class: "banner ok"}, fmt(t("manyAllGood"), {n: docs.length}));
  }
  const parts = [banner, renderCounts(docs.flatMap((doc) => doc.summary.credentials || []))];
  if (docs.some((doc) => doc.summary.kind === "credential")) parts.push(el("div", {class: "banner warn"}, t("paper")));
  parts.push(...renderOffline(result));
  result.subjects.forEach((subject, number) => {
    const suffix = `-s${number}`;
    const name = (subject.person && subject.person.name) || t("someone");
    const wrong = subject.documents.filter((index) => verdictOf(docs[index].summary) !== "all_verified");
    const right = subject.documents.filter((index) => !wrong.includes(index));
    parts.push(el("section", {class: "subject", "aria-labelledby": `subject${suffix}`},
      el("h3", {id: `subject${suffix}`}, fmt(t("subjectHeading"), {name})),
      !(subject.person && subject.person.name) && subject.subject
        ? el("p", {class: "detail"}, `${w("word", "did")}: ${subject.subject}`) : null,
      renderMatch(subject.match, 4, suffix),
      wrong.length ? [el("h4", {}, fmt(t("wrongDocuments"), {n: wrong.length})),
                      el("ol", {class: "items documents"}, wrong.map((index) => renderDocument(docs[index], 5)))] : null,
      folded([...renderPerson(subject.person, 4, suffix),
              right.length ? el("h4", {}, fmt(t("rightDocuments"), {n: right.length})) : null,
              right.length ? el("ol", {class: "items documents"}, right.map((index) => renderDocument(docs[index], 5))) : null])));
  });
  return parts;
}

function renderOne(result) {  // one document: the verdict, what it shows for the job, the rest folded
  const summary = result.summary;
  const said = verdictOf(summary);
  const credentials = summary.credentials || [];
  const parts = [el("div", {class: `banner ${VERDICT_CSS[said]}`}, w("verdict", said))];
  if (summary.kind === "presentation") parts.push(renderCounts(credentials));
  if (result.binding === "none") parts.push(el("div", {class: "banner warn"}, t("unbound")));
  if (summary.kind === "credential") parts.push(el("div", {class: "banner warn"}, t("paper")));
  if (result.binding === "challenge") parts.push(el("p", {class: "detail"}, t("bound")));
  parts.push(...renderOffline(result), ...renderPresentationProblems(summary));
  const details = [];
  if (result.match) {
    parts.push(...renderFailures(credentials), ...renderMatch(result.match));
    details.push(...renderPerson(summary.person), ...renderCredentials(credentials));
  } else {
    parts.push(...renderCredentials(credentials));
    details.push(...renderPerson(summary.person));
  }
  parts.push(folded(details));
  return parts;
}

function render(result, moveFocus = true) {
  // The same result again (another language): folds the reader opened stay open.
  const opened = result === lastResult
    ? [...$("result-body").querySelectorAll("details")].map((details) => details.open) : [];
  lastResult = result;
  const parts = result.problem ? renderProblem(result.problem)
    : result.documents && result.documents.length > 1 ? renderMany(result) : renderOne(result);
  $("result-body").replaceChildren(...parts.filter(Boolean));
  $("result-body").querySelectorAll("details").forEach((details, index) => { if (opened[index]) details.open = true; });
  $("print").hidden = Boolean(result.problem);
  if (moveFocus) $("result").focus();
}

// Printing unfolds the details in every browser (verifier.css does it where ::details-content is
// known); the folds opened for the print close again after it, those the reader opened stay open.
let openedForPrint = [];
window.addEventListener("beforeprint", () => {
  openedForPrint = [...document.querySelectorAll("#result-body details:not([open])")];
  openedForPrint.forEach((details) => { details.open = true; });
});
window.addEventListener("afterprint", () => {
  openedForPrint.forEach((details) => { details.open = false; });
  openedForPrint = [];
});
