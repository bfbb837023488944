/* Noturība maps: progressive enhancement of #map (Leaflet, served as a static file).
 *
 * The element carries everything in data attributes (no inline script, CSP-friendly):
 *   data-map="point"       one marker at data-lat / data-lon, titled data-name
 *   data-map="collection"  markers from the GeoJSON at data-geojson-url
 *   data-tile-url, data-tile-attribution  the tile server (may be offline)
 *   data-approximate-label  text for markers placed at a municipality's centre
 *   data-zoom-in-label, data-zoom-out-label, data-close-label  the controls' names, translated
 *     by the page (Leaflet's own are English)
 * When tiles fail to load, the markers stay and #map-tiles-note is shown; the page's text list
 * stays the accessible alternative.
 */
(function () {
  "use strict";

  var LATVIA = [[55.67, 20.97], [58.09, 28.24]];

  function show(id) {
    var note = document.getElementById(id);
    if (note) {
      note.hidden = false;
    }
  }

  function translatedControls(map, element) {
    var zoom = {};
    if (element.dataset.zoomInLabel) {
      zoom.zoomInTitle = element.dataset.zoomInLabel;
    }
    if (element.dataset.zoomOutLabel) {
      zoom.zoomOutTitle = element.dataset.zoomOutLabel;
    }
    L.control.zoom(zoom).addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && element.dataset.closeLabel) {
        close.setAttribute("aria-label", element.dataset.closeLabel);
      }
    });
  }

  function baseMap(element) {
    var map = L.map(element, { preferCanvas: true, scrollWheelZoom: false, zoomControl: false });
    translatedControls(map, element);
    var tiles = L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution,
      maxZoom: 18
    });
    var failed = false;
    tiles.on("tileerror", function () {
      if (!failed) {
        failed = true;
        element.classList.add("map-no-tiles");
        show("map-tiles-note");
      }
    });
    tiles.addTo(map);
    map.fitBounds(LATVIA);
    return map;
  }

  function popup(properties, approximateLabel) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    box.appendChild(link);
    if (properties.municipality) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(properties.municipality));
    }
    if (!properties.exact && approximateLabel) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode("(" + approximateLabel + ")"));
    }
    return box;
  }

  function pointMap(element) {
    var lat = parseFloat(element.dataset.lat);
    var lon = parseFloat(element.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) {
      return;
    }
    var map = baseMap(element);
    L.marker([lat, lon], { title: element.dataset.name, alt: element.dataset.name }).addTo(map);
    map.setView([lat, lon], 12);
  }

  function collectionMap(element) {
    var map = baseMap(element);
    fetch(element.dataset.geojsonUrl, {
      headers: { Accept: "application/geo+json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("GeoJSON request failed: " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, {
              radius: 6,
              color: "#ffffff",
              weight: 1.5,
              fillColor: feature.properties.exact ? "#7a1f1f" : "#1d4ed8",
              fillOpacity: 0.9
            });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popup(feature.properties, element.dataset.approximateLabel));
            marker.bindTooltip(feature.properties.name);
          }
        }).addTo(map);
        if (collection.features.length > 0) {
          map.fitBounds(layer.getBounds(), { maxZoom: 12, padding: [20, 20] });
        }
        if (collection.truncated) {
          show("map-truncated-note");
        }
      })
      .catch(function () {
        element.classList.add("map-failed");
      });
  }

  function start() {
    var element = document.getElementById("map");
    if (!element || typeof L === "undefined") {
      return;
    }
    if (element.dataset.map === "point") {
      pointMap(element);
    } else if (element.dataset.map === "collection") {
      collectionMap(element);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
