"""The phone remote: a Flask app served by waitress (docs/remote.md). Start at ``part.py``.

- ``part.py``: ``start(context)`` for the composition root; its result holds the URL phones use.
- ``settings.py``: the ``[web]`` section. ``app.py``: ``create_app(core, RemoteOptions)``.
- ``api_read.py``, ``api_queue.py``, ``api_host.py``, ``api_night.py`` (undo, rename),
  ``api_library.py`` (what scans could not index): the JSON API; ``stream.py``: live events
  (``broadcaster.py``; ``library_watch.py``: scan progress);
  ``pages.py``: the HTML pages; ``captive.py``: captive-portal answers in hotspot mode.
- ``context.py``: per-request guards; ``claims.py``, ``tokens.py``, ``secrets_store.py``: who a
  phone is and the host PIN; ``ratelimit.py``; ``errors.py``; ``openapi.py``; ``views.py``.
- ``server.py``: waitress; ``netaddr.py``: the LAN address; ``power.py``: reboot / power off.
"""
