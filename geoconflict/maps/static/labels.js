/* geoconflict labels: the names of countries, governorates, rivers and towns drawn on the
 * map as text nodes (never markup), placed in priority order and never over each other.
 *
 * Order: countries, then the first tier of towns (capitals, governorate seats, the largest
 * cities), governorates, rivers and lakes, then the other towns by their label order
 * (seat level, population, name; from Python's style.label_order). A town's name tries the
 * four sides of its marker (the reading side first); a name that fits nowhere free is left
 * out, so zooming in shows more names. Placement runs after each zoom or pan.
 */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.layers.labels) { return; }
  var CELL = 64;
  var PAD = 2;

  function Grid() { this.cells = {}; }
  Grid.prototype.keys = function (b) {
    var out = [];
    for (var x = Math.floor(b[0] / CELL); x <= Math.floor(b[2] / CELL); x++) {
      for (var y = Math.floor(b[1] / CELL); y <= Math.floor(b[3] / CELL); y++) {
        out.push(x + ":" + y);
      }
    }
    return out;
  };
  Grid.prototype.hits = function (b) {
    var keys = this.keys(b);
    for (var i = 0; i < keys.length; i++) {
      var list = this.cells[keys[i]];
      if (!list) { continue; }
      for (var j = 0; j < list.length; j++) {
        var o = list[j];
        if (b[0] < o[2] + PAD && o[0] < b[2] + PAD && b[1] < o[3] + PAD && o[1] < b[3] + PAD) {
          return true;
        }
      }
    }
    return false;
  };
  Grid.prototype.add = function (b) {
    var keys = this.keys(b);
    for (var i = 0; i < keys.length; i++) {
      (this.cells[keys[i]] = this.cells[keys[i]] || []).push(b);
    }
  };

  gc.layers.labels = function (ctx, group) {
    var map = ctx.map;
    var data = ctx.data;
    var pane = map.getPane("gc-labels");
    var layer = L.DomUtil.create("div", "gc-label-layer", pane);
    var rtl = data.dir === "rtl";
    var items = [];
    var measured = false;
    var on = false;
    var tiers = [0, 6, 8, 9];

    function add(text, lat, lng, cls, minZoom, maxZoom, radius) {
      if (!text || lat === null || lng === null) { return; }
      items.push({ text: text, latlng: L.latLng(lat, lng), cls: cls, min: minZoom,
                   max: maxZoom, r: radius, node: null, w: 0, h: 0 });
    }
    function addAll(labels, cls, minZoom, maxZoom) {
      if (!labels) { return; }
      for (var i = 0; i < labels.name.length; i++) {
        add(labels.name[i], labels.lat[i], labels.lon[i], cls, minZoom, maxZoom, -1);
      }
    }

    var p = data.places;
    var b = data.basemap || {};
    var points = p.order.filter(function (i) { return p.shape[i] < 0; });
    var towns = points.length ? points : p.order;
    function addTowns(tier, from) {
      towns.forEach(function (i) {
        var t = p.tier[i];
        if ((from === 0 && t === 0) || (from === 1 && t > 0)) {
          add(p.name[i], p.lat[i], p.lon[i], "gc-label-town gc-tier-" + t, tiers[t] || 0, 99,
              p.shape[i] < 0 ? p.radius[i] : -1);
        }
      });
    }
    if (b.countries) { addAll(b.countries.labels, "gc-label-country", 0, 9); }
    addTowns(0, 0);
    addAll(b.admin1_labels, "gc-label-admin", 6, 9);
    if (b.rivers) { addAll(b.rivers.labels, "gc-label-water", 6, 99); }
    if (b.lakes) { addAll(b.lakes.labels, "gc-label-water", 7, 99); }
    addTowns(1, 1);

    /* Each name's size from the canvas's text metrics in its class's font (one style
     * lookup per class, no page layout), its node made only when it is first shown. */
    function measure() {
      var canvas = document.createElement("canvas").getContext("2d");
      var fonts = {};
      items.forEach(function (item) {
        if (!fonts[item.cls]) {
          var probe = ctx.dir(gc.el("div", "gc-label " + item.cls, "x", layer));
          var style = window.getComputedStyle(probe);
          var size = parseFloat(style.fontSize);
          fonts[item.cls] = {
            font: style.fontStyle + " " + style.fontWeight + " " + style.fontSize + " " +
              style.fontFamily,
            upper: style.textTransform === "uppercase",
            spacing: parseFloat(style.letterSpacing) || 0,
            height: Math.ceil(probe.offsetHeight || size * 1.15)
          };
          layer.removeChild(probe);
        }
        var f = fonts[item.cls];
        canvas.font = f.font;
        var text = f.upper ? item.text.toUpperCase() : item.text;
        item.w = Math.ceil(canvas.measureText(text).width + f.spacing * text.length) + 2;
        item.h = f.height;
      });
      measured = true;
    }

    function node(item) {
      if (!item.node) {
        item.node = ctx.dir(gc.el("div", "gc-label " + item.cls, item.text, layer));
      }
      return item.node;
    }

    function spots(item, x, y) {
      var w = item.w, h = item.h;
      if (item.r < 0) { return [[x - w / 2, y - h / 2]]; }
      var r = item.r + 3;
      var right = [x + r, y - h / 2], left = [x - r - w, y - h / 2];
      var above = [x - w / 2, y - item.r - 1 - h], below = [x - w / 2, y + item.r + 1];
      return rtl ? [left, right, above, below] : [right, left, above, below];
    }

    function layout() {
      if (!on) { return; }
      if (!measured) { measure(); }
      var zoom = map.getZoom();
      var size = map.getSize();
      var grid = new Grid();
      var shown = 0;
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var placed = null;
        if (zoom >= item.min && zoom <= item.max) {
          var pt = map.latLngToContainerPoint(item.latlng);
          if (pt.x >= -50 && pt.y >= -50 && pt.x <= size.x + 50 && pt.y <= size.y + 50) {
            var options = spots(item, pt.x, pt.y);
            for (var o = 0; o < options.length && !placed; o++) {
              var box = [options[o][0], options[o][1], options[o][0] + item.w,
                         options[o][1] + item.h];
              if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) {
                continue;
              }
              if (!grid.hits(box)) { placed = box; }
            }
            if (placed) {
              grid.add(placed);
              if (item.r >= 0) {  // its marker stays clear of later names
                grid.add([pt.x - item.r, pt.y - item.r, pt.x + item.r, pt.y + item.r]);
              }
            }
          }
        }
        if (placed) {
          var at = map.containerPointToLayerPoint([placed[0], placed[1]]);
          var label = node(item);
          L.DomUtil.setPosition(label, at);
          label.style.width = item.w + "px";
          label.style.display = "";
          shown++;
        } else if (item.node) {
          item.node.style.display = "none";
        }
      }
      layer.setAttribute("data-shown", String(shown));
    }

    map.on("zoomend moveend resize viewreset", layout);
    group.on("add", function () {
      on = true;
      layer.style.display = "";
      layout();
    });
    group.on("remove", function () {
      on = false;
      layer.style.display = "none";
    });
    on = map.hasLayer(group);  // folium adds the group to the map before this runs
    return {
      items: items,
      layout: layout,
      update: function () { if (on && !measured) { layout(); } }
    };
  };
})();
