/* geoconflict layers (outline, places, events): each builder takes the map context and a
 * Leaflet FeatureGroup, fills the group once, and returns {update(step, state, previous)}.
 * Land, base map, labels and flows have their own files.
 */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.layers.places) { return; }
  var el = gc.el;

  /* ---------------------------------------------------------------- outline */
  /* The boundary's line, and (without tiles) the boundary and context filled as land. */
  gc.layers.outline = function (ctx, group) {
    var o = ctx.data.outline || {};
    var colors = ctx.data.colors;
    var fills = [];
    function filled() { return !ctx.options.tiles; }
    if (o.context) {
      var context = L.polygon(gc.flat(gc.decodePolygons(o.context)), {
        pane: "gc-context", color: colors.context_line, weight: 1, fillColor: colors.context,
        fillOpacity: filled() ? 1 : 0, interactive: false, smoothFactor: 0
      });
      group.addLayer(context);
      fills.push([context, 1]);
    }
    if (o.boundary) {
      var shapes = gc.flat(gc.decodePolygons(o.boundary));
      var inland = L.polygon(shapes, {
        pane: "gc-context", stroke: false, fillColor: colors.inland,
        fillOpacity: filled() ? 1 : 0, interactive: false
      });
      group.addLayer(inland);
      fills.push([inland, 1]);
      group.addLayer(L.polygon(shapes, {
        pane: "gc-boundary", color: colors.boundary, weight: 2, fill: false, opacity: 0.9,
        interactive: false
      }));
    }
    return {
      update: function () {},
      fill: function () {
        fills.forEach(function (f) { f[0].setStyle({ fillOpacity: f[1] }); });
      }
    };
  };

  /* ---------------------------------------------------------------- places */
  /* Point places are circle markers in their holder's colour; polygon places (admin units,
   * zones) are light outlines whose fill is the territory layer's. */
  gc.layers.places = function (ctx, group) {
    var p = ctx.data.places;
    var colors = ctx.data.colors;
    var renderer = L.svg({ pane: "gc-places" });
    var shapeRenderer = L.svg({ pane: "gc-shapes" });
    var shapes = p.shapes ? gc.decodePolygons(p.shapes) : [];
    var markers = new Array(p.id.length);
    /* markers are born in the colours of the first step shown; updates restyle only the
     * places whose state changed since */
    var styled = ctx.stateAt(ctx.data.start);

    function style(i, state) {
      var actor = state.actor[i];
      var status = state.status[i];
      var fill = ctx.actorColor(actor);
      if (status === 0 || actor < 0) {
        return { fillColor: fill, color: colors.marker_edge, weight: 1.2, dashArray: null };
      }
      var by = state.by[i];
      var ring = by >= 0 ? ctx.data.actors[by].color : colors.contested;
      return { fillColor: fill, color: ring, weight: 3, dashArray: status === 1 ? "3 3" : null };
    }

    function shapeStyle(i, state) {
      return { color: colors.unit_line, weight: 0.7, opacity: 0.8, fill: true, fillOpacity: 0,
               dashArray: state.status[i] === 1 ? "4 3" : null };
    }

    function tag() {
      var node = this.getElement();
      if (node) { node.setAttribute("data-place", p.id[this.gcIndex]); }
    }

    for (var n = 0; n < p.id.length; n++) {
      var m;
      if (p.shape[n] >= 0) {
        m = L.polygon(shapes[p.shape[n]], L.extend({
          renderer: shapeRenderer, pane: "gc-shapes", className: "gc-shape", smoothFactor: 0
        }, shapeStyle(n, styled)));
      } else {
        m = L.circleMarker([p.lat[n], p.lon[n]], L.extend({
          renderer: renderer, pane: "gc-places", radius: p.radius[n], opacity: 0.9,
          fillOpacity: 0.92, className: "gc-place"
        }, style(n, styled)));
      }
      m.gcIndex = n;
      m.on("add", tag);
      markers[n] = m;
      group.addLayer(m);
    }
    group.bindTooltip(function (layer) {
      var i = layer.gcIndex;
      if (p.shape[i] >= 0) {
        return ctx.card("gc-shape-card", ctx.placeName(i), [
          [ctx.words.holder, ctx.actorName(ctx.state.status[i] === 1 ? -2
                                            : ctx.state.actor[i])]]);
      }
      var box = ctx.dir(el("div", "gc-card gc-place-tooltip"));
      el("span", "gc-place-name", p.name[i], box);
      return box;
    }, { direction: "top", offset: [0, -4], sticky: false });
    group.bindPopup(function (layer) { return placePopup(ctx, layer.gcIndex); },
                    { maxWidth: 380, minWidth: 240, autoPanPaddingTopLeft: L.point(60, 70),
                      autoPanPaddingBottomRight: L.point(20, 20) });

    return {
      markers: markers,
      update: function (k, state) {
        for (var i = 0; i < markers.length; i++) {
          if (state.actor[i] !== styled.actor[i] || state.status[i] !== styled.status[i] ||
              state.by[i] !== styled.by[i]) {
            markers[i].setStyle(p.shape[i] >= 0 ? shapeStyle(i, state) : style(i, state));
          }
        }
        styled = state;
      }
    };
  };

  function placePopup(ctx, i) {
    var p = ctx.data.places;
    var c = ctx.data.control;
    var W = ctx.words;
    var box = ctx.dir(el("div", "gc-card gc-popup"));
    el("div", "gc-card-title", p.name[i], box);
    if (p.population[i] !== null) {
      var pop = el("div", "gc-card-row", null, box);
      el("span", "gc-card-label", W.population + ": ", pop);
      el("span", "gc-card-value", ctx.number(p.population[i]), pop);
    }
    /* a town with no record of its own shows the history of the polygon it lies in */
    var of = ctx.state.from[i] >= 0 ? ctx.state.from[i] : i;
    el("div", "gc-card-heading", of === i ? W.history : gc.aside(W.history, p.name[of]), box);
    var list = el("div", "gc-history", null, box);
    var current = ctx.state.period[of];
    for (var j = 0; j < c.place.length; j++) {
      if (c.place[j] !== of) { continue; }
      var row = el("div", j === current ? "gc-period gc-current" : "gc-period", null, list);
      var head = el("div", "gc-period-head", null, row);
      el("span", "gc-when", c.from[j] + " – " + (c.to[j] || ""), head);
      var who = el("span", "gc-who", null, head);
      gc.swatch(ctx.actorColor(c.actor[j]), who);
      el("span", null, ctx.actorName(c.actor[j]), who);
      if (c.status[j] > 0) {
        var word = c.status[j] === 1 ? W.contested : W.besieged;
        el("span", "gc-status", " · " + (c.by[j] >= 0
          ? gc.aside(word, W.by + " " + ctx.actorName(c.by[j])) : word), who);
      }
      if (c.note[j] >= 0) { el("div", "gc-note", c.notes[c.note[j]], row); }
      if (c.source[j] >= 0) {
        gc.sourceNode(c.sources[c.source[j]], el("div", "gc-note", null, row), true);
      }
    }
    el("div", "gc-card-heading", ctx.words.flows, box);
    [[W.arrived, p.inflow[i]], [W.left, p.outflow[i]], [W.internal, p.internal[i]]]
      .forEach(function (pair) {
        var r = el("div", "gc-card-row", null, box);
        el("span", "gc-card-label", pair[0] + ": ", r);
        el("span", "gc-card-value", ctx.number(pair[1]), r);
      });
    return box;
  }
  gc.placePopup = placePopup;

  /* ---------------------------------------------------------------- events */
  gc.layers.events = function (ctx, group) {
    var e = ctx.data.events;
    var W = ctx.words;
    var renderer = L.svg({ pane: "gc-events" });
    var n = e.lat.length;
    var layers = new Array(n);
    var shown = new Uint8Array(n);
    function text(column, i) {
      var code = e[column][i];
      return code >= 0 ? e[column + "_table"][code] : null;
    }
    group.bindTooltip(function (layer) {
      var i = layer.gcIndex;
      var actors = [text("actor1", i), text("actor2", i)].filter(function (a) {
        return a !== null;
      }).join(" / ");
      return ctx.card("gc-event-card", text("event_type", i) || ctx.words.events, [
        [W.date, ctx.date(e.day[i])],
        [W.sides, actors],
        [W.fatalities, e.fatalities[i] === null ? null : ctx.number(e.fatalities[i])],
        [W.source, text("source", i), "source"]
      ]);
    });
    return {
      update: function (k) {
        for (var i = 0; i < n; i++) {
          var on = e.first[i] <= k && k <= e.last[i] ? 1 : 0;
          if (on === shown[i]) { continue; }
          if (on) {
            if (!layers[i]) {
              var f = e.fatalities[i] || 0;
              layers[i] = L.circleMarker([e.lat[i], e.lon[i]], {
                renderer: renderer, pane: "gc-events", radius: 2.5 + Math.sqrt(f),
                color: ctx.data.colors.event_edge, weight: 0.8, fillColor: ctx.data.colors.event,
                fillOpacity: 0.85,
                className: "gc-event"
              });
              layers[i].gcIndex = i;
            }
            group.addLayer(layers[i]);
          } else {
            group.removeLayer(layers[i]);
          }
          shown[i] = on;
        }
      }
    };
  };
})();
