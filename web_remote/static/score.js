/* The singer's mic and their score: level and echo sliders for the singer on their Now view
   (while they sing, and when they are up next; the host gets the singing singer's), the final score after a song (the singer's
   phone says it is theirs and buzzes once), the night's leaderboard, and the host's default
   level and echo. Sliders are redrawn only when hands are off them (KB.watchEditing). */
"use strict";
(function () {
  var h = KB.h, S = KB.state;
  var LEVEL_MIN = -40, LEVEL_MAX = 12;

  KB.levelText = function (db) { return (db > 0 ? "+" : "") + Math.round(db) + " dB"; };

  /* Two sliders for a voice; ``save(patch)`` gets {level_db} or {echo} on release. */
  KB.voiceSliders = function (prefix, voice, save) {
    var levelLabel = h("label", { for: prefix + "level" }, "Mic level " + KB.levelText(voice.level_db));
    var level = h("input", { id: prefix + "level", type: "range", min: LEVEL_MIN, max: LEVEL_MAX, step: 1,
      value: Math.round(voice.level_db) });
    level.addEventListener("input", function () { levelLabel.textContent = "Mic level " + KB.levelText(Number(level.value)); });
    level.addEventListener("change", function () { save({ level_db: Number(level.value) }); });
    var echoLabel = h("label", { for: prefix + "echo" }, "Echo " + Math.round(voice.echo * 100) + "%");
    var echo = h("input", { id: prefix + "echo", type: "range", min: 0, max: 100, step: 5,
      value: Math.round(voice.echo * 100) });
    echo.addEventListener("input", function () { echoLabel.textContent = "Echo " + echo.value + "%"; });
    echo.addEventListener("change", function () { save({ echo: Number(echo.value) / 100 }); });
    return h("div", { class: "mix" }, h("div", { class: "slider" }, levelLabel, level),
      h("div", { class: "slider" }, echoLabel, echo));
  };

  /* --- the singer's own mic, on the Now view ---------------------------------------------- */
  var asked = {}, voiceKey = "", voiceTimer = 0;
  function myTurn(snap) {
    var me = KB.me(), on = snap.now && (snap.state === "playing" || snap.state === "paused");
    if (on && snap.now.singer_id === me) return "now";
    if (on && KB.isHost()) return "host";
    if (me === null) return null;
    var next = snap.upcoming[0];
    return next && next.singer_id === me && snap.state === "up_next" ? "next" : null;
  }
  function myVoice(snap, turn) {
    if (turn !== "next") return snap.voice;
    var me = KB.me();
    if (!asked[me]) {
      asked[me] = { voice: null };
      KB.get("/api/singers/" + me + "/voice").then(function (r) { asked[me].voice = r.voice; KB.renderNow(); });
    }
    return asked[me].voice;
  }
  function saveMine(patch) {
    var me = KB.me();
    KB.send("PUT", "/api/singers/" + me + "/voice", patch).then(function (r) {
      asked[me] = { voice: r.voice };
      KB.notice("Your mic: " + KB.levelText(r.voice.level_db) + ", echo " + Math.round(r.voice.echo * 100) + "%");
    });
  }
  function saveSingers(singerId, name) {
    return function (patch) {
      KB.send("PUT", "/api/singers/" + singerId + "/voice", patch).then(function (r) {
        KB.notice(name + "'s mic: " + KB.levelText(r.voice.level_db) + ", echo " + Math.round(r.voice.echo * 100) + "%");
      });
    };
  }
  var TITLES = { now: "Your mic: heard at once", next: "Your mic, ready for your turn" };
  KB.renderMyVoice = function (box, snap) {
    var turn = myTurn(snap), voice = turn ? myVoice(snap, turn) : null;
    var key = voice ? turn + JSON.stringify(voice) : "";
    if (turn === "host") key += snap.now.singer_id;
    if (key === voiceKey) return;
    if (KB.editing(box)) { clearTimeout(voiceTimer); voiceTimer = setTimeout(KB.renderNow, 500); return; }
    voiceKey = key;
    if (!voice) { KB.fill(box, []); return; }
    var host = turn === "host";
    KB.fill(box, h("div", { class: "card" + (host ? "" : " yours") },
      h("h3", { class: "sub", text: host ? snap.now.singer_name + "'s mic: heard at once" : TITLES[turn] }),
      KB.voiceSliders(host ? "singer-" : "my-", voice,
        host ? saveSingers(snap.now.singer_id, snap.now.singer_name) : saveMine)));
  };

  /* --- scores ------------------------------------------------------------------------------ */
  KB.scoreText = function (n) { return Math.round(n).toLocaleString("en-US"); };
  function ratingCounts(ratings) {
    var counts = {}, order = [];
    ratings.forEach(function (r) { if (!counts[r]) { counts[r] = 0; order.push(r); } counts[r] += 1; });
    return order.map(function (r) { return counts[r] + " × " + r; }).join(" · ");
  }
  function mine(result) {
    return !!(S.session && S.session.singer && result.singer_name === S.session.singer.name);
  }
  function finalCard(snap) {
    var f = snap.final_score;
    if (!f) return null;
    var yours = mine(f);
    var best = f.best_before === null ? "Your first time on this song" :
      f.score > f.best_before ? "New best! Before: " + KB.scoreText(f.best_before) : "Your best: " + KB.scoreText(f.best_before);
    return h("div", { class: "card score" + (yours ? " yours" : ""), role: "status" },
      h("p", { class: "muted", text: yours ? "Your score" : f.singer_name + " scored" }),
      h("p", { class: "score-big", text: KB.scoreText(f.score) }),
      h("p", { class: "meta", text: "of " + KB.scoreText(f.max_score) + (f.part ? " · part " + f.part : "") }),
      h("p", { class: "title", text: f.song_label }),
      f.ratings.length ? h("p", { class: "meta", text: ratingCounts(f.ratings) }) : null,
      yours ? h("p", { class: "eta", text: best }) : null);
  }
  function boardCard(snap) {
    if (!snap.leaderboard.length) return null;
    return h("div", { class: "card" }, h("h3", { class: "sub", id: "board-title", text: "Tonight's best" }),
      h("ol", { class: "board", "aria-labelledby": "board-title" }, snap.leaderboard.map(function (r, i) {
        return h("li", { class: mine(r) ? "mine" : null },
          h("span", { class: "board-rank", "aria-hidden": "true", text: String(i + 1) }),
          h("span", { class: "board-who", text: r.singer_name + (r.part ? " (P" + r.part + ")" : "") }),
          h("span", { class: "board-song", text: r.song_label }),
          h("span", { class: "board-score", text: KB.scoreText(r.score) }));
      })));
  }
  var cheered = "";
  KB.renderScores = function (scoreBox, boardBox, snap) {
    var f = snap.final_score, id = f ? f.singer_name + f.song_id + f.score : "";
    if (f && mine(f) && id !== cheered) {
      cheered = id;
      KB.notice("You scored " + KB.scoreText(f.score) + "!");
      KB.buzz();
    }
    KB.fill(scoreBox, finalCard(snap));
    KB.fill(boardBox, boardCard(snap));
  };
  KB.noScoreLine = function (snap) {
    return snap.no_score_reason ? h("p", { class: "meta", text: snap.no_score_reason }) : null;
  };

  /* --- the host's default voice ------------------------------------------------------------ */
  KB.defaultVoiceCard = function (snap) {
    return h("div", { class: "card" }, h("h3", { class: "sub", text: "Everyone's mic (default)" }),
      h("p", { class: "meta", text: "For singers who set nothing, and mic 2." }),
      KB.voiceSliders("default-", snap.default_voice, function (patch) {
        KB.send("PUT", "/api/voice/default", patch).then(function () { KB.notice("Default mic saved"); });
      }));
  };
})();
