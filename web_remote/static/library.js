/* The host's library card: the last scans' counts and every file they could not index
   (path and reason), 25 at a time. GET /api/library/problems (host only). */
"use strict";
(function () {
  var h = KB.h, PAGE = 25;
  var cache = { offset: 0, data: null, loading: false };

  function load(offset) {
    cache.loading = true;
    return KB.get("/api/library/problems?limit=" + PAGE + "&offset=" + offset).then(function (data) {
      cache.offset = offset; cache.data = data; cache.loading = false;
      KB.render();
    }).catch(function (e) { cache.loading = false; KB.notice(e.message, "error"); });
  }

  KB.libraryChanged = function () { if (KB.isHost()) load(0); };

  function scanLines(scans) {
    return scans.map(function (s) {
      return h("p", { class: "meta scan-summary" },
        h("strong", { text: s.root + ": " }), s.summary + "; " + s.files_summary);
    });
  }

  function shortPath(p) {  /* inside its root (named in the scan line above) */
    var prefix = p.root.replace(/\/$/, "") + "/";
    return p.path.indexOf(prefix) === 0 ? p.path.slice(prefix.length) : p.path;
  }

  function problemList(data) {
    if (!data.total) return [h("p", { class: "meta", id: "library-ok", text: "Every song file was indexed." })];
    var items = data.problems.map(function (p) {
      return h("li", { class: "problem" },
        h("code", { class: "problem-path", title: p.path, text: shortPath(p) }),
        h("span", { class: "problem-reason", text: p.reason }));
    });
    var last = Math.min(data.offset + data.problems.length, data.total);
    var pager = h("div", { class: "grid2" },
      h("button", { type: "button", id: "problems-prev", disabled: data.offset === 0,
        onclick: function () { load(Math.max(0, data.offset - PAGE)); } }, "Previous problems"),
      h("button", { type: "button", id: "problems-next", disabled: last >= data.total,
        onclick: function () { load(data.offset + PAGE); } }, "Next problems"));
    return [
      h("p", { id: "problems-count", text: "Not indexed: " + data.total + " (showing " +
        (data.offset + 1) + "–" + last + ")" }),
      h("ul", { id: "library-problems", class: "problems" }, items), pager];
  }

  KB.libraryCard = function () {
    if (!cache.data && !cache.loading) load(0);
    var body = cache.data ? scanLines(cache.data.scans).concat(problemList(cache.data))
      : [h("p", { class: "meta", text: "Loading…" })];
    return h("div", { class: "card", id: "library-card" },
      h("h3", { class: "sub", text: "Library" }), body);
  };
})();
