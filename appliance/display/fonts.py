"""Fonts found by path, with a fallback chain so any script renders (Latin, Greek, CJK...).

Debian's ``fonts-noto-core``, ``fonts-noto-cjk`` and ``fonts-dejavu-core`` provide the files; a
configured font (``[display] font``) goes first. For each piece of text the first font of the chain
that has a glyph for every character is used::

    fonts = FontChain.find(configured="")
    font = fonts.font_for("Всё будет хорошо", 90)     # Noto Sans Bold
    font = fonts.font_for("夜空ノムコウ", 90)           # Noto Sans CJK Bold

Emoji (a singer called "Ana 🎤") come from ``fonts-noto-color-emoji``, a colour bitmap font
that SDL_ttf draws only at its one size: :meth:`FontChain.runs` splits a text into the runs
its font draws and the emoji runs, which :mod:`text` draws at that size and scales.
"""

from __future__ import annotations

import glob
import logging
import os
import unicodedata

import pygame

log = logging.getLogger(__name__)

NOTO = "/usr/share/fonts/truetype/noto"
NOTO_CJK = "/usr/share/fonts/opentype/noto"
DEJAVU = "/usr/share/fonts/truetype/dejavu"

PRIMARY = (f"{NOTO}/NotoSans-Bold.ttf", f"{NOTO}/NotoSans-Regular.ttf")
CJK = (f"{NOTO_CJK}/NotoSansCJK-Bold.ttc", f"{NOTO_CJK}/NotoSansCJK-Regular.ttc")
SCRIPTS = (
    "Arabic", "Hebrew", "Thai", "Devanagari", "Bengali", "Tamil", "Telugu", "Kannada",
    "Malayalam", "Gujarati", "Gurmukhi", "Georgian", "Armenian", "Ethiopic", "Khmer", "Lao",
    "Sinhala", "Myanmar",
)  # fmt: skip
SYMBOLS = (f"{DEJAVU}/DejaVuSans-Bold.ttf", f"{DEJAVU}/DejaVuSans.ttf")
EMOJI = (f"{NOTO}/NotoColorEmoji.ttf",)
EMOJI_PLANE = 0x1F000  # pictographs from here on are drawn in colour
EMOJI_STRIKE_PX = 109  # the one size of Noto Color Emoji's bitmaps (136 x 128 pixels)
EMOJI_JOINERS = frozenset("\u200d\ufe0f\ufe0e\u20e3") | {chr(c) for c in range(0x1F3FB, 0x1F400)}
_PROBE = "\U000effff"  # a private-use character no font has: its metrics are the "missing" box


def clean_text(text: str) -> str:
    """Text safe to draw: control characters and lone surrogates removed, whitespace made plain
    (spaces are kept: a word's trailing space is part of its width).

    >>> clean_text("Ada\\x00\\x1b[31m\\tLovelace\\n")
    'Ada[31m Lovelace '
    """
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r\v\f":
            out.append(" ")
        elif category not in ("Cc", "Cs", "Co", "Cn"):
            out.append(char)
    return "".join(out)


def font_paths(configured: str = "") -> list[str]:
    """The fallback chain of font files that exist on this machine, best first."""
    candidates = [configured] if configured else []
    candidates += [_first_existing(PRIMARY), _first_existing(CJK)]
    for script in SCRIPTS:
        candidates.append(
            _first_existing((f"{NOTO}/NotoSans{script}-Bold.ttf", f"{NOTO}/NotoSans{script}.ttf"))
        )
    candidates.append(_first_existing(SYMBOLS))
    if not any(candidates):  # another layout of Noto: look around
        candidates += sorted(glob.glob("/usr/share/fonts/**/NotoSans-Bold.*", recursive=True))
    return [path for path in dict.fromkeys(candidates) if path and os.path.isfile(path)]


def _first_existing(paths: tuple[str, ...]) -> str:
    return next((path for path in paths if os.path.isfile(path)), "")


