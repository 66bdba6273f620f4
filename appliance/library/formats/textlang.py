"""The letters a language writes beyond ASCII, to tell code pages apart on short texts.

A song's language tag (UltraStar ``#LANGUAGE``, in English, in the language itself or as an ISO
code) says which letters to expect: Danish text decoded with the wrong DOS or Windows code page
shows "¢" or "›" where "ø" belongs. ``unexpected_share`` is the part of a text's non-ASCII
letters the language does not write (0.0 for an unknown language)::

    >>> unexpected_share("rødgrød med fløde", "Dansk"), unexpected_share("r¢dgr¢d", "Danish")
    (0.0, 1.0)
    >>> preferred_code_pages("norwegian"), preferred_code_pages("German")
    (('cp865',), ())
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s,;/()_-]+")

_CYRILLIC = "".join(chr(code) for code in range(0x400, 0x460))
_ALPHABETS = {
    "english": "éèêëïüöçñáàâôÉ",  # loanwords: café, naïve, jalapeño, über
    "danish": "æøåéÆØÅÉ",
    "norwegian": "æøåéèêóòôÆØÅÉÈÊÓÒÔ",
    "swedish": "åäöéÅÄÖÉ",
    "finnish": "åäöšžÅÄÖŠŽ",
    "icelandic": "áéíóúýþæöðÁÉÍÓÚÝÞÆÖÐ",
    "german": "äöüßéÄÖÜ",
    "french": "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ",
    "spanish": "áéíóúüñÁÉÍÓÚÜÑ",
    "portuguese": "áàâãçéêíóôõúüÁÀÂÃÇÉÊÍÓÔÕÚÜ",
    "italian": "àèéìíîòóùúÀÈÉÌÍÎÒÓÙÚ",
    "dutch": "áéíóúàèëïöüÁÉÍÓÚÀÈËÏÖÜ",
    "catalan": "àçéèíïóòúüÀÇÉÈÍÏÓÒÚÜ",
    "polish": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
    "czech": "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ",
    "hungarian": "áéíóöőúüűÁÉÍÓÖŐÚÜŰ",
    "turkish": "çğıöşüâîûÇĞİÖŞÜÂÎÛ",
    "russian": _CYRILLIC,
    "ukrainian": _CYRILLIC,
    "bulgarian": _CYRILLIC,
}
_NAMES = {  # four-letter forms: Soft Karaoke's @L tag (@LENGL, @LDEUT)
    "english": ("en", "englisch", "anglais", "inglés", "engl"),
    "danish": ("dans", "da", "dansk", "dänisch", "danois"),
    "norwegian": (
        "norw",
        "nors",
        "no",
        "nb",
        "nn",
        "norsk",
        "bokmål",
        "nynorsk",
        "norwegisch",
        "norvégien",
    ),
    "swedish": ("swed", "sven", "sv", "svenska", "schwedisch", "suédois"),
    "finnish": ("finn", "suom", "fi", "suomi", "finnisch", "finnois"),
    "icelandic": ("is", "íslenska", "isländisch"),
    "german": ("deut", "germ", "de", "deutsch", "allemand", "alemán", "tedesco"),
    "french": ("fran", "fren", "fr", "français", "francais", "französisch", "francés"),
    "spanish": ("espa", "span", "es", "español", "espanol", "castellano", "spanisch", "espagnol"),
    "portuguese": ("port", "pt", "português", "portugues", "portugiesisch", "portugais"),
    "italian": ("ital", "it", "italiano", "italienisch", "italien"),
    "dutch": (
        "nede",
        "dutc",
        "nl",
        "nederlands",
        "niederländisch",
        "néerlandais",
        "flemish",
        "vlaams",
    ),
    "catalan": ("ca", "català", "katalanisch"),
    "polish": ("pols", "poli", "pl", "polski", "polnisch", "polonais"),
    "czech": ("cs", "čeština", "cestina", "tschechisch"),
    "hungarian": ("hu", "magyar", "ungarisch"),
    "turkish": ("tr", "türkçe", "turkce", "türkisch"),
    "russian": ("ru", "русский", "russisch", "russe"),
    "ukrainian": ("uk", "українська", "ukrainisch"),
    "bulgarian": ("bg", "български", "bulgarisch"),
}
_LANGUAGE_OF = {alias: name for name, aliases in _NAMES.items() for alias in (name, *aliases)}
_MARKS = "‘’‚“”„«»‹›–—…·´¿¡°€£"  # punctuation any language may use
_DOS_PAGES = {"danish": ("cp865",), "norwegian": ("cp865",)}  # the Nordic DOS code page


def language_name(tag: str) -> str:
    """The English name of a language tag ('Dansk', 'da', 'Danish' -> 'danish'; '' unknown)."""
    words = _SEPARATORS.split(tag.strip().casefold())
    return _LANGUAGE_OF.get(next((word for word in words if word), ""), "")


def unexpected_share(text: str, language: str) -> float:
    """The share of ``text``'s non-ASCII letters that ``language`` does not write."""
    alphabet = _ALPHABETS.get(language_name(language))
    if not alphabet:
        return 0.0
    letters = [ch for ch in text if not ch.isascii() and not ch.isspace() and ch not in _MARKS]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch not in alphabet) / len(letters)


def preferred_code_pages(language: str) -> tuple[str, ...]:
    """Code pages to prefer when others decode a text of ``language`` just as well."""
    return _DOS_PAGES.get(language_name(language), ())
