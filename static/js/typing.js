// Crisisroom: nothing typed is cut off or lost, on every page.
//
// - Length limits are shown, never enforced by cutting: every textarea[maxlength] and
//   input[maxlength] gets its limit moved to data-maxlength (the browser would silently cut
//   pasted text) and a live counter; over the limit the counter turns red and says so. The
//   server refuses over-long text with a message, and the text stays on screen.
// - A field with data-draft-key keeps its text in this browser (localStorage, per tab) until
//   the server has it. After a reload the unsaved text comes back, with a notice and a button
//   to discard it. data-draft-base names the form field holding what the text was based on;
//   it is kept with the draft, so the server still sees a conflict after the reload.
// - An htmx save that cannot reach the server keeps the text, says so and tries again
//   (the form listens for "draft-retry" in its hx-trigger).
// - Conflict helpers: [data-copy] copies a text, [data-draft-take] puts a chosen text into a
//   field with a new base, [data-draft-update] brings newer text into an untouched field.
// Everything works without this file; it only keeps text safe and limits visible.
(function () {
  "use strict";

  var lang = (document.documentElement.lang || "nl").toLowerCase().indexOf("en") === 0 ? "en" : "nl";
  var LOCALE = lang === "en" ? "en-GB" : "nl-NL";
  var TEXT = {
    nl: {
      over: "Te lang: {n} tekens te veel (maximaal {max}). Zo wordt het niet opgeslagen; kort de tekst in.",
      over_short: "{n} te veel",
      restored: "Niet opgeslagen tekst van {time} teruggezet.",
      discard: "Weggooien",
      reconnecting: "Verbinding herstellen… Uw tekst blijft staan en wordt opnieuw verstuurd.",
      copied: "Gekopieerd"
    },
    en: {
      over: "Too long: {n} characters over the limit of {max}. It will not be saved like this; shorten the text.",
      over_short: "{n} too many",
      restored: "Unsaved text from {time} restored.",
      discard: "Discard",
      reconnecting: "Reconnecting… Your text stays here and will be sent again.",
      copied: "Copied"
    }
  };
  function t(name, values) {
    var text = TEXT[lang][name];
    Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
    return text;
  }
  function number(n) {
    try { return n.toLocaleString(LOCALE); } catch (e) { return String(n); }
  }
  function each(root, selector, fn) {
    if (!root || !root.querySelectorAll) { return; }
    if (root.matches && root.matches(selector)) { fn(root); }
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  // -- length counters -------------------------------------------------------------------------
  var uid = 0;
  // As the server counts: characters (not UTF-16 units), and a line end arrives as CR LF.
  function serverLength(value) {
    var lineEnds = value.match(/\n/g);
    return Array.from(value).length + (lineEnds ? lineEnds.length : 0);
  }
  function setupLimit(field) {
    if (field.type === "hidden") { return; }
    var max = field.getAttribute("maxlength");
    if (max !== null) {
      field.removeAttribute("maxlength");
      field.setAttribute("data-maxlength", max);
    }
    if (field.typingCounter || !(parseInt(field.getAttribute("data-maxlength"), 10) > 0)) {
      if (field.typingCounter) { updateLimit(field); }
      return;
    }
    if (!field.id) { field.id = "typing-field-" + (++uid); }
    var box = document.getElementById(field.id + "-count");
    if (!box) {
      box = document.createElement("div");
      box.className = "char-count";
      box.id = field.id + "-count";
      var value = document.createElement("span");
      value.className = "char-count-value";
      var alert = document.createElement("span");
      alert.className = "char-count-alert";
      alert.setAttribute("role", "status");
      alert.setAttribute("aria-live", "polite");
      box.appendChild(value);
      box.appendChild(alert);
      field.insertAdjacentElement("afterend", box);
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(box.id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    field.typingCounter = box;
    updateLimit(field);
  }
  function updateLimit(field) {
    var box = field.typingCounter;
    if (!box) { return; }
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var length = serverLength(field.value);
    var over = length > max;
    var text = number(length) + " / " + number(max);
    if (over) { text += " — " + t("over_short", { n: number(length - max) }); }
    box.querySelector(".char-count-value").textContent = text;
    // A short single-line field shows its counter only near the limit.
    box.hidden = field.tagName !== "TEXTAREA" && length < max * 0.8;
    box.classList.toggle("is-over", over);
    field.classList.toggle("is-over-limit", over);
    if (over && field.getAttribute("aria-invalid") !== "true") {
      field.setAttribute("aria-invalid", "true");
      field.typingInvalid = true;
    } else if (!over && field.typingInvalid) {
      field.removeAttribute("aria-invalid");
      field.typingInvalid = false;
    }
    var alert = box.querySelector(".char-count-alert");
    if (over !== box.typingWasOver) {  // announce crossing the limit, not every keystroke
      alert.textContent = over ? t("over", { n: number(length - max), max: number(max) }) : "";
      box.typingWasOver = over;
    }
  }

  // -- local drafts ----------------------------------------------------------------------------
  var PREFIX = "crisisroom-draft:";
  var TABS = "crisisroom-tabs";
  var storage = null;
  try { storage = window.localStorage; storage.getItem(TABS); } catch (e) { storage = null; }
  var tab = null;
  try { tab = window.sessionStorage.getItem("crisisroom-tab"); } catch (e) { tab = null; }
  if (!tab) {
    tab = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
    try { window.sessionStorage.setItem("crisisroom-tab", tab); } catch (e) { /* private mode */ }
  }
  // Each open tab says it is alive; drafts of a tab gone quiet may be taken over by another.
  function readJSON(key) {
    try { return JSON.parse(storage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function heartbeat() {
    if (!storage) { return; }
    var tabs = readJSON(TABS) || {};
    var now = Date.now();
    tabs[tab] = now;
    Object.keys(tabs).forEach(function (id) { if (now - tabs[id] > 86400000) { delete tabs[id]; } });
    try { storage.setItem(TABS, JSON.stringify(tabs)); } catch (e) { /* full */ }
  }
  function tabAlive(id) {
    var tabs = readJSON(TABS) || {};
    return id === tab || (tabs[id] && Date.now() - tabs[id] < 30000);
  }
  heartbeat();
  setInterval(heartbeat, 10000);

  var known = new WeakMap();  // field -> the text the server has (null: unknown)
  function draftKey(field, id) { return PREFIX + field.getAttribute("data-draft-key") + "#" + (id || tab); }
  function baseInput(field) {
    var name = field.getAttribute("data-draft-base");
    return name && field.form ? field.form.elements.namedItem(name) : null;
  }
  function drafts(field) {  // every tab's draft of this field: [{key, tab, text, at, base}]
    var found = [];
    if (!storage) { return found; }
    var start = PREFIX + field.getAttribute("data-draft-key") + "#";
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(start) === 0) {
        var draft = readJSON(key);
        if (draft && typeof draft.text === "string") {
          draft.key = key;
          draft.tab = key.slice(start.length);
          found.push(draft);
        }
      }
    }
    return found;
  }
  function writeDraft(field) {
    if (!storage) { return; }
    if (known.get(field) === field.value) { removeDraft(field); return; }
    var base = baseInput(field);
    try {
      storage.setItem(draftKey(field), JSON.stringify({
        text: field.value, at: Date.now(), base: base ? base.value : null
      }));
    } catch (e) { /* storage full: the text is still on screen */ }
  }
  function removeDraft(field) {
    if (storage) { storage.removeItem(draftKey(field)); }
    var notice = field.typingNotice;
    if (notice && notice.parentNode) { notice.parentNode.removeChild(notice); }
    field.typingNotice = null;
  }
  function fireInput(field) {
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function timeOf(at) {
    var date = new Date(at);
    var time = date.toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit" });
    if (date.toDateString() === new Date().toDateString()) { return time; }
    return date.toLocaleDateString(LOCALE, { day: "numeric", month: "short" }) + " " + time;
  }
  function setupDraft(field, atPageLoad) {
    if (field.typingDraft) { return; }
    field.typingDraft = true;
    var unsaved = field.closest("[data-draft-unsaved]") !== null;
    known.set(field, unsaved ? null : field.value);
    if (!atPageLoad) { return; }
    var all = drafts(field);
    var own = all.filter(function (d) { return d.tab === tab; })[0];
    // Text left behind by a tab that was closed or crashed comes back too (the newest).
    var orphans = all.filter(function (d) { return !tabAlive(d.tab); });
    orphans.sort(function (a, b) { return b.at - a.at; });
    all.forEach(function (d) {  // drafts the server already has are done with
      if (d.text === field.value && !unsaved) { storage.removeItem(d.key); }
    });
    var draft = own || orphans[0];
    if (draft && draft.tab !== tab) { storage.removeItem(draft.key); }
    if (draft && draft.text !== field.value) {
      restore(field, draft);
    } else if (unsaved) {
      writeDraft(field);  // a refused save's page: keep the text until the server has it
    }
  }
  function restore(field, draft) {
    var loadText = field.value;
    var base = baseInput(field);
    var loadBase = base ? base.value : null;
    field.value = draft.text;
    if (base && draft.base) { base.value = draft.base; }
    var notice = document.createElement("div");
    notice.className = "draft-restored";
    notice.setAttribute("role", "status");
    var message = document.createElement("span");
    message.textContent = t("restored", { time: timeOf(draft.at) }) + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = t("discard");
    discard.addEventListener("click", function () {
      field.value = loadText;
      var current = baseInput(field);
      if (current && loadBase !== null) { current.value = loadBase; }
      removeDraft(field);
      updateLimit(field);
      fireInput(field);  // saves the server's text back if the restored one was saved
      field.focus();
    });
    notice.appendChild(message);
    notice.appendChild(discard);
    (field.typingCounter || field).insertAdjacentElement("afterend", notice);
    field.typingNotice = notice;
    writeDraft(field);
    updateLimit(field);
    // Save it: a conflict with newer text then shows both, side by side.
    setTimeout(function () { fireInput(field); }, 0);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.typingCounter) { updateLimit(field); }
    if (field.typingDraft) { writeDraft(field); }
  });

  // A save that reached the server: what it sent is saved now (or already was).
  var sent = new WeakMap();
  function scopeOf(elt) { return (elt && (elt.form || elt)) || null; }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var scope = scopeOf(event.detail.elt);
    var values = [];
    each(scope, "[data-draft-key]", function (field) { values.push([field, field.value]); });
    if (values.length) { sent.set(scope, values); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var scope = scopeOf(event.detail.elt);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var values = sent.get(scope);
    if (!values) { return; }
    sent.delete(scope);
    if (status < 200 || status >= 300) { return; }
    connectionBack(scope);
    values.forEach(function (pair) {
      var field = pair[0];
      known.set(field, pair[1]);
      if (field.value === pair[1]) { removeDraft(field); } else { writeDraft(field); }
    });
  });

  // -- lost connection ---------------------------------------------------------------------------
  function connectionLost(event) {
    var scope = scopeOf(event.detail.elt);
    if (!scope || !scope.querySelector || !scope.querySelector("[data-draft-key]")) { return; }
    var notice = scope.querySelector("[data-draft-connection]");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "draft-connection";
      notice.setAttribute("role", "status");
      notice.setAttribute("data-draft-connection", "");
      notice.textContent = t("reconnecting");
      scope.insertBefore(notice, scope.firstChild);
    }
    var attempt = (scope.typingAttempt || 0) + 1;
    scope.typingAttempt = attempt;
    clearTimeout(scope.typingRetry);
    scope.typingRetry = setTimeout(function () { retry(scope); }, Math.min(15000, 1000 * Math.pow(2, attempt - 1)));
  }
  function retry(scope) {
    scope.dispatchEvent(new CustomEvent("draft-retry", { bubbles: false }));
  }
  function connectionBack(scope) {
    scope.typingAttempt = 0;
    clearTimeout(scope.typingRetry);
    var notice = scope.querySelector && scope.querySelector("[data-draft-connection]");
    if (notice) { notice.parentNode.removeChild(notice); }
  }
  document.addEventListener("htmx:sendError", connectionLost);
  document.addEventListener("htmx:timeout", connectionLost);
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 0 || status >= 500) { connectionLost(event); }
  });
  window.addEventListener("online", function () {
    each(document, "[data-draft-connection]", function (notice) {
      var scope = notice.parentNode;
      clearTimeout(scope.typingRetry);
      retry(scope);
    });
  });

  // -- conflict helpers ------------------------------------------------------------------------
  function copyText(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = t("copied");
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { /* refused: nothing lost */ });
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy], [data-draft-take]") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-copy")) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (source) { copyText(source.value !== undefined ? source.value : source.textContent, button); }
      return;
    }
    // Keep my text / take the newer one: the field gets that text and the newer base, so
    // the next save is judged against what the user has now seen.
    var field = document.getElementById(button.getAttribute("data-draft-take"));
    if (!field) { return; }
    event.preventDefault();
    var from = button.getAttribute("data-draft-text");
    var source = from ? document.getElementById(from) : null;
    if (source) { field.value = source.value; }
    var base = baseInput(field);
    if (base) { base.value = button.getAttribute("data-draft-base-value"); }
    var box = button.closest("[data-draft-conflict]");
    if (box) { box.parentNode.removeChild(box); }
    updateLimit(field);
    field.focus();
    fireInput(field);
  });
  function applyUpdates(root) {
    // Newer text someone else saved in a section this screen had not touched.
    each(root, "[data-draft-update]", function (update) {
      var field = document.getElementById(update.getAttribute("data-draft-update"));
      if (!field || known.get(field) !== field.value) { return; }  // touched: a conflict later
      field.value = update.value;
      known.set(field, update.value);
      var base = baseInput(field);
      if (base) { base.value = update.getAttribute("data-draft-base-value"); }
      removeDraft(field);
      updateLimit(field);
    });
  }

  // -- set-up ----------------------------------------------------------------------------------
  function setup(root, atPageLoad) {
    each(root, "textarea[maxlength], input[maxlength], textarea[data-maxlength], input[data-maxlength]", setupLimit);
    each(root, "[data-draft-key]", function (field) { setupDraft(field, atPageLoad); });
    each(root, "[data-copy]", function (button) { button.hidden = !(navigator.clipboard && window.isSecureContext); });
    applyUpdates(root);
  }
  // The page's own fields first (and only then restored): htmx may announce the page earlier.
  var started = false;
  function start() { started = true; setup(document.body, true); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  document.addEventListener("htmx:load", function (event) {
    if (started) { setup(event.detail.elt, false); }
  });
  // Text put in by other scripts (a swapped form refilled with what was typed) fires no input.
  document.addEventListener("htmx:afterSettle", function () {
    setTimeout(function () {
      each(document.body, "[data-maxlength]", function (field) { if (field.typingCounter) { updateLimit(field); } });
    }, 0);
  });

  // Logging out leaves no crisis text behind in this browser.
  document.addEventListener("submit", function (event) {
    var action = event.target.getAttribute && event.target.getAttribute("action");
    if (!storage || !action || !/\/logout\/?$/.test(action)) { return; }
    var keys = [];
    for (var i = 0; i < storage.length; i++) {
      if ((storage.key(i) || "").indexOf(PREFIX) === 0) { keys.push(storage.key(i)); }
    }
    keys.forEach(function (key) { storage.removeItem(key); });
  });
})();
