"""gunicorn's settings for Crisisroom in production.

gunicorn reads this file from the working directory: `gunicorn` with no arguments serves the
app as README.md describes; flags on the command line override what is here.
"""

import ctypes

wsgi_app = "crisisroom.wsgi"
bind = "127.0.0.1:8000"
# Two processes, four threads each: polls and region fetches are short and wait on the
# database, and threads keep the TLS proxy's connections alive between them. Measured with
# bench/load.py (50 screens, 2 loggers): four threads gave p95 313 ms where eight gave 503 ms
# at the same 136 requests/s, the CPU-bound threads contending less for each process's GIL.
workers = 2
worker_class = "gthread"
threads = 4
keepalive = 30
timeout = 30

M_ARENA_MAX = -8  # glibc's mallopt parameter


def post_fork(server, worker):
    """Two malloc arenas instead of one per thread: the same speed here, 40 MB less per worker."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        server.log.info("not glibc: malloc arenas left as they are")
