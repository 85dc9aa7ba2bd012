"""The design system's CSS is served by this site, also from a production build."""

import os
import subprocess
import sys

from django.conf import settings


def test_production_collectstatic_includes_the_design_system_css(tmp_path):
    """The hashed-manifest storage refuses CSS that points at missing files; the
    npm packages ship such CSS, so only the files the site uses are collected."""
    script = (
        "import django, sys; django.setup();"
        "from django.conf import settings; settings.STATIC_ROOT = sys.argv[1];"
        "from django.core.management import call_command;"
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "False", "SECRET_KEY": "x"},
        check=True,
        capture_output=True,
    )
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in [
        "vendor/utrecht-css/index.css",
        "vendor/utrecht-tokens/theme.css",
        "registry/site.css",
    ]:
        assert f'"{name}"' in manifest, name
