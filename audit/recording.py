"""Writing the audit log: one INSERT per write request or sign-in, at its end.

AuditMiddleware wraps the request. While it runs, the records that are saved
or deleted are collected (post_save/post_delete, a list per request), and
sign-ins, failed sign-ins and sign-outs mark the request (Django's auth
signals). When the answer is ready, one row is written if the request was a
write (POST, PUT, PATCH, DELETE) by a signed-in user or an API token, or a
sign-in or sign-out of any kind: who, for which organisation, what was sent,
which records changed, and the answer's status, refused writes included.

Anonymous writes are not recorded (they change nothing: every write needs a
user or a token, and the refusals are rate-limited and counted by django-axes).

Writes outside a request are recorded too (system_write): an operator's
management command (audit.commands.AuditedCommand: method COMMAND, the path is
the command, the change its options, the result its exit status) and the
worker's tasks that change the catalogue (method TASK). Such an entry is
written when the command or task saved or deleted something, and says
whether it finished.
"""

import contextvars
import getpass
import ipaddress
import json
import logging
import math
from contextlib import contextmanager
from functools import wraps

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from registry.security import client_address

from .models import AuditEntry

logger = logging.getLogger(__name__)

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SECRET_WORDS = ("password", "secret", "token", "csrf", "otp", "code_verifier", "key_hash")
MAX_VALUE = 200
MAX_CHANGE = 4000
MAX_OBJECTS = 50
# Records that are bookkeeping of a write, not the write itself.
QUIET_APPS = {"sessions", "admin", "axes", "audit", "contenttypes", "django_tasks_database"}
QUIET_MODELS = {"components.event", "components.webhookdelivery"}

_changed = contextvars.ContextVar("audit_changed", default=None)


def _redact(key, value):
    if any(word in str(key).lower() for word in SECRET_WORDS):
        return "[left out]"
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else value[:20]
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return value[:MAX_VALUE] + "…"
    if isinstance(value, dict | list):
        text = json.dumps(value, default=str)
        return value if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"
    return value


def submitted(request, body):
    """What the request sent, fit for the log: secrets left out, values shortened."""
    if body is not None:
        try:
            data = json.loads(body or b"{}")
        except (ValueError, RecursionError):  # not JSON, or nested too deep to read
            return {"body": f"{len(body)} bytes, not readable JSON"}
        if not isinstance(data, dict):
            return {"body": _redact("body", data)}
    else:
        try:
            data = dict(request.POST.lists())
        except Exception:  # an unreadable form was refused already; say so, do not fail
            return {"body": "unreadable"}
        data.update({name: f"file {f.name}" for name, f in request.FILES.items()})
    change = _storable({str(key): _redact(key, value) for key, value in data.items()})
    if len(json.dumps(change)) > MAX_CHANGE:
        return {"fields": sorted(change)[:100], "shortened": True}
    return change


