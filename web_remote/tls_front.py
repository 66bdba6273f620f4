"""The https front: TLS in this process, relayed to the remote's own waitress socket.

waitress speaks no TLS. :class:`TlsFront` listens on ``[web] https_port``, one asyncio loop on
one thread: it accepts, counts the address (the same per-address cap, guest total and host
reserve as :class:`web_remote.connections.GuardedServer`), runs the TLS handshake (dropped after
``request_deadline_s``), then opens a TCP connection to waitress and copies bytes both ways
until either side closes or nothing moved for ``idle_timeout_s`` (SSE heartbeats every 15 s
keep a stream open).

Each relayed connection leaves from :data:`RELAY_SOURCE` (a loopback address of its own) on a
port bound *before* it connects, and the front notes ``{port -> the phone's address}`` first;
waitress's accept ``claim``s the note and treats the connection as the phone's (per-address
caps, rate limits, PIN back-off, ``REMOTE_ADDR``, ``wsgi.url_scheme = https``). A connection
from :data:`RELAY_SOURCE` with no note is refused, never mistaken for the box itself::

    front = TlsFront(context, ("0.0.0.0", 8443), ("127.0.0.1", 8080), limits, is_host_address)
    front.start()          # listening once it returns
    front.claim(54321)     # -> "192.168.1.31" (once), None if the front did not open it
    front.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl
import threading
from asyncio import sslproto
from collections.abc import Callable
from typing import Any

from web_remote.connections import AddressCounts, ConnectionLimits, allow_open_files

log = logging.getLogger(__name__)
RELAY_SOURCE = "127.44.3.1"
"""The loopback address relayed connections leave from (Linux answers on all of 127/8)."""
CHUNK = 64 * 1024
IDLE_TIMEOUT_S = 60.0
UNCLAIMED_S = 30.0
"""How long a note waits for waitress to accept its connection."""


class TlsFront:
    """TLS on its own port, relayed to waitress (see the module)."""

    def __init__(
        self,
        context: ssl.SSLContext,
        listen: tuple[str, int],
        target: tuple[str, int],
        limits: ConnectionLimits,
        is_host_address: Callable[[str], bool],
        *,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
    ) -> None:
        self.context = context
        self.target = target
        self.limits = limits
        self.is_host_address = is_host_address
        self.idle_timeout_s = idle_timeout_s
        self.source = RELAY_SOURCE
        self.counts = AddressCounts(limits)
        self.refused = self.failed_handshakes = 0
        self._notes: dict[int, str] = {}
        self._lock = threading.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        capacity = limits.guests + limits.host_reserve
        allow_open_files(3 * capacity + 100)  # the phone's socket, the relay's two
        self._sock = socket.create_server(listen, backlog=128)  # first: it may be taken
        self._sock.setblocking(False)
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._accepting: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        """The port actually bound."""
        return int(self._sock.getsockname()[1])

    def claim(self, port: int) -> str | None:
        """The phone behind the relayed connection from ``port`` (once), else None."""
        with self._lock:
            return self._notes.pop(port, None)

    def start(self) -> None:
        """Serve on a daemon thread; returns once it accepts."""
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="web-remote-tls", daemon=True
        )
        self._thread.start()
        ready.wait(10)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Close the port and every relayed connection."""
        if self._thread is None:
            self._sock.close()
            self._loop.close()
            return
        if self._loop.is_running():
            done = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
            with contextlib.suppress(Exception):
                done.result(timeout_s)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout_s)
        self._thread = None

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._accepting = self._loop.create_task(self._accept())
        self._loop.call_soon(ready.set)
        try:
            self._loop.run_forever()
        finally:
            self._sock.close()
            self._loop.close()

    async def _shutdown(self) -> None:
        tasks = [*self._tasks, *([self._accepting] if self._accepting else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self) -> None:
        """Accept, count, and hand each admitted connection to its own task."""
        while True:
            try:
                conn, peer = await self._loop.sock_accept(self._sock)
            except OSError as error:  # out of files: let a connection end first
                log.warning("https front could not accept: %s", error)
                await asyncio.sleep(0.1)
                continue
            address = str(peer[0])
            host = self.is_host_address(address)
            if not self.counts.admit(address, host):
                self.refused += 1
                conn.close()
                continue
            _no_delay(conn)
            task = self._loop.create_task(self._serve(conn, address, host))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _serve(self, conn: socket.socket, address: str, host: bool) -> None:
        app = _AppProtocol(asyncio.StreamReader(limit=CHUNK, loop=self._loop), loop=self._loop)
        raw: asyncio.Transport | None = None
        try:
            raw = await self._handshake(conn, app)
            if raw is not None and app.transport is not None:
                writer = asyncio.StreamWriter(app.transport, app, app.reader, self._loop)
                await self._relay(app.reader, writer, address, raw)
        finally:
            if raw is not None:
                raw.abort()
            conn.close()
            self.counts.release(address, host)

    async def _handshake(self, conn: socket.socket, app: _AppProtocol) -> asyncio.Transport | None:
        """The TLS handshake on the accepted socket; its raw transport, None when it failed.
        (Started on the raw socket: a stream's start_tls loses a ClientHello already read.)"""
        deadline = self.limits.request_deadline_s
        done = self._loop.create_future()
        tls = _LeanTLS(
            self._loop,
            app,
            self.context,
            done,
            server_side=True,
            ssl_handshake_timeout=deadline,  # type: ignore[arg-type]  # a float works
        )
        raw: asyncio.Transport | None = None
        try:
            raw, _ = await self._loop.connect_accepted_socket(lambda: tls, conn)
            await asyncio.wait_for(done, deadline + 1)
        except (TimeoutError, OSError, ssl.SSLError) as error:
            log.debug("https handshake failed: %r", error)
            self.failed_handshakes += 1
            if raw is not None:
                raw.abort()
            return None
        return raw

    async def _relay(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        address: str,
        raw: asyncio.Transport,
    ) -> None:
        sock = socket.socket(socket.AF_INET)
        sock.setblocking(False)
        _no_delay(sock)
        try:
            sock.bind((self.source, 0))
            port = int(sock.getsockname()[1])
            with self._lock:
                self._notes[port] = address
            self._loop.call_later(UNCLAIMED_S, self._forget_note, port, address)
            await self._loop.sock_connect(sock, self.target)
        except OSError as error:
            sock.close()
            log.warning("https relay could not reach the remote: %s", error)
            return
        up_reader, up_writer = await asyncio.open_connection(sock=sock, limit=CHUNK)
        try:
            if await self._copy_both(reader, writer, up_reader, up_writer):
                await self._flush(writer, raw)
        finally:
            up_writer.transport.abort()

    async def _copy_both(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        up_reader: asyncio.StreamReader,
        up_writer: asyncio.StreamWriter,
    ) -> bool:
        """Copy both ways until one side ends or nothing moves; True when waitress ended its
        side (Connection: close) and all it said was handed to the phone's TLS."""
        moved = [self._loop.time()]
        down = asyncio.ensure_future(_pump(up_reader, writer, moved, self._loop))
        pumps = {asyncio.ensure_future(_pump(reader, up_writer, moved, self._loop)), down}
        try:
            while True:
                left = moved[0] + self.idle_timeout_s - self._loop.time()
                if left <= 0:
                    return False
                done, _ = await asyncio.wait(pumps, timeout=left, return_when="FIRST_COMPLETED")
                if done:
                    return down in done and down.result()
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    async def _flush(self, writer: asyncio.StreamWriter, raw: asyncio.Transport) -> None:
        """Let the phone's last bytes reach the kernel before the connection is cut (a phone
        that does not read them gets ``request_deadline_s``)."""
        deadline = self._loop.time() + self.limits.request_deadline_s
        while writer.transport.get_write_buffer_size() + raw.get_write_buffer_size() > 0:
            if self._loop.time() > deadline or raw.is_closing():
                return
            await asyncio.sleep(0.02)

    def _forget_note(self, port: int, address: str) -> None:
        with self._lock:
            if self._notes.get(port) == address:
                del self._notes[port]


def _no_delay(sock: socket.socket) -> None:
    """TCP_NODELAY (asyncio sets it only on sockets made with proto 6, not on these): without
    it each answer's second TLS record waited ~40 ms for the phone's delayed ACK."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _LeanTLS(sslproto.SSLProtocol):
    """asyncio's TLS, reading at most one TLS record (16 KB) at a time: its default buffer
    (256 KB per connection, written into) grew the box by 23 MB per 100 live streams."""

    max_size = 16 * 1024


class _AppProtocol(asyncio.StreamReaderProtocol):
    """A stream's protocol that keeps the TLS transport it is given."""

    transport: asyncio.Transport | None = None

    def __init__(self, reader: asyncio.StreamReader, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(reader, loop=loop)
        self.reader = reader

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        super().connection_made(transport)


async def _pump(
    source: asyncio.StreamReader,
    sink: asyncio.StreamWriter,
    moved: list[float],
    loop: Any,
) -> bool:
    """Copy until end of file (True) or an error (False), noting when bytes last moved."""
    try:
        while True:
            data = await source.read(CHUNK)
            if not data:
                return True
            moved[0] = loop.time()
            sink.write(data)
            await sink.drain()
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
        return False
