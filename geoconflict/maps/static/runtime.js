/* geoconflict map runtime: one context per map, built once from the JSON payload.
 *
 * Layers are created once and restyled when the step changes (places, land, flows,
 * events, labels); nothing is rebuilt per date. Every text that comes from data reaches the
 * page through textContent (or a checked http(s) href), never through innerHTML.
 */
(function () {
  "use strict";
  if (window.geoconflict) { return; }
  var gc = window.geoconflict = { maps: [], layers: {} };
  var DAY_MS = 86400000;
  var HASH = /^#(\d{4}-\d{2}-\d{2})$/;
  /* Source text longer than this is cut in lists (the whole on hover). */
  var SOURCE_CHARS = 48;

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
    s.setAttribute("aria-hidden", "true");
    return s;
  }
  gc.swatch = swatch;

  /* An http(s) address, or null: anything else (javascript:, data:, relative) is text. */
  function httpUrl(text) {
    var value = String(text).trim();
    if (!/^https?:\/\/[^\s]+$/i.test(value)) { return null; }
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }
  gc.httpUrl = httpUrl;

  /* A web address's site: "www.reuters.com/world/..." -> "reuters.com". */
  function site(href) {
    try {
      return new URL(href).hostname.replace(/^www\./, "");
    } catch (e) {
      return href;
    }
  }
  gc.site = site;

  /* ``text`` cut at the last word boundary before ``max`` characters, with an ellipsis;
   * the text itself when it is short enough. */
  function shorten(text, max) {
    var value = String(text).replace(/\s+/g, " ").trim();
    if (value.length <= max) { return value; }
    var cut = value.lastIndexOf(" ", max - 1);
    return value.slice(0, cut > max / 2 ? cut : max - 1).replace(/[\s,;:.\-–]+$/, "") + "\u2026";
  }
  gc.shorten = shorten;

  /* A source: a link (new tab, rel="noopener noreferrer") only for http(s) addresses;
   * anything else stays plain text. ``short``: a link shows its site and other text is cut
   * at a word boundary, the whole of either in the tooltip (``title``, set as text). */
  function sourceNode(text, parent, short) {
    var href = httpUrl(text);
    var node;
    if (href) {
      node = el("a", "gc-source", short ? site(href) : text, parent);
      node.href = href;
      node.target = "_blank";
      node.rel = "noopener noreferrer";
    } else {
      node = el("span", "gc-source", short ? shorten(text, SOURCE_CHARS) : text, parent);
    }
    if (short && node.textContent !== String(text)) { node.title = String(text); }
    return node;
  }
  gc.sourceNode = sourceNode;

  /* ``text (note)``; ``text – note`` when either has brackets of its own, so brackets
   * never nest ("contested – by SNA (Türkiye-backed)"). */
  function aside(text, note) {
    return /[()]/.test(String(text) + String(note)) ? text + " \u2013 " + note
      : text + " (" + note + ")";
  }
  gc.aside = aside;

  /* ---------------------------------------------------------------- geometry */
  /* Delta-encoded integer coordinates (see maps/encode.py) into Leaflet latlng arrays. */
  gc.decodePolygons = function (enc) {
    var g = enc.grid, xy = enc.xy, out = [];
    for (var i = 0; i + 1 < enc.geoms.length; i++) {
      var polys = [];
      for (var p = enc.geoms[i]; p < enc.geoms[i + 1]; p++) {
        var rings = [];
        for (var r = enc.polys[p]; r < enc.polys[p + 1]; r++) {
          rings.push(ring(xy, enc.rings[r], enc.rings[r + 1], g));
        }
        polys.push(rings);
      }
      out.push(polys);
    }
    return out;
  };

  gc.decodeLines = function (enc) {
    var g = enc.grid, xy = enc.xy, out = [];
    for (var i = 0; i + 1 < enc.geoms.length; i++) {
      var lines = [];
      for (var l = enc.geoms[i]; l < enc.geoms[i + 1]; l++) {
        lines.push(ring(xy, enc.lines[l], enc.lines[l + 1], g));
      }
      out.push(lines);
    }
    return out;
  };

  /* Run ``fn`` when the page is idle (after the first paint), or soon where browsers lack
   * requestIdleCallback. */
  gc.whenIdle = function (fn) {
    if (window.requestIdleCallback) {
      window.requestIdleCallback(fn, { timeout: 3000 });
    } else {
      window.setTimeout(fn, 200);
    }
  };

  /* Every geometry's parts in one list (one Leaflet layer for a whole collection). */
  gc.flat = function (geoms) { return [].concat.apply([], geoms); };

  function ring(xy, from, to, g) {
    var out = new Array(to - from);
    var x = 0, y = 0;
    for (var c = from; c < to; c++) {
      if (c === from) {
        x = xy[2 * c];
        y = xy[2 * c + 1];
      } else {
        x += xy[2 * c];
        y += xy[2 * c + 1];
      }
      out[c - from] = [y * g, x * g];
    }
    return out;
  }

  /* Columns Python leaves empty when every entry holds its default, filled back in with
   * the defaults the payload names (``cols.defaults``, declared once in Python:
   * maps/payload_types.py SPARSE_DEFAULTS). ``n`` is the length of a full column. */
  function fillDefaults(cols, n) {
    var defaults = cols.defaults;
    for (var name in defaults) {
      if (Object.prototype.hasOwnProperty.call(defaults, name) && cols[name].length !== n) {
        cols[name] = new Array(n).fill(defaults[name]);
      }
    }
  }
  gc.fillDefaults = fillDefaults;

  /* ---------------------------------------------------------------- context */
  function Ctx(map, data, options) {
    this.map = map;
    this.data = data;
    this.options = options || {};
    this.words = data.words;
    this.step = -1;
    this.listeners = [];
    this.layers = {};
    this.groups = {};
    // numbers and dates as the page's language writes them ("5 Dec 2024", "5 груд. 2024 р.")
    var locale = data.lang === "en" ? "en-GB" : data.lang;
    this.nf = new Intl.NumberFormat(locale, {
      maximumFractionDigits: 0
    });
    this.df = new Intl.DateTimeFormat(locale, {
      day: "numeric", month: "short", year: "numeric", timeZone: "UTC"
    });
    var panes = [["land", 200], ["context", 300], ["territories", 350], ["water", 370],
                 ["admin", 380], ["boundary", 410], ["changes", 415], ["frontlines", 420],
                 ["flows", 430], ["shapes", 440], ["places", 450], ["events", 460],
                 ["labels", 470]];
    for (var i = 0; i < panes.length; i++) {
      var pane = map.getPane("gc-" + panes[i][0]) || map.createPane("gc-" + panes[i][0]);
      pane.style.zIndex = panes[i][1];
    }
    map.getPane("gc-labels").style.pointerEvents = "none";
    if (!this.options.tiles) {
      L.DomUtil.addClass(map.getContainer(), "gc-no-tiles");
    }
    map.getContainer().setAttribute("aria-label", this.words.map + ": " + data.title);
    if (data.flows) { fillDefaults(data.flows.lines, data.flows.lines.pair.length); }
    this.state = this._emptyState();
  }
  gc.Ctx = Ctx;

  /* The map opens on the payload's bounds, set at once: an animated zoom from folium's first
   * view would start on the next frame, after the layers are added, and Chromium keeps part
   * of the layers painted while the map pane was scaled up to 16 times during it (only a
   * band of the fills showed at Ukraine's latitude, until a zoom redrew them). */
  function fitOnce(map, bounds) {
    if (bounds) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
  }

  gc.create = function (map, data, options) {
    fitOnce(map, data.bounds);
    var ctx = new Ctx(map, data, options);
    gc.maps.push(ctx);
    return ctx;
  };

  Ctx.prototype.number = function (value) {
    return value === null || value === undefined ? "–" : this.nf.format(value);
  };

  Ctx.prototype.range = function (low, high) {
    return high === null || high === undefined ? this.number(low)
      : this.number(low) + "–" + this.number(high);
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

  /* A step's date as a reader says it: "5 Dec 2024". */
  Ctx.prototype.dateText = function (k) {
    var iso = this.data.steps[k];
    return iso ? this.df.format(new Date(iso + "T00:00:00Z")) : "";
  };

  /* A place's name as lists show it: an admin unit or zone says what it is, so the
   * sub-district "Hama" is not taken for the city. */
  Ctx.prototype.placeName = function (i) {
    var p = this.data.places;
    var name = p.name[i];
    if (p.shape[i] < 0 || !p.level || p.level[i] < 0) { return name; }
    var word = this.words["level_" + p.levels[p.level[i]]];
    return word ? aside(name, word) : name;
  };

  Ctx.prototype.actorColor = function (code) {
    return code >= 0 ? this.data.actors[code].color : this.data.colors.unknown;
  };

  Ctx.prototype.actorName = function (code) {
    if (code === -2) { return this.words.contested; }
    return code >= 0 ? this.data.actors[code].name : this.words.unknown;
  };

  Ctx.prototype.onStep = function (fn) {
    this.listeners.push(fn);
    if (this.step >= 0) { fn.call(this, this.step); }
  };

  /* ---------------------------------------------------------------- control state */
  Ctx.prototype._emptyState = function () {
    var n = this.data.places.id.length;
    var state = { actor: new Int32Array(n), status: new Int8Array(n), by: new Int32Array(n),
                  period: new Int32Array(n), from: new Int32Array(n) };
    state.actor.fill(-1);
    state.by.fill(-1);
    state.period.fill(-1);
    state.from.fill(-1);
    return state;
  };

  /* Who holds each place at step k: the last period begun by then (periods are sorted by
   * their first step, and a place's next period starts when its previous one ends). A
   * place with no state of its own shows the state of the polygon place Python found for it
   * on that date (places.inherit: the library's one containment rule, applied in Python);
   * here it is only looked up. */
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
    var from = this.inheritAt(this.data.places.inherit.at[k]);
    for (var i = 0; i < from.length; i++) {
      var polygon = from[i];
      if (polygon < 0 || state.period[i] >= 0) { continue; }
      state.actor[i] = state.actor[polygon];
      state.status[i] = state.status[polygon];
      state.by[i] = state.by[polygon];
      state.from[i] = polygon;
    }
    return state;
  };

  /* The polygon each place takes its state from at control date ``key`` (-1: none): the
   * first date's list with the later dates' changes applied. */
  Ctx.prototype.inheritAt = function (key) {
    var inherit = this.data.places.inherit;
    var cache = this._inheritCache || (this._inheritCache = {});
    if (key < 0) { return []; }
    if (!cache[key]) {
      var from = Int32Array.from(inherit.base);
      for (var j = 1; j <= key; j++) {
        var diff = inherit.diff[j - 1];
        for (var i = 0; i < diff.length; i += 2) { from[diff[i]] = diff[i + 1]; }
      }
      cache[key] = from;
    }
    return cache[key];
  };

  Ctx.prototype.setStep = function (k, how) {
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
    if (how !== "start" && how !== "hash") { this.writeHash(k); }
  };

  /* ---------------------------------------------------------------- the URL fragment */
  /* The step of a "#YYYY-MM-DD" fragment: that date's step, or the last step before it;
   * -1 without a date fragment. */
  Ctx.prototype.hashStep = function () {
    var match = HASH.exec(window.location.hash || "");
    if (!match) { return -1; }
    var steps = this.data.steps;
    var k = -1;
    for (var i = 0; i < steps.length && steps[i] <= match[1]; i++) { k = i; }
    return Math.max(k, 0);
  };

  Ctx.prototype.writeHash = function (k) {
    if (this.options.hash === false || gc.maps.length > 1) { return; }
    try {
      window.history.replaceState(null, "", "#" + this.data.steps[k]);
    } catch (e) {
      /* a sandboxed frame may refuse: the map works without it */
    }
  };

  Ctx.prototype.start = function (k) {
    var self = this;
    var fromHash = this.hashStep();
    if (fromHash >= 0 && fromHash !== k) {  // the legend's "opened on" note no longer holds
      var notes = this.map.getContainer().querySelectorAll(".gc-start-note");
      for (var i = 0; i < notes.length; i++) { notes[i].hidden = true; }
    }
    this.setStep(fromHash >= 0 ? fromHash : k, "start");
    window.addEventListener("hashchange", function () {
      var step = self.hashStep();
      if (step >= 0 && step !== self.step) { self.setStep(step, "hash"); }
    });
    this._watchTiles();
  };

  /* Tiles that fail to load (offline): show the base map in their place. */
  Ctx.prototype._watchTiles = function () {
    var self = this;
    this.map.eachLayer(function (layer) {
      if (layer instanceof L.TileLayer) {
        layer.once("tileerror", function () { self.tilesFailed(); });
      }
    });
  };

  Ctx.prototype.tilesFailed = function () {
    L.DomUtil.addClass(this.map.getContainer(), "gc-no-tiles");
    this.options.tiles = false;
    var base = this.groups.basemap;
    if (base && !this.map.hasLayer(base)) { this.map.addLayer(base); }
    if (this.layers.outline && this.layers.outline.fill) { this.layers.outline.fill(); }
  };

  Ctx.prototype.addLayer = function (name, group) {
    var make = gc.layers[name];
    if (!make) { throw new Error("geoconflict: unknown layer " + name); }
    this.groups[name] = group;
    this.layers[name] = make(this, group);
    return this.layers[name];
  };

  /* Text-node cards: a title line and label/value rows. */
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
