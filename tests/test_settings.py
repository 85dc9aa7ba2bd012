import os
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("DEBUG", "yes", "DEBUG must be True or False"),
        ("DATABASE_URL", "mysql://root@localhost/x", "must point at PostgreSQL or SQLite"),
        ("DATABASE_URL", "nonsense", "not a usable database URL"),
        ("API_MAX_BODY_BYTES", "lots", "must be a whole number"),
    ],
)
def test_a_bad_environment_value_fails_loudly_at_start_up(variable, value, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, variable: value},
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**env, "DEBUG": "False"},
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
