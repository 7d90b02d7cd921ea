"""The gunicorn worker production runs: uvicorn's, so that meeting screens can hold a stream.

gunicorn keeps the processes (starts them, replaces one that dies, restarts them one by one on
HUP); uvicorn serves HTTP in each, so an open Server-Sent Events stream is an asyncio task, not
a process (Django keeps one idle thread parked per open request). Django has no ASGI lifespan,
and a stream never ends by itself: on shutdown each worker gives the requests under way a few
seconds, then closes the streams, whose screens reconnect to a worker that is still there.
"""

from uvicorn_worker import UvicornWorker

# Shorter than gunicorn.conf.py's graceful_timeout, after which the master kills the worker.
STREAMS_CLOSE_AFTER_SECONDS = 3


class Worker(UvicornWorker):
    CONFIG_KWARGS = {
        **UvicornWorker.CONFIG_KWARGS,
        "lifespan": "off",
        "timeout_graceful_shutdown": STREAMS_CLOSE_AFTER_SECONDS,
    }
