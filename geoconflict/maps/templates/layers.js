/* geoconflict layers: each builder takes the map context and a Leaflet FeatureGroup, fills
 * the group once, and returns {update(step, state, previousState)}. Styles come from the
 * payload (feature properties, per-flow widths, actor colours), never from a per-feature
 * switch in the code.
 */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.layers.places) { return; }
  var el = gc.el;
  var EVENT_COLOR = "#7a0019";

  /* ---------------------------------------------------------------- outline */
  gc.layers.outline = function (ctx, group) {
    var o = ctx.data.outline || {};
    var tiles = !!ctx.options.tiles;
    if (o.context) {
      group.addLayer(L.geoJSON(o.context, {
        pane: "gc-context",
        style: function () {
          return { color: "#9a9a9a", weight: 1, fillColor: "#f2efe9",
                   fillOpacity: tiles ? 0 : 1 };
        },
        interactive: false
      }));
    }
    if (o.boundary) {
      group.addLayer(L.geoJSON(o.boundary, {
        pane: "gc-context",
        style: function () {
          return { stroke: false, fillColor: "#fdfcf9", fillOpacity: tiles ? 0 : 1 };
        },
        interactive: false
      }));
      group.addLayer(L.geoJSON(o.boundary, {
        pane: "gc-boundary",
        style: function () {
          return { color: "#444444", weight: 2, fill: false, opacity: 0.9 };
        },
        interactive: false
      }));
    }
    return { update: function () {} };
  };

  /* ---------------------------------------------------------------- territories */
  function swapping(ctx, group, part, makeLayer) {
    var cache = {};
    var shown = null;
    return {
      update: function (k) {
        var key = part.at[k];
        if (key === shown) { return; }
        group.clearLayers();
        shown = key;
        if (key === null || key === undefined || !part.dates[key]) { return; }
        if (!cache[key]) { cache[key] = makeLayer(part.dates[key]); }
        group.addLayer(cache[key]);
      }
    };
  }

  /* Tooltips are bound to each date's L.geoJSON layer, not to the outer group: Leaflet
   * expects the layers of a group with a tooltip to be paths. */
  gc.layers.territories = function (ctx, group) {
    var L_ = ctx.labels;
    function card(layer) {
      var p = layer.feature.properties;
      return ctx.card("gc-territory-card", p.name, [
        [L_.area, p.area_km2 === null ? null : ctx.number(p.area_km2) + " " + L_.km2],
        [L_.population, p.population === null ? null : ctx.number(p.population)]
      ]);
    }
    return swapping(ctx, group, ctx.data.territories, function (collection) {
      return L.geoJSON(collection, {
        pane: "gc-territories",
        style: function (feature) {
          var p = feature.properties;
          return { color: p.color, fillColor: p.color, weight: 0.8, opacity: 0.7,
                   fillOpacity: p.actor_id === "unknown" ? 0.12 : 0.32 };
        }
      }).bindTooltip(card, { sticky: true });
    });
  };

  gc.layers.frontlines = function (ctx, group) {
    var names = {};
    ctx.data.actors.forEach(function (a) { names[a.id] = a.name; });
    names.contested = ctx.labels.contested;
    function card(layer) {
      var p = layer.feature.properties;
      var a = names[p.actor_a] || p.actor_a;
      var b = names[p.actor_b] || p.actor_b;
      return ctx.card("gc-frontline-card", ctx.labels.frontline, [
        ["", a + " / " + b],
        [ctx.labels.length, p.length_km === null ? null
          : ctx.number(p.length_km) + " " + ctx.labels.km]
      ]);
    }
    return swapping(ctx, group, ctx.data.frontlines, function (collection) {
      return L.geoJSON(collection, {
        pane: "gc-frontlines",
        style: function () {
          return { color: "#1b1b1b", weight: 3.5, opacity: 0.9, lineCap: "round" };
        }
      }).bindTooltip(card, { sticky: true });
    });
  };

  /* ---------------------------------------------------------------- places */
  gc.layers.places = function (ctx, group) {
    var p = ctx.data.places;
    var renderer = L.svg({ pane: "gc-places" });
    var markers = new Array(p.id.length);
    /* markers are born in the colours of the first step shown; updates restyle only the
     * places whose state changed since */
    var styled = ctx.stateAt(ctx.data.start);

    function style(i, state) {
      var actor = state.actor[i];
      var status = state.status[i];
      var fill = ctx.actorColor(actor);
      if (status === 0 || actor < 0) {
        return { fillColor: fill, color: "#2b2b2b", weight: 1.2, dashArray: null };
      }
      var by = state.by[i];
      var ring = by >= 0 ? ctx.data.actors[by].color : ctx.data.colors.contested;
      return { fillColor: fill, color: ring, weight: 3, dashArray: status === 1 ? "3 3" : null };
    }

    for (var i = 0; i < p.id.length; i++) {
      var m = L.circleMarker([p.lat[i], p.lon[i]], L.extend({
        renderer: renderer, pane: "gc-places", radius: p.radius[i], opacity: 0.9,
        fillOpacity: 0.92, className: "gc-place"
      }, style(i, styled)));
      m.gcIndex = i;
      m.on("add", function () {
        this.getElement().setAttribute("data-place", p.id[this.gcIndex]);
      });
      markers[i] = m;
      group.addLayer(m);
    }
    group.bindTooltip(function (layer) {
      var box = ctx.dir(el("div", "gc-card gc-place-tooltip"));
      el("span", "gc-place-name", p.name[layer.gcIndex], box);
      return box;
    }, { direction: "top", offset: [0, -4] });
    group.bindPopup(function (layer) { return placePopup(ctx, layer.gcIndex); },
                    { maxWidth: 380, minWidth: 240, autoPanPaddingTopLeft: L.point(60, 70),
                      autoPanPaddingBottomRight: L.point(20, 20) });

    return {
      markers: markers,
      update: function (k, state) {
        for (var i = 0; i < markers.length; i++) {
          if (state.actor[i] !== styled.actor[i] || state.status[i] !== styled.status[i] ||
              state.by[i] !== styled.by[i]) {
            markers[i].setStyle(style(i, state));
          }
        }
        styled = state;
      }
    };
  };

  function placePopup(ctx, i) {
    var p = ctx.data.places;
    var c = ctx.data.control;
    var L_ = ctx.labels;
    var box = ctx.dir(el("div", "gc-card gc-popup"));
    el("div", "gc-card-title", p.name[i], box);
    if (p.population[i] !== null) {
      var pop = el("div", "gc-card-row", null, box);
      el("span", "gc-card-label", L_.population + ": ", pop);
      el("span", "gc-card-value", ctx.number(p.population[i]), pop);
    }
    el("div", "gc-card-heading", L_.history, box);
    var list = el("div", "gc-history", null, box);
    var current = ctx.state.period[i];
    for (var j = 0; j < c.place.length; j++) {
      if (c.place[j] !== i) { continue; }
      var row = el("div", j === current ? "gc-period gc-current" : "gc-period", null, list);
      var head = el("div", "gc-period-head", null, row);
      el("span", "gc-when", c.from[j] + " – " + (c.to[j] || ""), head);
      var who = el("span", "gc-who", null, head);
      gc.swatch(ctx.actorColor(c.actor[j]), who);
      el("span", null, ctx.actorName(c.actor[j]), who);
      if (c.status[j] > 0) {
        var word = c.status[j] === 1 ? L_.contested : L_.besieged;
        var by = c.by[j] >= 0 ? " (" + L_.by + " " + ctx.actorName(c.by[j]) + ")" : "";
        el("span", "gc-status", " · " + word + by, who);
      }
      if (c.note[j] >= 0) { el("div", "gc-note", c.notes[c.note[j]], row); }
      if (c.source[j] >= 0) { gc.sourceNode(c.sources[c.source[j]], el("div", "gc-note", null, row)); }
    }
    el("div", "gc-card-heading", ctx.labels.flows, box);
    [[L_.arrived, p.inflow[i]], [L_.left, p.outflow[i]], [L_.internal, p.internal[i]]]
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
    var L_ = ctx.labels;
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
      return ctx.card("gc-event-card", text("event_type", i) || ctx.labels.events, [
        [L_.date, ctx.date(e.day[i])],
        [L_.sides, actors],
        [L_.fatalities, e.fatalities[i] === null ? null : ctx.number(e.fatalities[i])],
        [L_.source, text("source", i), "source"]
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
                color: "#ffffff", weight: 0.8, fillColor: EVENT_COLOR, fillOpacity: 0.85,
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
