/* geoconflict flows: every flow line drawn by one canvas layer, straight from arrays.
 *
 * Each origin-destination pair is the quadratic curve through its origin, the middle of
 * its geodesic curve (computed in Python, bent to the right of travel) and its destination.
 * The three points are projected once to zoom-0 pixels in a Float64Array (start, control
 * point, end), so a redraw is a multiply and an add per point. Widths follow one scale for
 * every date (Python's style.FlowScale); colour tells the category, a dash an estimate, a
 * pale wider line under a flow the upper end of its range, an arrowhead the direction.
 * Zoomed out below ``merge.below``, flows between the same two groups (governorates) are
 * drawn as one line. People counted where they are (no origin) are circles with their
 * number, from the count's date until the next count at the place.
 *
 * The canvas takes no pointer events: the map's mousemove finds the flow under the pointer
 * (bounding boxes first, then the distance to the flattened curve) and shows its tooltip,
 * so the layers underneath keep their own tooltips.
 *
 * Longer than our other files (about 500 lines) for a reason: it is one Leaflet renderer,
 * whose drawing, hit-testing and tooltips share the same projected arrays.
 */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.layers.flows) { return; }
  var OPACITY = 0.6;
  var TOLERANCE = 3;
  var BATCH = 256;
  /* Above this many flows shown, hairline flows get no arrowhead (their tooltip still says
   * which way they go): tens of thousands of tiny arrows only darken the map. */
  var HAIRLINE_HEADS = 5000;
  var MAX_LAT = 85.0511287798;

  /* Web Mercator (EPSG:3857), as Leaflet's L.CRS.EPSG3857.latLngToPoint(latlng, 0). */
  function project(lat, lon) {
    var phi = Math.max(Math.min(MAX_LAT, lat), -MAX_LAT) * Math.PI / 180;
    return [256 * (0.5 + lon / 360),
            256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI))];
  }

  function curves(q, offset, origin, destination, middle, grid, lat, lon) {
    for (var p = 0; p < origin.length; p++) {
      var s0 = project(lat[origin[p]], lon[origin[p]]);
      var e0 = project(lat[destination[p]], lon[destination[p]]);
      var m0 = project(middle[2 * p + 1] * grid, middle[2 * p] * grid);
      var o = (offset + p) * 6;
      q[o] = s0[0];
      q[o + 1] = s0[1];
      q[o + 2] = 2 * m0[0] - (s0[0] + e0[0]) / 2;
      q[o + 3] = 2 * m0[1] - (s0[1] + e0[1]) / 2;
      q[o + 4] = e0[0];
      q[o + 5] = e0[1];
    }
  }

  /* The canvas's stroke state, changed only when a line needs another: tens of thousands
   * of flows share a handful of states. ``dash`` is the line width a dash is sized for, or
   * null for a solid line. */
  function Pen(ctx) {
    this.ctx = ctx;
    this.alpha = this.color = this.dash = this.width = undefined;
  }
  Pen.prototype.set = function (alpha, color, dash, width) {
    var ctx = this.ctx;
    if (alpha !== this.alpha) { ctx.globalAlpha = this.alpha = alpha; }
    if (color !== null && color !== this.color) { ctx.strokeStyle = this.color = color; }
    if (dash !== this.dash) {
      this.dash = dash;
      ctx.setLineDash(dash === null ? [] : [Math.max(2 * dash, 3), Math.max(dash, 2)]);
    }
    if (width !== this.width) { ctx.lineWidth = this.width = width; }
  };

  var FlowRenderer = L.Canvas.extend({
    options: { padding: 0 },

    initialize: function (ctx, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.gc = ctx;
      var flows = ctx.data.flows;
      var f = this.f = flows.lines;
      var m = this.m = flows.merged;
      var pr = this.pr = flows.rings;
      this.colors = flows.colors;
      this.scale = flows.scale;
      this.shown = new Uint8Array(f.pair.length);
      this.nShown = 0;
      this.nPairs = f.origin.length;
      this.nMerged = m.origin.length;
      this.sumLow = new Float64Array(this.nMerged);
      this.sumHigh = new Float64Array(this.nMerged);
      this.count = new Int32Array(this.nMerged);
      this.dashMerged = new Uint8Array(this.nMerged);
      var lat = ctx.data.places.lat, lon = ctx.data.places.lon;
      /* per pair (individual pairs, then merged ones): start, control point, end */
      var q = this.q = new Float64Array((this.nPairs + this.nMerged) * 6);
      curves(q, 0, f.origin, f.destination, f.middle, flows.grid, lat, lon);
      curves(q, this.nPairs, m.origin, m.destination, m.middle, flows.grid, lat, lon);
      this.box = new Float64Array((this.nPairs + this.nMerged) * 4);
      this.ring = new Float64Array(pr.place.length * 2);
      for (var i = 0; i < pr.place.length; i++) {
        var xy = project(lat[pr.place[i]], lon[pr.place[i]]);
        this.ring[2 * i] = xy[0];
        this.ring[2 * i + 1] = xy[1];
      }
      this.ringShown = new Uint8Array(pr.place.length);
      this.list = [];
      this.merging = false;
    },

    getEvents: function () {
      var events = L.Canvas.prototype.getEvents.call(this);
      events.mousemove = this._onMapMouseMove;
      events.mouseout = this._hideTip;
      return events;
    },

    onAdd: function (map) {
      L.Canvas.prototype.onAdd.call(this, map);
      this._container.style.pointerEvents = "none";
      this.merging = this.nMerged > 0 && map.getZoom() < this.m.below;
      this._rebuild();
      map.on("zoomend", this._mergeOnZoom, this);
    },

    onRemove: function (map) {
      this._hideTip();
      map.off("zoomend", this._mergeOnZoom, this);
      L.Canvas.prototype.onRemove.call(this, map);
    },

    _mergeOnZoom: function () {
      var merging = this.nMerged > 0 && this._map.getZoom() < this.m.below;
      if (merging !== this.merging) {
        this.merging = merging;
        this._rebuild();
        this._redraw();
      }
    },

    /* The width of a merged line (the same scale as Python's style.FlowScale). */
    width: function (people) {
      var s = this.scale;
      if (!(s.top > 0)) { return s.thinnest; }
      return Math.max(s.widest * Math.sqrt(Math.min(Math.max(people, 0) / s.top, 1)),
                      s.thinnest);
    },

    setShown: function (k) {
      var f = this.f;
      var changed = false;
      var count = 0;
      for (var i = 0; i < f.pair.length; i++) {
        var on = f.first[i] <= k && k <= f.last[i] ? 1 : 0;
        if (on !== this.shown[i]) {
          this.shown[i] = on;
          changed = true;
        }
        count += on;
      }
      var pr = this.pr;
      for (var r = 0; r < pr.place.length; r++) {
        var ringOn = pr.first[r] <= k && k <= pr.last[r] ? 1 : 0;
        if (ringOn !== this.ringShown[r]) {
          this.ringShown[r] = ringOn;
          changed = true;
        }
      }
      this.nShown = count;
      if (changed) {
        this._rebuild();
        if (this._map) { this._redraw(); }
        this._hideTip();
      }
    },

    /* The list drawn, largest first: [pair, width, upper width, category, dashed, ref]
     * where ref >= 0 is a flow and ref < 0 the merged line -(ref + 1). */
    _rebuild: function () {
      var f = this.f, m = this.m;
      var list = [];
      var merging = this.merging;
      if (merging) {
        this.sumLow.fill(0);
        this.sumHigh.fill(0);
        this.count.fill(0);
        this.dashMerged.fill(0);
      }
      for (var i = 0; i < f.pair.length; i++) {
        if (!this.shown[i]) { continue; }
        var g = f.group[i];
        if (merging && g >= 0) {
          this.sumLow[g] += f.people[i];
          this.sumHigh[g] += f.people_max[i] === null ? f.people[i] : f.people_max[i];
          this.count[g] += 1;
          if (f.estimate[i]) { this.dashMerged[g] = 1; }
          continue;
        }
        list.push([f.pair[i], f.width[i], f.width_max[i] === null ? f.width[i] : f.width_max[i],
                   f.category[i], f.estimate[i], i]);
      }
      if (merging) {
        for (var j = 0; j < this.nMerged; j++) {
          if (!this.count[j]) { continue; }
          list.push([this.nPairs + j, this.width(this.sumLow[j]), this.width(this.sumHigh[j]),
                     m.category[j], this.dashMerged[j], -(j + 1)]);
        }
        list.sort(function (a, b) { return b[1] - a[1]; });
      }
      this.list = list;
    },

    /* Leaflet's canvas redraws its path layers here; we draw our arrays instead. */
    _updatePaths: function () {
      if (this._postponeUpdatePaths) { return; }
      this._redrawBounds = null;
      this._redraw();
    },

    /* Thick lines are stroked one by one (a path of many overlapping strokes is very slow
     * to rasterise); lines of 1 px or less are batched per colour and dash, which the
     * rasteriser draws as fast hairlines. Arrowheads are filled last, in batches. */
    _draw: function () {
      var map = this._map;
      if (!map || !this._bounds) { return; }
      var ctx = this._ctx;
      var colors = this.colors;
      var scale = map.getZoomScale(map.getZoom(), 0);
      var origin = map.getPixelOrigin();
      var b = this._bounds;
      var q = this.q;
      var box = this.box;
      var heads = [];
      var hairs = {};
      var many = this.list.length > HAIRLINE_HEADS;
      ctx.save();
      ctx.lineCap = "butt";  // round caps and joins cost much more to rasterise, and
      ctx.lineJoin = "miter";  // the curves bend too little for them to show
      var pen = new Pen(ctx);
      for (var n = 0; n < this.list.length; n++) {
        var item = this.list[n];
        var pair = item[0], w = item[1], wMax = item[2];
        var o = pair * 6;
        var sx = q[o] * scale - origin.x, sy = q[o + 1] * scale - origin.y;
        var cx = q[o + 2] * scale - origin.x, cy = q[o + 3] * scale - origin.y;
        var ex = q[o + 4] * scale - origin.x, ey = q[o + 5] * scale - origin.y;
        var minx = Math.min(sx, cx, ex), maxx = Math.max(sx, cx, ex);
        var miny = Math.min(sy, cy, ey), maxy = Math.max(sy, cy, ey);
        box[pair * 4] = minx;
        box[pair * 4 + 1] = miny;
        box[pair * 4 + 2] = maxx;
        box[pair * 4 + 3] = maxy;
        if (maxx < b.min.x - wMax || minx > b.max.x + wMax || maxy < b.min.y - wMax ||
            miny > b.max.y + wMax) {
          continue;
        }
        var color = colors[item[3]] || colors[0];
        if (w > 1 || wMax > w) {
          if (wMax > w) {  // the range: a pale line as wide as the upper figure
            pen.set(0.22, color, null, wMax);
            ctx.beginPath();
            ctx.moveTo(sx, sy);
            ctx.quadraticCurveTo(cx, cy, ex, ey);
            ctx.stroke();
          }
          pen.set(OPACITY, color, item[4] ? w : null, Math.max(w, 1));
          ctx.beginPath();
          ctx.moveTo(sx, sy);
          ctx.quadraticCurveTo(cx, cy, ex, ey);
          ctx.stroke();
        } else {
          var key = item[3] + ":" + item[4];
          var batch = hairs[key] || (hairs[key] = { path: new Path2D(), n: 0, color: color,
                                                    dash: item[4] });
          batch.path.moveTo(sx, sy);
          batch.path.quadraticCurveTo(cx, cy, ex, ey);
          if (++batch.n === BATCH) { this._hairs(pen, ctx, batch); }
        }
        if (w > 1 || !many) { heads.push(pair, w, color); }
      }
      for (var k in hairs) {
        if (Object.prototype.hasOwnProperty.call(hairs, k) && hairs[k].n) {
          this._hairs(pen, ctx, hairs[k]);
        }
      }
      pen.set(OPACITY, null, null, 1);
      this._heads(ctx, heads, scale, origin);
      this._rings(ctx, scale, origin);
      ctx.restore();
      this._scale = scale;
      this._origin = origin;
    },

    _hairs: function (pen, ctx, batch) {
      pen.set(OPACITY, batch.color, batch.dash ? 1.5 : null, 1);
      ctx.stroke(batch.path);
      batch.path = new Path2D();
      batch.n = 0;
    },

    /* Arrowheads at the middle of each curve (where the tangent is end - start), sized by
     * the line's width, one batch per colour. */
    _heads: function (ctx, heads, scale, origin) {
      var q = this.q;
      var paths = {};
      ctx.globalAlpha = Math.min(1, OPACITY + 0.3);
      for (var h = 0; h < heads.length; h += 3) {
        var o = heads[h] * 6;
        var size = 5 + 1.4 * heads[h + 1];
        var dx = (q[o + 4] - q[o]) * scale;
        var dy = (q[o + 5] - q[o + 1]) * scale;
        var norm = Math.sqrt(dx * dx + dy * dy);
        if (!norm) { continue; }
        dx /= norm;
        dy /= norm;
        var mx = (q[o] + 2 * q[o + 2] + q[o + 4]) / 4 * scale - origin.x;
        var my = (q[o + 1] + 2 * q[o + 3] + q[o + 5]) / 4 * scale - origin.y;
        var tx = mx + dx * size * 0.6;
        var ty = my + dy * size * 0.6;
        var batch = paths[heads[h + 2]] || (paths[heads[h + 2]] = { path: new Path2D(), n: 0 });
        var path = batch.path;
        path.moveTo(tx, ty);
        path.lineTo(tx - dx * size - dy * size * 0.75, ty - dy * size + dx * size * 0.75);
        path.lineTo(tx - dx * size * 0.55, ty - dy * size * 0.55);
        path.lineTo(tx - dx * size + dy * size * 0.75, ty - dy * size - dx * size * 0.75);
        path.closePath();
        if (++batch.n === BATCH) {
          ctx.fillStyle = heads[h + 2];
          ctx.fill(path);
          batch.path = new Path2D();
          batch.n = 0;
        }
      }
      for (var color in paths) {
        if (Object.prototype.hasOwnProperty.call(paths, color) && paths[color].n) {
          ctx.fillStyle = color;
          ctx.fill(paths[color].path);
        }
      }
    },

    /* People counted where they are: a circle at the place, its area by people (the
     * payload's radius, on the count scale), with the number beside it. */
    _rings: function (ctx, scale, origin) {
      var pr = this.pr;
      var gcx = this.gc;
      ctx.font = "600 11px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
      ctx.textBaseline = "middle";
      for (var r = 0; r < pr.place.length; r++) {
        if (!this.ringShown[r] || pr.wide[r]) { continue; }
        var x = this.ring[2 * r] * scale - origin.x, y = this.ring[2 * r + 1] * scale - origin.y;
        var color = this.colors[pr.category[r]] || this.colors[0];
        var radius = pr.radius[r];
        ctx.beginPath();
        ctx.arc(x, y, radius, 0, 2 * Math.PI);
        ctx.globalAlpha = 0.3;
        ctx.fillStyle = color;
        ctx.fill();
        ctx.globalAlpha = 0.9;
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash(pr.estimate[r] ? [4, 3] : []);
        ctx.stroke();
        var text = gcx.range(pr.people[r], pr.people_max[r]);
        var width = ctx.measureText(text).width;
        var inside = width + 4 <= 2 * radius;
        ctx.textAlign = inside ? "center" : "left";
        var tx = inside ? x : x + radius + 3;
        ctx.globalAlpha = 1;
        ctx.setLineDash([]);
        ctx.lineWidth = 3;
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(text, tx, y);
        ctx.fillStyle = color;
        ctx.fillText(text, tx, y);
      }
      ctx.setLineDash([]);
    },

    /* Layer pixel of pair's curve at t (0 origin, 0.5 middle, 1 destination). */
    _at: function (pair, t, scale, origin) {
      var q = this.q;
      var o = pair * 6;
      var u = 1 - t;
      return L.point((u * u * q[o] + 2 * u * t * q[o + 2] + t * t * q[o + 4]) * scale - origin.x,
                     (u * u * q[o + 1] + 2 * u * t * q[o + 3] + t * t * q[o + 5]) * scale -
                     origin.y);
    },

    /* The topmost item within reach of a layer point: {ref} of a flow or merged line,
     * {ring} of a present count, or null. */
    itemAt: function (point) {
      if (this._scale === undefined) { return null; }
      var scale = this._scale, origin = this._origin;
      var pr = this.pr;
      for (var r = pr.place.length - 1; r >= 0; r--) {
        if (!this.ringShown[r] || pr.wide[r]) { continue; }
        var d = point.distanceTo(L.point(this.ring[2 * r] * scale - origin.x,
                                         this.ring[2 * r + 1] * scale - origin.y));
        if (d <= pr.radius[r] + TOLERANCE) { return { ring: r }; }
      }
      var box = this.box;
      for (var n = this.list.length - 1; n >= 0; n--) {
        var item = this.list[n];
        var pair = item[0];
        var reach = Math.max(item[1], item[2]) / 2 + TOLERANCE;
        if (point.x < box[pair * 4] - reach || point.x > box[pair * 4 + 2] + reach ||
            point.y < box[pair * 4 + 1] - reach || point.y > box[pair * 4 + 3] + reach) {
          continue;
        }
        var previous = this._at(pair, 0, scale, origin);
        for (var k = 1; k <= 24; k++) {
          var next = this._at(pair, k / 24, scale, origin);
          if (L.LineUtil.pointToSegmentDistance(point, previous, next) <= reach) {
            return { ref: item[5] };
          }
          previous = next;
        }
      }
      return null;
    },

    /* The index of the topmost shown flow within reach, or -1 (merged lines: -2). */
    flowAt: function (point) {
      var item = this.itemAt(point);
      if (!item || item.ref === undefined) { return -1; }
      return item.ref >= 0 ? item.ref : -2;
    },

    /* The point of flow i's curve at t (for tests and for opening its tooltip in code). */
    latLngOf: function (i, t) {
      var p = this._at(this.f.pair[i], t, 1, L.point(0, 0));
      return L.CRS.EPSG3857.pointToLatLng(p, 0);
    },

    /* The point of merged line j's curve at t. */
    mergedLatLngOf: function (j, t) {
      var p = this._at(this.nPairs + j, t, 1, L.point(0, 0));
      return L.CRS.EPSG3857.pointToLatLng(p, 0);
    },

    _onMapMouseMove: function (e) {
      var target = e.originalEvent && e.originalEvent.target;
      if (target && target.closest &&
          target.closest(".leaflet-gc-places-pane, .leaflet-gc-events-pane, " +
                         ".leaflet-control, .leaflet-popup-pane")) {
        this._hideTip();
        return;
      }
      var item = this.itemAt(e.layerPoint);
      if (!item) {
        this._hideTip();
        return;
      }
      this._showTip(item, e.latlng);
    },

    _showTip: function (item, latlng) {
      var map = this._map;
      var id = item.ring !== undefined ? "r" + item.ring : "f" + item.ref;
      if (!this._tip) {
        this._tip = L.tooltip({ sticky: true, direction: "auto", className: "gc-flow-tip" });
      }
      if (this._tipFlow !== id) {
        var ctx = this.gc;
        this._tip.setContent(item.ring !== undefined ? ctx.presentCard(item.ring)
          : item.ref >= 0 ? ctx.flowCard(item.ref)
            : ctx.mergedCard(-(item.ref + 1), this.sumLow, this.sumHigh, this.count));
        this._tipFlow = id;
      }
      this._tip.setLatLng(latlng);
      if (!map.hasLayer(this._tip)) { this._tip.openOn(map); }
      L.DomUtil.addClass(map.getContainer(), "gc-flow-hover");
    },

    _hideTip: function () {
      if (this._tip && this._map && this._map.hasLayer(this._tip)) {
        this._map.removeLayer(this._tip);
      }
      this._tipFlow = null;
      if (this._map) { L.DomUtil.removeClass(this._map.getContainer(), "gc-flow-hover"); }
    }
  });
  gc.FlowRenderer = FlowRenderer;

  gc.Ctx.prototype.categoryName = function (code) {
    var key = this.data.flows.categories[code];
    return key === "internal" ? this.words.internal_flow : this.words[key] || key;
  };

  gc.Ctx.prototype.flowCard = function (i) {
    var flows = this.data.flows;
    var f = flows.lines;
    var W = this.words;
    var names = this.data.places.name;
    var pair = f.pair[i];
    var title = names[f.origin[pair]] + " " + this.words.arrow + " " +
      names[f.destination[pair]];
    var period = this.date(f.start[i]);
    if (f.end[i] !== f.start[i]) { period += " \u2013 " + this.date(f.end[i]); }
    return this.card("gc-flow-card", title, [
      [W.count, this.range(f.people[i], f.people_max[i])],
      [W.date, period],
      [W.category, this.categoryName(f.category[i])],
      [W.quality, f.quality[i] >= 0 ? f.qualities[f.quality[i]] : null],
      [W.source, f.source[i] >= 0 ? flows.sources[f.source[i]] : null, "source"]
    ]);
  };

  gc.Ctx.prototype.mergedCard = function (j, low, high, count) {
    var m = this.data.flows.merged;
    var title = m.names[m.from[j]] + " " + this.words.arrow + " " + m.names[m.to[j]];
    return this.card("gc-flow-card gc-merged-card", title, [
      [this.words.count, this.range(low[j], high[j] > low[j] ? high[j] : null)],
      [this.words.category, this.categoryName(m.category[j])],
      ["", this.words.merged.replace("{n}", this.number(count[j]))]
    ]);
  };

  gc.Ctx.prototype.presentCard = function (r) {
    var flows = this.data.flows;
    var pr = flows.rings;
    var title = this.words.present_at.replace("{place}", this.data.places.name[pr.place[r]]);
    var period = this.date(pr.start[r]);
    if (pr.end[r] !== pr.start[r]) { period += " \u2013 " + this.date(pr.end[r]); }
    return this.card("gc-flow-card gc-present-card", title, [
      [this.words.count, this.range(pr.people[r], pr.people_max[r])],
      [this.words.date, period],
      [this.words.category, this.categoryName(pr.category[r])],
      ["", this.words.unknown_origin],
      [this.words.source, pr.source[r] >= 0 ? flows.sources[pr.source[r]] : null, "source"]
    ]);
  };

  gc.layers.flows = function (ctx, group) {
    var renderer = new FlowRenderer(ctx, { pane: "gc-flows" });
    group.addLayer(renderer);
    return {
      renderer: renderer,
      count: function () { return renderer.nShown; },
      drawn: function () { return renderer.list.length; },
      latLngOf: function (i, vertex) { return renderer.latLngOf(i, vertex); },
      update: function (k) { renderer.setShown(k); }
    };
  };
})();
