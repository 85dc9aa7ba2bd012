"""Tests of what ships beside the code: the Kubernetes manifests, the image,
gunicorn's configuration and how the processes stop.

`kubectl` (Debian's kubernetes-client) renders the Kustomize overlays. Without
it these tests fail under CI (CI is set) and are skipped, with the reason,
elsewhere, as the browser tests do without Chromium.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUSTOMIZE = ROOT / "deploy" / "kubernetes"
OVERLAYS = ["dev", "production"]
KUBECTL = os.environ.get("KUBECTL") or shutil.which("kubectl") or "/usr/bin/kubectl"


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"The Kubernetes tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def manage(environment, *args):
    """`manage.py ARGS` in a process of its own with this environment; the
    finished process (its stdout as text)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )


_rendered = {}


def render(target):
    """The objects `kubectl kustomize` makes of base/ or overlays/<name>."""
    if target not in _rendered:
        if not Path(KUBECTL).exists():
            _unavailable(f"kubectl not found at {KUBECTL}: apt-get install kubernetes-client")
        version = subprocess.run(
            [KUBECTL, "version", "--client"], capture_output=True, text=True, timeout=30
        ).stdout
        found = re.search(r"Kustomize Version: v(\d+)", version)
        if not found or int(found.group(1)) < 5:
            _unavailable(f"{KUBECTL} carries no Kustomize v5 or later:\n{version}")
        directory = KUSTOMIZE / ("base" if target == "base" else f"overlays/{target}")
        result = subprocess.run(
            [KUBECTL, "kustomize", str(directory)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"kubectl kustomize {target} failed:\n{result.stderr}"
        _rendered[target] = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    return _rendered[target]


def pod_templates(objects):
    """(object, pod spec) for every object that makes pods."""
    for obj in objects:
        if obj["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            yield obj, obj["spec"]["template"]["spec"]
        elif obj["kind"] == "CronJob":
            yield obj, obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def find(objects, kind, name):
    matches = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]
