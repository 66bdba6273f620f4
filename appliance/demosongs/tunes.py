"""The six public-domain tunes of the demo library, written out as notes, chords and lyrics.

Melodies are traditional (set one note per syllable); lyrics are the public-domain texts.
Every time is on the sixteenth-note grid so lyric (centisecond) and UltraStar times are exact.
"""

from __future__ import annotations

from fractions import Fraction

from appliance.demosongs.score import Part, Phrase, Section, SongSpec

# --- Amazing Grace (John Newton, 1779; tune "New Britain") ------------------------------------

_GRACE_A = "G4:2 B4:1 B4:2 A4:1 G4:2 E4:1 D4:2"
AMAZING_GRACE = SongSpec(
    song_id="demo-amazing-grace", title="Amazing Grace", artist="John Newton",
    key="G", bpm=75, beats_per_bar=3, style="waltz", tonic="G", tags=("hymn", "demo"),
    parts={"verse": Part(16, "G | G7 | C | G | G | D | D | D7 | G | G7 | C | G | Em | D | G | G", (
        Phrase(-1, "D4:1 " + _GRACE_A),
        Phrase(11, "D4:1 G4:2 B4:1 B4:2 A4:1 D5:4"),
        Phrase(23, "B4:1 D5:2 B4:1 B4:2 A4:1 G4:2 E4:1 D4:2"),
        Phrase(35, "D4:1 G4:2 B4:1 B4:2 A4:1 G4:4"),
    ))},
    lyrics={"verse": (
        ("A-ma-zing grace, how sweet the sound", "That saved a wretch like me.",
         "I once was lost, but now am found,", "Was blind, but now I see."),
        ("'Twas grace that taught my heart to fear,", "And grace my fears re-lieved;",
         "How pre-cious did that grace ap-pear", "The hour I first be-lieved."),
    )},
    form=(Section("countin", length=1), Section("intro", "verse", span=(13, 16)),
          Section("sing", "verse", 0), Section("break", "verse", span=(9, 16)),
          Section("sing", "verse", 1), Section("ending", length=2)),
)  # fmt: skip

# --- Oh! Susanna (Stephen Foster, 1848) -------------------------------------------------------

_SUS_HEAD = "C4:1/2 D4:1/2 E4:1/2 G4:1/2 G4:3/4 A4:1/4 G4:1/2 E4:1/2 C4:3/4 D4:1/4 E4:1/2 E4:1/2"
_SUS_HALF = _SUS_HEAD + " C4:1 D4:1"  # ends on the second: "...on my knee"
_SUS_HOME = _SUS_HEAD + " D4:1 C4:1"  # ends on the tonic: "...for to see"
OH_SUSANNA = SongSpec(
    song_id="demo-oh-susanna", title="Oh! Susanna", artist="Stephen Foster",
    key="C", bpm=100, beats_per_bar=4, style="two_beat", tonic="C", tags=("folk", "demo"),
    parts={
        "verse": Part(8, "C | C C G G | C | C G C C | C | C C G G | C | C G C C", (
            Phrase(-1, _SUS_HALF), Phrase(7, _SUS_HOME),
            Phrase(15, _SUS_HALF), Phrase(23, _SUS_HOME),
        )),
        "chorus": Part(4, "F | C C G G | C | C G C C", (
            Phrase(0, "F4:3/2 F4:1/2 A4:1 A4:1 G4:1/2 G4:1/2 E4:1/2 C4:1/2 C4:1/2 D4:1/2"),
            Phrase(7, _SUS_HOME),
        )),
    },
    lyrics={
        "verse": (
            ("I come from Al-a-ba-ma with my ban-jo on my knee,",
             "I'm go-ing to Lou'-si-an-a, my true love for to see.",
             "It rained all night the day I left, the wea-ther it was dry,",
             "The sun so hot I froze to death; Su-san-na, don't you cry."),
            ("I had a dream the oth-er night, when ev-ery-thing was still;",
             "I thought I saw Su-san-na dear, a com-ing down the hill.",
             "The buck-wheat cake was in her mouth, the tear was in her eye;",
             "Says I, I'm com-ing from the South, Su-san-na, don't you cry."),
        ),
        "chorus": (
            ("Oh! Su-san-na, oh don't you cry for me,",
             "I come from Al-a-ba-ma with my ban-jo on my knee."),
        ),
    },
    form=(Section("countin", length=1), Section("intro", "chorus", span=(3, 4)),
          Section("sing", "verse", 0), Section("sing", "chorus", 0),
          Section("break", "chorus", span=(1, 4)), Section("sing", "verse", 1),
          Section("sing", "chorus", 0), Section("ending", length=2)),
)  # fmt: skip

