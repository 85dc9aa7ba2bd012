"""Background tasks, run by `manage.py db_worker` (django-tasks' database queue)."""

from django_tasks import task


@task()
def fan_out(event_id):
    """Queue one delivery per interested subscription for an event."""
    from .models import Event
    from .notifications import queue_deliveries

    event = Event.objects.select_related("component").filter(pk=event_id).first()
    if event is None:
        return 0
    pending = list(queue_deliveries(event))
    for delivery_id in pending:
        send_webhook.enqueue(delivery_id)
    return len(pending)


@task()
def send_webhook(delivery_id):
    """Send one delivery; on failure queue the next try with exponential back-off."""
    from .models import WebhookDelivery
    from .notifications import deliver

    delivery = (
        WebhookDelivery.objects.select_related("subscription", "event__component")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status in ("delivered", "failed"):
        return None
    next_attempt = deliver(delivery)
    if next_attempt is not None:
        send_webhook.using(run_after=next_attempt).enqueue(delivery_id)
    return delivery.status
