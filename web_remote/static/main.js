/* Start-up, views by #hash, and live updates over Server-Sent Events (auto-reconnecting). */
"use strict";
(function () {
  var S = KB.state;
  var VIEWS = ["join", "search", "mine", "now", "rotation", "host"];

  KB.refreshSession = function () {
    return KB.get("/api/session").then(function (session) {
      S.session = session;
      var who = KB.$("who");
      who.textContent = session.host ? "Host" + (session.singer ? " · " + session.singer.name : "")
        : session.singer ? session.singer.name : "";
      if (session.singer) try { localStorage.setItem("kb_name", session.singer.name); } catch (e) { /* private mode */ }
      return session;
    });
  };

  function currentView() {
    var name = location.hash.replace("#", "");
    if (VIEWS.indexOf(name) < 0) name = KB.me() === null && !KB.isHost() ? "join" : "search";
    if (name === "join" && KB.me() !== null) name = "search";
    return name;
  }

  KB.render = function () {
    var view = currentView();
    VIEWS.forEach(function (name) { KB.$("view-" + name).hidden = name !== view; });
    Array.prototype.forEach.call(document.querySelectorAll(".tabs a"), function (a) {
      if (a.getAttribute("data-tab") === view) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    if (view !== S.view) {
      S.view = view;
      if (view === "search" && !KB.$("results").firstChild) KB.runSearch();
      if (view === "join") {
        var name = KB.$("join-name");
        try { if (!name.value) name.value = localStorage.getItem("kb_name") || ""; } catch (e) { /* private mode */ }
      }
    }
    renderLive();
  };

  function renderLive() {
    if (S.view === "mine") KB.renderMine();
    else if (S.view === "now") KB.renderNow();
    else if (S.view === "rotation") KB.renderRotation();
    else if (S.view === "host") KB.renderHost();
  }

  /* The singer counted down to hears it from their phone once per song: a notice and a buzz. */
  var cued = null;
  function yourTurnCue(snap) {
    var next = snap.upcoming[0];
    if (snap.state !== "up_next" || !next || next.singer_id !== KB.me() || cued === next.entry_id) return;
    cued = next.entry_id;
    KB.notice("Your turn! " + next.song.title + " starts soon: head to the mic.", "warning");
    KB.buzz();
  }

  /* --- live updates ---------------------------------------------------------------------- */
  var source = null, retryTimer = 0;
  function setLink(state, text) {
    var link = KB.$("link");
    link.className = "link " + state;
    link.setAttribute("aria-label", "Live updates: " + text);
  }
  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    source = new EventSource("/api/events");
    source.addEventListener("open", function () { setLink("live", "on"); });
    source.addEventListener("snapshot", function (ev) {
      try { S.snap = JSON.parse(ev.data); } catch (e) { return; }
      S.snapAt = Date.now();
      setLink("live", "on");
      yourTurnCue(S.snap);
      KB.onLibrary(S.snap.library);
      if (S.session && S.session.singer && !S.snap.singers.some(function (s) { return s.singer_id === S.session.singer.singer_id; })) {
        KB.refreshSession().then(KB.render);  /* the host removed us */
      } else renderLive();
    });
    source.addEventListener("notice", function (ev) {
      var n;
      try { n = JSON.parse(ev.data); } catch (e) { return; }
      if (n.singer_id === undefined) {
        KB.notice(n.message, n.level);
        if (/^Library /.test(n.message) && KB.libraryChanged) KB.libraryChanged();
        return;
      }
      if (n.singer_id !== KB.me()) return;  /* another singer's news */
      KB.notice(n.message, n.level);
      KB.buzz();
    });
    source.addEventListener("error", function () {
      setLink("down", "reconnecting");
      if (source.readyState === EventSource.CLOSED) retryTimer = setTimeout(connect, 5000);
    });
  }

  /* --- start ----------------------------------------------------------------------------- */
  document.addEventListener("DOMContentLoaded", function () {
    KB.$("join-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var name = KB.$("join-name").value.trim();
      if (!name) return;
      KB.send("POST", "/api/join", { name: name }).then(KB.refreshSession).then(function () {
        KB.notice("Welcome, " + name + "!");
        location.hash = "#search";
        KB.render();
      });
    });
    KB.$("search-input").addEventListener("input", KB.onSearchInput);
    Array.prototype.forEach.call(document.querySelectorAll("[data-browse]"), function (b) {
      b.addEventListener("click", function () { KB.browse(b.getAttribute("data-browse")); });
    });
    KB.$("sheet").addEventListener("click", function (ev) { if (ev.target === KB.$("sheet")) KB.closeSheet(); });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !KB.$("sheet").hidden) KB.closeSheet(); });
    window.addEventListener("hashchange", KB.render);
    setInterval(function () { if (S.view === "now") KB.tickProgress(); }, 1000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && (!source || source.readyState === EventSource.CLOSED)) connect();
    });
    KB.refreshSession().then(function () {
      KB.render();
      connect();
    }).catch(function () {
      KB.notice("The box does not answer. Retrying…", "error");
      setTimeout(function () { location.reload(); }, 5000);
    });
  });
})();
