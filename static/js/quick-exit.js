// Quick exit, for a shared computer: the button on every page, or Escape twice within a
// second, puts a neutral site (QUICK_EXIT_URL) in this tab at once. The session stays.
//
// A page cannot delete the tab's earlier history entries, so this does what browsers
// allow: the current entry is first renamed to the site's root (replaceState) and then
// replaced by the neutral site (location.replace), so the page she was on is no longer in
// the tab's history at all; and a mark kept in this tab's sessionStorage makes any page
// of ours that someone reaches by Back (or from the back/forward cache) replace itself
// with the neutral site again before it is shown. Opening the site on purpose (a typed
// address, a bookmark, a link, reload) clears the mark.
//
// Loaded without defer in <head>, so the check runs before anything is painted.
(function () {
  "use strict";
  var MARK = "co-quick-exit";
  var DOUBLE_ESCAPE_MS = 1000;
  var root = document.documentElement;
  var lastEscape = -Infinity;

  function target() {
    var meta = document.querySelector('meta[name="quick-exit"]');
    return meta ? meta.content : "";
  }
  function mark(value) {
    try {
      if (value) { sessionStorage.setItem(MARK, "1"); } else { sessionStorage.removeItem(MARK); }
    } catch (e) { /* storage off: the exit itself still works */ }
  }
  function marked() {
    try { return sessionStorage.getItem(MARK) === "1"; } catch (e) { return false; }
  }
  function leave() {
    var url = target();
    if (!url) { return; }
    root.classList.add("quick-exited");
    mark(true);
    try { history.replaceState(null, "", "/"); } catch (e) { /* keep going */ }
    location.replace(url);
  }
  function cameBack(persisted) {
    if (persisted) { return true; }
    var entries = performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }
  function check(persisted) {
    if (!marked()) { return; }
    if (cameBack(persisted)) { leave(); } else { mark(false); }
  }

  check(false);
  window.addEventListener("pageshow", function (event) { if (event.persisted) { check(true); } });

  // Capture, so a dialog or a field that handles Escape itself still counts; a single
  // Escape (closing a dialog) does nothing here.
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape <= DOUBLE_ESCAPE_MS) { leave(); } else { lastEscape = now; }
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!button || event.button !== 0) { return; }
    event.preventDefault();
    leave();
  }, true);
})();