class FontChain:
    """Fonts by (file, size), loaded once; picks the file that covers a text."""

    def __init__(self, paths: list[str], emoji_path: str = "") -> None:
        self.paths = paths
        self.emoji_path = emoji_path
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._missing: dict[tuple[str, int], tuple[object, ...]] = {}
        self._choice: dict[str, str] = {}
        self._runs: dict[str, list[tuple[str, bool]]] = {}

    @classmethod
    def find(cls, configured: str = "") -> FontChain:
        """The chain for this machine (pygame's own font last, so something always renders)."""
        paths = font_paths(configured)
        if configured and configured not in paths:
            log.warning("display font %r not found; using Noto/DejaVu", configured)
        if not paths:
            log.warning("no Noto or DejaVu fonts found: install fonts-noto-core fonts-noto-cjk")
        return cls(paths, _first_existing(EMOJI))

    def font(self, path: str, size: int) -> pygame.font.Font:
        """The font in file ``path`` ('' for pygame's built-in) at ``size`` pixels."""
        key = (path, size)
        font = self._fonts.get(key)
        if font is None:
            try:
                font = pygame.font.Font(path or None, size)
            except (OSError, pygame.error):
                log.warning("cannot load font %s; using pygame's own", path)
                font = pygame.font.Font(None, size)
            self._fonts[key] = font
        return font

    def font_for(self, text: str, size: int) -> pygame.font.Font:
        """The first font of the chain with a glyph for every character of ``text``."""
        return self.font(self.path_for(text), size)

    def path_for(self, text: str) -> str:
        """The file of :meth:`font_for`."""
        path = self._choice.get(text)
        if path is None:
            path = self._choose(text)
            if len(self._choice) > 20000:
                self._choice.clear()
            self._choice[text] = path
        return path

    def runs(self, text: str) -> list[tuple[str, bool]]:
        """``text`` cut into (piece, is_emoji) runs: emoji its font lacks go to the emoji font
        (with their joiners, variation selectors and skin tones); one run when there are none.

        Pictographs (U+1F000 and up: DejaVu has black-and-white ones) and characters the text's
        font cannot draw become emoji; digits and '#', which the emoji font also has, stay text."""
        runs = self._runs.get(text)
        if runs is None:
            runs = self._split(text)
            if len(self._runs) > 20000:
                self._runs.clear()
            self._runs[text] = runs
        return runs

    def _split(self, text: str) -> list[tuple[str, bool]]:
        if not self.emoji_path or text.isascii():
            return [(text, False)]
        path = self.path_for(text)
        wanted = {c for c in text if ord(c) >= EMOJI_PLANE}
        wanted |= {c for c in text if not c.isspace() and self._count_missing(path, {c})}
        emoji = {c for c in wanted if not self._count_missing(self.emoji_path, {c})}
        if not emoji:
            return [(text, False)]
        runs: list[tuple[str, bool]] = []
        for char in text:
            is_emoji = char in emoji or (char in EMOJI_JOINERS and bool(runs) and runs[-1][1])
            if runs and runs[-1][1] == is_emoji:
                runs[-1] = (runs[-1][0] + char, is_emoji)
            else:
                runs.append((char, is_emoji))
        return runs

    def _choose(self, text: str) -> str:
        needed = {char for char in text if not char.isspace()}
        if not needed or not self.paths:
            return self.paths[0] if self.paths else ""
        best, best_missing = self.paths[0], len(needed) + 1
        for path in self.paths:
            missing = self._count_missing(path, needed)
            if missing == 0:
                return path
            if missing < best_missing:
                best, best_missing = path, missing
        return best

    def _count_missing(self, path: str, chars: set[str]) -> int:
        probe_size = EMOJI_STRIKE_PX if path == self.emoji_path else 24
        font = self.font(path, probe_size)
        box = self._missing.get((path, probe_size))
        if box is None:
            box = tuple(font.metrics(_PROBE)[0] or ())
            self._missing[(path, probe_size)] = box
        text = "".join(sorted(chars))
        return sum(1 for m in font.metrics(text) if m is None or tuple(m) == box)
