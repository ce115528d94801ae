// Nothing typed is lost: every form she types into keeps an encrypted copy of what she
// typed in this browser until the server has it, and says honestly whether it is saved.
//
// - The key (AES-GCM, 256 bits) comes with the page of a signed-in session (meta
//   draft-key, crisis_ops/accounts/drafts.py); only ciphertext is stored (localStorage),
//   under a name that carries no personal data. Signing out on purpose wipes it; an
//   idle sign-out keeps it, so it is offered back once she has signed in again.
// - A form with data-autosave-url (the intake) is saved to the server as she types; its
//   status says "Saving…", "Draft saved." only once the server has the latest change,
//   and "Not saved — offline" while it cannot be sent. What was typed offline is sent
//   when the connection returns (the autosave carries the form's key as form_key, so a
//   save arriving after the form was finished is ignored).
// - Any other form (a note, an incident) keeps its draft until its submit is known to
//   have arrived (its idempotency key was used); a draft left behind is offered back.
// - A submit or a link while offline keeps the page and says so; the submit is made when
//   the connection is back (the same idempotency key, so it is done once).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="draft-key"]');
  var strings = document.getElementById("draft-strings");
  if (!meta || !strings || !window.crypto || !crypto.subtle || !window.localStorage) { return; }

  var PREFIX = "co-draft:";
  var OWNER = PREFIX + meta.getAttribute("data-owner") + ":";
  var SENT_URL = meta.getAttribute("data-sent-url");
  var MAX_AGE_MS = 24 * 3600 * 1000;
  var SKIP_TYPES = { hidden: 1, password: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };
  var SKIP_NAMES = { csrfmiddlewaretoken: 1, idempotency_key: 1, form_key: 1 };
  var KEY_FIELD = "idempotency_key";
  var RETRY_MS = 5000;
  var banner = document.getElementById("offline-banner");
  var unreachable = false;  // a request failed for want of a network, none has worked since

  var key = crypto.subtle.importKey("raw", decode64(meta.content), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  meta.remove();  // the key lives on in this page's memory only

  function text(name) { return strings.getAttribute("data-" + name) || ""; }
  function decode64(value) {
    var raw = atob(value), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function encode64(bytes) {
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw);
  }
  function encrypt(value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return key.then(function (k) {
      return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, k, new TextEncoder().encode(JSON.stringify(value)));
    }).then(function (sealed) {
      var out = new Uint8Array(12 + sealed.byteLength);
      out.set(iv, 0);
      out.set(new Uint8Array(sealed), 12);
      return encode64(out);
    });
  }
  function decrypt(value) {
    var bytes = decode64(value);
    return key.then(function (k) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, k, bytes.slice(12));
    }).then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }
  function read(name) {
    try { return JSON.parse(localStorage.getItem(name) || "null"); } catch (e) { return null; }
  }
  function storedNames(prefix) {
    var names = [];
    for (var i = 0; i < localStorage.length; i++) {
      var name = localStorage.key(i);
      if (name && name.indexOf(prefix) === 0) { names.push(name); }
    }
    return names;
  }
  function wipeOwn() { storedNames(OWNER).forEach(function (name) { localStorage.removeItem(name); }); }

  // --- which forms, which fields ---------------------------------------------------------
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && !SKIP_TYPES[el.type] && !SKIP_NAMES[el.name] &&
        /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
    });
  }
  function draftable(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-draft") &&
      form.id !== "logout-form" && fields(form).length > 0;
  }
  function values(form) {
    var pairs = [];
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { pairs.push([el.name, el.value]); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { pairs.push([el.name, o.value]); });
      } else {
        pairs.push([el.name, el.value]);
      }
    });
    return pairs;
  }
  function restore(form, pairs) {
    var left = pairs.slice();
    function take(name) {
      for (var i = 0; i < left.length; i++) {
        if (left[i][0] === name) { return left.splice(i, 1)[0][1]; }
      }
      return "";
    }
    function has(name, value) { return pairs.some(function (p) { return p[0] === name && p[1] === value; }); }
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = has(el.name, el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = has(el.name, o.value); });
      } else {
        el.value = take(el.name);
      }
    });
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function nameOf(form) {
    var step = form.querySelector("input[type=hidden][name=step]");
    return OWNER + location.pathname + "#" + (form.id || form.getAttribute("action") || "form") +
      (step ? ":" + step.value : "");
  }

  // --- connection --------------------------------------------------------------------------
  function offline() { return !navigator.onLine || unreachable; }
  function showBanner() { if (banner) { banner.hidden = !offline(); } }
  function networkFailed() { unreachable = true; showBanner(); }
  function networkWorked() {
    var was = offline();
    unreachable = false;
    showBanner();
    if (was && !offline()) { drafts.forEach(function (d) { d.reconnected(); }); }
  }
  function reachable() {
    return fetch(SENT_URL, { credentials: "same-origin", cache: "no-store", headers: { "X-Background-Refresh": "1" } })
      .then(function (response) { return response.text(); })
      .then(function () { networkWorked(); return true; }, function () { networkFailed(); return false; });
  }
  window.addEventListener("offline", showBanner);
  window.addEventListener("online", function () { unreachable = false; showBanner(); drafts.forEach(function (d) { d.reconnected(); }); });
  // While the network seems there but requests fail, try again now and then.
  setInterval(function () {
    if (unreachable && navigator.onLine) { drafts.forEach(function (d) { d.retry(); }); }
  }, RETRY_MS);

  // --- one form's draft --------------------------------------------------------------------
  var drafts = [];

  function Draft(form) {
    this.form = form;
    this.name = nameOf(form);
    this.autosaveUrl = form.getAttribute("data-autosave-url");
    this.status = form.querySelector("[data-draft-status]");
    if (!this.status) {
      this.status = document.createElement("p");
      this.status.className = "help draft-status";
      this.status.setAttribute("aria-live", "polite");
      this.status.setAttribute("data-draft-status", "");
      this.status.hidden = true;
      form.appendChild(this.status);
    }
    this.version = 0;       // bumped by every change she makes
    this.savedVersion = 0;  // the newest version the server has (autosave forms)
    this.stored = 0;        // the newest version written to the browser's storage
    this.inFlight = false;
    this.held = null;       // a submit made offline, made again when the connection is back
    this.timer = null;
    var self = this;
    form.addEventListener("input", function () { self.changed(800); });
    form.addEventListener("change", function () { self.changed(0); });
  }

  Draft.prototype.say = function (state) {
    this.status.hidden = false;
    this.status.setAttribute("data-state", state);
    this.status.textContent = text(state);
  };

  Draft.prototype.changed = function (delay) {
    this.version += 1;
    this.keep();
    if (!this.autosaveUrl) {
      this.say(offline() ? "offline" : "local");
      return;
    }
    if (this.held) { this.say("held"); } else { this.say(offline() ? "offline" : "saving"); }
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.save(); }, delay);
  };

  // Write what is in the form now, encrypted; an older write finishing late is dropped.
  Draft.prototype.keep = function (pending) {
    var version = this.version, self = this, record = { at: Date.now() };
    if (pending) { record.pending = pending; }
    return encrypt({ fields: values(this.form) }).then(function (sealed) {
      if (version < self.stored || (self.autosaveUrl && self.savedVersion >= version)) { return; }
      self.stored = version;
      record.ct = sealed;
      localStorage.setItem(self.name, JSON.stringify(record));
    });
  };

  Draft.prototype.forget = function () { localStorage.removeItem(this.name); };

  Draft.prototype.body = function () {
    var data = new URLSearchParams(new FormData(this.form));
    var formKey = data.get(KEY_FIELD);
    data.delete(KEY_FIELD);
    if (formKey) { data.set("form_key", formKey); }
    return data;
  };

  Draft.prototype.save = function () {
    var self = this;
    clearTimeout(this.timer);
    if (!this.autosaveUrl || this.inFlight || this.submitted || this.savedVersion >= this.version) {
      return Promise.resolve();
    }
    if (!navigator.onLine) { this.say(this.held ? "held" : "offline"); return Promise.resolve(); }
    var version = this.version;
    this.inFlight = true;
    return fetch(this.autosaveUrl, {
      method: "POST",
      body: this.body(),
      credentials: "same-origin",
      headers: { "HX-Request": "true", "HX-Current-URL": location.href },
    }).then(function (response) {
      // Read the answer to its end, or the browser counts the request as never finished.
      return response.text().then(function () { return response; });
    }).then(function (response) {
      networkWorked();
      var redirect = response.headers.get("HX-Redirect");
      if (redirect) { self.say("signed-out"); location.assign(redirect); return; }
      if (!response.ok || response.redirected) {
        self.say(response.status === 401 || response.status === 403 || response.redirected ? "signed-out" : "failed");
        return;
      }
      self.savedVersion = Math.max(self.savedVersion, version);
      document.dispatchEvent(new CustomEvent("crisis:activity-seen"));
      if (self.savedVersion >= self.version) {
        self.forget();
        self.say(self.held ? "held" : "saved");
      }
    }, function () {
      networkFailed();
      self.say(self.held ? "held" : "offline");
    }).then(after, function (error) {
      if (window.console) { console.error(error); }
      after();
    });
    function after() {
      self.inFlight = false;
      if (!offline() && self.savedVersion < self.version) { return self.save(); }
      if (!offline() && self.held) { self.resume(); }
    }
  };

  Draft.prototype.retry = function () {
    if (this.autosaveUrl && this.savedVersion < this.version) { this.save(); return; }
    if (this.held) { this.resume(); }
  };

  Draft.prototype.reconnected = function () {
    if (offline()) { return; }
    if (this.autosaveUrl && this.savedVersion < this.version) { this.save(); return; }
    if (this.held) { this.resume(); return; }
    if (this.status.getAttribute("data-state") === "offline") { this.say(this.autosaveUrl ? "saved" : "local"); }
  };

  // The held submit goes once the server is known to answer: "online" only means a
  // network is there, and a submit into a dead one would show the browser's error page.
  Draft.prototype.resume = function () {
    var self = this;
    if (!this.held || this.probing) { return; }
    this.probing = true;
    reachable().then(function (yes) {
      self.probing = false;
      if (!yes || !self.held) { return; }
      var submitter = self.held;
      self.held = null;
      self.form.requestSubmit(submitter === true ? undefined : submitter);
    });
  };

  // The submit, seen before once.js locks the form (window capture runs first).
  Draft.prototype.submitting = function (event) {
    if (offline()) {
      event.preventDefault();
      event.stopImmediatePropagation();
      this.held = event.submitter || true;
      this.say("held");
      this.keep();
      return;
    }
    this.submitted = true;  // the submit carries all of it: no autosave behind it
    var field = this.form.querySelector("input[name=" + KEY_FIELD + "]");
    if (field && field.value) {
      if (this.version > 0 || this.restored) { this.version += 1; this.keep(field.value); }
    } else {
      this.forget();  // nothing to ask the server about later: the submit is all there is
    }
  };

  // A draft in storage from before: put back (autosave forms, whose server copy is older)
  // or offered back (any other form), unless the page already shows the same.
  Draft.prototype.offer = function () {
    var self = this, record = read(this.name);
    if (!record || !record.ct) { return; }
    decrypt(record.ct).then(function (draft) {
      if (same(draft.fields, values(self.form))) { self.forget(); return; }
      if (self.autosaveUrl) {
        if (self.version > 0) { return; }  // she has typed since the page came: that wins
        restore(self.form, draft.fields);
        self.restored = true;
        self.version += 1;
        self.notice(text("restored"));
        self.keep();
        self.say(offline() ? "offline" : "saving");
        self.save();
        return;
      }
      self.offerBack(draft.fields);
    }, function () { self.forget(); });  // not hers (or her password changed): unreadable for ever
  };

  Draft.prototype.notice = function (message, buttons) {
    var box = document.createElement("div");
    box.className = "message info draft-offer";
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = message;
    box.appendChild(p);
    if (buttons) {
      var row = document.createElement("div");
      row.className = "actions";
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b[0];
        if (b[2]) { button.className = b[2]; }
        button.addEventListener("click", function () { b[1](); box.remove(); });
        row.appendChild(button);
      });
      box.appendChild(row);
    }
    this.form.parentNode.insertBefore(box, this.form);
    return box;
  };

  Draft.prototype.offerBack = function (pairs) {
    var self = this;
    this.notice(text("offer"), [
      [text("restore"), function () {
        restore(self.form, pairs);
        self.restored = true;
        self.say(offline() ? "offline" : "local");
        var focus = fields(self.form)[0];
        if (focus) { focus.focus(); }
      }, "primary"],
      [text("discard"), function () { self.forget(); }],
    ]);
  };

  // --- drafts whose submit may have arrived ------------------------------------------------
  function settlePending() {
    var now = Date.now(), pending = {};
    storedNames(PREFIX).forEach(function (name) {
      var record = read(name);
      if (!record || !record.at || now - record.at > MAX_AGE_MS) { localStorage.removeItem(name); return; }
      if (name.indexOf(OWNER) === 0 && record.pending) { pending[record.pending] = name; }
    });
    var keys = Object.keys(pending);
    if (!keys.length || !navigator.onLine) { return Promise.resolve(); }
    var query = new URLSearchParams();
    keys.forEach(function (k) { query.append("key", k); });
    return fetch(SENT_URL + "?" + query.toString(), {
      credentials: "same-origin", headers: { "X-Background-Refresh": "1", "HX-Request": "true" },
    }).then(function (response) {
      return response.ok ? response.json() : { sent: [] };
    }).then(function (answer) {
      keys.forEach(function (k) {
        var name = pending[k];
        if ((answer.sent || []).indexOf(k) >= 0) { localStorage.removeItem(name); return; }
        var record = read(name);  // not arrived: offered back like any other draft
        if (record) { delete record.pending; localStorage.setItem(name, JSON.stringify(record)); }
      });
    }, function () { /* offline: ask again on the next page */ });
  }

  // --- wiring ------------------------------------------------------------------------------
  function draftOf(form) {
    for (var i = 0; i < drafts.length; i++) { if (drafts[i].form === form) { return drafts[i]; } }
    return null;
  }

  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    if (form.id === "logout-form") { wipeOwn(); return; }  // signing out on purpose: nothing stays
    var discards = form.getAttribute("data-draft-discard");
    if (discards) {
      storedNames(OWNER + location.pathname + "#" + discards).forEach(function (n) { localStorage.removeItem(n); });
    }
    var draft = draftOf(form);
    if (draft) { draft.submitting(event); return; }
    if (offline() && (form.getAttribute("method") || "").toLowerCase() === "post") {
      event.preventDefault();
      event.stopImmediatePropagation();
      showBanner();
    }
  }, true);

  // A link while offline would show the browser's error page instead of this one.
  window.addEventListener("click", function (event) {
    if (!offline() || event.defaultPrevented) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target === "_blank" || link.hasAttribute("download")) { return; }
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin || (url.pathname === location.pathname && url.search === location.search && url.hash)) { return; }
    event.preventDefault();
    showBanner();
  }, true);

  // Back on a page kept by the back/forward cache: its submit did not leave it for good.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { drafts.forEach(function (d) { d.submitted = false; }); }
  });

  window.CrisisDrafts = { wipe: wipeOwn };

  // Listen at once (she may type before the server answers), offer back once the drafts
  // whose submit arrived are gone.
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    if (draftable(form)) { drafts.push(new Draft(form)); }
  });
  settlePending().then(function () { drafts.forEach(function (d) { d.offer(); }); });
  showBanner();
})();