# --- Auld Lang Syne (Robert Burns, 1788) ------------------------------------------------------

_ALS_MID = "G4:3/2 F4:1/2 G4:1 A4:1"
_ALS_END = "F4:3/2 D4:1/2 D4:1 C4:1 F4:3"
AULD_LANG_SYNE = SongSpec(
    song_id="demo-auld-lang-syne", title="Auld Lang Syne", artist="Robert Burns",
    key="F", bpm=100, beats_per_bar=4, style="ballad", tonic="F",
    tags=("folk", "new year", "demo"),
    parts={
        "verse": Part(8, "F | C C C F | F | Bb | F | C C C F | Bb Bb Bb C | F", (
            Phrase(-1, f"C4:1 F4:3/2 F4:1/2 F4:1 A4:1 {_ALS_MID} F4:3/2 F4:1/2 A4:1 C5:1 D5:3"),
            Phrase(15, f"D5:1 C5:3/2 A4:1/2 A4:1 F4:1 {_ALS_MID} {_ALS_END}"),
        )),
        "chorus": Part(8, "F | C C C Bb | F | Bb Bb Bb F | F | C C C F | Bb Bb Bb C | F", (
            Phrase(-1, "C4:1 C5:3/2 A4:1/2 A4:1 F4:1 G4:3/2 F4:1/2 G4:1 D5:1 C5:3/2"),
            Phrase(Fraction(19, 2), "A4:1/2 A4:1 C5:1 D5:3 C5:1 C5:3/2 A4:1/2 A4:1"),
            Phrase(19, f"F4:1 {_ALS_MID} {_ALS_END}"),
        )),
    },
    lyrics={
        "verse": (
            ("Should auld ac-quain-tance be for-got, and nev-er brought to mind?",
             "Should auld ac-quain-tance be for-got, and days of auld lang syne?"),
        ),
        "chorus": (
            ("For auld lang syne, my dear, for auld lang syne,",
             "We'll take a cup o' kind-ness yet",
             "for auld lang syne, and days of auld lang syne."),
        ),
    },
    form=(Section("countin", length=1), Section("intro", "chorus", span=(5, 8)),
          Section("sing", "verse", 0), Section("sing", "chorus", 0),
          Section("break", "chorus", span=(1, 4)), Section("sing", "chorus", 0),
          Section("ending", length=2)),
)  # fmt: skip

# --- When the Saints Go Marching In (traditional spiritual) -----------------------------------

SAINTS = SongSpec(
    song_id="demo-when-the-saints", title="When the Saints Go Marching In",
    artist="Traditional", key="C", bpm=125, beats_per_bar=4, style="two_beat", tonic="C",
    tags=("gospel", "jazz", "demo"),
    parts={"verse": Part(16, "C | C | C | C | C | C | G | G | C | C7 | F | F | C | G | C | C", (
        Phrase(-3, "C4:1 E4:1 F4:1 G4:4 r:1 C4:1 E4:1 F4:1 G4:3"),
        Phrase(13, "C4:1 E4:1 F4:1 G4:2 E4:2 C4:2 E4:2 D4:3"),
        Phrase(29, "E4:1 E4:1 D4:1 C4:3 C4:1 E4:2 G4:2 G4:1 F4:2 F4:1"),
        Phrase(46, "E4:1 F4:1 G4:2 E4:2 C4:2 D4:2 C4:3"),
    ))},
    lyrics={"verse": (
        ("Oh when the saints go march-ing in,", "Oh when the saints go march-ing in,",
         "Oh Lord, I want to be in that num-ber,", "When the saints go march-ing in."),
        ("Oh when the sun re-fuse to shine,", "Oh when the sun re-fuse to shine,",
         "Oh Lord, I want to be in that num-ber,", "When the sun re-fuse to shine."),
    )},
    form=(Section("countin", length=1), Section("intro", "verse", span=(13, 16)),
          Section("sing", "verse", 0), Section("break", "verse", span=(1, 8)),
          Section("sing", "verse", 1), Section("ending", length=2)),
)  # fmt: skip

# --- Home on the Range (Brewster M. Higley, 1872; music Daniel E. Kelley) ---------------------

