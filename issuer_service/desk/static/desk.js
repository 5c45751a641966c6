// The desk's only script: the procedure search narrows the list as you type (without it, all are shown).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input.filter[data-filter]")) {
    const list = document.querySelector(input.dataset.filter);
    if (!list) continue;
    input.addEventListener("input", () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (const item of list.querySelectorAll("[data-text]")) {
        const text = item.dataset.text;
        item.hidden = !words.every((word) => text.includes(word)) && !item.querySelector("input:checked");
      }
    });
  }
});
