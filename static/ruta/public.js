// Public pages (finder, service pages): quick exit, "use my location", small htmx niceties.
// Every page works without this file: the quick exit is then a plain link, the typed place
// replaces geolocation. No inline scripts (CSP), no storage, no tracking.
(function () {
  "use strict";

  var NEUTRAL_URL = "https://www.google.com/search?q=clima";
  var exiting = false;

  function exitUrl() {
    var link = document.querySelector("[data-quick-exit]");
    return link ? link.href : NEUTRAL_URL;
  }

  // Blank the page first, then replace it: location.replace leaves no history entry, so
  // "Back" does not return here.
  function quickExit(url) {
    if (exiting) { return; }
    exiting = true;
    try { window.sessionStorage.removeItem("htmx-history-cache"); } catch (e) { /* blocked */ }
    document.title = "";
    if (document.body) { document.body.replaceChildren(); }
    window.location.replace(url || NEUTRAL_URL);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest("[data-quick-exit]") : null;
    if (!link) { return; }
    event.preventDefault();
    quickExit(link.href);
  });

  // Escape twice within a second also leaves.
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { quickExit(exitUrl()); }
    lastEscape = now;
  });

  function setupNearMe() {
    var button = document.querySelector("[data-near-me]");
    if (!button || !button.form || !("geolocation" in navigator) || !window.isSecureContext) {
      return;
    }
    var form = button.form;
    var place = form.querySelector("[data-place-input]");
    var lat = form.elements.namedItem("lat");
    var lon = form.elements.namedItem("lon");
    var status = form.querySelector("[data-near-status]");
    if (!lat || !lon || !status) { return; }
    button.hidden = false;
    // A typed place replaces a position found earlier.
    if (place) { place.addEventListener("input", function () { lat.value = ""; lon.value = ""; }); }
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-locating");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        // Two decimals (about 1 km): enough to sort by distance, not enough to find a home.
        lat.value = position.coords.latitude.toFixed(2);
        lon.value = position.coords.longitude.toFixed(2);
        if (place) { place.value = ""; }
        button.disabled = false;
        status.textContent = "";
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }, function () {
        button.disabled = false;
        status.textContent = button.getAttribute("data-denied");
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-esc-hint]").forEach(function (hint) { hint.hidden = false; });
    setupNearMe();
    // Filters fold away on a phone (no JavaScript needed); on a wide screen, open them.
    if (window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
    }
  });

  // Leave empty fields out of the address htmx requests and shows.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    if (!params || typeof params.forEach !== "function" || typeof params.delete !== "function") {
      return;
    }
    var empty = [];
    params.forEach(function (value, key) { if (value === "") { empty.push(key); } });
    empty.forEach(function (key) { params.delete(key); });
  });

  // After htmx changes the address, the language switcher returns to the new one.
  function followAddress() {
    document.querySelectorAll(".language-switcher input[name=next]").forEach(function (input) {
      input.value = window.location.pathname + window.location.search;
    });
  }
  document.addEventListener("htmx:replacedInHistory", followAddress);
  document.addEventListener("htmx:pushedIntoHistory", followAddress);
})();
