// Ruta's own script: small enhancements only; every page works without it.
(function () {
  "use strict";
  // Move focus to an error summary so screen reader and keyboard users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
  // On a phone the main menu folds behind a "Menu" button (it stays open without JS).
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var list = document.getElementById("main-nav-items");
    if (!toggle || !list || !window.matchMedia) { return; }
    var narrow = window.matchMedia("(max-width: 47.99em)");
    function apply() {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.hidden = !narrow.matches;
      list.hidden = narrow.matches && !open;
    }
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      apply();
    });
    if (narrow.addEventListener) { narrow.addEventListener("change", apply); }
    apply();
  });
})();
