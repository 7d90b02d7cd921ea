"""gunicorn's settings for Crisisroom in production.

gunicorn reads this file from the working directory: `gunicorn` with no arguments serves the
app as README.md describes; flags on the command line override what is here.
"""

import ctypes

wsgi_app = "crisisroom.asgi:application"
bind = "127.0.0.1:8000"
# Two processes, each an event loop (uvicorn) that holds every meeting screen's Server-Sent
# Events stream as an asyncio task; Django runs each request's view on a thread of its own and
# keeps it parked, idle, while a stream is open. bench/load.py measures this setup with 50 and
# 500 open streams (README.md, Benchmarks).
workers = 2
worker_class = "crisisroom.asgi_worker.Worker"
keepalive = 30
timeout = 30
graceful_timeout = 5  # the worker closes its streams after 3 s (crisisroom/asgi_worker.py)

M_ARENA_MAX = -8  # glibc's mallopt parameter


def post_fork(server, worker):
    """Two malloc arenas instead of one per thread: the same speed here, 40 MB less per worker."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        server.log.info("not glibc: malloc arenas left as they are")
