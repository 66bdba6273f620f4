"""The phone remote: a Flask app served by waitress (docs/remote.md). Start at ``part.py``.

- ``part.py``: ``start(context)`` for the composition root; its result holds the URL phones use.
- ``settings.py``: the ``[web]`` section. ``app.py``: ``create_app(core, RemoteOptions)``.
- ``api_read.py``, ``api_queue.py``, ``api_host.py``, ``api_night.py`` (undo, rename),
  ``api_library.py`` (what scans could not index), ``api_voice.py`` (the singer's mic),
  ``api_pitch.py`` (pitch from the singer's phone that listens; its page side is
  ``static/listen.js`` with ``pitchtrack.js`` and ``pitch-worklet.js``): the JSON API;
  ``stream.py``: live events (``broadcaster.py``; ``library_watch.py``: scan progress);
  ``pages.py``: the HTML pages; ``captive.py``: captive-portal answers in hotspot mode.
- ``context.py``: per-request guards (Host, same site, CSRF, then rate limits, then the body);
  ``hostnames.py``: the box's own names; ``jsonio.py``: strict JSON in, valid UTF-8 out.
- ``claims.py`` (old claims moved into the core, new names per address), ``tokens.py``,
  ``revocations.py``, ``secrets_store.py``: who a phone is, host sessions and the PIN;
  ``ratelimit.py``; ``errors.py``; ``openapi.py`` (its schemas: ``openapi_schemas.py``);
  ``serializers.py``.
- ``server.py``: waitress; ``connections.py``: connections counted per address, deadlines, the
  host's reserve; ``netaddr.py``: the LAN address (and this page's https address);
  ``power.py``: reboot / power off.
- ``tls_front.py``: the same remote over https, TLS relayed to waitress with each phone's
  address kept; ``tls_cert.py``: the box's own certificate, made once.
"""
