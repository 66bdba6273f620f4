"""The engine process and its client, the core's ``Player``.

- ``client.py``: ``EngineClient`` (main process): spawns the engine, sends commands, reads the
  position from shared memory, restarts a dead engine. Start here.
- ``connection.py``: ``EngineConnection``, one engine process and its pipe (spawn, send, the
  ``Play``/``Reply`` pairing, the event reader thread).
- ``protocol.py``: the messages between the two, frozen dataclasses matched on both sides.
- ``process.py``: ``engine_main``, the engine process: the device (retried while missing, an
  exit when it goes away) and the command pipe.
- ``producer.py``: the producer thread; ``song_control.py`` what plays (songs, break music,
  pause, seek); ``feeder.py`` chunks into the ring and the live settings splice.
- ``output.py``: the PortAudio callback and the state it shares with the producer;
  ``realtime.py``: the SCHED_FIFO priority it asks for (= the service's LimitRTPRIO) and gets.
- ``ring.py``, ``status.py``, ``device.py``: the producer/callback ring, the shared-memory
  status, the sound devices (outputs and microphones) and ``EngineOptions``.
- ``mics.py``: the microphones in the callback (``MicMixer``: each mic's voice chain into the
  main outputs, a raw copy stamped in song time for tracking); ``mic_ring.py`` the capture
  ring and its drift control; ``mic_inputs.py`` the capture streams, opened, watched and
  reopened by the engine's main thread; ``tracking.py`` the thread that runs the howl guard
  and the pitch tracker and sends ``PitchFrames`` and ``MicNotice``.
"""
