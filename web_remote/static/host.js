/* The host view: PIN entry, then transport, volume, everyone's mic, night settings (scoring
   too), library and power. */
"use strict";
(function () {
  var h = KB.h, S = KB.state;

  function pinForm() {
    var locked = S.session && S.session.pin_locked_s > 0;
    var input = h("input", { id: "host-pin", type: "password", inputmode: "numeric",
      autocomplete: "off", maxlength: 32, disabled: locked });
    var message = h("p", { class: "meta", role: "status",
      text: locked ? "PIN entry is locked for a while after too many wrong PINs." : "" });
    var form = h("form", { class: "stack" },
      h("label", { for: "host-pin" }, "Host PIN"), input,
      h("button", { type: "submit", class: "primary", disabled: locked }, "Enter"), message);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      KB.api("POST", "/api/host/login", { pin: input.value }).then(function () {
        return KB.refreshSession();
      }).then(function () {
        KB.notice("You are the host");
        KB.render();
      }).catch(function (e) {
        input.value = "";
        message.textContent = e.data && e.data.attempts_left !== undefined
          ? "Wrong PIN: " + e.data.attempts_left + " tries left." : e.message;
        if (e.status === 429) { input.disabled = true; form.querySelector("button").disabled = true; }
      });
    });
    return h("div", { class: "card" },
      h("p", { text: "The host runs the night: pause, skip, bump singers, settings." }), form,
      h("p", { class: "meta", text: "The PIN is shown in the box's log and by `karaoke pin`." }));
  }

  /* What is playing, so Skip is never blind; Pause/Resume and Skip are the Now view's too. */
  function transport(snap) {
    var playing = snap.state === "playing", paused = snap.state === "paused";
    var act = function (action) { return function () { KB.hostAction(action, snap); }; };
    return h("div", { class: "card" },
      h("h3", { class: "sub", text: "Playback" }),
      h("p", { class: "title", id: "host-now", text: KB.nowLine(snap) }),
      h("div", { class: "grid2" }, KB.transportButtons(snap),
        h("button", { type: "button", disabled: !(playing || paused), onclick: act("restart") }, "Restart"),
        h("button", { type: "button", disabled: playing || paused || !snap.upcoming.length,
          onclick: act("start-next") }, "Start next now")));
  }

  function volume(snap) {
    var label = h("label", { for: "host-volume" }, "Volume " + Math.round(snap.volume * 100) + "%");
    var slider = h("input", { id: "host-volume", type: "range", min: 0, max: 100, step: 5,
      value: Math.round(snap.volume * 100) });
    slider.addEventListener("input", function () { label.textContent = "Volume " + slider.value + "%"; });
    slider.addEventListener("change", function () {
      KB.send("PUT", "/api/volume", { volume: Number(slider.value) / 100 });
    });
    var mute = h("button", { type: "button", "aria-pressed": snap.muted ? "true" : "false",
      onclick: function () { KB.send("PUT", "/api/volume", { muted: !snap.muted }); } }, snap.muted ? "Unmute" : "Mute");
    return h("div", { class: "card" }, h("div", { class: "slider" }, label, slider), mute);
  }

  /* The settings' modes and ranges come from the API's own document (one source: the core's
     appliance/core/night_settings.py); until it has arrived the inputs take any number. */
  var rules = null, rulesAsked = false;
  var MODE_NAMES = { fair: "Fair rotation", fifo: "First come, first served" };
  var SWITCH_NAMES = { home_mode: "Home mode: everyone is host, no PIN",
    qr_during_songs: "Join QR code on the TV during songs",
    tv_notes: "Notes on the TV (off: lyrics only)",
    show_leaderboard: "Show tonight's leaderboard",
    tv_backgrounds: "Background videos and pictures behind the lyrics" };
  var LEVEL_NAMES = { easy: "Easy", normal: "Normal", hard: "Hard" };

  function askRules() {
    if (rulesAsked) return;
    rulesAsked = true;
    KB.get("/api/openapi.json").then(function (doc) {
      rules = doc.components.schemas.NightSettings.properties;
      KB.render();
    }).catch(function () { rulesAsked = false; });
  }

  function settingsForm(snap) {
    askRules();
    var st = snap.settings;
    var modes = rules ? rules.mode["enum"] : [st.mode];
    var mode = h("select", { id: "set-mode" }, modes.map(function (m) {
      return h("option", { value: m, selected: st.mode === m }, MODE_NAMES[m] || m);
    }));
    var bound = function (key, end, scale) {
      return rules ? rules[key][end] * (scale || 1) : undefined;
    };
    var number = function (id, value, key, scale) {
      return h("input", { id: id, type: "number", inputmode: "numeric", value: value,
        min: bound(key, "minimum", scale), max: bound(key, "maximum", scale) });
    };
    var levels = rules ? rules.score_difficulty["enum"] : [st.score_difficulty];
    var difficulty = h("select", { id: "set-difficulty" }, levels.map(function (d) {
      return h("option", { value: d, selected: st.score_difficulty === d }, LEVEL_NAMES[d] || d);
    }));
    var limit = number("set-limit", st.per_singer_limit, "per_singer_limit");
    var countdown = number("set-countdown", st.countdown_s, "countdown_s");
    var guide = number("set-guide", Math.round(st.default_guide_level * 100), "default_guide_level", 100);
    var switches = Object.keys(st).filter(function (k) { return typeof st[k] === "boolean"; });
    var boxes = switches.map(function (k) {
      return h("input", { id: "set-" + k, type: "checkbox", role: "switch", checked: st[k] });
    });
    var form = h("form", { class: "stack" },
      h("label", { for: "set-mode" }, "Rotation"), mode,
      h("label", { for: "set-limit" }, "Songs queued per singer"), limit,
      h("label", { for: "set-countdown" }, "Countdown between singers (s)"), countdown,
      h("label", { for: "set-guide" }, "Default guide vocal (%)"), guide,
      h("label", { for: "set-difficulty" }, "Scoring difficulty"), difficulty,
      switches.map(function (k, i) {
        return h("div", { class: "switch" }, h("label", { for: "set-" + k }, SWITCH_NAMES[k] || k), boxes[i]);
      }),
      h("button", { type: "submit" }, "Save settings"));
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {
        mode: mode.value, per_singer_limit: Number(limit.value),
        countdown_s: Number(countdown.value), default_guide_level: Number(guide.value) / 100,
        score_difficulty: difficulty.value
      };
      switches.forEach(function (k, i) { body[k] = boxes[i].checked; });
      KB.send("PATCH", "/api/settings", body).then(KB.refreshSession).then(function () {
        KB.notice("Settings saved");
        KB.render();
      });
    });
    return h("div", { class: "card" }, h("h3", { class: "sub", text: "Night settings" }), form);
  }

  function system() {
    var power = function (action, question) {
      return function () {
        if (confirm(question)) KB.send("POST", "/api/system/" + action).then(function () { KB.notice("The box will " + action); });
      };
    };
    return h("div", { class: "card" }, h("h3", { class: "sub", text: "Box" }),
      h("div", { class: "grid2" },
        h("button", { type: "button", onclick: function () {
          KB.send("POST", "/api/library/rescan").then(function () { KB.notice("Rescanning the library…"); });
        } }, "Rescan library"),
        h("button", { type: "button", onclick: function () {
          KB.send("POST", "/api/host/logout").then(KB.refreshSession).then(KB.render);
        } }, "Leave host mode"),
        h("button", { type: "button", class: "danger", onclick: power("reboot", "Restart the box now?") }, "Reboot"),
        h("button", { type: "button", class: "danger", onclick: power("shutdown", "Shut the box down now?") }, "Shut down")),
      h("p", { class: "meta", text: "Audio thread: " + (S.snap.audio_priority || "not known yet") }),
      h("p", { class: "meta", text: "Microphones: " + ((S.snap.mics || []).map(function (m) {
        return "mic " + m.mic + " " + (m.problem || "fine");
      }).join(", ") || "none") }),
      h("p", { class: "meta", text: "To queue for someone: Search, then Queue and pick the singer. Bump, pause or remove singers in Rotation." }));
  }

  /* The transport is redrawn on every snapshot; the forms only when what they show changed and
     nobody is typing in or dragging them (a focused slider must not freeze the view). */
  var formsKey = "", formsTimer = 0;
  KB.renderHost = function () {
    var box = KB.$("host");
    if (!KB.isHost()) { formsKey = ""; if (!box.querySelector("#host-pin")) KB.fill(box, pinForm()); return; }
    if (!S.snap) return;
    if (!KB.$("host-transport")) {
      KB.fill(box, [h("div", { id: "host-transport" }), KB.watchEditing(h("div", { id: "host-forms" })),
        h("div", { id: "host-library" })]);
    }
    KB.fill(KB.$("host-transport"), transport(S.snap));
    KB.fill(KB.$("host-library"), KB.libraryCard());  /* its own data, loaded by library.js */
    var forms = KB.$("host-forms");
    var key = JSON.stringify([S.snap.volume, S.snap.muted, S.snap.settings, S.snap.default_voice, !!rules]);
    var typing = forms.contains(document.activeElement) && /INPUT|SELECT/.test(document.activeElement.tagName) &&
      document.activeElement.type !== "range";
    if (key === formsKey) return;
    if (typing || KB.editing(forms)) { clearTimeout(formsTimer); formsTimer = setTimeout(KB.render, 600); return; }
    formsKey = key;
    KB.fill(forms, [volume(S.snap), KB.defaultVoiceCard(S.snap), settingsForm(S.snap), system()]);
  };
})();
