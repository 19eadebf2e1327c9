// Ruta's own script: small enhancements only; every page works without it.
(function () {
  "use strict";
  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  // A long checkbox list (ui/_field.html with a filter): show its filter field and narrow
  // the list as one types; ticked boxes always stay visible. Without this, every box shows.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-filter-checkboxes]").forEach(function (input) {
      var box = document.getElementById(input.getAttribute("data-filter-checkboxes"));
      if (!box) { return; }
      var holder = input.closest("[data-filter-box]");
      if (holder) { holder.hidden = false; }
      input.addEventListener("input", function () {
        var wanted = fold(input.value.trim());
        box.querySelectorAll("[data-filter-list] > li").forEach(function (item) {
          var checkbox = item.querySelector("input");
          var keep = (checkbox && checkbox.checked) || fold(item.textContent).indexOf(wanted) !== -1;
          item.hidden = !keep;
        });
      });
    });
  });
  // Move focus to an error summary so screen reader and keyboard users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
  function detailsContentStyled() {
    return window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  }
  function wideScreen() {
    return window.matchMedia && window.matchMedia("(min-width: 48em)").matches;
  }
  // The main menu is a <details>: it works without this script. The script only keeps
  // one group open at a time, closes a group on Escape or a click elsewhere, and opens the
  // menu on a wide screen where CSS cannot (browsers without ::details-content).
  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.querySelector(".nav-menu");
    if (!menu) { return; }
    var drops = Array.prototype.slice.call(menu.querySelectorAll(".nav-drop"));
    drops.forEach(function (drop) {
      drop.addEventListener("toggle", function () {
        if (!drop.open) { return; }
        drops.forEach(function (other) { if (other !== drop) { other.open = false; } });
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      drops.forEach(function (drop) {
        if (drop.open) {
          drop.open = false;
          drop.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      drops.forEach(function (drop) {
        if (drop.open && !drop.contains(event.target)) { drop.open = false; }
      });
    });
    if (!detailsContentStyled() && wideScreen()) { menu.open = true; }
  });
  // A list's filters (details.filter-fold) fold on a phone; on a wide screen, where CSS
  // cannot show them unfolded, the script opens them.
  document.addEventListener("DOMContentLoaded", function () {
    if (detailsContentStyled() || !wideScreen()) { return; }
    document.querySelectorAll("details.filter-fold[data-open-wide]").forEach(function (fold) {
      fold.open = true;
    });
  });
})();
