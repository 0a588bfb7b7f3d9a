/* geoconflict legend and title: markup rendered (and escaped) by Python, placed in a
 * Leaflet control / over the map here; the title's date follows the slider. */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.Legend) { return; }

  gc.Legend = L.Control.extend({
    options: { position: "bottomright" },
    initialize: function (ctx, id, options) {
      L.setOptions(this, options);
      this.ctx = ctx;
      this.id = id;
    },
    onAdd: function () {
      var box = gc.el("div", "gc-legend-control leaflet-bar");
      var body = document.getElementById(this.id);
      if (body) {
        body.hidden = false;
        box.appendChild(body);
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });

  gc.title = function (ctx, id) {
    var node = document.getElementById(id);
    if (!node) { return; }
    ctx.map.getContainer().appendChild(node);
    node.hidden = false;
    L.DomEvent.disableClickPropagation(node);
    var date = node.querySelector(".gc-title-date");
    ctx.onStep(function (k) {  // the date as the page's language writes it; ISO in data-date
      date.textContent = ctx.dateText(k);
      date.setAttribute("data-date", ctx.data.steps[k] || "");
    });
  };
})();
