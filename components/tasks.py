"""Background tasks, run by `manage.py db_worker` (django-tasks' database queue)."""

from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from audit.recording import audited_task

from . import dumps, harvest
from .constants import DeliveryStatus
from .models import Event, HarvestSource, WebhookDelivery
from .notifications import deliver, queue_deliveries


@task()
def fan_out(event_id) -> int:
    """Queue one delivery per interested subscription for an event."""
    event = Event.objects.select_related("component").filter(pk=event_id).first()
    if event is None:
        return 0
    pending = list(queue_deliveries(event))
    for delivery_id in pending:
        send_webhook.enqueue(delivery_id)
    return len(pending)


@task()
def send_webhook(delivery_id) -> str | None:
    """Send one delivery; on failure queue the next try with exponential back-off."""
    delivery = (
        WebhookDelivery.objects.select_related("subscription", "event__component")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        return None
    next_attempt = deliver(delivery)
    if next_attempt is not None:
        send_webhook.using(run_after=next_attempt).enqueue(delivery_id)
    return delivery.status


@task()
@audited_task
def harvest_source(source_id) -> str | None:
    """Harvest one source now (the API's run action)."""
    source = (
        HarvestSource.objects.select_related("organisation", "component")
        .filter(pk=source_id)
        .first()
    )
    if source is None:
        return None
    return harvest.harvest_source(source).status


def queue_harvest(source) -> None:
    """Harvest a source now, in the worker (the API's run action, the members'
    page's "Run now"): queued once the request's transaction commits, so the
    worker finds the source as it was saved, and nothing is fetched in the request."""
    pk = source.pk
    transaction.on_commit(lambda: harvest_source.enqueue(pk))


@task()
def harvest_due() -> dict[str, int]:
    """Harvest every due source, then come back in HARVEST_TICK_MINUTES.

    django-tasks has no schedule of its own, so the task queues its successor
    first (a crash half-way does not end the chain); `manage.py harvest
    --schedule`, run when the worker starts, queues the first one."""
    schedule_harvests(run_after=harvest.next_tick())
    return dict(harvest.run_due())


def schedule_harvests(run_after=None) -> bool:
    """Queue a harvest_due tick unless one is already waiting; True when queued.

    Idempotent: run it at every worker start. Backends that cannot run a task
    later (the immediate backend of some tests) are not scheduled at all."""
    backend = harvest_due.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=harvest_due.module_path, status="READY", backend_name=backend.alias
        )
        if waiting.exists():
            return False
    elif type(backend).__name__ == "RQBackend" and _waiting_in_rq(harvest_due):
        return False
    task = harvest_due.using(run_after=run_after) if run_after else harvest_due
    task.enqueue()
    return True


@task()
def dump_nightly() -> str:
    """Write a full dump, keep the newest DUMP_KEEP, and come back the next night
    at DUMP_HOUR_UTC (queued first, as harvest_due does)."""
    schedule_dumps(run_after=next_dump_moment())
    path = dumps.write_dump()
    dumps.prune(settings.DUMP_KEEP)
    return path.name


def next_dump_moment(now=None):
    now = now or timezone.now()
    moment = now.astimezone(UTC).replace(
        hour=settings.DUMP_HOUR_UTC, minute=0, second=0, microsecond=0
    )
    return moment if moment > now else moment + timedelta(days=1)


def schedule_dumps(run_after=None) -> bool:
    """Queue the nightly dump unless one is already waiting; True when queued.
    Idempotent, like schedule_harvests: run it at every worker start."""
    backend = dump_nightly.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=dump_nightly.module_path, status="READY", backend_name=backend.alias
        )
        if waiting.exists():
            return False
    elif type(backend).__name__ == "RQBackend" and _waiting_in_rq(dump_nightly):
        return False
    dump_nightly.using(run_after=run_after or next_dump_moment()).enqueue()
    return True


def _waiting_in_rq(task) -> bool:
    """Whether RQ holds a queued or scheduled run of the task (TASKS_BACKEND=rq)."""
    import django_rq
    from rq.job import Job

    queue = django_rq.get_queue(task.queue_name)
    ids = queue.scheduled_job_registry.get_job_ids() + queue.get_job_ids()
    jobs = Job.fetch_many(ids, connection=queue.connection)
    return any(job is not None and job.func_name == task.module_path for job in jobs)


@task()
@audited_task
def lint_apis() -> dict[str, int]:
    """Check every API component's OpenAPI document (components/quality.py), then
    come back in a day; a document whose ETag is unchanged since a check under a
    day old is not checked again. Queues its successor first, as harvest_due does."""
    from . import quality

    schedule_lints(run_after=timezone.now() + timedelta(days=1))
    counts = {"checked": 0, "unchanged": 0, "failed": 0}
    for component in quality.due_components():
        try:
            counts["checked" if quality.lint_component(component) else "unchanged"] += 1
        except (quality.LintError, harvest.FetchError):
            counts["failed"] += 1
    return counts


def schedule_lints(run_after=None) -> bool:
    """Queue a lint_apis run unless one is already waiting (as schedule_harvests)."""
    backend = lint_apis.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=lint_apis.module_path, status="READY", backend_name=backend.alias
        )
        if waiting.exists():
            return False
    elif type(backend).__name__ == "RQBackend" and _waiting_in_rq(lint_apis):
        return False
    (lint_apis.using(run_after=run_after) if run_after else lint_apis).enqueue()
    return True
