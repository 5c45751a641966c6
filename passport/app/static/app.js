// A little help on top of plain forms; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Delen: a block's box (shown only with this script) ticks or unticks its entries, except the
  // sensitive ones, which stay a choice of their own; it shows whether all, some or none are ticked.
  // Only the entries' boxes are sent.
  document.querySelectorAll("[data-block-toggle]").forEach(function (toggle) {
    var block = toggle.closest("fieldset");
    var entries = block.querySelectorAll("input[name=entry]");
    var plain = block.querySelectorAll("input[name=entry]:not([data-sensitive])");
    function sync() {
      var ticked = Array.prototype.filter.call(entries, function (entry) { return entry.checked; }).length;
      toggle.checked = ticked > 0 && ticked === entries.length ||
        (plain.length > 0 && Array.prototype.every.call(plain, function (entry) { return entry.checked; }));
      toggle.indeterminate = ticked > 0 && !toggle.checked;
    }
    toggle.hidden = false;
    toggle.addEventListener("change", function () {
      plain.forEach(function (entry) { entry.checked = toggle.checked; });
      if (!toggle.checked) { entries.forEach(function (entry) { entry.checked = false; }); }
      sync();
    });
    entries.forEach(function (entry) { entry.addEventListener("change", sync); });
    sync();
  });
  // Terugzetten: show the fields of the chosen way (passphrase, or recovery code and a new passphrase).
  document.querySelectorAll("form.restore").forEach(function (form) {
    function show() {
      var chosen = form.querySelector("input[name=with]:checked").value;
      form.querySelectorAll("[data-with]").forEach(function (group) {
        group.hidden = group.getAttribute("data-with") !== chosen;
      });
    }
    form.querySelectorAll("input[name=with]").forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  });
  // Ontvangen and Delen: scan a QR code with the camera. Frames go to the app (/scannen), which
  // reads them (decision 0205); a link found fills the form's link field and sends the form.
  document.querySelectorAll("[data-scan]").forEach(function (box) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.fetch) { return; }
    var form = document.getElementById(box.getAttribute("data-form"));
    var video = box.querySelector("video");
    var status = box.querySelector("[data-scan-status]");
    var start = box.querySelector("[data-scan-start]");
    var stop = box.querySelector("[data-scan-stop]");
    var canvas = document.createElement("canvas");
    var stream = null, timer = null, busy = false;
    function say(key) { status.textContent = status.getAttribute("data-" + key); }
    function off() {
      if (timer) { clearInterval(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
      video.hidden = true; stop.hidden = true; start.hidden = false;
    }
    function found(text) {
      off();
      say("found");
      form.querySelector("[name=link]").value = text;
      form.submit();
    }
    function look() {
      if (busy || !stream || !video.videoWidth) { return; }
      busy = true;
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        if (!blob) { busy = false; return; }
        var data = new FormData();
        data.append("csrf", form.querySelector("[name=csrf]").value);
        data.append("kind", box.getAttribute("data-scan"));
        data.append("frame", blob, "frame.png");
        fetch(box.getAttribute("data-frames"), {method: "POST", body: data, credentials: "same-origin"})
          .then(function (answer) { return answer.json(); })
          .then(function (said) { busy = false; if (said && said.text && stream) { found(said.text); } })
          .catch(function () { busy = false; });
      }, "image/png");
    }
    box.hidden = false;
    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (got) {
        stream = got;
        video.srcObject = got;
        video.hidden = false; stop.hidden = false; start.hidden = true;
        video.play();
        say("looking");
        stop.focus();
        timer = setInterval(look, 500);
      }).catch(function () { say("no-camera"); });
    });
    stop.addEventListener("click", function () { off(); status.textContent = ""; start.focus(); });
  });
});
