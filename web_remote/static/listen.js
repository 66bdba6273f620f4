/* The phone as a pitch source (issue 15): "Let my phone listen" on the singer's own Now view
   while their song is on. The microphone (echo cancelling, noise suppression and gain control
   off: they bend pitch) goes to a YIN tracker on the audio thread (pitch-worklet.js with
   pitchtrack.js; a ScriptProcessor where there is no AudioWorklet); only its pitch frames
   leave the phone: POST /api/pitch every ~150 ms, one request in flight at a time.

   Timing: each frame is sent with its age (now less the frame's time, the audio context's
   clock mapped onto the page's: clockSample), the one-way time of a request (half the shortest of the last 20 round trips, less the box's
   own time, server_ms), the input latency (the track's settings.latency plus the context's
   baseLatency, where the browser gives them) and the singer's nudge (kept on this phone).
   The box stamps the frames in song seconds (appliance/core/scoring/phones.py).
   Browsers give the microphone only to secure pages (https, or localhost): elsewhere the card
   says so instead of offering a button that cannot work. */
"use strict";
(function () {
  var h = KB.h, S = KB.state;
  var SEND_MS = 150, MAX_BATCH = 64, MAX_AGE_MS = 2500, MAX_KEPT = 400, RTTS = 20;
  var NUDGE_KEY = "kb_pitch_nudge_ms", NUDGE_MAX = 300, CANCELLED = {};
  var NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
  var L = KB.listening = { on: false, starting: false, ctx: null, stream: null, nodes: [],
    frames: [], rtts: [], offsets: [], offsetMs: 0, firstVoicedAt: null, inputMs: 0, sent: 0,
    taken: 0, last: null, busy: false, waitUntil: 0, timer: 0, wake: null, error: "" };

  KB.canListen = function () {
    return !!(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia &&
      (window.AudioContext || window.webkitAudioContext));
  };
  function nudgeMs() {
    var value = Number(localStorage.getItem(NUDGE_KEY) || 0);
    return isFinite(value) ? Math.max(-NUDGE_MAX, Math.min(NUDGE_MAX, value)) : 0;
  }
  function oneWayMs() {
    return L.rtts.length ? Math.max(0, Math.min.apply(null, L.rtts) / 2) : 20;
  }
  KB.noteName = function (midi) {
    var n = Math.round(midi);
    return NAMES[((n % 12) + 12) % 12] + (Math.floor(n / 12) - 1);
  };

  /* --- the microphone and the tracker -------------------------------------------------------- */
  function start() {
    if (L.on || L.starting) return;
    L.starting = true; L.error = ""; L.entryId = S.snap && S.snap.now ? S.snap.now.entry_id : null; redraw();
    navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false,
      autoGainControl: false, channelCount: 1 } }).then(function (stream) {
      if (!L.starting) {  /* Stop was tapped while the phone asked: let the microphone go */
        stream.getTracks().forEach(function (track) { track.stop(); });
        throw CANCELLED;
      }
      L.startedAt = performance.timeOrigin + performance.now();  /* the microphone opened (ms) */
      var Context = window.AudioContext || window.webkitAudioContext;
      var ctx = new Context({ latencyHint: "interactive" });
      var settings = stream.getAudioTracks()[0].getSettings ? stream.getAudioTracks()[0].getSettings() : {};
      L.ctx = ctx; L.stream = stream;
      L.inputMs = 1000 * ((typeof settings.latency === "number" ? settings.latency : 0) + (ctx.baseLatency || 0));
      var source = ctx.createMediaStreamSource(stream), mute = ctx.createGain();
      mute.gain.value = 0;
      mute.connect(ctx.destination);
      L.nodes = [source, mute];
      return (ctx.audioWorklet ? worklet(ctx, source, mute) : scriptProcessor(ctx, source, mute)).then(function () {
        return ctx.resume();
      });
    }).then(function () {
      if (!L.starting) throw CANCELLED;
      L.on = true; L.starting = false; L.frames = []; L.sent = L.taken = 0; L.firstVoicedAt = null;
      L.offsets = [];
      L.timer = setInterval(flush, SEND_MS);
      if (navigator.wakeLock) navigator.wakeLock.request("screen").then(function (w) { L.wake = w; }, function () {});
      redraw();
    }).catch(function (error) {
      if (error === CANCELLED) { if (!L.on) stop(); return; }
      stop(error && error.name === "NotAllowedError" ? "The microphone was not allowed." :
        "This phone could not listen: " + ((error && error.message) || error));
    });
  }

  function worklet(ctx, source, mute) {
    return ctx.audioWorklet.addModule("/static/pitch-worklet.js").then(function () {
      var node = new AudioWorkletNode(ctx, "kb-pitch", { numberOfInputs: 1, numberOfOutputs: 1,
        channelCount: 1, channelCountMode: "explicit" });
      node.port.onmessage = function (event) { heard(event.data.frames, event.data.time); };
      source.connect(node); node.connect(mute);
      L.nodes.push(node);
    });
  }

  function scriptProcessor(ctx, source, mute) {
    return new Promise(function (resolve, reject) {
      var script = h("script", { src: "/static/pitchtrack.js" });
      script.onload = resolve; script.onerror = reject;
      document.head.appendChild(script);
    }).then(function () {
      var node = ctx.createScriptProcessor(1024, 1, 1), tracker = new KbPitch.Tracker(ctx.sampleRate, 0.01);
      node.onaudioprocess = function (event) {
        var input = event.inputBuffer.getChannelData(0), rate = ctx.sampleRate;
        var start = ctx.currentTime - input.length / rate;
        heard(tracker.push(input).map(function (f) {
          return [start + (f.index + 1) / rate - tracker.centreS, f.midi];
        }), ctx.currentTime);
      };
      source.connect(node); node.connect(mute);
      L.nodes.push(node);
    });
  }

  /* The audio context's clock on the page's: performance.now() = 1000 * contextTime + offset.
     Each message from the audio thread says its context time; a message arrives late, never
     early, so the smallest offset of the last 40 (~2 s) is the truest (the context's
     currentTime on the page lags by a block or more, by more on a busy phone). */
  function clockSample(contextTime) {
    L.offsets.push(performance.now() - 1000 * contextTime);
    if (L.offsets.length > 40) L.offsets.shift();
    L.offsetMs = Math.min.apply(null, L.offsets);
  }
  function pageMs(contextTime) { return 1000 * contextTime + L.offsetMs; }

  function heard(frames, contextTime) {
    if (!L.on || !frames.length) return;
    clockSample(contextTime);
    if (L.firstVoicedAt === null) {  /* when a voice was first heard, on the page's clock (ms) */
      var voiced = frames.filter(function (f) { return f[1] !== null; })[0];
      if (voiced) L.firstVoicedAt = performance.timeOrigin + pageMs(voiced[0]);
    }
    Array.prototype.push.apply(L.frames, frames);
    if (L.frames.length > MAX_KEPT) L.frames.splice(0, L.frames.length - MAX_KEPT);
    L.last = frames[frames.length - 1][1];
  }

  function stop(error) {
    clearInterval(L.timer);
    if (L.stream) L.stream.getTracks().forEach(function (track) { track.stop(); });
    L.nodes.forEach(function (node) { try { node.disconnect(); } catch (e) { /* gone */ } });
    if (L.ctx) L.ctx.close().catch(function () {});
    if (L.wake) L.wake.release().catch(function () {});
    L.on = L.starting = false; L.ctx = L.stream = L.wake = null; L.nodes = []; L.frames = [];
    L.error = error || "";
    redraw();
  }
  function redraw() {  /* the card changes with what the phone does, touched or not */
    var box = KB.$("now-listen");
    if (box && S.snap) KB.renderListen(box, S.snap, true);
  }
  KB.stopListening = stop;

  /* --- sending what was heard ---------------------------------------------------------------- */
  function batch() {
    var now = performance.now(), frames = [], keep = [], lastAge = Infinity;
    L.frames.forEach(function (f) {
      var age = Math.round((now - pageMs(f[0])) * 100) / 100;
      if (age < 0) { keep.push(f); return; }  /* not yet: the clocks' mapping moved */
      if (age > MAX_AGE_MS || age >= lastAge) return;
      lastAge = age;
      frames.push([age, f[1] === null ? null : Math.round(f[1] * 1000) / 1000]);
    });
    L.frames = keep;
    return frames.slice(-MAX_BATCH);
  }

  function flush() {
    var now = S.snap && S.snap.now;
    if (L.on && (!now || now.entry_id !== L.entryId)) { stop(); return; }  /* the song is over: mic off, on any tab */
    if (!L.on || L.busy || Date.now() < L.waitUntil) return;
    if (!S.snap || S.snap.state !== "playing") { L.frames = []; return; }
    var frames = batch();
    if (!frames.length) return;
    var body = { frames: frames, one_way_ms: Math.min(2000, oneWayMs()),
      input_ms: Math.min(1000, L.inputMs), nudge_ms: nudgeMs() };
    var sentAt = performance.now();
    L.busy = true;
    fetch("/api/pitch", { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": S.session ? S.session.csrf_token : "" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        answered(response, data, performance.now() - sentAt);
      });
    }).catch(function () { /* the link dropped: the next batch tries again */ }).then(function () {
      L.busy = false;
    });
  }

  function answered(response, data, roundTripMs) {
    if (response.ok) {
      L.rtts.push(Math.max(0, roundTripMs - (data.server_ms || 0)));
      if (L.rtts.length > RTTS) L.rtts.shift();
      L.sent += 1; L.taken += data.taken || 0;
    } else if (response.status === 429) {
      L.waitUntil = Date.now() + 1000 * Number(response.headers.get("Retry-After") || 1);
    } else if (response.status !== 409) {  /* 409: paused or between songs, nothing to do */
      stop(data.reason || "The box refused the pitch (" + response.status + ").");
    }
  }

  /* --- the card ------------------------------------------------------------------------------- */
  function statusText() {
    if (L.starting) return "Starting the microphone…";
    if (!L.on) return L.error || "Your voice is tracked on this phone: only the notes you sing are sent, never the sound.";
    var heardText = L.last === null || L.last === undefined ? "no voice heard" : "hearing " + KB.noteName(L.last);
    return "Listening: " + heardText + " · delay " + Math.round(oneWayMs() + L.inputMs + nudgeMs()) + " ms";
  }
  function tick() {
    var status = KB.$("listen-status");
    if (status) status.textContent = statusText();
  }
  setInterval(tick, 300);

  function nudgeSlider() {
    var value = nudgeMs(), text = function (v) { return "Timing correction " + (v > 0 ? "+" : "") + v + " ms"; };
    var label = h("label", { for: "listen-nudge" }, text(value));
    var slider = h("input", { id: "listen-nudge", type: "range", min: -NUDGE_MAX, max: NUDGE_MAX, step: 10, value: value });
    slider.addEventListener("input", function () { label.textContent = text(Number(slider.value)); });
    slider.addEventListener("change", function () {
      try { localStorage.setItem(NUDGE_KEY, String(Number(slider.value))); } catch (e) { /* full */ }
    });
    return h("div", { class: "slider" }, label, slider,
      h("p", { class: "meta", text: "Move right if the TV draws your voice after the notes." }));
  }

  /* A plain http page with the box's https address at hand (session.https_url): the same
     page there, where the phone may lend its microphone (docs/remote.md, "https"). */
  function secureCard(title, base) {
    var url = base + location.pathname.slice(1) + location.search + location.hash;
    return h("div", { class: "card" }, title,
      h("a", { id: "listen-https", class: "button primary", href: url, rel: "noopener" }, "Open the secure page"),
      h("p", { class: "meta", text: "Phones lend their microphone only to secure (https) pages. The " +
        "box's secure page uses its own certificate, so the phone warns once: choose Advanced, then " +
        "continue to the page, and tap Let my phone listen there." }));
  }

  function card() {
    var title = h("h3", { class: "sub", text: "No mic? Your phone can listen" });
    var secure = !window.isSecureContext && S.session && S.session.https_url;
    if (!KB.canListen() && secure) return secureCard(title, secure);
    if (!KB.canListen()) {
      return h("div", { class: "card" }, title, h("p", { class: "meta", text:
        "Phones lend the microphone only to secure (https) pages, and this box's page is plain http: " +
        "sing into the box's mic, or ask the host (docs/remote.md, \"The phone listens\")." }));
    }
    var button = L.on || L.starting
      ? h("button", { type: "button", "aria-pressed": "true", onclick: function () { stop(); } }, "Stop listening")
      : h("button", { type: "button", class: "primary", onclick: start }, "Let my phone listen");
    return h("div", { class: "card" }, title, button,
      h("p", { id: "listen-status", class: "meta", role: "status", text: statusText() }),
      L.on ? nudgeSlider() : null);
  }

  var shownKey = "";
  KB.renderListen = function (box, snap, force) {
    var now = snap.now, mine = !!now && now.singer_id === KB.me() && KB.me() !== null &&
      (snap.state === "playing" || snap.state === "paused");
    if (!mine && (L.on || L.starting)) stop();
    var key = mine ? [now.entry_id, L.on, L.starting, L.error].join("|") : "";
    if (key === shownKey && !(mine && !box.firstChild)) return;
    if (!force && KB.editing(box)) return;
    shownKey = key;
    KB.fill(box, mine ? card() : []);
  };
})();
