/* Guest views: search and browse, the queue sheet, my songs (now.js: now playing; rotation.js). */
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
      showSongs(data.songs, q ? "No song matches “" + q + "”." : scanning()
        ? "No songs yet: the library is being scanned. They appear here as they are found."
        : "The library is empty.");
    }).catch(function (e) { KB.notice(e.message, "error"); });
  };
  /* The library's scan (from the snapshot): its progress above the list, and the list asked
     for again when songs may have arrived, if it shows all songs or none. */
  function scanning() { return !!(S.snap && S.snap.library && S.snap.library.scanning); }
  var libraryChanges = null;
  KB.onLibrary = function (library) {
    if (!library) return;
    var status = KB.$("scan-status");
    status.hidden = !library.scanning;
    status.textContent = library.scanning
      ? "Scanning the library: " + library.done + " of " + library.total + " files…" : "";
    if (libraryChanges !== null && library.changes !== libraryChanges && S.view === "search") {
      var results = KB.$("results");
      var showsAll = !KB.$("search-input").value.trim() && KB.$("results-title").textContent === "All songs";
      if (showsAll || results.querySelector(".empty")) KB.runSearch();
    }
    libraryChanges = library.changes;
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
    document.body.classList.remove("sheet-open");
    KB.fill(KB.$("sheet-content"), []);
    KB.fill(KB.$("sheet-buttons"), []);
  };

  /* content scrolls; buttons (and any error) stay in sight at the sheet's foot. */
  function openSheet(title, songLine, content, buttons) {
    KB.$("sheet-title").textContent = title;
    KB.$("sheet-song").textContent = songLine;
    KB.fill(KB.$("sheet-content"), content);
    KB.fill(KB.$("sheet-buttons"), buttons);
    KB.$("sheet-error").hidden = true;
    KB.$("sheet").hidden = false;
    document.body.classList.add("sheet-open");
    var first = KB.$("sheet").querySelector("button, input, select");
    if (first) first.focus();
  }

  function singerPicker() {
    var select = h("select", { id: "sheet-singer" });
    select.appendChild(h("option", { value: "", text: "Choose who sings…" }));  /* asks, never guesses */
    (S.snap ? S.snap.singers : []).forEach(function (s) {
      select.appendChild(h("option", { value: s.singer_id, text: s.name }));
    });
    select.appendChild(h("option", { value: "new", text: "New singer…" }));
    var name = h("input", { id: "sheet-new-singer", maxlength: 40, "aria-label": "New singer's name", hidden: true });
    select.addEventListener("change", function () { name.hidden = select.value !== "new"; });
    var box = h("div", { class: "stack" }, h("label", { for: "sheet-singer" }, "Singer"), select, name);
    box.target = function () {
      if (select.value === "new") return { singer_name: name.value };
      if (select.value === "") return null;
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
      openSheet("Queue " + detail.title, (detail.artist || "") + " · " + KB.mmss(detail.duration_s),
        [picker, editor], [
          h("button", { type: "button", onclick: KB.closeSheet }, "Cancel"),
          h("button", { type: "button", class: "primary", onclick: function (ev) {
            var body = { song_id: detail.song_id, settings: patch };
            if (picker && !picker.target()) { KB.notice("Choose who sings first.", "error"); return; }
            if (picker) Object.assign(body, picker.target());
            ev.target.disabled = true;
            KB.send("POST", "/api/queue", body).then(function () {
              KB.closeSheet();
              KB.notice("Queued " + detail.title);
            }).catch(function () { ev.target.disabled = false; });
          } }, "Add to queue")]);
    }).catch(function (e) { KB.notice(e.message, "error"); });
  };

  KB.openEntrySheet = function (item) {
    KB.get("/api/songs/" + encodeURIComponent(item.song.song_id)).then(function (detail) {
      var patch = {};
      var editor = KB.mixEditor(detail, item.settings, function (p) { Object.assign(patch, p); });
      openSheet("Change " + detail.title, "Sung by " + item.singer_name, [editor], [
        h("button", { type: "button", onclick: KB.closeSheet }, "Cancel"),
        h("button", { type: "button", class: "primary", onclick: function () {
          KB.send("PATCH", "/api/entries/" + item.entry_id, { settings: patch }).then(KB.closeSheet);
        } }, "Save")]);
    });
  };

  /* --- my songs ------------------------------------------------------------------------ */
  function mine() {
    var me = KB.me();
    return (S.snap ? S.snap.upcoming : []).filter(function (i) { return i.singer_id === me; });
  }

  /* Remove at once, with a few seconds of Undo (the box keeps the entry that long). */
  KB.removeEntry = function (item) {
    return KB.send("DELETE", "/api/entries/" + item.entry_id).then(function () {
      KB.undoNotice("Removed " + item.song.title + (item.singer_id === KB.me() ? "" : " (" + item.singer_name + ")"),
        "Undo", function () {
          KB.send("POST", "/api/entries/" + item.entry_id + "/restore").then(function () {
            KB.notice(item.song.title + " is back");
          });
        });
    });
  };
  KB.entryButtons = entryButtons;
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
      onclick: function () { KB.removeEntry(item); } }, "Remove"));
    return h("div", { class: "row" }, buttons);
  }

  /* On a break the songs are kept, held out of the order: shown as such, never as gone. */
  function heldSongs() {
    var me = KB.me();
    return (S.snap && S.snap.held ? S.snap.held : []).filter(function (i) { return i.singer_id === me; });
  }
  KB.breakButton = function (singerId, paused) {
    return h("button", { type: "button", class: paused ? "primary" : null,
      onclick: function () { KB.send("POST", "/api/singers/" + singerId + "/pause", { paused: !paused }); } },
      paused ? "I'm back" : "Take a break");
  };
  function heldItems(held) {
    var banner = h("li", { class: "card held" },
      h("p", { class: "title", text: "You're taking a break" }),
      h("p", { class: "meta", text: held.length + (held.length === 1 ? " song is" : " songs are") +
        " kept for you, on hold until you're back." }),
      KB.breakButton(KB.me(), true));
    return [banner].concat(held.map(function (item) {
      return h("li", { class: "item mine held" },
        h("div", { class: "grow" },
          h("p", { class: "title", text: item.song.title }),
          h("p", { class: "meta" }, h("span", { class: "badge", text: "on hold" }),
            KB.settingsText(item.settings, item.song))));
    }));
  }

  KB.renderMine = function () {
    var list = KB.$("mine");
    KB.renderYou();
    if (KB.me() === null) { KB.fill(list, h("li", { class: "empty" }, h("a", { href: "#join" }, "Join"), " to queue songs.")); return; }
    var items = mine(), held = heldSongs();
    if (held.length) { KB.fill(list, heldItems(held)); return; }
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
})();
