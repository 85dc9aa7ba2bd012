"""The quality of every registered API (issue 15, part 5).

An API component's OpenAPI document (its ``api_specification_url``) is fetched
under the harvest's rules (SSRF guard, size and time limits: harvest.fetch),
validated with openapi-spec-validator and linted with Spectral against the NL
API Design Rules ruleset (``ADR_RULESET``, else ``../shared/adr/linter.yaml``,
as .ci/run finds it). Each check is an ApiLint row: its history.

The score counts only the rules the API Design Rules require: the rules of
severity ``error`` in the ruleset (as developer.overheid.nl scores them); a
warning or hint is listed but does not count. The ruleset has no version
number of its own, so its version is the start of its SHA-256.
"""

import hashlib
import json
import os
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from registry.i18n import Message

from . import harvest
from .constants import ComponentKind, DevelopmentStatus
from .models import ApiLint, Component

SPECTRAL_SECONDS = 60
SEVERITIES = {0: "error", 1: "warning", 2: "info", 3: "hint"}


class LintError(Exception):
    """The document could not be checked at all; `message` (a Message) says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message.english()


def ruleset_path() -> Path:
    configured = getattr(settings, "ADR_RULESET", "") or os.environ.get("ADR_RULESET", "")
    candidates = [configured] if configured else []
    candidates += [
        Path(settings.BASE_DIR).parent / "shared" / "adr" / "linter.yaml",
        "/work/shared/adr/linter.yaml",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise LintError(Message(gettext_noop("the API Design Rules ruleset is not found")))


def ruleset_version(path) -> str:
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def required_rules(path) -> list[str]:
    """The rules of severity error in the ruleset: those the ADR require."""
    rules = (yaml.safe_load(Path(path).read_text()) or {}).get("rules") or {}
    required = []
    for name, rule in rules.items():
        severity = rule if isinstance(rule, str) else (rule or {}).get("severity", "warn")
        if severity in ("error", 0):
            required.append(name)
    return sorted(required)


def spectral_command() -> list[str]:
    local = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "spectral"
    if local.exists():
        return [str(local)]
    raise LintError(Message(gettext_noop("Spectral is not installed (npm install)")))


def parse(content: bytes) -> dict:
    try:
        document = yaml.safe_load(content.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LintError(
            Message(
                gettext_noop("not a YAML or JSON document: %(problem)s"), problem=str(exc)[:200]
            )
        ) from None
    if not isinstance(document, dict):
        raise LintError(Message(gettext_noop("not an OpenAPI document: no mapping at the top")))
    return document


def validation_errors(document) -> list[dict]:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(document)
    except OpenAPIValidationError as exc:
        path = ".".join(str(p) for p in getattr(exc, "path", []) or [])
        return [
            {
                "rule": "openapi-spec-validator",
                "severity": "error",
                "path": path,
                "message": str(getattr(exc, "message", exc))[:500],
            }
        ]
    except Exception as exc:  # the validator refuses what it cannot read at all
        return [
            {
                "rule": "openapi-spec-validator",
                "severity": "error",
                "path": "",
                "message": str(exc)[:500],
            }
        ]
    return []


def spectral(content: bytes, ruleset) -> list[dict]:
    """Spectral's findings for the document: rule, severity, path, message."""
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "openapi.yaml"
        document.write_bytes(content)
        try:
            # A fixed program and arguments; the document is a file we wrote.
            run = subprocess.run(  # noqa: S603
                [
                    *spectral_command(),
                    "lint",
                    "--quiet",
                    "-f",
                    "json",
                    "-r",
                    str(ruleset),
                    "--fail-severity",
                    "error",
                    str(document),
                ],
                capture_output=True,
                timeout=SPECTRAL_SECONDS,
                cwd=folder,
                env={**os.environ, "NO_COLOR": "1"},
            )
        except subprocess.TimeoutExpired:
            raise LintError(
                Message(gettext_noop("Spectral took over %(n)s seconds"), n=SPECTRAL_SECONDS)
            ) from None
        try:
            results = json.loads(run.stdout.decode() or "[]")
        except ValueError:
            raise LintError(
                Message(
                    gettext_noop("Spectral failed: %(error)s"),
                    error=run.stderr.decode(errors="replace")[:300],
                )
            ) from None
    return [
        {
            "rule": r.get("code", ""),
            "severity": SEVERITIES.get(r.get("severity"), "hint"),
            "path": ".".join(str(p) for p in r.get("path", [])),
            "message": str(r.get("message", ""))[:500],
        }
        for r in results
    ]


def check(content: bytes) -> dict:
    """Everything an ApiLint row holds but where and when."""
    ruleset = ruleset_path()
    document = parse(content)
    findings = validation_errors(document) + spectral(content, ruleset)
    required = required_rules(ruleset)
    failing = {f["rule"] for f in findings if f["severity"] == "error"}
    failed = [rule for rule in required if rule in failing]
    passed = [rule for rule in required if rule not in failing]
    valid = not any(f["rule"] == "openapi-spec-validator" for f in findings)
    return {
        "sha256": hashlib.sha256(content).hexdigest(),
        "valid": valid,
        "ruleset_version": ruleset_version(ruleset),
        "score": round(100 * len(passed) / len(required)) if required else 100,
        "meets_rules": valid and not failed,
        "passed": passed,
        "failed": failed,
        "findings": findings,
        "_document": document,
    }


def record(component, content: bytes, *, url="", etag="") -> ApiLint:
    """Check `content` and store the result (and the lifecycle marks) in one go."""
    result = check(content)
    document = result.pop("_document")
    with transaction.atomic():
        lint = ApiLint.objects.create(
            component=component, checked_at=timezone.now(), document_url=url, etag=etag, **result
        )
        apply_lifecycle(component, document)
    return lint


def apply_lifecycle(component, document) -> None:
    """info.x-deprecated (true) marks the component obsolete; info.x-sunset (a
    date) sets its sunset date, as developer.overheid.nl reads them."""
    info = document.get("info") if isinstance(document.get("info"), dict) else {}
    changed = []
    if info.get("x-deprecated") is True and component.development_status != (
        DevelopmentStatus.OBSOLETE
    ):
        component.development_status = DevelopmentStatus.OBSOLETE
        changed.append("development_status")
    sunset = info.get("x-sunset")
    if isinstance(sunset, str):
        try:
            sunset = date.fromisoformat(sunset[:10])
        except ValueError:
            sunset = None
    if isinstance(sunset, date) and component.sunset_date != sunset:
        component.sunset_date = sunset
        changed.append("sunset_date")
    if changed:
        component.save(update_fields=[*changed, "updated_at"])


def lint_component(component) -> ApiLint | None:
    """Fetch the component's document and check it, unless its ETag is the one
    checked last time and that check is under a day old. None when skipped."""
    url = component.api_specification_url
    if not url:
        return None
    last = component.api_lints.first()
    fresh = last is not None and last.checked_at > timezone.now() - timedelta(days=1)
    fetched = harvest.fetch(url, etag=last.etag if fresh and last.etag else "")
    if fetched.status == 304:
        return None
    if fetched.status != 200:
        raise LintError(
            Message(gettext_noop("%(url)s answered %(status)s"), url=url, status=fetched.status)
        )
    if fresh and fetched.etag and fetched.etag == last.etag:
        return None
    return record(component, fetched.content, url=fetched.url, etag=fetched.etag)


def due_components():
    """API components with a document URL; lint_component skips the unchanged."""
    return Component.objects.filter(kind=ComponentKind.API).exclude(api_specification_url="")
