/* Noturība alert dashboard: the map of people reached by municipality (Leaflet, static file).
 *
 * #map carries its settings in data attributes (no inline script): the tile server, the id of
 * the JSON list of points (inside the live region, replaced by every HTMX refresh) and the
 * translated words of the marker labels. Markers sit at municipality centres, sized by the
 * people reached; red when someone there needs help. The table "By municipality" is the
 * accessible alternative and holds the same figures.
 */
(function () {
  "use strict";

  var LATVIA = [[55.67, 20.97], [58.09, 28.24]];
  var map = null;
  var layer = null;
  var fitted = false;

  function points(element) {
    var script = document.getElementById(element.dataset.pointsId);
    if (!script) {
      return [];
    }
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return [];
    }
  }

  function label(element, point) {
    var data = element.dataset;
    var text = point.name + ": " + point.people + " " + data.peopleLabel + ", " +
      point.answered + " " + data.answeredLabel;
    if (point.need_help) {
      text += ", " + point.need_help + " " + data.needHelpLabel;
    }
    if (point.failed) {
      text += ", " + point.failed + " " + data.failedLabel;
    }
    return text;
  }

  function draw(element) {
    if (!map) {
      return;
    }
    if (layer) {
      layer.remove();
    }
    layer = L.featureGroup();
    points(element).forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: Math.min(6 + 3 * Math.sqrt(point.people), 30),
        color: "#ffffff",
        weight: 1.5,
        fillColor: point.need_help ? "#9b1c1c" : "#1d4ed8",
        fillOpacity: 0.85
      });
      // The number of people on the marker; the whole line in its popup.
      marker.bindTooltip(String(point.people), {
        permanent: true,
        direction: "center",
        className: "alert-map-count"
      });
      marker.bindPopup(label(element, point));
      layer.addLayer(marker);
    });
    layer.addTo(map);
    if (!fitted && layer.getLayers().length > 0) {
      map.fitBounds(layer.getBounds(), { maxZoom: 10, padding: [30, 30] });
      fitted = true;
    }
  }

  function start() {
    document.querySelectorAll(".js-only").forEach(function (node) {
      node.hidden = false;
    });
    var element = document.getElementById("map");
    if (!element || element.dataset.map !== "alert" || typeof L === "undefined") {
      return;
    }
    var zoom = {};
    if (element.dataset.zoomInLabel) {
      zoom.zoomInTitle = element.dataset.zoomInLabel;
    }
    if (element.dataset.zoomOutLabel) {
      zoom.zoomOutTitle = element.dataset.zoomOutLabel;
    }
    map = L.map(element, { preferCanvas: true, scrollWheelZoom: false, zoomControl: false });
    L.control.zoom(zoom).addTo(map);
    var tiles = L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution,
      maxZoom: 18
    });
    var failed = false;
    tiles.on("tileerror", function () {
      if (!failed) {
        failed = true;
        element.classList.add("map-no-tiles");
        var note = document.getElementById("map-tiles-note");
        if (note) {
          note.hidden = false;
        }
      }
    });
    tiles.addTo(map);
    map.fitBounds(LATVIA);
    draw(element);
    // The live region was fetched again: its list of points too.
    document.body.addEventListener("htmx:afterSettle", function () {
      draw(element);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
