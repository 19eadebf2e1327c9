// The directory editor's small enhancement: "add a row" buttons for phones, opening
// hours and closures. Without JavaScript the form still offers one empty row per list.
(function () {
  "use strict";
  function addRow(button) {
    var prefix = button.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) { return; }
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    if (!row) { return; }
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.ed-add[data-formset]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { addRow(button); });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".ed-nojs"), function (note) {
      note.hidden = true;
    });
  });
})();