def _storable(value):
    """What any JSON column takes: no NaN or infinity (not JSON), no NUL or lone
    surrogates (PostgreSQL's jsonb refuses them), only str keys."""
    if isinstance(value, dict):
        return {_storable(str(key)): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return _storable(str(value))


@receiver(post_save)
def saved(sender, instance, created, update_fields=None, **kwargs):
    changed = _changed.get()
    if changed is None or len(changed) >= MAX_OBJECTS:
        return
    meta = sender._meta
    label = meta.label_lower
    if (
        meta.app_label in QUIET_APPS
        or label in QUIET_MODELS
        or meta.model_name.startswith("historical")
    ):
        return
    if update_fields is not None and set(update_fields) <= {"last_login", "last_used_at"}:
        return
    changed.append(
        {"model": label, "id": instance.pk, "action": "created" if created else "changed"}
    )


@receiver(post_delete)
def deleted(sender, instance, **kwargs):
    changed = _changed.get()
    meta = sender._meta
    if changed is None or len(changed) >= MAX_OBJECTS or meta.app_label in QUIET_APPS:
        return
    if meta.label_lower in QUIET_MODELS or meta.model_name.startswith("historical"):
        return
    changed.append({"model": meta.label_lower, "id": instance.pk, "action": "deleted"})


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    if request is not None:
        request.audit_kind = AuditEntry.Kind.SIGN_IN


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if request is not None:
        request.audit_kind = AuditEntry.Kind.SIGN_OUT
        request.audit_user = user


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        request.audit_kind = AuditEntry.Kind.SIGN_IN_FAILED
        request.audit_attempted = str(credentials.get("username", ""))[:150]


def note_organisation(request, organisation):
    """Views that act for an organisation say which (no query of our own)."""
    request.audit_organisation = organisation


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_write = request.method in WRITES
        body = None
        if is_write and request.content_type == "application/json":
            # Read now: the API's parser consumes the stream, after which the
            # body cannot be read again.
            try:
                body = request.body
            except Exception:
                body = b""
        changed = []
        reset = _changed.set(changed)
        try:
            response = self.get_response(request)
        finally:
            _changed.reset(reset)
        kind = getattr(request, "audit_kind", None)
        if kind is None and is_write:
            kind = AuditEntry.Kind.WRITE
        if kind is not None:
            self.record(request, response, kind, body, changed)
        return response

    def record(self, request, response, kind, body, changed):
        token = getattr(request, "api_token", None)
        user = getattr(request, "audit_user", None) or getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        organisation = getattr(request, "audit_organisation", None)
        if token is not None:
            actor = f"token '{token.name}' of {token.organisation.name}"
            organisation = token.organisation
        elif signed_in:
            actor = user.get_username()
        elif kind == AuditEntry.Kind.SIGN_IN_FAILED:
            actor = getattr(request, "audit_attempted", "")
        elif kind == AuditEntry.Kind.WRITE:
            return  # an anonymous write changed nothing (see the module's docstring)
        else:
            actor = ""
        address = client_address(request)
        try:
            address = str(ipaddress.ip_address(address))
        except ValueError:
            address = None
        try:
            # In a savepoint of its own: a failed entry must not break a
            # transaction the request runs in.
            with transaction.atomic():
                AuditEntry.objects.create(
                    kind=kind,
                    user_id=user.pk if signed_in else None,
                    token_id=token.pk if token is not None else None,
                    actor=actor[:300],
                    organisation_id=organisation.pk if organisation is not None else None,
                    organisation_name=organisation.name if organisation is not None else "",
                    method=request.method[:8],
                    path=request.path[:500],
                    objects_changed=_storable(changed),
                    change=submitted(request, body) if request.method in WRITES else {},
                    status=response.status_code,
                    request_id=getattr(request, "request_id", "")[:32],
                    remote_address=address,
                )
        except (DatabaseError, ValueError):
            # The answer stands; the missing entry is an operator's problem, told loudly.
            logger.exception("audit: could not record %s %s", request.method, request.path)


# Writes outside a request ---------------------------------------------------

COMMAND, TASK = "COMMAND", "TASK"


@contextmanager
def system_write(method, what, actor, change=None):
    """Record what runs inside as one entry: a management command or a task.
    Status 0 when it finished, 1 when it raised (the exception goes on). Nothing
    is recorded when nothing was saved or deleted: a command refused for its
    arguments changed nothing (and may run before the database is migrated)."""
    changed = []
    reset = _changed.set(changed)
    status = 1
    try:
        yield
        status = 0
    finally:
        _changed.reset(reset)
        if changed:
            _system_entry(method, what, actor, change or {}, changed, status)


def _system_entry(method, what, actor, change, changed, status):
    try:
        with transaction.atomic():
            AuditEntry.objects.create(
                kind=AuditEntry.Kind.WRITE,
                actor=actor[:300],
                method=method,
                path=what[:500],
                objects_changed=_storable(changed),
                change=_storable(
                    json.loads(
                        json.dumps(
                            {key: _redact(key, value) for key, value in sorted(change.items())},
                            default=str,
                        )
                    )
                ),
                status=status,
            )
    except (DatabaseError, ValueError):
        logger.exception("audit: could not record %s %s", method, what)


def operator() -> str:
    """Who runs a command: the operating system's user (there is no other)."""
    try:
        return f"operator {getpass.getuser()}"
    except (KeyError, OSError):
        return "operator"


def audited_task(function):
    """A task whose writes are recorded (under @task(), on the function itself)."""

    @wraps(function)
    def run(*args, **kwargs):
        what = f"task {function.__module__}.{function.__name__}"
        with system_write(TASK, what, "worker", {"args": list(args), **kwargs}):
            return function(*args, **kwargs)

    return run
