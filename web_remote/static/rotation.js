/* The Rotation view: who sings now, who sings when (with ETAs and the locked next singer), and
   the singers. The host moves entries up and down (within the singer's own list in a fair
   rotation, in the whole queue first-come-first-served), bumps, pauses and removes singers;
   a guest takes a break (their songs are kept, shown "on hold") and comes back. */
"use strict";
(function () {
  var h = KB.h, S = KB.state;

  function nowItem(snap) {
    var now = snap.now;
    if (!now || (snap.state !== "playing" && snap.state !== "paused")) return null;
    return h("li", { class: "item now" + (now.singer_id === KB.me() ? " mine" : "") },
      h("div", { class: "grow" },
        h("p", { class: "title" }, h("span", { text: now.singer_name }), " ",
          h("span", { class: "badge", text: snap.state === "paused" ? "singing now · paused" : "singing now" })),
        h("p", { class: "meta", text: now.song.title })));
  }

  /* Where an entry may move: its index among the entries it moves between. */
  function moveScope(snap, item) {
    var fifo = snap.settings && snap.settings.mode === "fifo";
    var peers = fifo ? snap.upcoming : snap.upcoming.filter(function (i) { return i.singer_id === item.singer_id; });
    return { index: peers.indexOf(item), count: peers.length };
  }

  function hostEntryButtons(snap, item) {
    var scope = moveScope(snap, item);
    var move = function (to) {
      return function () { KB.send("POST", "/api/entries/" + item.entry_id + "/move", { index: to }); };
    };
    return h("div", { class: "row" },
      h("button", { type: "button", "aria-label": "Move " + item.song.title + " up", disabled: scope.index <= 0,
        onclick: move(scope.index - 1) }, "↑"),
      h("button", { type: "button", "aria-label": "Move " + item.song.title + " down",
        disabled: scope.index >= scope.count - 1, onclick: move(scope.index + 1) }, "↓"),
      h("button", { type: "button", "aria-label": "Change " + item.song.title,
        onclick: function () { KB.openEntrySheet(item); } }, "Change"),
      h("button", { type: "button", class: "danger", "aria-label": "Remove " + item.song.title,
        onclick: function () { KB.removeEntry(item); } }, "Remove"));
  }

  function upcomingItem(snap, item) {
    var own = item.singer_id === KB.me();
    return h("li", { class: "item" + (own ? " mine" : "") },
      h("div", { class: "grow" },
        h("p", { class: "title" }, h("span", { text: item.singer_name }), " ",
          item.locked ? h("span", { class: "badge", text: "next" }) : null),
        h("p", { class: "meta" }, h("span", { text: item.song.title }), " · ", h("span", { class: "eta", text: KB.eta(item.eta_s) }))),
      KB.isHost() ? hostEntryButtons(snap, item) : null);
  }

  function singerControls(s) {
    if (KB.isHost()) {
      return h("div", { class: "row" },
        h("button", { type: "button", "aria-label": "Bump " + s.name, disabled: !(s.queued || s.held),
          onclick: function () { KB.send("POST", "/api/singers/" + s.singer_id + "/bump").then(function () { KB.notice(s.name + " is next"); }); } }, "Bump"),
        h("button", { type: "button", "aria-label": (s.paused ? "Unpause " : "Pause ") + s.name,
          onclick: function () { KB.send("POST", "/api/singers/" + s.singer_id + "/pause", { paused: !s.paused }); } }, s.paused ? "Unpause" : "Pause"),
        h("button", { type: "button", class: "danger", "aria-label": "Remove " + s.name,
          onclick: function () { if (confirm("Remove " + s.name + " and their songs?")) KB.send("DELETE", "/api/singers/" + s.singer_id); } }, "Remove"));
    }
    return s.singer_id === KB.me() ? KB.breakButton(s.singer_id, s.paused) : null;
  }

  function singerLine(s) {
    if (s.paused) return "on a break · " + (s.held || 0) + " on hold";
    return s.queued + " queued";
  }

  KB.renderRotation = function () {
    var snap = S.snap;
    if (!snap) return;
    var rows = [nowItem(snap)].concat(snap.upcoming.map(function (item) { return upcomingItem(snap, item); }));
    if (!snap.upcoming.length) rows.push(h("li", { class: "empty", text: "Nobody is queued. Be the first!" }));
    KB.fill(KB.$("rotation"), rows);
    KB.fill(KB.$("singers"), snap.singers.map(function (s) {
      return h("li", { class: "item" + (s.singer_id === KB.me() ? " mine" : "") },
        h("div", { class: "grow" }, h("p", { class: "title", text: s.name }),
          h("p", { class: "meta", text: singerLine(s) })), singerControls(s));
    }));
  };
})();
