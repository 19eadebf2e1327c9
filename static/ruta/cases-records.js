// Records inside a case: small enhancements only; every page works without them.
(function () {
  "use strict";

  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // After htmx swaps the classifier block, move focus to the new question or result.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var flow = document.getElementById("incident-flow");
    if (!flow || !target) { return; }
    var focus = flow.querySelector("[data-autofocus]");
    if (focus) { focus.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Filter a <select>'s options as one types (the server-side search works without JS).
    document.querySelectorAll("[data-filter-select]").forEach(function (input) {
      var select = document.getElementById(input.getAttribute("data-filter-select"));
      if (!select) { return; }
      input.addEventListener("input", function () {
        var wanted = fold(input.value.trim());
        Array.prototype.forEach.call(select.options, function (option) {
          var keep = !option.value || option.selected || fold(option.text).indexOf(wanted) !== -1;
          option.hidden = !keep;
          option.disabled = !keep;
        });
      });
    });
    // The print button of the discreet safety plan page.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
