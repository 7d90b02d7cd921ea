/* The map of the first 72 hours (templates/resilience/first72/_map.html).

   Every element with data-first72-map becomes a Leaflet map of the data in the json_script
   named by its data-map-data: noodsteunpunten (a shape and a colour per status, and the status
   in words in the marker's name and popup), vulnerable locations, and district outlines with the
   number of people in vulnerable groups and the counted clusters at home.

   The background tiles come from the configured tile service. When none is configured, or a
   tile fails to load (no internet, the service is down), a status line says so and the points
   and outlines stay on a plain background.

   With data-filter-form the checkboxes of that form filter the markers and the rows (in the
   element named by data-filter-rows) as they change, and the address bar keeps the filter so
   the link can be shared; the form also works without this script, through the server.

   Everything users typed reaches the page as text (textContent), never as markup: Leaflet
   writes a string given to bindTooltip, bindPopup, setContent or a divIcon's html with
   innerHTML, so tooltips and popups get DOM elements built here, a divIcon's html and the
   attribution prefix are constants, and a marker's name is its title (a property). */
(function () {
  "use strict";

  var DEFAULT_CENTRE = [52.2, 5.3]; // the Netherlands
  var DEFAULT_ZOOM = 7;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* Text as HTML that shows that text: "<" becomes "&lt;" and so on. */
  function escapeHtml(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  /* A popup: a title and label/value lines, built as elements. */
  function popup(title, subtitle, lines) {
    var root = el("div", "f72-popup");
    root.appendChild(el("strong", "f72-popup-title", title));
    if (subtitle) root.appendChild(el("div", "f72-popup-sub", subtitle));
    var list = el("dl", "f72-popup-lines");
    lines.forEach(function (line) {
      if (line[1] === "" || line[1] === null || line[1] === undefined) return;
      list.appendChild(el("dt", null, line[0]));
      list.appendChild(el("dd", null, line[1]));
    });
    root.appendChild(list);
    return root;
  }

  /* The marker's shape: markup from constants only (Leaflet sets a divIcon's html with
     innerHTML). A status not known here gets the closed point's grey square. */
  var SHAPES = {
    open: "f72-status-open",
    gaat_open: "f72-status-gaat_open",
    vol: "f72-status-vol",
    gesloten: "f72-status-gesloten",
    location: "f72-location",
  };
  var ICONS = {};
  function markerIcon(shape) {
    var shapeClass = SHAPES[shape] || SHAPES.gesloten;
    if (!ICONS[shapeClass]) {
      ICONS[shapeClass] = L.divIcon({
        html: '<span class="f72-marker"><span class="f72-swatch ' + shapeClass + '" aria-hidden="true"></span></span>',
        className: "f72-divicon",
        iconSize: [26, 26],
        iconAnchor: [13, 13],
        popupAnchor: [0, -12],
      });
    }
    return ICONS[shapeClass];
  }

  /* A marker the keyboard reaches (Leaflet gives it role="button"), named by ``label``: the
     title is set as a property by Leaflet, so the name stays text. */
  function marker(item, shape, label, zIndexOffset) {
    return L.marker([item.lat, item.lon], {
      icon: markerIcon(shape),
      keyboard: true,
      title: label,
      zIndexOffset: zIndexOffset,
    });
  }

  function hasCoordinates(item) {
    return typeof item.lat === "number" && typeof item.lon === "number";
  }

  function chosenValues(form) {
    var chosen = {};
    ["kind", "status", "dependency"].forEach(function (name) {
      chosen[name] = new Set();
      form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
        if (box.checked) chosen[name].add(box.value);
      });
    });
    return chosen;
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) {
      return key in values ? String(values[key]) : "";
    });
  }

  function init(container) {
    if (container.dataset.first72Ready) return;
    var source = document.getElementById(container.dataset.mapData || "");
    if (!source || typeof L === "undefined") return;
    container.dataset.first72Ready = "1";
    var data = JSON.parse(source.textContent);
    var text = data.text || {};
    var block = container.parentElement;
    var status = block.querySelector("[data-map-status]");

    container.replaceChildren();
    var map = L.map(container, { zoomControl: false, minZoom: 6, maxZoom: 19 });
    L.control.zoom({ zoomInTitle: text.zoom_in, zoomOutTitle: text.zoom_out }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>'); // constant

    var offlineShown = false;
    function offline() {
      if (offlineShown) return;
      offlineShown = true;
      container.classList.add("is-offline");
      if (status) status.textContent = text.offline;
    }
    var tiles = data.tiles || {};
    if (tiles.url) {
      // The attribution comes from the settings, not from users; the control writes it with
      // innerHTML, so it is escaped all the same and shows as the text it is.
      var layer = L.tileLayer(tiles.url, {
        maxZoom: 19,
        attribution: escapeHtml(tiles.attribution || ""),
      });
      layer.on("tileerror", offline);
      layer.addTo(map);
    } else {
      offline();
    }

    var bounds = L.latLngBounds([]);

    // Districts first, so markers lie on top of the outlines.
    (data.districts || []).forEach(function (district) {
      if (!district.outline) return;
      var shape = L.geoJSON(district.outline, {
        style: { color: "#0b4f8a", weight: 2, opacity: 0.9, fillColor: "#0b4f8a", fillOpacity: 0.06 },
      });
      var summary = district.name + ": " + district.people_in_groups + " " + text.in_groups;
      shape.bindTooltip(el("span", "f72-tooltip", summary), { sticky: true });
      shape.bindPopup(function () {
        var lines = [
          [text.in_groups, district.people_in_groups],
          [text.locations_here, district.locations],
        ];
        var root = popup(district.name + " (" + district.code + ")", "", lines);
        root.appendChild(el("div", "f72-popup-sub", text.clusters));
        if (district.clusters.length) {
          var list = el("ul", "f72-popup-clusters");
          district.clusters.forEach(function (c) {
            list.appendChild(el("li", null, c.label + ": " + c.clusters + " (" + c.people + " " + text.people + ")"));
          });
          root.appendChild(list);
        } else {
          root.appendChild(el("div", null, text.no_clusters));
        }
        return root;
      });
      shape.addTo(map);
      var b = shape.getBounds();
      if (b.isValid()) bounds.extend(b);
    });

    var locationMarkers = [];
    (data.locations || []).forEach(function (location) {
      if (!hasCoordinates(location)) return;
      var label = text.vulnerable_location + ": " + location.name;
      var pin = marker(location, "location", label, 0);
      pin.bindPopup(function () {
        return popup(location.name, text.vulnerable_location + " · " + location.kind_label, [
          [text.address, location.address],
          [text.district, location.district],
          [text.number_of_people, location.people],
          [text.depends_on, location.dependency_labels.length ? location.dependency_labels.join(", ") : text.no_dependency],
        ]);
      });
      pin.addTo(map);
      bounds.extend(pin.getLatLng());
      locationMarkers.push({ item: location, marker: pin });
    });

    var pointMarkers = [];
    (data.points || []).forEach(function (point) {
      if (!hasCoordinates(point)) return;
      var label = point.name + " — " + text.status + ": " + point.status_label;
      var pin = marker(point, point.status, label, 1000);
      pin.bindPopup(function () {
        return popup(point.name, text.emergency_point + " · " + point.kind_label, [
          [text.status, point.status_label],
          [text.address, point.address],
          [text.district, point.district],
          [text.capacity, point.capacity + " " + text.people],
          [text.services, point.services.join(", ")],
        ]);
      });
      pin.addTo(map);
      bounds.extend(pin.getLatLng());
      pointMarkers.push({ item: point, marker: pin });
    });

    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    } else {
      map.setView(DEFAULT_CENTRE, DEFAULT_ZOOM);
    }

    var form = document.getElementById(container.dataset.filterForm || "");
    if (!form) return;
    var rows = document.getElementById(container.dataset.filterRows || "") || document;
    var count = form.querySelector("[data-filter-count]");
    var submit = form.querySelector("[data-filter-submit]");
    if (submit) submit.hidden = true; // the checkboxes filter at once

    function show(entry, visible) {
      if (visible && !map.hasLayer(entry.marker)) entry.marker.addTo(map);
      if (!visible && map.hasLayer(entry.marker)) entry.marker.remove();
    }

    function apply() {
      var chosen = chosenValues(form);
      var pointShown = {};
      var locationShown = {};
      var points = 0;
      var locations = 0;
      (data.points || []).forEach(function (point) {
        var visible = chosen.kind.has(point.kind) && chosen.status.has(point.status);
        pointShown[point.id] = visible;
        if (visible) points += 1;
      });
      (data.locations || []).forEach(function (location) {
        var visible = location.dependencies.some(function (d) { return chosen.dependency.has(d); });
        locationShown[location.id] = visible;
        if (visible) locations += 1;
      });
      pointMarkers.forEach(function (entry) { show(entry, pointShown[entry.item.id]); });
      locationMarkers.forEach(function (entry) { show(entry, locationShown[entry.item.id]); });
      rows.querySelectorAll("[data-f72-point]").forEach(function (row) {
        row.hidden = !pointShown[row.dataset.f72Point];
      });
      rows.querySelectorAll("[data-f72-location]").forEach(function (row) {
        row.hidden = !locationShown[row.dataset.f72Location];
      });
      if (count && text.filter_count) {
        count.textContent = format(text.filter_count, {
          points: points,
          points_total: (data.points || []).length,
          locations: locations,
          locations_total: (data.locations || []).length,
        });
      }
    }

    form.addEventListener("change", function () {
      apply();
      // The filtered view as a link to share; the server reads the same parameters.
      var params = new URLSearchParams(new FormData(form));
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
    });
    apply();
  }

  function start() {
    document.querySelectorAll("[data-first72-map]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
