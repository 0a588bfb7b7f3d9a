/* geoconflict "what changed" panel: the changes of hands on the step shown (place: from →
 * to, with its source as a link that opens in a new tab) and the displacement reported from
 * that date; it follows the slider and play. Every text is a text node. */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.Panel) { return; }
  var el = gc.el;
  var MAX_ROWS = 40;

  gc.Panel = L.Control.extend({
    options: { position: "topleft" },

    initialize: function (ctx, options) {
      L.setOptions(this, options);
      this.ctx = ctx;
    },

    onAdd: function (map) {
      var self = this;
      var ctx = this.ctx;
      var box = ctx.dir(el("section", "gc-panel"));
      box.setAttribute("aria-label", ctx.words.panel);
      box.tabIndex = 0;  // it scrolls: keyboard users can reach its end
      var top = el("div", "gc-panel-head", null, box);
      /* a button folds the list away, so it uncovers the map beneath (the title stays) */
      var toggle = this.toggle = el("button", "gc-panel-toggle", "\u2212", top);
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "true");
      toggle.setAttribute("aria-label", ctx.words.hide_panel);
      toggle.title = ctx.words.hide_panel;
      this.head = el("div", "gc-panel-title", null, top);
      this.head.setAttribute("role", "heading");
      this.head.setAttribute("aria-level", "2");
      var body = el("div", "gc-panel-body", null, box);
      body.id = (map.getContainer().id || "gc-map") + "-panel-body";
      toggle.setAttribute("aria-controls", body.id);
      this.list = el("ul", "gc-panel-changes", null, body);
      this.flows = el("div", "gc-panel-flows", null, body);
      L.DomEvent.on(toggle, "click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        toggle.textContent = open ? "\u2212" : "+";
        var word = open ? ctx.words.hide_panel : ctx.words.show_panel;
        toggle.setAttribute("aria-label", word);
        toggle.title = word;
        body.hidden = !open;
      });
      var p = ctx.data.places;
      this.rank = new Int32Array(p.id.length).fill(p.id.length);
      for (var i = 0; i < p.order.length; i++) { this.rank[p.order[i]] = i; }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      ctx.onStep(function (k) { self.render(k); });
      return box;
    },

    /* Who a period's place was held by, in words: "HTS-led opposition · contested (SNA)",
     * each name isolated (<bdi>) so English names read right in an Arabic sentence. */
    _state: function (j, parent) {
      var ctx = this.ctx, c = ctx.data.control;
      el("bdi", null, ctx.actorName(c.actor[j]), parent);
      if (c.status[j] > 0) {
        el("span", null, " · " + (c.status[j] === 1 ? ctx.words.contested
                                                     : ctx.words.besieged), parent);
        if (c.by[j] >= 0) {  // "(SNA)", or "– by SNA (Türkiye-backed)": brackets never nest
          var by = ctx.actorName(c.by[j]);
          var plain = !/[()]/.test(by);
          el("span", null, plain ? " (" : " \u2013 " + ctx.words.by + " ", parent);
          el("bdi", null, by, parent);
          if (plain) { el("span", null, ")", parent); }
        }
      }
    },

    render: function (k) {
      var ctx = this.ctx;
      var c = ctx.data.control;
      var W = ctx.words;
      var rank = this.rank;
      this.head.textContent = W.changes_on.replace("{date}", ctx.dateText(k));
      this.list.textContent = "";
      var changed = [];
      var first = 0;
      for (var j = 0; j < c.start.length; j++) {
        if (c.start[j] !== k || c.place[j] < 0) { continue; }
        if (c.prev[j] < 0) { first++; } else { changed.push(j); }
      }
      changed.sort(function (a, b) { return rank[c.place[a]] - rank[c.place[b]]; });
      var lines = this._group(changed);
      for (var n = 0; n < lines.length && n < MAX_ROWS; n++) {
        var line = lines[n];
        var jj = line[0];
        var li = el("li", "gc-change", null, this.list);
        li.setAttribute("data-place", ctx.data.places.id[c.place[jj]]);
        gc.swatch(ctx.actorColor(c.actor[jj]), li);
        var text = el("span", "gc-change-text", null, li);
        for (var m = 0; m < line.length; m++) {
          if (m) { el("span", null, ", ", text); }
          el("bdi", null, ctx.placeName(c.place[line[m]]), text);
        }
        el("span", null, ": ", text);
        this._state(c.prev[jj], text);
        el("span", null, " " + ctx.words.arrow + " ", text);
        this._state(jj, text);
        var sources = {};
        for (var s = 0; s < line.length; s++) {
          var code = c.source[line[s]];
          if (code < 0 || sources[code]) { continue; }
          sources[code] = true;
          el("span", null, " ", li);
          gc.sourceNode(c.sources[code], li, true);
        }
      }
      changed = lines;
      if (changed.length > MAX_ROWS) {
        el("li", "gc-panel-note", W.and_more.replace("{n}", ctx.number(changed.length -
                                                                            MAX_ROWS)),
           this.list);
      }
      if (first) {
        el("li", "gc-panel-note", W.baseline.replace("{n}", ctx.number(first)), this.list);
      }
      if (!changed.length && !first) { el("li", "gc-panel-note", W.no_changes, this.list); }
      this._flows(k);
    },

    /* The changes of a step as lines: a town and the unit it lies in (places.within) that
     * changed hands alike on the step make one line, the town first. ``changed``: period
     * indices in reading order; returns lists of them. */
    _group: function (changed) {
      var c = this.ctx.data.control, within = this.ctx.data.places.within;
      var same = function (a, b) {
        return c.actor[a] === c.actor[b] && c.status[a] === c.status[b] &&
          c.by[a] === c.by[b] && c.actor[c.prev[a]] === c.actor[c.prev[b]] &&
          c.status[c.prev[a]] === c.status[c.prev[b]];
      };
      var byPlace = {};
      changed.forEach(function (j) { byPlace[c.place[j]] = j; });
      var joined = {};
      var lines = [];
      changed.forEach(function (j) {
        if (joined[j]) { return; }
        var unit = within[c.place[j]];
        var other = unit >= 0 ? byPlace[unit] : undefined;
        if (other !== undefined && !joined[other] && same(j, other)) {
          joined[other] = true;
          lines.push([j, other]);
        } else {
          lines.push([j]);
        }
      });
      return lines.filter(function (line) { return line.length > 1 || !joined[line[0]]; });
    },

    _flows: function (k) {
      var ctx = this.ctx;
      var flows = ctx.data.flows;
      var box = this.flows;
      box.textContent = "";
      if (!flows) { return; }
      var f = flows.lines;
      var begun = el("ul", "gc-panel-begun", null, null);
      var rows = 0, under = 0, people = 0;
      for (var i = 0; i < f.pair.length; i++) {
        if (f.first[i] <= k && k <= f.last[i]) {
          under++;
          people += f.people[i];
        }
        if (f.first[i] !== k || rows >= MAX_ROWS) { continue; }
        rows++;
        var pair = f.pair[i];
        var li = el("li", "gc-panel-flow", null, begun);
        el("span", null, ctx.placeName(f.origin[pair]) + " " + ctx.words.arrow + " " +
           ctx.placeName(f.destination[pair]) + ": " + ctx.range(f.people[i], f.people_max[i]) +
           " " + ctx.words.people + (f.estimate[i] ? " (" + ctx.words.estimate + ")" : ""), li);
        if (f.source[i] >= 0) {
          var source = flows.sources[f.source[i]];
          el("span", null, " ", li);
          gc.sourceNode(source, li, true);
        }
      }
      var pr = flows.rings;
      for (var r = 0; r < pr.place.length; r++) {
        if (pr.first[r] !== k || rows >= MAX_ROWS) { continue; }
        rows++;
        var at = pr.wide[r] ? ctx.words.present_across : ctx.words.present_at;
        var item = el("li", "gc-panel-flow", null, begun);
        el("span", null, at.replace("{place}", ctx.placeName(pr.place[r])) + ": " +
           ctx.range(pr.people[r], pr.people_max[r]) + " " + ctx.words.people +
           (pr.estimate[r] ? " (" + ctx.words.estimate + ")" : ""), item);
        if (pr.source[r] >= 0) {
          var from = flows.sources[pr.source[r]];
          el("span", null, " ", item);
          gc.sourceNode(from, item, true);
        }
      }
      if (rows) {
        el("div", "gc-panel-subtitle", ctx.words.flows_begun, box);
        box.appendChild(begun);
      }
      if (under) {
        el("div", "gc-panel-note", ctx.words.flows_under_way + ": " + ctx.number(under) +
           " (" + ctx.number(people) + " " + ctx.words.people + ")", box);
      }
    }
  });
})();
