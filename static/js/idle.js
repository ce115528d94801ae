// Signs the browser out after the idle limit so a shared screen stops showing a
// survivor's file. The server enforces the same limit; this just clears the page.
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form) { return; }
  var seconds = parseInt(form.getAttribute("data-idle-seconds"), 10);
  if (!seconds) { return; }
  var timer = null;
  function arm() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { form.submit(); }, seconds * 1000);
  }
  // Requests made by htmx keep the session alive on the server, so they re-arm the timer;
  // a page refreshing itself (data-background-refresh) does not, so it does not either.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.closest && elt.closest("[data-background-refresh]")) { return; }
    arm();
  });
  arm();
})();
