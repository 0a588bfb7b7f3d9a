/* geoconflict flows: every flow line drawn by one canvas layer, straight from arrays.
 *
 * Each origin-destination pair is the quadratic curve through its origin, the middle of
 * its geodesic curve (computed in Python, bent to the right of travel) and its destination.
 * The three points are projected once to zoom-0 pixels in a Float64Array (start, control
 * point, end), so a redraw is a multiply and an add per point. The canvas takes no pointer
 * events: the map's mousemove finds the flow under the pointer (bounding boxes first, then
 * the distance to the flattened curve) and shows its tooltip, so the layers underneath keep
 * their own tooltips.
 */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.layers.flows) { return; }
  var el = gc.el;
  var FLOW_COLOR = "#3b1f5c";
  var OPACITY = 0.55;
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

  var FlowRenderer = L.Canvas.extend({
    options: { padding: 0 },

    initialize: function (ctx, options) {
      L.Canvas.prototype.initialize.call(this, options);
      this.gc = ctx;
      var f = this.f = ctx.data.flows;
      var n = f.pair.length;
      this.shown = new Uint8Array(n);
      this.nShown = 0;
      /* per pair: start, control point and end, in zoom-0 pixels */
      var pairs = f.origin.length;
      var lat = ctx.data.places.lat;
      var lon = ctx.data.places.lon;
      var q = this.q = new Float64Array(pairs * 6);
      for (var p = 0; p < pairs; p++) {
        var s0 = project(lat[f.origin[p]], lon[f.origin[p]]);
        var e0 = project(lat[f.destination[p]], lon[f.destination[p]]);
        var m0 = project(f.middle[2 * p + 1] * f.grid, f.middle[2 * p] * f.grid);
        q[p * 6] = s0[0];
        q[p * 6 + 1] = s0[1];
        q[p * 6 + 2] = 2 * m0[0] - (s0[0] + e0[0]) / 2;
        q[p * 6 + 3] = 2 * m0[1] - (s0[1] + e0[1]) / 2;
        q[p * 6 + 4] = e0[0];
        q[p * 6 + 5] = e0[1];
      }
      /* per pair, its bounding box in layer pixels at the drawn zoom (for hit tests) */
      this.box = new Float64Array(pairs * 4);
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
    },

    onRemove: function (map) {
      this._hideTip();
      L.Canvas.prototype.onRemove.call(this, map);
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
      this.nShown = count;
      if (changed && this._map) { this._redraw(); }
      if (changed) { this._hideTip(); }
    },

    /* Leaflet's canvas redraws its path layers here; we draw our arrays instead. */
    _updatePaths: function () {
      if (this._postponeUpdatePaths) { return; }
      this._redrawBounds = null;
      this._redraw();
    },

    /* Thick lines are stroked one by one (a path of many overlapping strokes is very slow
     * to rasterise); lines of 1 px or less are batched, which the rasteriser draws as fast
     * hairlines. Arrowheads are filled last, in batches. */
    _draw: function () {
      var map = this._map;
      if (!map || !this._bounds) { return; }
      var ctx = this._ctx;
      var f = this.f;
      var scale = map.getZoomScale(map.getZoom(), 0);
      var origin = map.getPixelOrigin();
      var b = this._bounds;
      var q = this.q;
      var box = this.box;
      var heads = [];
      var hairs = 0;
      ctx.save();
      ctx.strokeStyle = FLOW_COLOR;
      ctx.fillStyle = FLOW_COLOR;
      ctx.lineCap = "butt";  // round caps and joins cost much more to rasterise, and
      ctx.lineJoin = "miter";  // the curves bend too little for them to show
      ctx.globalAlpha = OPACITY;
      for (var i = 0; i < f.pair.length; i++) {
        if (!this.shown[i]) { continue; }
        var pair = f.pair[i];
        var w = f.width[i];
        var o = pair * 6;
        var sx = q[o] * scale - origin.x;
        var sy = q[o + 1] * scale - origin.y;
        var cx = q[o + 2] * scale - origin.x;
        var cy = q[o + 3] * scale - origin.y;
        var ex = q[o + 4] * scale - origin.x;
        var ey = q[o + 5] * scale - origin.y;
        var minx = Math.min(sx, cx, ex);
        var maxx = Math.max(sx, cx, ex);
        var miny = Math.min(sy, cy, ey);
        var maxy = Math.max(sy, cy, ey);
        box[pair * 4] = minx;
        box[pair * 4 + 1] = miny;
        box[pair * 4 + 2] = maxx;
        box[pair * 4 + 3] = maxy;
        if (maxx < b.min.x - w || minx > b.max.x + w || maxy < b.min.y - w ||
            miny > b.max.y + w) {
          continue;
        }
        if (w > 1 || hairs === 0) { ctx.beginPath(); }
        ctx.moveTo(sx, sy);
        ctx.quadraticCurveTo(cx, cy, ex, ey);
        if (w > 1) {
          ctx.lineWidth = w;
          ctx.stroke();
        } else if (++hairs === BATCH) {
          this._hairs(ctx);
          hairs = 0;
        }
        if (w > 1 || this.nShown <= HAIRLINE_HEADS) { heads.push(pair, w); }
      }
      if (hairs) { this._hairs(ctx); }
      this._heads(ctx, heads, scale, origin);
      ctx.restore();
      this._scale = scale;
      this._origin = origin;
    },

    _hairs: function (ctx) {
      ctx.lineWidth = 1;
      ctx.stroke();
    },

    /* Arrowheads at the middle of each curve (where the tangent is end - start), sized by
     * the line's width. */
    _heads: function (ctx, heads, scale, origin) {
      var q = this.q;
      var n = 0;
      ctx.globalAlpha = Math.min(1, OPACITY + 0.35);
      ctx.beginPath();
      for (var h = 0; h < heads.length; h += 2) {
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
        ctx.moveTo(tx, ty);
        ctx.lineTo(tx - dx * size - dy * size * 0.75, ty - dy * size + dx * size * 0.75);
        ctx.lineTo(tx - dx * size * 0.55, ty - dy * size * 0.55);
        ctx.lineTo(tx - dx * size + dy * size * 0.75, ty - dy * size - dx * size * 0.75);
        ctx.closePath();
        if (++n === BATCH) {
          ctx.fill();
          ctx.beginPath();
          n = 0;
        }
      }
      if (n) { ctx.fill(); }
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

    /* The topmost shown flow within reach of a layer point, or -1. */
    flowAt: function (point) {
      if (this._scale === undefined) { return -1; }
      var f = this.f;
      var box = this.box;
      var scale = this._scale;
      var origin = this._origin;
      for (var i = f.pair.length - 1; i >= 0; i--) {
        if (!this.shown[i]) { continue; }
        var pair = f.pair[i];
        var reach = f.width[i] / 2 + TOLERANCE;
        if (point.x < box[pair * 4] - reach || point.x > box[pair * 4 + 2] + reach ||
            point.y < box[pair * 4 + 1] - reach || point.y > box[pair * 4 + 3] + reach) {
          continue;
        }
        var previous = this._at(pair, 0, scale, origin);
        for (var k = 1; k <= 24; k++) {
          var next = this._at(pair, k / 24, scale, origin);
          if (L.LineUtil.pointToSegmentDistance(point, previous, next) <= reach) { return i; }
          previous = next;
        }
      }
      return -1;
    },

    /* The point of flow i's curve at t (for tests and for opening its tooltip in code). */
    latLngOf: function (i, t) {
      var p = this._at(this.f.pair[i], t, 1, L.point(0, 0));
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
      var i = this.flowAt(e.layerPoint);
      if (i < 0) {
        this._hideTip();
        return;
      }
      this._showTip(i, e.latlng);
    },

    _showTip: function (i, latlng) {
      var map = this._map;
      if (!this._tip) {
        this._tip = L.tooltip({ sticky: true, direction: "auto", className: "gc-flow-tip" });
      }
      if (this._tipFlow !== i) {
        this._tip.setContent(this.gc.flowCard(i));
        this._tipFlow = i;
      }
      this._tip.setLatLng(latlng);
      if (!map.hasLayer(this._tip)) { this._tip.openOn(map); }
      L.DomUtil.addClass(map.getContainer(), "gc-flow-hover");
    },

    _hideTip: function () {
      if (this._tip && this._map && this._map.hasLayer(this._tip)) {
        this._map.removeLayer(this._tip);
      }
      this._tipFlow = -1;
      if (this._map) { L.DomUtil.removeClass(this._map.getContainer(), "gc-flow-hover"); }
    }
  });
  gc.FlowRenderer = FlowRenderer;

  gc.Ctx.prototype.flowCard = function (i) {
    var f = this.data.flows;
    var L_ = this.labels;
    var names = this.data.places.name;
    var pair = f.pair[i];
    var title = names[f.origin[pair]] + " \u2192 " + names[f.destination[pair]];
    var period = this.date(f.start[i]);
    if (f.end[i] !== f.start[i]) { period += " \u2013 " + this.date(f.end[i]); }
    return this.card("gc-flow-card", title, [
      [L_.count, this.number(f.people[i])],
      [L_.date, period],
      [L_.quality, f.quality[i] >= 0 ? f.qualities[f.quality[i]] : null],
      [L_.source, f.source[i] >= 0 ? f.sources[f.source[i]] : null, "source"]
    ]);
  };

  gc.layers.flows = function (ctx, group) {
    var renderer = new FlowRenderer(ctx, { pane: "gc-flows" });
    group.addLayer(renderer);
    return {
      renderer: renderer,
      count: function () { return renderer.nShown; },
      latLngOf: function (i, vertex) { return renderer.latLngOf(i, vertex); },
      update: function (k) { renderer.setShown(k); }
    };
  };
})();
