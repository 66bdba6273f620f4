"""The box's operating-system side: systemd notify/watchdog, first-boot settings, network mode,
the Wi-Fi QR payload, USB library mounts and the system checks of ``karaoke doctor``.

An adapter: imports the core (errors) and the standard library only. ``appliance/app.py`` and
``appliance/cli.py`` wire it in; ``deploy/`` installs the units and scripts it talks to.
"""
