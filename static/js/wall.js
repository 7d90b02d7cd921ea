// The wall screen: lists turn their own pages, and the wall reloads itself when the meeting
// or the chair's choice of panels changes. Without this file the first page of each list shows
// and every heading still counts all of them.
(function () {
  "use strict";

  var seconds = Number(document.body.dataset.wallSeconds) || 10;

  function show(panel, index) {
    var pages = panel.querySelectorAll("[data-wall-page]");
    if (!pages.length) { return; }
    index = index % pages.length;
    pages.forEach(function (page, i) { page.hidden = i !== index; });
    var pager = panel.querySelector("[data-wall-pager]");
    if (pager) { pager.textContent = (index + 1) + "/" + pages.length; }
    panel.dataset.wallShown = String(index);
  }

  function turn() {
    document.querySelectorAll("[data-wall-pages]").forEach(function (panel) {
      show(panel, Number(panel.dataset.wallShown || "0") + 1);
    });
  }
  setInterval(turn, seconds * 1000);

  // A live refresh brings page 1 again. Keep the page on screen, unless something new came in:
  // then show it at once (the newest is always on page 1).
  var before = {};
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.matches && target.matches("[data-wall-pages]")) {
      before[target.id] = { shown: target.dataset.wallShown || "0", newest: target.dataset.wallNewest };
    }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.id) { return; }
    var fresh = document.getElementById(target.id);
    if (!fresh) { return; }
    if (fresh.matches("[data-wall-pages]") && before[target.id]) {
      var was = before[target.id];
      delete before[target.id];
      if (was.newest === fresh.dataset.wallNewest) { show(fresh, Number(was.shown)); }
    }
    // Another meeting, or other panels chosen: the page itself changes, so load it again.
    if (fresh.matches("[data-wall-meeting]")) {
      var body = document.body.dataset;
      if (fresh.dataset.wallMeeting !== body.wallMeeting || fresh.dataset.wallLayout !== body.wallLayout) {
        window.location.reload();
      }
    }
  });
})();
