// The recruiter's page, the camera: frames go to the service's /scan, which reads the QR codes in
// them (decision 0215: on the server, as photos are); this file collects what it finds over many
// frames. A whole code is a document at once; the parts of a series (a document over several
// codes) are gathered until every part is in, with "2 of 3 parts read" on the way. Each complete
// document is checked at once, together with those read before (/inspect, field qr), so the
// result grows as the recruiter scans code after code. Uses verifier.js's words and helpers.
"use strict";

const CAMERA = {
  everyMs: 500,  // at most two frames a second, one in flight
  longSide: 1280,  // frames are scaled down before they are sent (the service refuses over 4K)
  maxDocuments: 24, maxTexts: 64,  // as /inspect checks at once
};

const camera = {stream: null, timer: null, busy: false, said: null,  // said: {key, vars, problem} on the line
                documents: [],  // each complete document: the QR texts that make it (one, or every part)
                seen: new Set(),  // whole texts and series tags already complete
                series: null};  // the series being gathered: {tag, total, parts: Map index -> text}

function cameraSay(key, vars = {}, problem = null) {  // what the status line says (null: nothing)
  camera.said = key ? {key, vars, problem} : null;
  cameraSayAgain();
}

function cameraSayAgain() {  // in the page's language (setLanguage calls this); changes only when the
  const said = camera.said;  // text does, so screen readers hear it once
  const text = !said ? "" : said.problem ? `${t(said.key)} ${problemText(said.problem)}` : fmt(t(said.key), said.vars);
  if ($("camera-status").textContent !== text) $("camera-status").textContent = text;
}

function cameraProgress() {
  const bar = $("camera-progress");
  const series = camera.series;
  bar.hidden = !series;
  if (series) { bar.max = series.total; bar.value = series.parts.size; }
  $("camera-reset").hidden = !series && !camera.documents.length;
}

function cameraOff() {
  clearInterval(camera.timer);
  camera.timer = null;
  if (camera.stream) camera.stream.getTracks().forEach((track) => track.stop());
  camera.stream = null;
  $("camera-video").hidden = true;
  $("camera-stop").hidden = true;
  $("camera-start").hidden = false;
}

function cameraReset() {
  camera.documents = [];
  camera.seen = new Set();
  camera.series = null;
  cameraProgress();
  cameraSay(camera.stream ? "cameraLooking" : null);
}

function cameraComplete(texts) {  // a whole document is in: check it with all read before
  if (camera.documents.length >= CAMERA.maxDocuments
      || camera.documents.flat().length + texts.length > CAMERA.maxTexts) {
    cameraOff();
    cameraSay("cameraFull", {n: camera.documents.length});
    return;
  }
  camera.documents.push(texts);
  cameraSay("cameraRead", {n: camera.documents.length});
  const data = new FormData();
  for (const qrText of camera.documents.flat()) data.append("qr", qrText);
  inspect(data, false);
}

function cameraFound(codes, others) {
  let news = false;
  for (const code of codes) {
    if (!code.part) {
      if (!camera.seen.has(code.text)) { camera.seen.add(code.text); cameraComplete([code.text]); news = true; }
      continue;
    }
    const {series: tag, index, total} = code.part;
    if (camera.seen.has(tag)) continue;  // a part of a document read already
    if (!camera.series) camera.series = {tag, total, parts: new Map()};
    if (camera.series.tag !== tag) {
      cameraSay("cameraOtherSet", {have: camera.series.parts.size, total: camera.series.total});
      news = true;
      continue;
    }
    camera.series.parts.set(index, code.text);
    news = true;
    if (camera.series.parts.size === total) {
      const texts = [...camera.series.parts.keys()].sort((a, b) => a - b).map((i) => camera.series.parts.get(i));
      camera.seen.add(tag);
      camera.series = null;
      cameraComplete(texts);
    } else {
      cameraSay("cameraParts", {have: camera.series.parts.size, total});
    }
  }
  if (!news && !codes.length && others) cameraSay("cameraNotOurs");
  cameraProgress();
}

async function cameraLook(canvas) {
  const video = $("camera-video");
  if (camera.busy || !camera.stream || !video.videoWidth) return;
  camera.busy = true;
  const scale = Math.min(1, CAMERA.longSide / Math.max(video.videoWidth, video.videoHeight));
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
  try {
    if (!blob) return;
    const data = new FormData();
    data.append("frame", blob, "frame.jpg");
    const response = await fetch("/scan", {method: "POST", body: data});
    if (response.status === 429) return;  // the service is busy: the next frame tries again
    const body = await response.json();
    if (!camera.stream) return;  // turned off meanwhile
    if (!response.ok) { cameraSay("cameraProblem", {}, body); return; }
    cameraFound(body.codes || [], body.others || 0);
  } catch (error) {
    cameraSay("networkError");
  } finally {
    camera.busy = false;
  }
}

async function cameraStart() {
  const canvas = document.createElement("canvas");
  try {
    camera.stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
  } catch (error) {
    cameraSay("cameraNone");
    return;
  }
  const video = $("camera-video");
  video.srcObject = camera.stream;
  video.hidden = false;
  $("camera-start").hidden = true;
  $("camera-stop").hidden = false;
  $("camera-stop").focus();
  await video.play().catch(() => {});
  cameraSay(camera.series ? "cameraParts" : "cameraLooking",
            camera.series ? {have: camera.series.parts.size, total: camera.series.total} : {});
  camera.timer = setInterval(() => cameraLook(canvas), CAMERA.everyMs);
}

document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;  // photo upload stays
  $("camera-way").hidden = false;
  $("camera-start").addEventListener("click", cameraStart);
  $("camera-stop").addEventListener("click", () => { cameraOff(); cameraSay(null); $("camera-start").focus(); });
  $("camera-reset").addEventListener("click", cameraReset);
});
