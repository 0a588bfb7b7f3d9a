/* geoconflict time slider: a range input over the payload's steps, with play / pause.
 * Moving it (mouse, or the keyboard: arrow keys, Home, End, Page Up / Down) calls
 * ctx.setStep, which restyles every layer and writes the date in the URL fragment. */
(function () {
  "use strict";
  var gc = window.geoconflict;
  if (gc.Slider) { return; }
  var el = gc.el;

  gc.Slider = L.Control.extend({
    options: { position: "bottomleft", interval: 800 },

    initialize: function (ctx, options) {
      L.setOptions(this, options);
      this.ctx = ctx;
      this.timer = null;
    },

    onAdd: function () {
      var self = this;
      var ctx = this.ctx;
      var steps = ctx.data.steps;
      var box = ctx.dir(el("div", "gc-slider leaflet-bar"));
      var button = el("button", "gc-play", null, box);
      button.type = "button";
      var input = el("input", "gc-range", null, box);
      input.type = "range";
      input.min = "0";
      input.max = String(Math.max(steps.length - 1, 0));
      input.step = "1";
      input.setAttribute("aria-label", ctx.words.date_slider);
      var label = el("output", "gc-date", null, box);
      label.setAttribute("aria-hidden", "true");  // the slider says the date itself
      this.button = button;
      this.input = input;
      this._showPlaying(false);

      input.addEventListener("input", function () {
        self.stop();
        ctx.setStep(parseInt(input.value, 10));
      });
      button.addEventListener("click", function () { self.toggle(); });
      ctx.onStep(function (k) {
        input.value = String(k);
        input.setAttribute("aria-valuetext", ctx.dateText(k));
        label.textContent = steps[k] || "";
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      L.DomEvent.on(box, "keydown", L.DomEvent.stopPropagation);
      return box;
    },

    onRemove: function () { this.stop(); },

    _showPlaying: function (playing) {
      var word = playing ? this.ctx.words.pause : this.ctx.words.play;
      this.button.textContent = playing ? "\u275a\u275a" : "\u25b6";
      this.button.title = word;
      this.button.setAttribute("aria-label", word);
      this.button.setAttribute("aria-pressed", playing ? "true" : "false");
    },

    play: function () {
      var self = this;
      var ctx = this.ctx;
      var last = ctx.data.steps.length - 1;
      if (this.timer !== null || last < 1) { return; }
      if (ctx.step >= last) { ctx.setStep(0); }
      this.timer = window.setInterval(function () {
        if (ctx.step >= last) {
          self.stop();
          return;
        }
        ctx.setStep(ctx.step + 1);
      }, this.options.interval);
      this._showPlaying(true);
    },

    stop: function () {
      if (this.timer !== null) {
        window.clearInterval(this.timer);
        this.timer = null;
      }
      this._showPlaying(false);
    },

    toggle: function () {
      if (this.timer === null) { this.play(); } else { this.stop(); }
    }
  });
})();
