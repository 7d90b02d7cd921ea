// Crisisroom meeting screens: the meeting clock, live regions, and the logger's keyboard.
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
    return Array.prototype.some.call(region.querySelectorAll("details[open]"), function (d) {
      return d.querySelector("form");
    });
  }
  function refresh(region) {
    if (busy(region)) { pending.add(region.dataset.liveRegion); return; }
    pending.delete(region.dataset.liveRegion);
    var url = window.location.pathname + "?region=" + encodeURIComponent(region.dataset.liveRegion);
    // Each region is its own source: requests from one element queue and replace each other.
    var selector = "#" + region.id;
    htmx.ajax("GET", url, { source: selector, target: selector, swap: "outerHTML" });
  }
  function refreshAll() {
    document.querySelectorAll("[data-live-region]").forEach(refresh);
  }
  document.body.addEventListener("crisis-changed", refreshAll);
  document.addEventListener("focusout", function () {
    setTimeout(function () {
      pending.forEach(function (name) {
        var region = document.querySelector('[data-live-region="' + name + '"]');
        if (region) { refresh(region); }
      });
    }, 50);
  });
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName === "DETAILS" && !details.open) {
      var region = details.closest("[data-live-region]");
      if (region && pending.has(region.dataset.liveRegion)) { refresh(region); }
    }
  }, true);

  // A controle check answers 422 with the reason: show it next to the form.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches(".check-form")) { return; }
    var slot = form.querySelector("[data-check-error]");
    if (event.detail.xhr.status === 422) {
      slot.textContent = event.detail.xhr.responseText;
    } else if (event.detail.successful) {
      slot.textContent = "";
      var details = form.closest("details");
      if (details) { details.open = false; }
    }
  });

  // -- the logger's keyboard ------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
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
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "entry-form") {
      var text = document.querySelector("[data-entry-form] [data-enter-submits]");
      if (text) { text.focus(); }
    }
  });

  // -- printing --------------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    if (event.target.matches("[data-print]")) { window.print(); }
  });
})();
