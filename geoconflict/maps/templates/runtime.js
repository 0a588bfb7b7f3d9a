/* geoconflict map runtime: one context per map, built once from the JSON payload.
 *
 * Layers are created once and restyled (places, flows, events) or swapped (territories,
 * frontlines, cached per change date) when the step changes. Every text that comes from
 * data reaches the page through textContent (or a checked href), never through innerHTML.
 */
(function () {
  "use strict";
  if (window.geoconflict) { return; }
  var gc = window.geoconflict = { maps: [], layers: {} };
  var DAY_MS = 86400000;

  /* ---------------------------------------------------------------- DOM helpers */
  function el(tag, className, text, parent) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  gc.el = el;

  function swatch(color, parent) {
    var s = el("span", "gc-swatch", null, parent);
    s.style.background = color;
    return s;
  }
  gc.swatch = swatch;

  /* A link only for http(s) addresses; anything else stays plain text. */
  function sourceNode(text, parent) {
    if (/^https?:\/\//i.test(text)) {
      var a = el("a", "gc-source", text, parent);
      a.href = text;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    return el("span", "gc-source", text, parent);
  }
  gc.sourceNode = sourceNode;

  /* ---------------------------------------------------------------- context */
  function Ctx(map, data, options) {
    this.map = map;
    this.data = data;
    this.options = options || {};
    this.labels = data.labels;
    this.step = -1;
    this.listeners = [];
    this.layers = {};
    this.nf = new Intl.NumberFormat(data.lang === "ar" ? "ar" : "en", {
      maximumFractionDigits: 0
    });
    var panes = [["context", 300], ["territories", 350], ["boundary", 410],
                 ["frontlines", 420], ["flows", 430], ["places", 450], ["events", 460]];
    for (var i = 0; i < panes.length; i++) {
      var pane = map.getPane("gc-" + panes[i][0]) || map.createPane("gc-" + panes[i][0]);
      pane.style.zIndex = panes[i][1];
    }
    if (!this.options.tiles) {
      L.DomUtil.addClass(map.getContainer(), "gc-no-tiles");
    }
    this.state = this._emptyState();
  }
  gc.Ctx = Ctx;

  gc.create = function (map, data, options) {
    var ctx = new Ctx(map, data, options);
    gc.maps.push(ctx);
    return ctx;
  };

  Ctx.prototype.number = function (value) {
    return value === null || value === undefined ? "–" : this.nf.format(value);
  };

  Ctx.prototype.dir = function (node) {
    node.dir = this.data.dir;
    node.lang = this.data.lang;
    return node;
  };

  Ctx.prototype.date = function (day) {
    var first = Date.parse(this.data.steps[0] + "T00:00:00Z");
    return new Date(first + day * DAY_MS).toISOString().slice(0, 10);
  };

  Ctx.prototype.actorColor = function (code) {
    return code >= 0 ? this.data.actors[code].color : this.data.colors.unknown;
  };

  Ctx.prototype.actorName = function (code) {
    return code >= 0 ? this.data.actors[code].name : this.labels.unknown;
  };

  Ctx.prototype.onStep = function (fn) {
    this.listeners.push(fn);
    if (this.step >= 0) { fn.call(this, this.step); }
  };

  /* ---------------------------------------------------------------- control state */
  Ctx.prototype._emptyState = function () {
    var n = this.data.places.id.length;
    var state = { actor: new Int32Array(n), status: new Int8Array(n), by: new Int32Array(n),
                  period: new Int32Array(n) };
    state.actor.fill(-1);
    state.by.fill(-1);
    state.period.fill(-1);
    return state;
  };

  /* Who holds each place at step k: the last period begun by then (periods are sorted by
   * their first step, and a place's next period starts when its previous one ends). */
  Ctx.prototype.stateAt = function (k) {
    var c = this.data.control;
    var state = this._emptyState();
    for (var j = 0; j < c.start.length && c.start[j] <= k; j++) {
      var p = c.place[j];
      if (p < 0) { continue; }
      state.actor[p] = c.actor[j];
      state.status[p] = c.status[j];
      state.by[p] = c.by[j];
      state.period[p] = j;
    }
    return state;
  };

  Ctx.prototype.setStep = function (k) {
    var steps = this.data.steps;
    if (!steps.length) { return; }
    k = Math.max(0, Math.min(steps.length - 1, k | 0));
    var previous = this.state;
    this.state = this.stateAt(k);
    this.step = k;
    for (var name in this.layers) {
      if (Object.prototype.hasOwnProperty.call(this.layers, name)) {
        this.layers[name].update(k, this.state, previous);
      }
    }
    for (var i = 0; i < this.listeners.length; i++) { this.listeners[i].call(this, k); }
  };

  Ctx.prototype.addLayer = function (name, group) {
    var make = gc.layers[name];
    if (!make) { throw new Error("geoconflict: unknown layer " + name); }
    this.layers[name] = make(this, group);
    return this.layers[name];
  };

  /* Text-node tooltips: a title line and label/value rows. */
  Ctx.prototype.card = function (className, title, rows) {
    var box = this.dir(el("div", "gc-card " + className));
    if (title !== null && title !== undefined) { el("div", "gc-card-title", title, box); }
    for (var i = 0; i < rows.length; i++) {
      if (rows[i][1] === null || rows[i][1] === undefined || rows[i][1] === "") { continue; }
      var row = el("div", "gc-card-row", null, box);
      if (rows[i][0]) { el("span", "gc-card-label", rows[i][0] + ": ", row); }
      if (rows[i][2] === "source") {
        sourceNode(String(rows[i][1]), row);
      } else {
        el("span", "gc-card-value", rows[i][1], row);
      }
    }
    return box;
  };
})();
