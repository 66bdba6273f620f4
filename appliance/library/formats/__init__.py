"""The readers of every song format the box plays, and the parsers behind them.

- ``songreader.py``: start here. The plug-in point: a ``SongReader`` finds songs in a
  ``FolderListing`` by name and stat (a ``SongCandidate``) and reads one into a ``Song``.
- ``native.py``: the reader of native ``song.toml`` folders (``appliance.library.songfolder``).
- ``foreign.py``: the readers of foreign songs indexed in place (UltraStar, MP3+G, KAR, audio +
  LRC), over the parsers ``ultrastar.py``, ``mp3g.py`` (+ ``cdg.py``, the CD+G decoder the TV
  draws with, over ``cdg_screen.py``), ``kar.py`` (+ ``kar_text.py``: syllables told from
  chords, credits and markers, title and artist; ``midifile.py``: MIDI files opened, a broken
  one explained; ``kar_melody.py``: the melody channel and its notes at the syllables, for
  scoring), ``lrc.py`` (+ ``lrc_words.py``). How each
  is imported, or why it plays in place: ``appliance/importers/by_reader.py``.
- ``video.py``: the reader of karaoke videos (MP4, MKV, WebM, AVI, MOV...): the lyrics are in
  the picture (``SongKind.VIDEO``); names cleaned of "Karaoke Version" and the like.
- ``lyrics.py``: the timed lyrics and notes model every lyric parser produces and the TV draws.
- ``songfiles.py``: a catalogued song's lyrics, notes and files, loaded when it is sung;
  ``score_sheet.py``: its notes as the scorer's ``ScoreSheet`` (lines, note kinds, duet parts).
- helpers: ``textcodec.py`` (text of unknown encoding; ``textlang.py``: the letters a song's
  language writes, to tell code pages apart), ``taginfo.py`` (duration and tags without
  decoding), ``audioprobe.py`` (can this audio play? container, audio stream, first packets,
  with PyAV; the audio file extensions), ``songnames.py`` (title and artist from karaoke file
  names), ``fluidsynth.py`` (MIDI rendered by FluidSynth: KAR import and KAR played in place).

Which readers the scanner uses, in which order: ``appliance.library.scanning.registry``.
"""
