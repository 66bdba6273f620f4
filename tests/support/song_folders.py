"""Build native song folders for the library tests (tiny stem files: nothing decodes audio)."""

from __future__ import annotations

from pathlib import Path

import tomli_w

BASE_FIELDS: dict[str, object] = {
    "format": 1,
    "title": "Amazing Grace",
    "artist": "Traditional",
    "duration_s": 92.5,
    "stems": [
        {"name": "drums", "file": "drums.flac", "role": "drums"},
        {"name": "guide", "file": "guide.flac", "role": "lead_vocal", "gain_db": -3.0},
    ],
}


def make_song(folder: Path, fields: dict[str, object] | None = None, **changes: object) -> Path:
    """A song folder with a manifest (BASE_FIELDS updated by ``changes``) and its stem files."""
    folder.mkdir(parents=True, exist_ok=True)
    data = dict(BASE_FIELDS if fields is None else fields)
    data.update(changes)
    for stem in data.get("stems", []) if isinstance(data.get("stems"), list) else []:
        if isinstance(stem, dict) and isinstance(stem.get("file"), str):
            path = folder / stem["file"]
            if not path.name.startswith("missing"):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"fLaC stub")
    for key in ("lyrics", "notes"):
        name = data.get(key)
        if isinstance(name, str) and "/" not in name and not name.startswith("missing"):
            (folder / name).write_text("[00:01.00]la la\n", encoding="utf-8")
    (folder / "song.toml").write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return folder
