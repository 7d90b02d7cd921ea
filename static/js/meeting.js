// Crisisroom meeting screens and the message desk: the meeting clock, live regions, and the
// keyboard of the logger's console and the berichtenmanager's desk.
// Everything works without this file; it only makes the screens live and fast to use.
(function () {
  "use strict";

  // -- meeting clock -------------------------------------------------------------------------
  function pad(n) { return String(n).padStart(2, "0"); }
  function mmss(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    return pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
  }
  function tickClocks() {
    document.querySelectorAll("[data-clock]").forEach(function (clock) {
      if (clock.dataset.offset === undefined) {
        // Use the server's time, not the laptop's: screens at one table must agree.
        clock.dataset.offset = String(Date.parse(clock.dataset.serverNow) - Date.now());
      }
      var now = Date.now() + Number(clock.dataset.offset);
      var inPhase = (now - Date.parse(clock.dataset.phaseStart)) / 1000;
      var inMeeting = (now - Date.parse(clock.dataset.meetingStart)) / 1000;
      clock.querySelector("[data-clock-phase]").textContent = mmss(inPhase);
      clock.querySelector("[data-clock-meeting]").textContent = mmss(inMeeting);
      var phaseOver = inPhase > Number(clock.dataset.phaseSeconds);
      var meetingOver = inMeeting > Number(clock.dataset.meetingSeconds);
      clock.classList.toggle("phase-over", phaseOver);
      clock.classList.toggle("meeting-over", meetingOver);
      var warning = clock.querySelector("[data-clock-warning]");
      if (warning) { warning.hidden = !(phaseOver || meetingOver); }
    });
  }
  setInterval(tickClocks, 1000);
  document.addEventListener("DOMContentLoaded", tickClocks);
  document.addEventListener("htmx:afterSettle", tickClocks);

  // -- live regions ----------------------------------------------------------------------------
  // The poller answers "changed" with the event crisis-changed; each region then refreshes
  // itself. A region somebody is typing in waits until they leave it, so nothing typed is lost.
  var pending = new Set();
  function busy(region) {
    var active = document.activeElement;
    if (active && region.contains(active) && active.matches("input, textarea, select")) {
      return true;
    }
    // An open Controle form in this region: wait until it is recorded or closed.
    return region.querySelector("[data-check-slot] form") !== null;
  }
  function refresh(region) {
    if (busy(region)) { pending.add(region.dataset.liveRegion); return; }
    pending.delete(region.dataset.liveRegion);
    // The page's own address, not the window's: after a form error the window shows the
    // form's POST address, which has no regions.
    var page = region.closest("[data-page-url]");
    var base = page ? page.dataset.pageUrl : window.location.pathname;
    var join = base.indexOf("?") === -1 ? "?" : "&";
    var url = base + join + "region=" + encodeURIComponent(region.dataset.liveRegion);
    // Each region is its own source: requests from one element queue and replace each other.
    var selector = "#" + region.id;
    htmx.ajax("GET", url, { source: selector, target: selector, swap: "outerHTML" });
  }
  // The poll names the regions to refresh when only entries were added; otherwise all.
  function refreshAll(event) {
    var only = event && event.detail && event.detail.regions;
    document.querySelectorAll("[data-live-region]").forEach(function (region) {
      if (!only || only.indexOf(region.dataset.liveRegion) !== -1) { refresh(region); }
    });
  }
  document.body.addEventListener("crisis-changed", refreshAll);
  // A refresh that failed (a 5xx while the database restarts, the network gone for a moment)
  // is tried again, a little later each time: the screen has already taken the new revision,
  // so nothing else would bring this region up to date before the next change. A 4xx is an
  // answer (no longer allowed to see it), not a failure.
  var RETRY_MS = [1000, 2000, 5000, 10000];
  var retries = {};
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var region = event.detail.elt;
    if (!region.matches || !region.matches("[data-live-region]")) { return; }
    var name = region.dataset.liveRegion;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (event.detail.successful || (status >= 400 && status < 500)) {
      delete retries[name];
      return;
    }
    var attempt = retries[name] || 0;
    retries[name] = attempt + 1;
    setTimeout(function () {
      var current = document.querySelector('[data-live-region="' + name + '"]');
      if (current) { refresh(current); }
    }, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
  });
  document.addEventListener("focusout", function () {
    setTimeout(function () {
      pending.forEach(function (name) {
        var region = document.querySelector('[data-live-region="' + name + '"]');
        if (region) { refresh(region); }
      });
    }, 50);
  });
  // A recorded check empties its slot; the region then refreshes if it was waiting.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches(".check-form") || event.detail.xhr.status !== 204) {
      return;
    }
    var slot = form.closest("[data-check-slot]");
    var region = form.closest("[data-live-region]");
    if (slot) { slot.innerHTML = ""; }
    if (region) { refresh(region); }
  });

  document.addEventListener("click", function (event) {
    if (!event.target.matches("[data-check-cancel]")) { return; }
    var slot = event.target.closest("[data-check-slot]");
    var region = event.target.closest("[data-live-region]");
    if (slot) { slot.innerHTML = ""; }
    if (region) { refresh(region); }
  });

  // -- live by push ----------------------------------------------------------------------------
  // With a stream (Server-Sent Events) open, the server tells this screen of every change at
  // once and the poll stands still. When the stream cannot be held (a network blip, a server
  // restart, a proxy that buffers), the poll takes over by itself, and the stream is opened
  // again, sending the last revision it saw; the server answers with what was missed.
  // The server says "ready" as soon as a stream opens and "ping" at least every 15 s: a stream
  // that says nothing for longer is held back somewhere, and the poll takes over.
  var STREAM_QUIET_MS = 40000;
  var STREAM_READY_MS = 5000;
  var STREAM_AGAIN_MS = 30000;
  var stream = null;
  var pushing = false;
  var watchdog = null;
  function liveStatus(state) {
    var mark = document.querySelector("[data-live-status]");
    if (!mark) { return; }
    mark.dataset.state = state;
    mark.textContent = mark.dataset[state] || "";
  }
  function watch(ms) {
    clearTimeout(watchdog);
    watchdog = setTimeout(giveUp, ms);
  }
  function alive() {
    pushing = true;
    liveStatus("live");
    watch(STREAM_QUIET_MS);
  }
  function giveUp() {
    // Open but silent: a proxy holds the events back. Poll, and try the stream again later.
    if (stream) { stream.close(); stream = null; }
    pushing = false;
    liveStatus("poll");
    setTimeout(openStream, STREAM_AGAIN_MS);
  }
  // Regions an event carries are put in place at once; the others fetch themselves.
  function placeCarried(detail) {
    var carried = detail.html || {};
    var regions = detail.regions;
    if (!regions) { return detail; }
    var rest = regions.filter(function (name) {
      var region = document.querySelector('[data-live-region="' + name + '"]');
      if (!region || !carried[name]) { return true; }
      if (busy(region)) { pending.add(name); return false; }
      var holder = document.createElement("div");
      holder.innerHTML = carried[name];
      var fresh = holder.firstElementChild;
      if (!fresh || fresh.id !== region.id) { return true; }
      region.replaceWith(fresh);
      htmx.process(fresh);
      pending.delete(name);
      return false;
    });
    return { regions: rest };
  }
  function openStream() {
    var poller = document.getElementById("live-poller");
    if (stream || !window.EventSource || !poller || !poller.dataset.stream) { return; }
    var url = poller.dataset.stream + "?r=" + encodeURIComponent(poller.dataset.revision || "-1");
    // On a meeting page the stream carries the entry regions itself after a new entry.
    var mark = document.querySelector("[data-live-status]");
    if (mark && mark.dataset.meeting) { url += "&m=" + encodeURIComponent(mark.dataset.meeting); }
    stream = new EventSource(url);
    stream.addEventListener("open", function () { watch(STREAM_READY_MS); });
    stream.addEventListener("ready", alive);
    stream.addEventListener("ping", alive);
    stream.addEventListener("changed", function (event) {
      alive();
      var detail = {};
      try { detail = JSON.parse(event.data || "{}"); } catch (error) { detail = {}; }
      var current = document.getElementById("live-poller");
      if (current && event.lastEventId) { current.dataset.revision = event.lastEventId; }
      var rest = placeCarried(detail);
      if (rest.regions && rest.regions.length === 0) { return; }
      document.body.dispatchEvent(new CustomEvent("crisis-changed", { detail: rest }));
    });
    stream.addEventListener("ended", function () {
      // No longer allowed to follow: the poll hears the same and stops (or, on a wall, reloads).
      clearTimeout(watchdog);
      stream.close();
      stream = null;
      pushing = false;
      liveStatus("ended");
    });
    stream.addEventListener("error", function () {
      clearTimeout(watchdog);
      pushing = false;
      if (stream && stream.readyState === EventSource.CLOSED) {
        // Refused (204 from a server without streams; a 502 while the server restarts behind
        // its proxy): the poll carries on, quietly, and the stream is tried again later.
        stream = null;
        liveStatus("poll");
        setTimeout(openStream, STREAM_AGAIN_MS);
        return;
      }
      liveStatus("reconnecting");  // the browser reconnects by itself; the poll runs meanwhile
    });
  }
  // While the stream is open the poller sends nothing.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (pushing && event.detail.elt && event.detail.elt.id === "live-poller") {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", openStream);
  if (document.readyState !== "loading") { openStream(); }

  // -- the logger's keyboard ------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    // Alt+Shift+1 … Alt+Shift+5: the chair moves to that phase.
    if (event.altKey && event.shiftKey && /^Digit[1-5]$/.test(event.code)) {
      var button = document.querySelector(
        '.phase-bar button[aria-keyshortcuts="Alt+Shift+' + event.code.slice(5) + '"]'
      );
      if (button) { event.preventDefault(); button.click(); }
      return;
    }
    var form = document.querySelector("[data-entry-form]");
    if (!form) { return; }
    // Alt+1 … Alt+6 chooses the kind and puts the cursor in the text.
    if (event.altKey && !event.shiftKey && /^[1-6]$/.test(event.key)) {
      var radio = form.querySelector('[data-kind-key="' + event.key + '"]');
      if (radio) {
        event.preventDefault();
        radio.checked = true;
        form.querySelector("[data-enter-submits]").focus();
      }
      return;
    }
    // Enter in the text saves; Shift+Enter is a new line.
    if (event.key === "Enter" && !event.shiftKey && event.target.matches("[data-enter-submits]")) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  // Whatever the logger types while a save is on its way is kept in the fresh form.
  var sentText = null;
  var typedSince = "";
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.matches && event.detail.elt.matches("[data-entry-form]")) {
      sentText = event.detail.elt.querySelector("[data-enter-submits]").value;
    }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (sentText === null || !event.detail.target || !event.detail.target.matches("[data-entry-slot]")) {
      return;
    }
    var now = event.detail.target.querySelector("[data-enter-submits]").value;
    if (event.detail.xhr.status === 200) {
      // Saved: keep only what came after the saved text.
      typedSince = now.indexOf(sentText) === 0 ? now.slice(sentText.length) : now;
      typedSince = typedSince.replace(/^\n+/, "");
    } else {
      // Refused: the form comes back with the sent text; keep everything on screen instead.
      typedSince = now;
    }
    sentText = null;
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.matches("[data-entry-slot]")) {
      var text = document.querySelector("[data-entry-form] [data-enter-submits]");
      if (text) {
        if (typedSince) { text.value = typedSince; typedSince = ""; }
        text.focus();
      }
    }
  });

  // -- printing --------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-print]")) { window.print(); }
  });
})();
