"""gunicorn's settings for Crisisroom in production.

gunicorn reads this file from the working directory: `gunicorn` with no arguments serves the
app as README.md describes; flags on the command line override what is here.
"""

import ctypes

wsgi_app = "crisisroom.wsgi"
bind = "127.0.0.1:8000"
# Two processes, two threads each. Idle keep-alive connections (fifty screens polling) wait in
# gthread's selector, not in a thread; a thread is only taken while a request runs, and those
# are short and mostly CPU. Measured with bench/load.py (50 screens, 2 loggers, ~135 req/s):
# p95 503 ms with eight threads, 313 ms with four, 80 ms with two: fewer threads contend less
# for each process's GIL.
workers = 2
worker_class = "gthread"
threads = 2
keepalive = 30
timeout = 30

M_ARENA_MAX = -8  # glibc's mallopt parameter


def post_fork(server, worker):
    """Two malloc arenas instead of one per thread: the same speed here, 40 MB less per worker."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        server.log.info("not glibc: malloc arenas left as they are")
