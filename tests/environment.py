"""Loaded before Django (pytest -p): the suite's settings environment.

DEBUG is off by default in production; the in-process tests import settings as
a developer's machine would (DEBUG=True: no HTTPS redirect, no collected static
manifest), and pytest-django switches DEBUG off again while each test runs. The
production-shape tests (tests/production) start real servers with DEBUG off.
"""

import os

os.environ.setdefault("DEBUG", "True")
