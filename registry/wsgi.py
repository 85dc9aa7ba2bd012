import os

from django.core.wsgi import get_wsgi_application

from registry import tracing

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
# OpenTelemetry, when the environment switches it on, before the middleware
# chain is built. Under gunicorn the worker's post_fork did it already.
tracing.setup("web")
application = get_wsgi_application()
