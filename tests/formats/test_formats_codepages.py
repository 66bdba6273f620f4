"""Short song texts in DOS and Windows code pages, without ``#ENCODING``: cp437, cp850, cp865
and cp1252 told apart by charset-normalizer's mess detector, a word-level check and the song's
``#LANGUAGE`` (in English, in the language itself or as an ISO code)."""

from __future__ import annotations

import pytest

from appliance.library.formats.textcodec import LEGACY_WITH_ASIAN, decode_text
from appliance.library.formats.textlang import language_name
from appliance.library.formats.ultrastar import parse_ultrastar

LYRICS = {
    "Dansk": ["Der ", "er ", "et ", "yndigt ", "land, ", "det ", "står ", "med ", "brede ", "bøge"],
    "Norwegian": ["Blåbær", "syltetøy ", "på ", "skjær ", "i ", "sjøen"],
    "German": ["Über ", "den ", "Wolken ", "grüßt ", "die ", "Fußmassage"],
    "Français": ["Ça ", "va ", "très ", "bien, ", "mère, ", "où ", "est ", "l'élève"],
    "es": ["¿Dónde ", "está ", "el ", "niño? ", "Mañana"],
    "Swedish": ["Du ", "fjällhöga ", "nord, ", "du ", "glädjerika ", "sköna"],
    "English": ["A ", "café ", "for ", "the ", "naïve ", "fiancée"],
}
PAGES = ("cp437", "cp850", "cp865", "cp1252")


def ultrastar(language: str, words: list[str]) -> str:
    header = f"#TITLE:Song\n#ARTIST:Band\n#MP3:song.mp3\n#BPM:300\n#GAP:0\n#LANGUAGE:{language}\n"
    body = "".join(f": {beat * 2} 2 0 {word}\n" for beat, word in enumerate(words))
    return header + body + "E\n"


def _encodable(text: str, page: str) -> bool:
    try:
        text.encode(page)
    except UnicodeEncodeError:
        return False
    return True


CASES = [
    (language, page)
    for language, words in LYRICS.items()
    for page in PAGES
    if _encodable("".join(words), page)
]


@pytest.mark.parametrize(("language", "page"), CASES, ids=str)
def test_ultrastar_without_encoding_comes_out_right(language, page):
    words = LYRICS[language]
    song = parse_ultrastar(ultrastar(language, words).encode(page), "song.txt")
    assert [note.text for note in song.track.notes] == words


def test_every_case_is_covered():
    pages_of = {page for _, page in CASES}
    assert pages_of == set(PAGES)
    assert ("Dansk", "cp865") in CASES and ("Norwegian", "cp865") in CASES


@pytest.mark.parametrize("page", ["cp865", "cp850"])
def test_nordic_dos_text_decodes_even_without_a_language(page):
    text = "Der er et yndigt land,\ndet står med brede bøge\nÆbler og rødgrød med fløde"
    decoded, _ = decode_text(text.encode(page))
    assert decoded == text


def test_the_language_picks_the_nordic_code_page_among_equals():
    data = "Æbler og rødgrød".encode("cp865")
    assert decode_text(data, language="Dansk") == ("Æbler og rødgrød", "cp865")
    assert decode_text(data, language="no")[1] == "cp865"
    assert decode_text(data)[0] == "Æbler og rødgrød"  # cp850 reads these letters the same


@pytest.mark.parametrize(
    ("text", "page", "language"),
    [
        ("Øl", "cp865", "da"),  # two letters: cp1250 reads 'ťl' without the language
        ("Þú", "cp850", "Icelandic"),
        ("Æ", "cp1252", "Norsk"),
        ("café", "cp437", "English"),
        ("Grüße", "cp437", "Deutsch"),
    ],
)
def test_the_language_decides_texts_too_short_to_judge(text, page, language):
    assert decode_text(text.encode(page), language=language)[0] == text


def test_kar_and_lrc_candidates_keep_asian_pages_and_gain_the_dos_ones():
    assert {"cp437", "cp850", "cp865", "shift_jis"} <= set(LEGACY_WITH_ASIAN)
    text = "夜空ノムコウ"
    assert decode_text(text.encode("shift_jis"), None, LEGACY_WITH_ASIAN)[0] == text


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("Dansk", "danish"),
        ("da_DK", "danish"),
        ("Norsk (bokmål)", "norwegian"),
        ("nb-NO", "norwegian"),
        ("English, German", "english"),
        ("Klingon", ""),
        ("", ""),
    ],
)
def test_language_tags(tag, name):
    assert language_name(tag) == name
