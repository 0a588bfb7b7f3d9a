/* geoconflict base map: light countries, lakes, rivers and first-level admin lines, drawn
 * under the conflict when there are no tiles (or the tiles fail to load). Their names go
 * to the label layer (labels.js), which places them with the towns' names. */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.layers.basemap) { return; }

  gc.layers.basemap = function (ctx, group) {
    var b = ctx.data.basemap;
    var c = b.colors;
    var quiet = { interactive: false, smoothFactor: 0.5 };
    if (b.countries) {
      group.addLayer(L.polygon(gc.flat(gc.decodePolygons(b.countries.shapes)), L.extend({
        pane: "gc-land", color: c.border, weight: 1, opacity: 0.9, fillColor: c.land,
        fillOpacity: 1, className: "gc-base-country"
      }, quiet)));
    }
    if (b.lakes) {
      group.addLayer(L.polygon(gc.flat(gc.decodePolygons(b.lakes.shapes)), L.extend({
        pane: "gc-water", color: c.river, weight: 0.8, fillColor: c.water, fillOpacity: 0.9,
        className: "gc-base-lake"
      }, quiet)));
    }
    if (b.rivers) {
      group.addLayer(L.polyline(gc.flat(gc.decodeLines(b.rivers.lines)), L.extend({
        pane: "gc-water", color: c.river, weight: 1.8, opacity: 0.95, lineCap: "round",
        className: "gc-base-river"
      }, quiet)));
    }
    if (b.admin1) {
      group.addLayer(L.polyline(gc.flat(gc.decodeLines(b.admin1.lines)), L.extend({
        pane: "gc-admin", color: c.admin, weight: 1.1, opacity: 0.9, dashArray: "5 3",
        className: "gc-base-admin"
      }, quiet)));
    }
    /* the credits the layers' licences ask for, in the map's attribution line while the
     * base map is shown (escaped: text set as a text node, read back as markup) */
    var control = ctx.map.attributionControl;
    var credits = (b.credits || []).map(function (text) {
      var span = document.createElement("span");
      span.textContent = text;
      // Leaflet's attribution takes markup: the text node's escaped form, never data as markup
      // eslint-disable-next-line no-restricted-properties
      return span.innerHTML;
    });
    function credit(on) {
      if (!control) { return; }
      credits.forEach(function (line) {
        if (on) { control.addAttribution(line); } else { control.removeAttribution(line); }
      });
    }
    group.on("add", function () { credit(true); });
    group.on("remove", function () { credit(false); });
    if (ctx.map.hasLayer(group)) { credit(true); }
    return { update: function () {} };
  };
})();
