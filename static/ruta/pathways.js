// Referral pathway matrix editing: small enhancements on top of htmx; the forms work without it.
(function () {
  "use strict";

  var lastCell = null;

  // The strict CSP blocks inline styles, so htmx must not copy "style" while settling.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  // A refused cell (400) comes back with its message: show it in place of the cell.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("pw-cell")) { return; }
    lastCell = target.id;
    if (event.detail.xhr.status === 400 && /^\s*<td/i.test(event.detail.xhr.responseText)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else if (event.detail.xhr.status === 400) {
      announce(event.detail.xhr.responseText);
    }
  });

  // Keep keyboard focus on the cell that was edited and say what happened.
  document.addEventListener("htmx:afterSettle", function () {
    if (!lastCell) { return; }
    var cell = document.getElementById(lastCell);
    lastCell = null;
    if (!cell) { return; }
    announce(cell.getAttribute("data-announce") || "");
    var focusable = cell.classList.contains("pw-cell-error")
      ? cell.querySelector("select")
      : cell.querySelector("summary");
    if (focusable) { focusable.focus(); }
  });

  function announce(text) {
    var live = document.getElementById("pw-live");
    if (live) { live.textContent = text; }
  }

  // Removing a row deletes its cells: ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
