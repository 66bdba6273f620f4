"""The box's GPIO buttons, volume knob and status LEDs (docs/buttons.md). Start at ``part.py``.

- ``part.py``: ``start(context)`` for the composition root; ``start_buttons`` for tests.
- ``settings.py``: the ``[buttons]`` section; ``layout.py``: it merged over the default pinout
  and checked (every problem at once; the config loader runs it too).
- ``hardware.py``: pin factory and board; ``debounce.py``: press/hold timing; ``worker.py``:
  actions performed off gpiozero's thread; ``knob.py``: what the knob turns (volume, or the
  singer's mic level or echo after a hold); ``leds.py``: LEDs following the core's state.
- ``checks.py``: ``karaoke doctor``; ``wiring.py``: the wiring diagram, drawn from the pinout.
"""
