/* Shelter form: show both capacities while the floor area is typed (progressive enhancement;
 * the server computes and shows them after saving). Integer arithmetic on tenths of m², the
 * same rounding down as the server: short stay 0.75 m² (7.5 tenths), Sphere 3.5 m² (35 tenths).
 */
(function () {
  "use strict";

  function start() {
    var input = document.getElementById("id_floor_area");
    var preview = document.getElementById("capacity-preview");
    if (!input || !preview) {
      return;
    }
    function update() {
      var area = parseFloat(String(input.value).replace(",", "."));
      if (isNaN(area) || area <= 0) {
        preview.hidden = true;
        return;
      }
      var tenths = Math.round(area * 10);
      var shortStay = Math.floor((tenths * 2) / 15);
      var sphere = Math.floor(tenths / 35);
      preview.textContent = preview.dataset.template
        .replace("{short}", String(shortStay))
        .replace("{sphere}", String(sphere));
      preview.hidden = false;
    }
    input.addEventListener("input", update);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
