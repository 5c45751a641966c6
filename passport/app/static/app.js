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
});
