// A little help on top of plain forms; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Delen: ticking a block ticks its entries, except the sensitive ones (those stay a choice of their own).
  document.querySelectorAll("[data-block-toggle]").forEach(function (toggle) {
    toggle.addEventListener("change", function () {
      var block = toggle.closest("fieldset");
      block.querySelectorAll("input[name=entry]:not([data-sensitive])").forEach(function (entry) {
        entry.checked = toggle.checked;
      });
    });
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
