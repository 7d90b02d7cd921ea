"""Live updates by push: a write commits, then notifies; every open stream of that crisis in
every server process wakes, re-reads the crisis's revision through the access check and tells
its screen which regions changed.

One hub per process keeps the open streams by crisis. The news crosses processes and servers
through PostgreSQL's LISTEN/NOTIFY: ``notify`` runs ``pg_notify`` inside the writing
transaction, so PostgreSQL delivers it at commit and drops it on a rollback; one listening
connection per process (``listener``) hands each notification to the hub. On SQLite (the
embedded default, one process) ``notify`` hands it to the hub directly once the transaction
commits. A notification carries only the crisis id: what a screen may learn, it reads itself.
"""

import asyncio
import logging
import threading
from collections import defaultdict

from django.db import connection, transaction

logger = logging.getLogger(__name__)

CHANNEL = "crisisroom_live"
RECONNECT_SECONDS = (0.5, 1, 2, 5)


class Hub:
    """The open streams of this process, by crisis: each an asyncio.Queue on its own loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = (
            defaultdict(set)
        )

    def subscribe(self, crisis_id: int) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        with self._lock:
            self._streams[crisis_id].add((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, crisis_id: int, queue: asyncio.Queue) -> None:
        with self._lock:
            streams = self._streams.get(crisis_id, set())
            for entry in [e for e in streams if e[1] is queue]:
                streams.discard(entry)
            if not streams:
                self._streams.pop(crisis_id, None)

    def publish(self, crisis_id: int | None = None) -> None:
        """Wake the streams of ``crisis_id`` (all of them with None). Safe from any thread."""
        with self._lock:
            if crisis_id is None:
                targets = [e for streams in self._streams.values() for e in streams]
            else:
                targets = list(self._streams.get(crisis_id, ()))
        for loop, queue in targets:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, crisis_id)
            except RuntimeError:  # that stream's loop has closed: it is gone
                continue

    def count(self) -> int:
        with self._lock:
            return sum(len(streams) for streams in self._streams.values())


hub = Hub()


def notify(crisis_id: int) -> None:
    """Tell every open stream of the crisis, in every process, once the current write commits.

    Called by ``logbook_touch``: every write of the crisis passes there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(crisis_id)])
        return
    transaction.on_commit(lambda: hub.publish(crisis_id))


class _Listener:
    """One LISTEN connection per process, started by the first stream, reconnecting by itself.
    After a reconnect every stream re-reads its revision: nothing committed meanwhile is lost."""

    def __init__(self) -> None:
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def ensure(self) -> None:
        if connection.vendor != "postgresql":
            return
        loop = asyncio.get_running_loop()
        if self._task is not None and not self._task.done() and self._loop is loop:
            return
        self._loop = loop
        self._task = loop.create_task(self._run())

    async def _run(self) -> None:
        import psycopg

        attempt = 0
        while True:
            try:
                params = connection.get_connection_params()
                params.pop("cursor_factory", None)
                params.pop("context", None)
                # TCP keepalives: a connection a firewall dropped without a word is noticed
                # within a minute or two, and listened on again.
                params |= {
                    "keepalives": 1,
                    "keepalives_idle": 30,
                    "keepalives_interval": 10,
                    "keepalives_count": 3,
                }
                async with await psycopg.AsyncConnection.connect(**params, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    attempt = 0
                    hub.publish(None)  # whatever was committed while not listening
                    async for note in conn.notifies():
                        try:
                            hub.publish(int(note.payload))
                        except ValueError:
                            continue
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the database went away: listen again
                logger.warning("live listener lost its connection; reconnecting", exc_info=True)
            await asyncio.sleep(RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)])
            attempt += 1


listener = _Listener()
