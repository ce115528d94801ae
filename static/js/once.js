// One tap, one record (the browser's half; the server checks the idempotency key).
// A form whose request is in flight takes no second submit: the tap is swallowed and
// the buttons say they are busy. The submitter is not disabled, because a disabled
// button's name and value (action=finish) would be left out of the request.
(function () {
  "use strict";
  var FIELD = "idempotency_key";
  var SAFETY_MS = 30000;

  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }
  function lock(form) {
    form.setAttribute("data-in-flight", "");
    form.setAttribute("aria-busy", "true");
    buttons(form).forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    form._onceTimer = setTimeout(function () { unlock(form); }, SAFETY_MS);
  }
  function unlock(form) {
    clearTimeout(form._onceTimer);
    form.removeAttribute("data-in-flight");
    form.removeAttribute("aria-busy");
    buttons(form).forEach(function (b) { b.removeAttribute("aria-disabled"); });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID().replace(/-/g, ""); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // Capture phase, so a second tap is stopped before htmx or the browser sends it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") { return; }
    if (form.hasAttribute("data-in-flight")) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    // A button that asks first (data-confirm) has already been answered by confirm.js.
    if (event.defaultPrevented) { return; }
    lock(form);
  }, true);

  // A page shown again from the back/forward cache is a fresh start.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-in-flight]").forEach(unlock);
  });

  // htmx keeps the form on the page: unlock it when its answer arrives, and give it a new
  // key, or its next, different submit would be taken for a repeat of this one.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!(form instanceof HTMLFormElement)) { return; }
    var triggered = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (!triggered || triggered.type !== "submit") { return; }
    unlock(form);
    var field = form.querySelector("input[name=" + FIELD + "]");
    if (field && event.detail.successful) { field.value = newKey(); }
  });
  // A save that htmx makes as she types (autosave) is not the form's submit: it must not
  // spend the key that the submit will carry. It names that key as form_key instead, so
  // the server can ignore an autosave that arrives after the submit finished the form.
  document.addEventListener("htmx:configRequest", function (event) {
    var triggered = event.detail.triggeringEvent;
    if (triggered && triggered.type === "submit") { return; }
    var parameters = event.detail.parameters;
    if (parameters[FIELD] !== undefined) {
      parameters.form_key = parameters[FIELD];
      delete parameters[FIELD];
    }
  });
  // Nor is there any point in saving a draft of a form already on its way.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var triggered = event.detail && event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-in-flight") && !(triggered && triggered.type === "submit")) {
      event.preventDefault();
    }
  });
})();
