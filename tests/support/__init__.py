"""What test modules share (no test module imports another test module; they import this).

- ``player_contract``: :class:`PlayerContract`, the ``Player`` port's contract written once;
  each implementation's test subclasses it (the silent player in tests/core, the engine client
  in tests/audio).
"""
