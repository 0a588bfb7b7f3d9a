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
        followSlider(this.ctx, body);
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }
  });

  /* The actors holding land or places on the step shown (places with their inherited
   * state, cells of land, both sides of contested land): the others' entries are hidden,
   * so the list keeps its order and colours and follows the slider. */
  gc.Ctx.prototype.holdersAt = function (k) {
    var held = {};
    var actor = this.state.actor, i;
    for (i = 0; i < actor.length; i++) { if (actor[i] >= 0) { held[actor[i]] = true; } }
    var land = this.data.land;
    if (land && land.at[k] >= 0) {
      var codes = this.landCodes(land.at[k]);
      for (i = 0; i < codes.length; i++) { if (codes[i] >= 0) { held[codes[i]] = true; } }
      var hatch = land.hatch[land.at[k]];
      for (i = 0; i < hatch.length; i += 3) {
        if (hatch[i + 1] >= 0) { held[hatch[i + 1]] = true; }
        if (hatch[i + 2] >= 0) { held[hatch[i + 2]] = true; }
      }
    }
    return held;
  };

  function followSlider(ctx, body) {
    var items = body.querySelectorAll("li[data-actor]");
    ctx.onStep(function (k) {
      var held = ctx.holdersAt(k);
      for (var i = 0; i < items.length; i++) {
        items[i].hidden = !held[items[i].getAttribute("data-actor")];
      }
    });
  }

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
