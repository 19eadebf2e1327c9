// Ruta's own script: small enhancements only; every page works without it.
(function () {
  "use strict";
  // Move focus to an error summary so screen reader and keyboard users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
