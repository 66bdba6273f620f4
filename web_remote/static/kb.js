/* Shared helpers of the remote: DOM building (text only, never HTML), the API, formatting.
   Everything people or files wrote is inserted with textContent. */
"use strict";
var KB = window.KB || {};
window.KB = KB;

KB.state = { session: null, snap: null, snapAt: 0, view: "", search: null };

/* h("li", {class: "item"}, "text", child): element with attributes and text/element children. */
KB.h = function (tag, attrs) {
  var el = document.createElement(tag);
  var a = attrs || {};
  Object.keys(a).forEach(function (k) {
    var v = a[k];
    if (v === null || v === undefined || v === false) return;
    if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else if (k === "value" || k === "checked" || k === "disabled") el[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  });
  for (var i = 2; i < arguments.length; i++) KB.add(el, arguments[i]);
  return el;
};
KB.add = function (el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) child.forEach(function (c) { KB.add(el, c); });
  else if (typeof child === "string" || typeof child === "number") el.appendChild(document.createTextNode(String(child)));
  else el.appendChild(child);
};
KB.fill = function (el, children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  KB.add(el, children);
};
KB.$ = function (id) { return document.getElementById(id); };

KB.mmss = function (seconds) {
  var s = Math.max(0, Math.round(seconds || 0));
  var m = Math.floor(s / 60);
  var r = s % 60;
  return m + ":" + (r < 10 ? "0" : "") + r;
};
KB.eta = function (seconds) {
  if (seconds < 45) return "next";
  var minutes = Math.round(seconds / 60);
  return minutes < 60 ? "in ~" + minutes + " min" : "in ~" + Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
};

/* The API: JSON in and out; changes carry the CSRF token. Errors become {error, reason}. */
KB.api = function (method, path, body, retried) {
  var headers = { "Accept": "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRF-Token"] = KB.state.session ? KB.state.session.csrf_token : "";
  }
  return fetch(path, {
    method: method, headers: headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body)
  }).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      if (response.status === 403 && /CSRF/.test(data.reason || "") && !retried && KB.refreshSession) {
        /* the device cookie changed under the page (another tab, an expiry): once more */
        return KB.refreshSession().then(function () { return KB.api(method, path, body, true); });
      }
      if (!response.ok) {
        var error = new Error(data.reason || ("request failed (" + response.status + ")"));
        error.status = response.status;
        error.data = data;
        throw error;
      }
      return data;
    });
  });
};
KB.get = function (path) { return KB.api("GET", path); };
KB.send = function (method, path, body) {
  return KB.api(method, path, body).catch(function (error) {
    KB.notice(error.message, "error");
    throw error;
  });
};

/* A notice where the person is looking: an error while the sheet is open is written inside
   the sheet, beside its buttons (the sheet covers the page's notice). */
var noticeTimer = 0;
KB.notice = function (message, level) {
  var sheetError = KB.$("sheet-error");
  if (level === "error" && !KB.$("sheet").hidden && sheetError) {
    sheetError.textContent = message;
    sheetError.hidden = false;
    return;
  }
  var box = KB.$("notice");
  KB.fill(box, KB.h("span", { text: message }));
  box.className = "notice" + (level === "error" || level === "warning" ? " " + level : "");
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(function () { box.hidden = true; }, level === "error" || level === "warning" ? 6000 : 3500);
};

/* A notice with one button ("Undo") for as long as the box keeps what was undone. */
KB.UNDO_MS = 10000;
KB.undoNotice = function (message, label, run) {
  KB.notice(message);
  var box = KB.$("notice");
  box.appendChild(KB.h("button", { type: "button", class: "primary", onclick: function () {
    box.hidden = true;
    run();
  } }, label));
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(function () { box.hidden = true; }, KB.UNDO_MS - 500);
};

/* A short vibration where the browser allows it (Android; iOS Safari has none). */
KB.buzz = function () {
  try { if (navigator.vibrate) navigator.vibrate([200, 100, 200]); } catch (e) { /* not allowed */ }
};

KB.me = function () {
  var s = KB.state.session;
  return s && s.singer ? s.singer.singer_id : null;
};
KB.isHost = function () { return !!(KB.state.session && KB.state.session.host); };

/* Favourites live on this device only. */
KB.favourites = function () {
  try { return JSON.parse(localStorage.getItem("kb_favourites") || "[]"); } catch (e) { return []; }
};
KB.isFavourite = function (id) {
  return KB.favourites().some(function (s) { return s.song_id === id; });
};
KB.toggleFavourite = function (song) {
  var list = KB.favourites().filter(function (s) { return s.song_id !== song.song_id; });
  if (list.length === KB.favourites().length) list.unshift(song);
  try { localStorage.setItem("kb_favourites", JSON.stringify(list.slice(0, 200))); } catch (e) { /* full */ }
  return list.length > 0 && list[0].song_id === song.song_id;
};

KB.songMeta = function (song) {
  return KB.h("p", { class: "meta" },
    song.artist ? song.artist + " · " : "", KB.mmss(song.duration_s),
    song.key ? " · " + song.key : "", " ",
    song.has_stems ? KB.h("span", { class: "badge", text: "stems" }) : null,
    song.has_guide ? KB.h("span", { class: "badge", text: "guide vocal" }) : null);
};
