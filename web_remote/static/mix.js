/* The mix editor: key (with the resulting key name), tempo, guide vocal, per-stem levels.
   Used to queue a song, to change a queued entry, and live on the song playing. */
"use strict";
(function () {
  var h = KB.h;
  var NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];
  var PITCH = { C: 0, "B#": 0, "C#": 1, Db: 1, D: 2, "D#": 3, Eb: 3, E: 4, Fb: 4, "E#": 5, F: 5,
    "F#": 6, Gb: 6, G: 7, "G#": 8, Ab: 8, A: 9, "A#": 10, Bb: 10, B: 11, Cb: 11 };

  KB.keyName = function (key, semitones) {
    if (!key) return "";
    var minor = key.charAt(key.length - 1) === "m";
    var root = minor ? key.slice(0, -1) : key;
    if (!(root in PITCH)) return "";
    if (!semitones) return key;
    return key + " -> " + NAMES[(((PITCH[root] + semitones) % 12) + 12) % 12] + (minor ? "m" : "");
  };

  function keyText(key, semitones) {
    var name = KB.keyName(key, semitones);
    var step = semitones === 0 ? "Original key" : "Key " + (semitones > 0 ? "+" : "") + semitones;
    return name ? step + " (" + name + ")" : step;
  }

  /* Build the editor. settings: {key_semitones, tempo_ratio, guide_level, stem_gains, vocal_reduction};
     song: {key, has_stems, has_guide, stems}. onChange(settingsPatch) is called on each change. */
  var editors = 0;
  KB.mixEditor = function (song, settings, onChange) {
    var p = "mix" + (++editors) + "-";
    var value = {
      key_semitones: settings.key_semitones || 0,
      tempo_ratio: settings.tempo_ratio || 1,
      guide_level: settings.guide_level === undefined ? 1 : settings.guide_level,
      stem_gains: Object.assign({}, settings.stem_gains || {}),
      vocal_reduction: !!settings.vocal_reduction
    };
    var changed = function (patch) { if (onChange) onChange(patch, value); };

    var keyOut = h("output", { "aria-live": "polite", text: keyText(song.key, value.key_semitones) });
    function step(delta) {
      value.key_semitones = Math.max(-12, Math.min(12, value.key_semitones + delta));
      keyOut.textContent = keyText(song.key, value.key_semitones);
      changed({ key_semitones: value.key_semitones });
    }
    var keyRow = h("div", { class: "stepper", role: "group", "aria-label": "Key" },
      h("button", { type: "button", "aria-label": "Key down", onclick: function () { step(-1); } }, "−"),
      keyOut,
      h("button", { type: "button", "aria-label": "Key up", onclick: function () { step(1); } }, "+"));

    var tempoLabel = h("label", { for: p + "tempo" }, "Tempo " + Math.round(value.tempo_ratio * 100) + "%");
    var tempo = h("input", { id: p + "tempo", type: "range", min: 50, max: 150, step: 5,
      value: Math.round(value.tempo_ratio * 100) });
    tempo.addEventListener("input", function () { tempoLabel.textContent = "Tempo " + tempo.value + "%"; });
    tempo.addEventListener("change", function () {
      value.tempo_ratio = Number(tempo.value) / 100;
      changed({ tempo_ratio: value.tempo_ratio });
    });
    var parts = [keyRow, h("div", { class: "slider" }, tempoLabel, tempo)];

    if (song.has_guide !== false) {
      var guideOn = h("input", { id: p + "guide", type: "checkbox", role: "switch",
        checked: value.guide_level > 0 });
      var guideLevel = h("input", { id: p + "guide-level", type: "range", min: 0, max: 100, step: 5,
        value: Math.round(value.guide_level * 100) });
      var guideText = function () { return "Guide level " + guideLevel.value + "%"; };
      var guideLabel = h("label", { for: p + "guide-level", text: guideText() });
      var guideBox = h("div", { class: "slider" }, guideLabel, guideLevel);
      guideBox.hidden = value.guide_level <= 0;
      guideOn.addEventListener("change", function () {
        value.guide_level = guideOn.checked ? (Number(guideLevel.value) / 100 || 1) : 0;
        if (guideOn.checked && Number(guideLevel.value) === 0) guideLevel.value = 100;
        guideLabel.textContent = guideText();
        guideBox.hidden = !guideOn.checked;
        changed({ guide_level: value.guide_level });
      });
      guideLevel.addEventListener("input", function () { guideLabel.textContent = guideText(); });
      guideLevel.addEventListener("change", function () {
        value.guide_level = Number(guideLevel.value) / 100;
        guideOn.checked = value.guide_level > 0;
        changed({ guide_level: value.guide_level });
      });
      parts.push(h("div", { class: "switch" }, h("label", { for: p + "guide" }, "Guide vocal"), guideOn));
      parts.push(guideBox);
    }

    if (song.has_stems === false && !song.has_guide) {  /* one stereo mix: reduce its voice */
      var reduce = h("input", { id: p + "vocal-reduction", type: "checkbox", role: "switch",
        checked: value.vocal_reduction });
      reduce.addEventListener("change", function () {
        value.vocal_reduction = reduce.checked;
        changed({ vocal_reduction: value.vocal_reduction });
      });
      parts.push(h("div", { class: "switch" },
        h("label", { for: p + "vocal-reduction" }, "Vocal reduction"), reduce));
    }

    (song.stems || []).forEach(function (stem, i) {
      if (stem.role === "lead_vocal") return;
      var id = p + "stem-" + i;
      var pct = Math.round((stem.name in value.stem_gains ? value.stem_gains[stem.name] : 1) * 100);
      var title = stem.name.replace(/_/g, " ");
      title = title.charAt(0).toUpperCase() + title.slice(1);
      var label = h("label", { for: id }, title + " " + pct + "%");
      var slider = h("input", { id: id, type: "range", min: 0, max: 200, step: 10, value: pct });
      slider.addEventListener("input", function () { label.textContent = title + " " + slider.value + "%"; });
      slider.addEventListener("change", function () {
        value.stem_gains[stem.name] = Number(slider.value) / 100;
        changed({ stem_gains: Object.assign({}, value.stem_gains) });
      });
      parts.push(h("div", { class: "slider" }, label, slider));
    });
    var root = h("div", { class: "mix" }, parts);
    root.value = value;
    return root;
  };

  KB.settingsText = function (s, song) {
    var bits = [];
    if (s.key_semitones) bits.push(s.key_name ? "Key " + s.key_name : "Key " + (s.key_semitones > 0 ? "+" : "") + s.key_semitones);
    if (s.tempo_ratio && s.tempo_ratio !== 1) bits.push("Tempo " + Math.round(s.tempo_ratio * 100) + "%");
    if (song && song.has_guide && s.guide_level === 0) bits.push("Guide off");
    if (s.vocal_reduction) bits.push("Vocal reduction");
    return bits.join(" · ");
  };
})();
