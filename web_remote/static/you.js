/* "You" on the My songs view: change the name you sing under, or leave the party (your songs
   go with you; the name is free again). */
"use strict";
(function () {
  var h = KB.h, S = KB.state;
  var shownFor = "";

  function rename(input) {
    var name = input.value.trim();
    if (!name) return;
    KB.send("PATCH", "/api/singers/" + KB.me(), { name: name }).then(KB.refreshSession).then(function () {
      KB.notice("You now sing as " + name);
      KB.render();
    });
  }

  function leave() {
    if (!confirm("Leave the party? Your queued songs are removed.")) return;
    KB.send("DELETE", "/api/singers/" + KB.me()).then(KB.refreshSession).then(function () {
      try { localStorage.removeItem("kb_name"); } catch (e) { /* private mode */ }
      KB.notice("You left. Come back any time!");
      location.hash = "#join";
      KB.render();
    });
  }

  KB.renderYou = function () {
    var box = KB.$("you"), singer = S.session && S.session.singer;
    if (!singer) { shownFor = ""; KB.fill(box, []); return; }
    if (shownFor === singer.singer_id + ":" + singer.name || box.contains(document.activeElement)) return;
    shownFor = singer.singer_id + ":" + singer.name;
    var input = h("input", { id: "you-name", maxlength: 40, autocomplete: "nickname", value: singer.name });
    var form = h("form", { class: "stack" },
      h("label", { for: "you-name" }, "Sing as"), input,
      h("button", { type: "submit" }, "Change name"));
    form.addEventListener("submit", function (ev) { ev.preventDefault(); rename(input); });
    KB.fill(box, h("div", { class: "card you" },
      h("h3", { class: "sub", text: "You" }), form,
      h("button", { type: "button", class: "danger", onclick: leave }, "Leave the party")));
  };
})();
