// "Show name": a survivor's name hidden on a shared screen is shown on this screen only,
// where she pressed, without asking the server (the page's read was already audited).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".reveal-name");
    if (!button) { return; }
    var guard = button.closest(".name-guard");
    guard.classList.add("revealed");
    button.setAttribute("aria-expanded", "true");
  });
})();
