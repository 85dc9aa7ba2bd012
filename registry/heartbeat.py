"""Long answers and gunicorn's timeout.

gunicorn's sync worker tells the arbiter it is alive between requests only, and a
worker silent for GUNICORN_TIMEOUT (30 s) is killed. The whole catalogue as
JSON-LD streams for about 45 s at 50,000 components (RDF/XML 35 s), so it was cut
off mid-answer: a truncated 200, seen served. The gthread worker keeps beating
while a request runs, but it accepts connections while its thread is busy, so
requests queue behind a busy worker while the other idles (an uncached detail's
p95 went from 23 to 69 ms at four connections on two workers).

So the workers stay sync, and an answer that streams beats for its worker while
it streams: gunicorn_conf.post_fork registers the worker, and HeartbeatMiddleware
wraps every generated stream so that each chunk written tells the arbiter, at most
once a second, that the worker is alive. A request that hangs (a lock, a query
that never ends) writes nothing and is still killed at the timeout. Files
(FileResponse: dumps, static files) are left to the operating system's sendfile.
"""

import time

from django.http import FileResponse

INTERVAL = 1.0

_worker = None


def register(worker) -> None:
    """gunicorn's post_fork hook: the worker this process is."""
    global _worker  # one worker per process, set once after the fork
    _worker = worker


def beating(chunks):
    """The chunks, telling the worker's arbiter after each one (at most once a
    second) that the worker is alive."""
    last = time.monotonic()
    for chunk in chunks:
        yield chunk
        if _worker is not None and time.monotonic() - last >= INTERVAL:
            _worker.notify()
            last = time.monotonic()


class HeartbeatMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = beating(response.streaming_content)
        return response
