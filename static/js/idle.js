// The idle sign-out, told in advance. A shared screen must stop showing a survivor's file
// after the idle limit (IdleLogoutMiddleware enforces it on the server), but she must not
// be signed out mid-sentence: typing, scrolling and clicking count as activity and are
// told to the server (a keep-alive at most once a minute); two minutes before the limit a
// dialog offers to stay signed in. A page refreshing itself (data-background-refresh)
// does not count, and nor does asking the server how long is left.
// At the limit the page goes to the sign-in page, which says why; what was typed stays,
// encrypted, in this browser (drafts.js) and is offered back after signing in again.
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form) { return; }
  var limit = parseInt(form.getAttribute("data-idle-seconds"), 10) * 1000;
  if (!limit) { return; }
  var WARN_BEFORE_MS = 120000;
  var PING_EVERY_MS = 60000;
  var stateUrl = form.getAttribute("data-session-url");
  var keepaliveUrl = form.getAttribute("data-keepalive-url");
  var loginUrl = form.getAttribute("data-login-url");
  var dialog = document.getElementById("idle-dialog");
  var lastServer = Date.now();   // the last request the server counted as activity
  var lastActivity = lastServer; // the last time she did something here
  var timer = null;
  var pinging = false;

  function csrf() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function warning() { return dialog && dialog.open; }
  function hide() { if (warning()) { dialog.close(); } }
  function show() {
    if (!dialog) { return; }
    if (!dialog.open) { dialog.showModal(); }
  }
  function schedule(at) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, at - Date.now()));
  }
  function seen(at) {
    lastServer = Math.max(lastServer, at);
    hide();
    schedule(lastServer + limit - WARN_BEFORE_MS);
  }
  function signIn(reason) {
    var query = new URLSearchParams({ next: location.pathname + location.search });
    if (reason) { query.set("reason", reason); }
    location.assign(loginUrl + "?" + query.toString());
  }
  // The server's answer: JSON while signed in; HX-Redirect when this very request found the
  // session idle (the middleware signed it out); signed_in false when it had already gone.
  function answer(response) {
    var redirect = response.headers.get("HX-Redirect");
    if (redirect) { location.assign(redirect); return null; }
    if (!response.ok && response.status !== 401) {
      return response.text().then(function () { throw new Error(String(response.status)); });
    }
    return response.json().then(function (data) {
      if (!data.signed_in) { signIn(""); return null; }
      return data;
    });
  }
  function headers(extra) {
    var all = { "HX-Request": "true", "HX-Current-URL": location.href };
    Object.keys(extra).forEach(function (k) { all[k] = extra[k]; });
    return all;
  }
  function ping() {
    if (pinging) { return; }
    pinging = true;
    var sent = Date.now();
    fetch(keepaliveUrl, { method: "POST", credentials: "same-origin", headers: headers({ "X-CSRFToken": csrf() }) })
      .then(answer)
      .then(function (data) { if (data) { seen(sent); } })
      .catch(function () { schedule(Date.now() + PING_EVERY_MS); })  // offline: ask again later
      .then(function () { pinging = false; });
  }
  // At the warning time (and at the limit): has another tab kept the session alive?
  // Otherwise warn, then go. Activity here was told within a minute of it (activity()),
  // so what the server counts is at most a minute older than her last keystroke.
  function check() {
    fetch(stateUrl, { credentials: "same-origin", headers: headers({ "X-Background-Refresh": "1" }) })
      .then(answer)
      .then(function (data) {
        if (!data) { return; }
        var left = data.idle_seconds_left * 1000;
        if (left > WARN_BEFORE_MS + 5000) { seen(Date.now() - (limit - left)); return; }
        show();
        schedule(Date.now() + left + 1000);
      })
      .catch(function () {
        // Offline: the server cannot be asked (nor reached to sign in again); warn by this
        // page's own clock and ask again when the connection is back.
        show();
        window.addEventListener("online", check, { once: true });
      });
  }
  function activity(event) {
    if (!event.isTrusted || warning()) { return; }
    lastActivity = Date.now();
    if (lastActivity - lastServer >= PING_EVERY_MS) { ping(); }
  }
  ["keydown", "input", "pointerdown", "scroll", "wheel", "touchstart"].forEach(function (type) {
    document.addEventListener(type, activity, { capture: true, passive: true });
  });
  if (dialog) {
    dialog.querySelector("[data-idle-stay]").addEventListener("click", function () { lastActivity = Date.now(); ping(); });
    dialog.querySelector("[data-idle-leave]").addEventListener("click", function () { form.requestSubmit(); });
    dialog.addEventListener("cancel", function (event) { event.preventDefault(); lastActivity = Date.now(); ping(); });
  }
  // Requests htmx makes for her (not a page refreshing itself) and the drafts' autosaves
  // were counted by the server as activity.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.closest && elt.closest("[data-background-refresh]")) { return; }
    if (event.detail && event.detail.successful) { seen(Date.now()); }
  });
  document.addEventListener("crisis:activity-seen", function () { seen(Date.now()); });
  seen(lastServer);
})();
