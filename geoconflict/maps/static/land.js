/* geoconflict land: territories, land that changed hands, and frontlines, all from the
 * cells of land sent once (ctx.data.land). A step only restyles the cells whose label
 * changed; frontlines are the shared edges whose two cells carry different known labels.
 * Contested land is hatched in the two sides' colours, unknown land dotted grey (SVG
 * patterns in the territory renderer's <defs>).
 */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.layers.territories) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  var CHECKPOINT = 16;

  /* ---------------------------------------------------------------- labels per key */
  /* The labels of every cell at control date ``key`` (Int32Array; -1 before the first):
   * the first date's labels with the later dates' differences applied, from the nearest
   * stored checkpoint. */
  gc.Ctx.prototype.landCodes = function (key) {
    var land = this.data.land;
    var cache = this._landCache || (this._landCache = {});
    if (key < 0) {
      if (!cache.none) { cache.none = new Int32Array(land.base.length).fill(-1); }
      return cache.none;
    }
    if (cache[key]) { return cache[key]; }
    var from = key - (key % CHECKPOINT);
    var codes;
    if (cache[from]) {
      codes = Int32Array.from(cache[from]);
    } else {
      codes = Int32Array.from(land.base);
      for (var j = 1; j <= from; j++) { applyDiff(codes, land.diff[j - 1]); }
      cache[from] = Int32Array.from(codes);
    }
    for (var k = from + 1; k <= key; k++) { applyDiff(codes, land.diff[k - 1]); }
    if (this._landLast !== undefined && this._landLast % CHECKPOINT) {
      delete cache[this._landLast];
    }
    cache[key] = codes;
    this._landLast = key;
    return codes;
  };

  function applyDiff(codes, diff) {
    for (var i = 0; i < diff.length; i += 2) { codes[diff[i]] = diff[i + 1]; }
  }

  /* The two sides of each contested cell at ``key``: {cell: [a, b]}. */
  gc.Ctx.prototype.landHatch = function (key) {
    var out = {};
    var list = key >= 0 ? this.data.land.hatch[key] : [];
    for (var i = 0; i < list.length; i += 3) { out[list[i]] = [list[i + 1], list[i + 2]]; }
    return out;
  };

  /* ---------------------------------------------------------------- patterns */
  function patterns(ctx, svg) {
    var defs = svg.querySelector("defs.gc-defs");
    if (!defs) {
      defs = document.createElementNS(SVG, "defs");
      defs.setAttribute("class", "gc-defs");
      svg.insertBefore(defs, svg.firstChild);
    }
    var prefix = "gc-" + ctx.map.getContainer().id + "-";
    function make(id, draw) {
      if (defs.querySelector("#" + CSS.escape(id))) { return; }
      var pattern = document.createElementNS(SVG, "pattern");
      pattern.setAttribute("id", id);
      pattern.setAttribute("patternUnits", "userSpaceOnUse");
      pattern.setAttribute("width", "8");
      pattern.setAttribute("height", "8");
      pattern.setAttribute("patternTransform", "rotate(45)");
      draw(pattern);
      defs.appendChild(pattern);
    }
    function rect(pattern, x, width, color, opacity) {
      var r = document.createElementNS(SVG, "rect");
      r.setAttribute("x", String(x));
      r.setAttribute("y", "0");
      r.setAttribute("width", String(width));
      r.setAttribute("height", "8");
      r.setAttribute("fill", color);
      r.setAttribute("fill-opacity", String(opacity));
      pattern.appendChild(r);
    }
    return {
      hatch: function (a, b) {
        var id = prefix + "hatch-" + a + "-" + b;
        var ca = ctx.actorColor(a), cb = b >= 0 ? ctx.actorColor(b) : ctx.data.colors.contested;
        make(id, function (p) { rect(p, 0, 4, ca, 0.55); rect(p, 4, 4, cb, 0.55); });
        return "url(#" + id + ")";
      },
      unknown: function () {
        var id = prefix + "unknown";
        make(id, function (p) {
          rect(p, 0, 8, ctx.data.colors.unknown, 0.18);
          rect(p, 0, 1.5, ctx.data.colors.unknown_dots, 0.55);
        });
        return "url(#" + id + ")";
      }
    };
  }

  /* ---------------------------------------------------------------- territories */
  gc.layers.territories = function (ctx, group) {
    var land = ctx.data.land;
    var renderer = L.svg({ pane: "gc-territories" });
    var shapes = gc.decodePolygons(land.cells);
    var cells = new Array(shapes.length);
    var shownKey = null;
    var styleKey = new Array(shapes.length);
    var fill = null;
    var codes = null;

    for (var n = 0; n < shapes.length; n++) {
      cells[n] = L.polygon(shapes[n], {
        renderer: renderer, pane: "gc-territories", stroke: false, fillOpacity: 0,
        smoothFactor: 0, className: "gc-cell"
      });
      cells[n].gcIndex = n;
      group.addLayer(cells[n]);
    }

    function totals(code) {
      var area = 0, people = 0;
      for (var i = 0; i < codes.length; i++) {
        if (codes[i] === code) {
          area += land.area[i] || 0;
          people += land.population[i] || 0;
        }
      }
      return [area, people];
    }

    group.bindTooltip(function (layer) {
      var code = codes ? codes[layer.gcIndex] : -1;
      var sum = totals(code);
      return ctx.card("gc-territory-card", ctx.actorName(code), [
        [ctx.words.area, ctx.number(sum[0]) + " " + ctx.words.km2],
        [ctx.words.population, sum[1] > 0 ? ctx.number(sum[1]) : null]
      ]);
    }, { sticky: true });

    return {
      cells: cells,
      update: function (k) {
        var key = land.at[k];
        if (key === shownKey) { return; }
        shownKey = key;
        if (!fill) { fill = patterns(ctx, renderer._container); }
        codes = ctx.landCodes(key);
        var hatch = ctx.landHatch(key);
        for (var i = 0; i < cells.length; i++) {
          var code = codes[i];
          var sides = code === -2 ? hatch[i] || [-1, -1] : null;
          var sk = sides ? "c" + sides[0] + "-" + sides[1] : String(code);
          if (sk === styleKey[i]) { continue; }
          styleKey[i] = sk;
          var style;
          if (code >= 0) {
            style = { fillColor: ctx.actorColor(code), fillOpacity: 0.32 };
          } else if (code === -2) {
            style = { fillColor: fill.hatch(sides[0], sides[1]), fillOpacity: 1 };
          } else {
            style = { fillColor: fill.unknown(), fillOpacity: 1 };
          }
          cells[i].setStyle(style);
          var node = cells[i].getElement();
          if (node) { node.setAttribute("data-label", sk); }
        }
      }
    };
  };

  /* ---------------------------------------------------------------- changes */
  /* The land each gainer took since the step before: tinted and outlined in its colour. */
  gc.layers.changes = function (ctx, group) {
    var ch = ctx.data.land.changes;
    var shapes = null;
    var byStep = {};
    for (var c = 0; c < ch.step.length; c++) {
      (byStep[ch.step[c]] = byStep[ch.step[c]] || []).push(c);
    }
    var cache = {};
    gc.whenIdle(function () { if (!shapes) { shapes = gc.decodePolygons(ch.shapes); } });
    group.bindTooltip(function (layer) {
      return ctx.card("gc-change-card", ctx.words.changed, [
        ["", ctx.words.arrow + " " + ctx.actorName(layer.gcActor)]]);
    }, { sticky: true });
    return {
      update: function (k) {
        group.clearLayers();
        var list = byStep[k];
        if (!list) { return; }
        if (!shapes) { shapes = gc.decodePolygons(ch.shapes); }
        if (!cache[k]) {
          cache[k] = [];
          list.forEach(function (j) {
            var color = ch.actor[j] >= 0 ? ctx.actorColor(ch.actor[j])
              : ctx.data.colors.contested;
            cache[k].push(L.polygon(shapes[j], {
              pane: "gc-changes", color: ctx.data.colors.changed_casing, weight: 5,
              opacity: 0.9, fill: false,
              interactive: false, className: "gc-changed-casing"
            }));
            var shape = L.polygon(shapes[j], {
              pane: "gc-changes", color: color, weight: 2.5, opacity: 1, dashArray: "7 4",
              fillColor: color, fillOpacity: 0.28, className: "gc-changed"
            });
            shape.gcActor = ch.actor[j];
            cache[k].push(shape);
          });
        }
        cache[k].forEach(function (layer) { group.addLayer(layer); });
      }
    };
  };

  /* ---------------------------------------------------------------- frontlines */
  gc.layers.frontlines = function (ctx, group) {
    var land = ctx.data.land;
    var e = land.edges;
    var lines = null;
    var cache = {};
    var shown = null;
    group.bindTooltip(function (layer) {
      return ctx.card("gc-frontline-card", ctx.words.frontline, [
        ["", ctx.actorName(layer.gcPair[0]) + " / " + ctx.actorName(layer.gcPair[1])],
        [ctx.words.length, ctx.number(layer.gcKm) + " " + ctx.words.km]
      ]);
    }, { sticky: true });

    function build(key) {
      if (!lines) { lines = gc.decodeLines(e.lines); }
      var codes = ctx.landCodes(key);
      var pairs = {};
      var order = [];
      for (var i = 0; i < e.a.length; i++) {
        var la = codes[e.a[i]], lb = codes[e.b[i]];
        if (la === lb || la === -1 || lb === -1) { continue; }
        var lo = Math.min(la, lb), hi = Math.max(la, lb);
        var id = lo + "/" + hi;
        if (!pairs[id]) {
          pairs[id] = { pair: [lo, hi], parts: [], km: 0 };
          order.push(id);
        }
        Array.prototype.push.apply(pairs[id].parts, lines[i]);
        pairs[id].km += e.km[i] || 0;
      }
      return order.map(function (pairId) {
        var line = L.polyline(pairs[pairId].parts, {
          pane: "gc-frontlines", color: ctx.data.colors.front, weight: 3.5, opacity: 0.9,
          lineCap: "round", lineJoin: "round", className: "gc-front", smoothFactor: 0
        });
        line.gcPair = pairs[pairId].pair;
        line.gcKm = pairs[pairId].km;
        return line;
      });
    }

    /* the other dates' frontlines are prepared while the page is idle, so the first visit
     * of a date only adds them */
    gc.whenIdle(function () {
      for (var key = 0; key < land.keys.length; key++) {
        if (!cache[key]) { cache[key] = build(key); }
      }
    });

    return {
      update: function (k) {
        var key = land.at[k];
        if (key === shown) { return; }
        shown = key;
        group.clearLayers();
        if (key < 0) { return; }
        if (!cache[key]) { cache[key] = build(key); }
        cache[key].forEach(function (layer) { group.addLayer(layer); });
      }
    };
  };
})();
