"""A song's audio on disk, and songs played in place made playable.

- ``stems.py``: ``StemSet``, a song's stems read in lock-step in large chunks. Start here.
- ``locate.py``: where a stem's audio is (a file, a zip member) and whether the engine can
  read it as it is (48 kHz WAV/FLAC) or it must be decoded first.
- ``decode.py``: one source decoded and resampled into a 48 kHz FLAC (libsndfile for WAV,
  FLAC, MP3, OGG; else PyAV).
- ``avdecode.py``: PyAV (ffmpeg) decoding of any source and audio stream: M4A/AAC, Opus, WMA,
  the sound of MP4/MKV/WebM videos.
- ``transcode_cache.py``: ``TranscodeCache``, the LRU-bounded folder of decoded FLACs.
- ``playable.py``: ``Transcoder``, songs made playable through the cache, decoded ahead of
  play in a low-priority process of their own.
- ``break_music.py``: the break-music playlist from a folder or the library.

Nothing here imports the DSP or the engine (the loudness meter is handed in).
"""
