/* Guest views: search and browse, the queue sheet, my songs, now playing, rotation. */
"use strict";
(function () {
  var h = KB.h, S = KB.state;

  /* --- search and browse ------------------------------------------------------------ */
  var searchTimer = 0, searchSeq = 0;
  KB.runSearch = function () {
    var q = KB.$("search-input").value.trim();
    var seq = ++searchSeq;
    KB.get("/api/songs?limit=50&q=" + encodeURIComponent(q)).then(function (data) {
      if (seq !== searchSeq) return;
      KB.$("results-title").textContent = q ? "Results" : "All songs";
      showSongs(data.songs, q ? "No song matches “" + q + "”." : "The library is empty.");
    }).catch(function (e) { KB.notice(e.message, "error"); });
  };
  KB.onSearchInput = function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(KB.runSearch, 180);
  };

  function showSongs(songs, emptyText) {
    var list = KB.$("results");
    if (!songs.length) { KB.fill(list, h("li", { class: "empty", text: emptyText })); return; }
    KB.fill(list, songs.map(songItem));
  }

  function songItem(song) {
    var fav = KB.isFavourite(song.song_id);
    var star = h("button", { type: "button", "aria-pressed": fav ? "true" : "false",
      "aria-label": "Favourite " + song.title }, fav ? "★" : "☆");
    star.addEventListener("click", function () {
      var now = KB.toggleFavourite(song);
      star.setAttribute("aria-pressed", now ? "true" : "false");
      star.textContent = now ? "★" : "☆";
    });
    return h("li", { class: "item" },
      h("div", { class: "grow" }, h("p", { class: "title", text: song.title }), KB.songMeta(song)),
      star,
      h("button", { type: "button", class: "primary", "aria-label": "Queue " + song.title,
        onclick: function () { KB.openQueueSheet(song); } }, "Queue"));
  }

  KB.browse = function (what) {
    var title = KB.$("results-title");
    if (what === "favourites") {
      title.textContent = "Favourites on this phone";
      showSongs(KB.favourites(), "Tap ☆ on a song to keep it here.");
    } else if (what === "recent") {
      title.textContent = "Recently sung";
      KB.get("/api/recent").then(function (d) { showSongs(d.songs, "Nothing sung yet tonight."); });
    } else if (what === "artists") {
      title.textContent = "Artists";
      KB.get("/api/artists").then(function (d) {
        KB.fill(KB.$("results"), d.artists.map(function (a) {
          return h("li", { class: "item" },
            h("button", { type: "button", class: "grow", "aria-label": "Songs by " + (a.artist || "unknown artist"),
              onclick: function () {
                title.textContent = a.artist || "Unknown artist";
                KB.get("/api/artists/" + encodeURIComponent(a.artist) + "/songs")
                  .then(function (x) { showSongs(x.songs, ""); });
              } }, (a.artist || "Unknown artist") + " (" + a.songs + ")"));
        }));
      });
    }
  };

  /* --- the sheet: queue a song, or change an entry ------------------------------------ */
  KB.closeSheet = function () {
    KB.$("sheet").hidden = true;
    KB.fill(KB.$("sheet-content"), []);
  };

  function openSheet(title, songLine, content) {
    KB.$("sheet-title").textContent = title;
    KB.$("sheet-song").textContent = songLine;
    KB.fill(KB.$("sheet-content"), content);
    KB.$("sheet").hidden = false;
    var first = KB.$("sheet").querySelector("button, input, select");
    if (first) first.focus();
  }

  function singerPicker() {
    var select = h("select", { id: "sheet-singer" });
    var me = KB.me();
    (S.snap ? S.snap.singers : []).forEach(function (s) {
      select.appendChild(h("option", { value: s.singer_id, selected: s.singer_id === me, text: s.name }));
    });
    select.appendChild(h("option", { value: "new", text: "New singer…" }));
    var name = h("input", { id: "sheet-new-singer", maxlength: 40, "aria-label": "New singer's name", hidden: true });
    select.addEventListener("change", function () { name.hidden = select.value !== "new"; });
    if (!select.options.length || select.value === "new") name.hidden = false;
    var box = h("div", { class: "stack" }, h("label", { for: "sheet-singer" }, "Singer"), select, name);
    box.target = function () {
      if (select.value === "new") return { singer_name: name.value };
      return { singer_id: Number(select.value) };
    };
    return box;
  }

  KB.openQueueSheet = function (song) {
    if (!KB.isHost() && KB.me() === null) { location.hash = "#join"; return; }
    var defaults = KB.me() !== null
      ? KB.get("/api/songs/" + encodeURIComponent(song.song_id) + "/defaults")
      : Promise.resolve({});
    Promise.all([KB.get("/api/songs/" + encodeURIComponent(song.song_id)), defaults]).then(function (r) {
      var detail = r[0], settings = r[1];
      var patch = {};
      var editor = KB.mixEditor(detail, settings, function (p) { Object.assign(patch, p); });
      var picker = KB.isHost() ? singerPicker() : null;
      openSheet("Queue " + detail.title, (detail.artist || "") + " · " + KB.mmss(detail.duration_s), [
        picker, editor,
        h("div", { class: "row" },
          h("button", { type: "button", onclick: KB.closeSheet }, "Cancel"),
          h("button", { type: "button", class: "primary", onclick: function (ev) {
            var body = { song_id: detail.song_id, settings: patch };
            if (picker) Object.assign(body, picker.target());
            ev.target.disabled = true;
            KB.send("POST", "/api/queue", body).then(function () {
              KB.closeSheet();
              KB.notice("Queued " + detail.title);
            }).catch(function () { ev.target.disabled = false; });
          } }, "Add to queue"))
      ]);
    }).catch(function (e) { KB.notice(e.message, "error"); });
  };

  KB.openEntrySheet = function (item) {
    KB.get("/api/songs/" + encodeURIComponent(item.song.song_id)).then(function (detail) {
      var patch = {};
      var editor = KB.mixEditor(detail, item.settings, function (p) { Object.assign(patch, p); });
      openSheet("Change " + detail.title, "Sung by " + item.singer_name, [
        editor,
        h("div", { class: "row" },
          h("button", { type: "button", onclick: KB.closeSheet }, "Cancel"),
          h("button", { type: "button", class: "primary", onclick: function () {
            KB.send("PATCH", "/api/entries/" + item.entry_id, { settings: patch }).then(KB.closeSheet);
          } }, "Save"))
      ]);
    });
  };

  /* --- my songs ------------------------------------------------------------------------ */
  var paged = { version: -1, items: [] };  /* my entries past the snapshot's first ones */
  function mine() {
    var me = KB.me();
    var items = (S.snap ? S.snap.upcoming : []).filter(function (i) { return i.singer_id === me; });
    var self = S.snap ? S.snap.singers.filter(function (s) { return s.singer_id === me; })[0] : null;
    if (!self || self.queued <= items.length) return items;
    if (paged.version === S.snap.version) return paged.items;
    paged.version = S.snap.version;
    KB.get("/api/upcoming?limit=100&singer_id=" + me).then(function (d) { paged.items = d.upcoming; KB.renderMine(); });
    return items;
  }

  function entryButtons(item, own, ownIndex, ownCount) {
    var buttons = [h("button", { type: "button", "aria-label": "Change " + item.song.title,
      onclick: function () { KB.openEntrySheet(item); } }, "Change")];
    if (own) {
      buttons.push(h("button", { type: "button", "aria-label": "Move " + item.song.title + " up",
        disabled: ownIndex === 0,
        onclick: function () { KB.send("POST", "/api/entries/" + item.entry_id + "/move", { index: ownIndex - 1 }); } }, "↑"));
      buttons.push(h("button", { type: "button", "aria-label": "Move " + item.song.title + " down",
        disabled: ownIndex === ownCount - 1,
        onclick: function () { KB.send("POST", "/api/entries/" + item.entry_id + "/move", { index: ownIndex + 1 }); } }, "↓"));
    }
    buttons.push(h("button", { type: "button", class: "danger", "aria-label": "Remove " + item.song.title,
      onclick: function () { KB.send("DELETE", "/api/entries/" + item.entry_id); } }, "Remove"));
    return h("div", { class: "row" }, buttons);
  }

  KB.renderMine = function () {
    var list = KB.$("mine");
    if (KB.me() === null) { KB.fill(list, h("li", { class: "empty" }, h("a", { href: "#join" }, "Join"), " to queue songs.")); return; }
    var items = mine();
    if (!items.length) { KB.fill(list, h("li", { class: "empty" }, "No songs queued. ", h("a", { href: "#search" }, "Find one"), ".")); return; }
    KB.fill(list, items.map(function (item, i) {
      return h("li", { class: "item mine" },
        h("div", { class: "grow" },
          h("p", { class: "title", text: item.song.title }),
          h("p", { class: "meta" }, "#" + (item.index + 1) + " in the queue · ",
            h("span", { class: "eta", text: KB.eta(item.eta_s) }),
            KB.settingsText(item.settings, item.song) ? " · " + KB.settingsText(item.settings, item.song) : "")),
        entryButtons(item, true, i, items.length));
    }));
  };

  /* --- now playing ----------------------------------------------------------------------- */
  var liveTimer = 0;
  function positionNow() {
    var now = S.snap && S.snap.now;
    if (!now) return 0;
    var pos = now.position_s;
    if (S.snap.state === "playing") pos += (Date.now() - S.snapAt) / 1000 * now.settings.tempo_ratio;
    return Math.min(pos, now.song.duration_s);
  }
  KB.tickProgress = function () {
    var bar = KB.$("now-bar"), time = KB.$("now-time");
    if (!bar || !S.snap || !S.snap.now) return;
    var pos = positionNow(), dur = S.snap.now.song.duration_s || 1;
    bar.firstChild.style.width = (100 * pos / dur).toFixed(1) + "%";
    bar.setAttribute("aria-valuenow", Math.round(pos));
    bar.setAttribute("aria-valuetext", KB.mmss(pos) + " of " + KB.mmss(dur));
    time.textContent = KB.mmss(pos) + " / " + KB.mmss(dur);
  };

  KB.renderNow = function () {
    var box = KB.$("now"), snap = S.snap;
    if (!snap) return;
    var parts = [];
    var now = snap.now;
    var states = { playing: "Playing", paused: "Paused", up_next: "Up next", idle: "Break" };
    if (now) {
      parts.push(h("div", { class: "card" },
        h("p", { class: "muted", text: states[snap.state] || snap.state }),
        h("p", { class: "big", text: now.singer_name }),
        h("p", { class: "title", text: now.song.title }),
        KB.songMeta(now.song),
        h("div", { id: "now-bar", class: "progress", role: "progressbar", "aria-label": "Song progress",
          "aria-valuemin": 0, "aria-valuemax": Math.round(now.song.duration_s) }, h("div")),
        h("p", { id: "now-time", class: "meta" }),
        KB.settingsText(now.settings, now.song) ? h("p", { class: "meta", text: KB.settingsText(now.settings, now.song) }) : null));
      if (snap.state === "playing" || snap.state === "paused") {
        if (KB.isHost() || now.singer_id === KB.me()) parts.push(liveCard(now));
      }
    } else {
      parts.push(h("div", { class: "card" }, h("p", { class: "big", text: states[snap.state] || snap.state })));
    }
    var next = snap.upcoming[0];
    if (next) {
      var when = snap.state === "up_next" && snap.countdown_s !== null ? "starts in " + KB.mmss(snap.countdown_s) : KB.eta(next.eta_s);
      parts.push(h("div", { class: "card" }, h("p", { class: "muted", text: "Up next" + (next.locked ? " (locked)" : "") }),
        h("p", { class: "title", text: next.singer_name + " — " + next.song.title }),
        h("p", { class: "eta", text: when })));
    }
    if (snap.last_failure) parts.push(h("p", { class: "meta", text: "Last problem: " + snap.last_failure }));
    if (box.contains(document.activeElement) && document.activeElement.type === "range") return;
    KB.fill(box, parts);
    KB.tickProgress();
  };

  function liveCard(now) {
    var editor = KB.mixEditor(now.song, now.settings, function (patch) {
      clearTimeout(liveTimer);
      liveTimer = setTimeout(function () { KB.send("PATCH", "/api/live", { settings: patch }); }, 120);
    });
    return h("div", { class: "card" }, h("h3", { class: "sub", text: "Live: heard at once" }), editor);
  }

  /* --- rotation -------------------------------------------------------------------------- */
  KB.renderRotation = function () {
    var snap = S.snap;
    if (!snap) return;
    var me = KB.me(), host = KB.isHost();
    var list = KB.$("rotation");
    if (!snap.upcoming.length) KB.fill(list, h("li", { class: "empty", text: "Nobody is queued. Be the first!" }));
    else KB.fill(list, snap.upcoming.map(function (item) {
      var own = item.singer_id === me;
      return h("li", { class: "item" + (own ? " mine" : "") },
        h("div", { class: "grow" },
          h("p", { class: "title" }, h("span", { text: item.singer_name }), " ",
            item.locked ? h("span", { class: "badge", text: "next" }) : null),
          h("p", { class: "meta" }, h("span", { text: item.song.title }), " · ", h("span", { class: "eta", text: KB.eta(item.eta_s) }))),
        host ? entryButtons(item, false) : null);
    }));
    if (snap.upcoming_total > snap.upcoming.length) {
      list.appendChild(h("li", { class: "empty", text: "and " + (snap.upcoming_total - snap.upcoming.length) + " more songs" }));
    }
    KB.fill(KB.$("singers"), snap.singers.map(function (s) {
      var controls = null;
      if (host) {
        controls = h("div", { class: "row" },
          h("button", { type: "button", "aria-label": "Bump " + s.name, disabled: !s.queued,
            onclick: function () { KB.send("POST", "/api/singers/" + s.singer_id + "/bump").then(function () { KB.notice(s.name + " is next"); }); } }, "Bump"),
          h("button", { type: "button", "aria-label": (s.paused ? "Unpause " : "Pause ") + s.name,
            onclick: function () { KB.send("POST", "/api/singers/" + s.singer_id + "/pause", { paused: !s.paused }); } }, s.paused ? "Unpause" : "Pause"),
          h("button", { type: "button", class: "danger", "aria-label": "Remove " + s.name,
            onclick: function () { if (confirm("Remove " + s.name + " and their songs?")) KB.send("DELETE", "/api/singers/" + s.singer_id); } }, "Remove"));
      } else if (s.singer_id === me) {
        controls = h("button", { type: "button", "aria-label": s.paused ? "I'm back" : "Take a break",
          onclick: function () { KB.send("POST", "/api/singers/" + s.singer_id + "/pause", { paused: !s.paused }); } }, s.paused ? "I'm back" : "Take a break");
      }
      return h("li", { class: "item" + (s.singer_id === me ? " mine" : "") },
        h("div", { class: "grow" }, h("p", { class: "title", text: s.name }),
          h("p", { class: "meta", text: s.queued + " queued" + (s.paused ? " · paused" : "") })), controls);
    }));
  };
})();
