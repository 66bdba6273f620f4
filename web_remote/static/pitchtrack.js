/* The phone's pitch tracker (issue 15): YIN (de Cheveigné and Kawahara, 2002) on the microphone's
   samples, in the page; the sound never leaves the phone, only the pitch does (listen.js).
   Loaded on demand: by the AudioWorklet (pitch-worklet.js imports it), or as a plain script
   for the ScriptProcessor fallback. It sets globalThis.KbPitch.Tracker.

   The input is low-passed (two biquads at 6 kHz) and decimated to ~16 kHz; every hop (10 ms)
   the last 48 ms (a 32 ms window compared with itself up to 16 ms later: 62.5 Hz) are analysed:
   the cumulative-mean-normalised difference, its first dip under 0.15 (else its lowest point
   if under 0.35, else unvoiced), refined by a parabola. A window quieter than -50 dBFS RMS is
   unvoiced. A frame stands for the middle of what it analysed: centreS seconds before the
   newest sample. Cost: 131k multiply-adds a hop, ~13 M a second. */
"use strict";
(function (root) {
  var TARGET_RATE = 16000, WINDOW = 512, MAX_LAG = 256, MIN_LAG = 13;
  var THRESHOLD = 0.15, VOICED_MAX = 0.35, GATE_RMS = 0.00316;

  function Biquad(rate, cutoff) {  /* RBJ low-pass, Q = 1/sqrt(2) */
    var w = 2 * Math.PI * Math.min(cutoff, 0.45 * rate) / rate, alpha = Math.sin(w) / Math.SQRT2;
    var cos = Math.cos(w), a0 = 1 + alpha;
    this.b0 = (1 - cos) / 2 / a0; this.b1 = (1 - cos) / a0; this.b2 = this.b0;
    this.a1 = -2 * cos / a0; this.a2 = (1 - alpha) / a0;
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
  }
  Biquad.prototype.step = function (x) {
    var y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1; this.x1 = x; this.y2 = this.y1; this.y1 = y;
    return y;
  };

  function Tracker(sampleRate, hopS) {
    this.factor = Math.max(1, Math.round(sampleRate / TARGET_RATE));
    this.rate = sampleRate / this.factor;
    this.hop = Math.max(1, Math.round((hopS || 0.01) * this.rate));
    this.size = WINDOW + MAX_LAG;
    this.ring = new Float32Array(this.size);
    this.frame = new Float32Array(this.size);
    this.diff = new Float64Array(MAX_LAG + 2);
    this.filters = this.factor > 1 ? [new Biquad(sampleRate, 6000), new Biquad(sampleRate, 6000)] : [];
    this.write = 0; this.filled = 0; this.sinceHop = 0; this.phase = 0;
    this.centreS = (this.size / 2) * this.factor / sampleRate;
  }

  /* Feed input samples; returns the frames finished in them as {index, midi}: index is the
     input sample (in this block) that completed the analysed span; midi null when unvoiced. */
  Tracker.prototype.push = function (samples) {
    var frames = [], filters = this.filters;
    for (var i = 0; i < samples.length; i++) {
      var x = samples[i];
      for (var f = 0; f < filters.length; f++) x = filters[f].step(x);
      if (++this.phase < this.factor) continue;
      this.phase = 0;
      this.ring[this.write] = x;
      this.write = (this.write + 1) % this.size;
      if (this.filled < this.size) this.filled++;
      if (++this.sinceHop >= this.hop && this.filled === this.size) {
        this.sinceHop = 0;
        frames.push({ index: i, midi: this.analyse() });
      }
    }
    return frames;
  };

  Tracker.prototype.analyse = function () {
    var x = this.frame, ring = this.ring, size = this.size, start = this.write, energy = 0;
    for (var k = 0; k < size; k++) x[k] = ring[(start + k) % size];
    for (k = 0; k < WINDOW; k++) energy += x[k] * x[k];
    if (Math.sqrt(energy / WINDOW) < GATE_RMS) return null;
    var lag = yinLag(x, this.diff);
    return lag === null ? null : 69 + 12 * Math.log2(this.rate / lag / 440);
  };

  function yinLag(x, d) {
    var tau, j, sum, delta, running = 0;
    for (tau = 1; tau <= MAX_LAG; tau++) {
      sum = 0;
      for (j = 0; j < WINDOW; j++) { delta = x[j] - x[j + tau]; sum += delta * delta; }
      d[tau] = sum;
    }
    d[0] = 1;
    for (tau = 1; tau <= MAX_LAG; tau++) {
      running += d[tau];
      d[tau] = running > 0 ? d[tau] * tau / running : 1;
    }
    var best = -1;
    for (tau = MIN_LAG; tau < MAX_LAG; tau++) {
      if (d[tau] < THRESHOLD) {
        while (tau + 1 < MAX_LAG && d[tau + 1] < d[tau]) tau++;
        best = tau;
        break;
      }
    }
    if (best < 0) {
      for (tau = MIN_LAG; tau < MAX_LAG; tau++) if (best < 0 || d[tau] < d[best]) best = tau;
      if (d[best] > VOICED_MAX) return null;
    }
    var a = d[best - 1], b = d[best], c = d[best + 1], bend = a - 2 * b + c;
    return bend > 0 ? best + (a - c) / (2 * bend) : best;
  }

  root.KbPitch = { Tracker: Tracker };
})(globalThis);
