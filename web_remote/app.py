"""The Flask app of the phone remote: ``create_app(core, options)``.

Blueprints: the pages, the read API, guest changes, host actions, the SSE stream, the OpenAPI
document, and (when present) the captive-portal answers. Served by waitress
(:mod:`web_remote.server`) inside the main process::

    >>> from appliance.core.ports import ManualClock
    >>> from appliance.core.service import Core
    >>> from appliance.core.silent_player import SilentPlayer
    >>> from appliance.core.store import Store
    >>> clock = ManualClock()
    >>> app = create_app(Core(Store.open_memory(), SilentPlayer(clock), clock=clock),
    ...                  RemoteOptions(pin="2468"))
    >>> client = app.test_client()
    >>> client.get("/api/state").json["state"]
    'idle'
    >>> client.post("/api/playback/skip").status_code   # no CSRF token
    403
    >>> app.extensions["karaoke"].broadcaster.close()
"""

from __future__ import annotations

import importlib.util
import logging

from flask import Flask, request

from appliance.core.service import Core
from web_remote import (
    api_host,
    api_library,
    api_night,
    api_pitch,
    api_queue,
    api_read,
    api_voice,
    openapi,
    pages,
    stream,
)
from web_remote.broadcaster import Broadcaster
from web_remote.context import add_security_headers, guard_api_request
from web_remote.errors import register_error_handlers
from web_remote.jsonio import SafeJSONProvider
from web_remote.remote import Remote, RemoteOptions

log = logging.getLogger(__name__)
LISTENER_NAME = "web-remote"


def create_app(core: Core, options: RemoteOptions | None = None) -> Flask:
    """The remote for ``core``. The app subscribes once to the core's events."""
    options = options or RemoteOptions()
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = options.max_body_bytes
    app.json = SafeJSONProvider(app)
    remote = Remote(core, options)
    broadcaster = Broadcaster(
        core, options.max_streams, options.heartbeat_s, options.max_streams_per_address
    )
    remote.broadcaster = broadcaster
    core.subscribe(f"{LISTENER_NAME}-{id(app):x}", broadcaster.on_event)
    app.extensions["karaoke"] = remote
    register_error_handlers(app)

    @app.before_request
    def guard() -> None:
        if request.path.startswith("/api/"):
            guard_api_request()

    app.after_request(add_security_headers)
    blueprints = (
        pages.bp, api_read.bp, api_queue.bp, api_host.bp, api_night.bp, api_library.bp,
        api_voice.bp, api_pitch.bp,
    )  # fmt: skip
    for blueprint in (*blueprints, stream.bp, openapi.bp):
        app.register_blueprint(blueprint)
    api_pitch.init_app(app, options.clock)
    _register_captive(app, options)
    return app


def _register_captive(app: Flask, options: RemoteOptions) -> None:
    """The deploy's captive-portal answers, when this build has them."""
    if importlib.util.find_spec("web_remote.captive") is None:
        return
    from web_remote.captive import create_captive_blueprint

    def remote_url() -> str:
        return options.public_url() or "/"

    app.register_blueprint(create_captive_blueprint(remote_url, options.hotspot_active))
