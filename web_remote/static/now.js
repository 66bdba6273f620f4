/* The Now view: who sings what, how far (ticking), the countdown to the next singer (ticking),
   the host's Pause/Resume and Skip, and the live mix card for the singer (or the host).
   The status is redrawn on every snapshot; the live card only when its song or settings
   change and nobody is touching it (a slider keeps focus after a drag: that must not freeze
   the page, as it did). The singer's mic, their score and the night's best: score.js; the phone
   that listens: listen.js. */
"use strict";
(function () {
  var h = KB.h, S = KB.state;
  var STATES = { playing: "Playing", paused: "Paused", up_next: "Up next", idle: "Break" };

  /* --- "is someone touching this?" ------------------------------------------------------ */
  var EDIT_GRACE_MS = 1500;
  KB.watchEditing = function (box) {
    var mark = function () { box.editedAt = Date.now(); };
    ["pointerdown", "pointermove", "input", "keydown"].forEach(function (type) {
      box.addEventListener(type, mark);
    });
    box.addEventListener("pointerdown", function () { box.pointerDown = true; });
    document.addEventListener("pointerup", function () { box.pointerDown = false; });
    return box;
  };
  KB.editing = function (box) {
    return !!box.pointerDown || Date.now() - (box.editedAt || 0) < EDIT_GRACE_MS;
  };

  /* --- progress and countdown, between snapshots ---------------------------------------- */
  var sinceSnap = function () { return (Date.now() - S.snapAt) / 1000; };
  function positionNow() {
    var now = S.snap && S.snap.now;
    if (!now) return 0;
    var pos = now.position_s;
    if (S.snap.state === "playing") pos += sinceSnap() * now.settings.tempo_ratio;
    return Math.min(pos, now.song.duration_s);
  }
  KB.countdownNow = function () {
    if (!S.snap || S.snap.state !== "up_next" || S.snap.countdown_s === null) return null;
    return Math.max(0, S.snap.countdown_s - sinceSnap());
  };
  KB.tickProgress = function () {
    var bar = KB.$("now-bar"), time = KB.$("now-time"), starts = KB.$("now-starts");
    var countdown = KB.countdownNow();
    if (starts && countdown !== null) starts.textContent = "starts in " + KB.mmss(countdown);
    if (!bar || !S.snap || !S.snap.now) return;
    var pos = positionNow(), dur = S.snap.now.song.duration_s || 1;
    bar.firstChild.style.width = (100 * pos / dur).toFixed(1) + "%";
    bar.setAttribute("aria-valuenow", Math.round(pos));
    bar.setAttribute("aria-valuetext", KB.mmss(pos) + " of " + KB.mmss(dur));
    time.textContent = KB.mmss(pos) + " / " + KB.mmss(dur);
  };

  /* --- the host's transport (also on the Host tab) ----------------------------------------- */
  KB.transportButtons = function (snap) {
    var playing = snap.state === "playing", paused = snap.state === "paused";
    var act = function (action) { return function () { KB.hostAction(action, snap); }; };
    return [
      paused ? h("button", { type: "button", class: "primary", onclick: act("resume") }, "Resume")
        : h("button", { type: "button", class: "primary", disabled: !playing, onclick: act("pause") }, "Pause"),
      h("button", { type: "button", disabled: !(playing || paused), onclick: act("skip") }, "Skip")];
  };
  KB.hostAction = function (action, snap) {
    var done = KB.send("POST", "/api/playback/" + action);
    if (action !== "skip" || !snap.now) return done;
    var title = snap.now.song.title, singer = snap.now.singer_name;
    return done.then(function () {
      KB.undoNotice("Skipped " + title + " (" + singer + ")", "Undo", function () {
        KB.send("POST", "/api/playback/undo-skip").then(function (r) {
          KB.notice(r.resumed ? title + " plays on" : title + " is next again");
        });
      });
    });
  };

  KB.nowLine = function (snap) {
    var now = snap.now;
    if (!now) return (STATES[snap.state] || snap.state) + ": nothing playing";
    return (STATES[snap.state] || snap.state) + ": " + now.singer_name + " — " + now.song.title;
  };

  /* --- the view ------------------------------------------------------------------------------ */
  function statusCard(snap) {
    var now = snap.now;
    if (!now) return h("div", { class: "card" }, h("p", { class: "big", text: STATES[snap.state] || snap.state }));
    return h("div", { class: "card" },
      h("p", { class: "muted", text: STATES[snap.state] || snap.state }),
      h("p", { class: "big", text: now.singer_name }),
      h("p", { class: "title", text: now.song.title }),
      KB.songMeta(now.song),
      h("div", { id: "now-bar", class: "progress", role: "progressbar", "aria-label": "Song progress",
        "aria-valuemin": 0, "aria-valuemax": Math.round(now.song.duration_s) }, h("div")),
      h("p", { id: "now-time", class: "meta" }),
      KB.settingsText(now.settings, now.song) ? h("p", { class: "meta", text: KB.settingsText(now.settings, now.song) }) : null,
      KB.noScoreLine(snap),
      KB.isHost() ? h("div", { class: "grid2" }, KB.transportButtons(snap)) : null);
  }

  function nextCard(snap) {
    var next = snap.upcoming[0];
    if (!next) return null;
    var counting = KB.countdownNow() !== null;
    var yours = next.singer_id === KB.me();
    return h("div", { class: "card" + (yours ? " yours" : "") },
      h("p", { class: "muted", text: (yours ? "You're up next" : "Up next") + (next.locked ? " (locked)" : "") }),
      h("p", { class: "title", text: next.singer_name + " — " + next.song.title }),
      h("p", { class: "eta", id: counting ? "now-starts" : null, text: counting ? "" : KB.eta(next.eta_s) }));
  }

  var liveTimer = 0, liveKey = "", redrawTimer = 0;
  function liveCard(now) {
    var editor = KB.mixEditor(now.song, now.settings, function (patch) {
      clearTimeout(liveTimer);
      liveTimer = setTimeout(function () { KB.send("PATCH", "/api/live", { settings: patch }); }, 120);
    });
    return h("div", { class: "card" }, h("h3", { class: "sub", text: "Live: heard at once" }), editor);
  }

  function renderLive(box, snap) {
    var now = snap.now;
    var mayChange = now && (snap.state === "playing" || snap.state === "paused") &&
      (KB.isHost() || now.singer_id === KB.me());
    var key = mayChange ? now.entry_id + JSON.stringify(now.settings) : "";
    if (key === liveKey) return;
    if (KB.editing(box)) {  /* redraw once the hands are off */
      clearTimeout(redrawTimer);
      redrawTimer = setTimeout(KB.renderNow, 500);
      return;
    }
    liveKey = key;
    KB.fill(box, mayChange ? liveCard(now) : []);
  }

  KB.renderNow = function () {
    var snap = S.snap, box = KB.$("now");
    if (!snap) return;
    if (!box.firstChild) {
      box.appendChild(h("div", { id: "now-score" }));
      box.appendChild(h("div", { id: "now-status" }));
      box.appendChild(KB.watchEditing(h("div", { id: "now-listen" })));
      box.appendChild(KB.watchEditing(h("div", { id: "now-voice" })));
      box.appendChild(KB.watchEditing(h("div", { id: "now-live" })));
      box.appendChild(h("div", { id: "now-next" }));
      box.appendChild(h("div", { id: "now-board" }));
    }
    KB.fill(KB.$("now-status"), statusCard(snap));
    KB.fill(KB.$("now-next"), [nextCard(snap),
      snap.last_failure ? h("p", { class: "meta", text: "Last problem: " + snap.last_failure }) : null]);
    renderLive(KB.$("now-live"), snap);
    KB.renderMyVoice(KB.$("now-voice"), snap);
    KB.renderListen(KB.$("now-listen"), snap);
    KB.renderScores(KB.$("now-score"), KB.$("now-board"), snap);
    KB.tickProgress();
  };
})();