_RANGE_A = "D4:1/2 D4:1/2 G4:2 A4:1 B4:2 G4:1/2 F#4:1/2 E4:1 C4:1 C4:1 C4:2"
_RANGE_B = "B3:1/2 C4:1/2 D4:2 E4:1/2 F#4:1/2 G4:1 F#4:1 G4:1 A4:4"
_RANGE_C = "B3:1/2 C4:1/2 D4:2 E4:1/2 F#4:1/2 B4:1 A4:1 F#4:1 G4:4"
_RANGE_LINES = ("Where the deer and the an-te-lope play,",
                "Where sel-dom is heard a dis-cour-ag-ing word,",
                "And the skies are not cloud-y all day.")  # fmt: skip
HOME_ON_THE_RANGE = SongSpec(
    song_id="demo-home-on-the-range", title="Home on the Range", artist="Brewster M. Higley",
    key="G", bpm=150, beats_per_bar=3, style="waltz", tonic="G",
    tags=("folk", "western", "demo"),
    parts={
        "verse": Part(16, "G | G | C | C | G | G | D | D | G | G | C | C | G | G D D | G | G", (
            Phrase(-1, _RANGE_A), Phrase(11, _RANGE_B),
            Phrase(23, _RANGE_A), Phrase(35, _RANGE_C),
        )),
        "chorus": Part(16, "D | G | C | C | G | G | D | D | G | G | C | C | G | G D D | G | G", (
            Phrase(0, "D5:3 B4:2 A4:1/2 B4:1/2 C5:3"), Phrase(11, _RANGE_B),
            Phrase(23, _RANGE_A), Phrase(35, _RANGE_C),
        )),
    },
    lyrics={
        "verse": (("Oh give me a home where the buf-fa-lo roam,", *_RANGE_LINES),),
        "chorus": (("Home, home on the range,", *_RANGE_LINES),),
    },
    form=(Section("countin", length=2), Section("intro", "chorus", span=(13, 16)),
          Section("sing", "verse", 0), Section("sing", "chorus", 0),
          Section("break", "chorus", span=(1, 8)), Section("sing", "chorus", 0),
          Section("ending", length=3)),
)  # fmt: skip

# --- Twinkle, Twinkle, Little Star (Jane Taylor, 1806; tune "Ah! vous dirai-je, maman") -----

_TWINKLE_A = "C4:1 C4:1 G4:1 G4:1 A4:1 A4:1 G4:3/2"
_TWINKLE_B = "F4:1 F4:1 E4:1 E4:1 D4:1 D4:1 C4:3/2"
_TWINKLE_C = "G4:1 G4:1 F4:1 F4:1 E4:1 E4:1 D4:3/2"
TWINKLE = SongSpec(
    song_id="demo-twinkle-twinkle", title="Twinkle, Twinkle, Little Star", artist="Jane Taylor",
    key="C", bpm=100, beats_per_bar=4, style="ballad", tonic="C",
    tags=("children", "lullaby", "demo"),
    parts={"verse": Part(12, "C | F C | F C | G C | C F | C G | C F | C G | C | F C | F C | G C", (
        Phrase(0, _TWINKLE_A), Phrase(8, _TWINKLE_B), Phrase(16, _TWINKLE_C),
        Phrase(24, _TWINKLE_C), Phrase(32, _TWINKLE_A), Phrase(40, _TWINKLE_B),
    ))},
    lyrics={"verse": (
        ("Twin-kle, twin-kle, lit-tle star,", "How I won-der what you are!",
         "Up a-bove the world so high,", "Like a dia-mond in the sky.",
         "Twin-kle, twin-kle, lit-tle star,", "How I won-der what you are!"),
        ("When the blaz-ing sun is gone,", "When he noth-ing shines up-on,",
         "Then you show your lit-tle light,", "Twin-kle, twin-kle, all the night.",
         "Twin-kle, twin-kle, lit-tle star,", "How I won-der what you are!"),
    )},
    form=(Section("countin", length=1), Section("intro", "verse", span=(9, 12)),
          Section("sing", "verse", 0), Section("break", "verse", span=(1, 4)),
          Section("sing", "verse", 1), Section("ending", length=2)),
)  # fmt: skip

ALL_SPECS = (AMAZING_GRACE, OH_SUSANNA, AULD_LANG_SYNE, SAINTS, HOME_ON_THE_RANGE, TWINKLE)
