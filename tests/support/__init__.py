"""The test support layer: what several test folders share. No test module imports another test
module; they import from here.

- ``cores``: the core builder (a real Core, SQLite store, silent player, manual clock, songs).
- ``waiting``: ``eventually()`` and ``wait_until_answers()``; poll, never sleep a fixed time.
- ``buttons_rig``: a core with the buttons part on gpiozero's mock pins.
- ``alsa_rig``, ``margins``: jackd's dummy clock with an ALSA capture; measured margins.
- Song fixtures, synthesized: ``audio_songs`` (stems of tones), ``importer_songs`` (KAR,
  UltraStar, audio+LRC), ``song_folders`` (native folders), ``mp3g_songs`` and ``cdg_gen``
  (MP3+G material, CD+G streams), ``cdg_songs`` and ``display_scenes`` (what the TV shows).
- ``player_contract``: ``PlayerContract``, the ``Player`` port's contract written once; the
  silent player's test (tests/core) and the engine client's (tests/audio) subclass it.
- ``sound_analysis``: pitch (YIN), onsets, reading files. ``memory_catalog``: an in-memory
  catalog for the scanner. ``deploy_rig``: throwaway roots for deploy/install.sh, systemd checks.
- ``context``: ``FakeBox``, the one fake of what the composition root gives a part
  (:class:`appliance.parts.PartContext`: its section, core, player, stop, network, URL).
"""
