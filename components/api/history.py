"""The change history of a component, its releases and its (visible) usages, and
of an integration, as plain entries with the fields that changed. Three queries
(one for an integration), whatever the length; and the serializers that describe
them in the schema."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from components.models import Component, Integration, Release, Usage
from registry.api import to_camel

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
SKIP = {"id", "history_id", "history_date", "history_change_reason", "history_type",
        "history_user_id", "history_token_id", "history_actor", "updated_at", "created_at",
        "search_document"}  # fmt: skip


def _fields(record):
    return {
        field.attname: getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.attname not in SKIP
    }


def _json(value):
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


def _entries(records, resource, label):
    previous = {}
    entries = []
    for record in records:  # oldest first, so each diff is against the one before
        key = record.id
        fields = _fields(record)
        before = previous.get(key)
        if record.history_type == "+" or before is None:
            changes = [
                {"field": to_camel(name.removesuffix("_id")), "old": None, "new": _json(value)}
                for name, value in fields.items()
                if value not in (None, "", [], {})
            ]
        else:
            changes = [
                {
                    "field": to_camel(name.removesuffix("_id")),
                    "old": _json(before[name]),
                    "new": _json(value),
                }
                for name, value in fields.items()
                if before.get(name) != value
            ]
        previous[key] = fields
        user = getattr(record, "history_user", None)
        entries.append(
            {
                "at": record.history_date,
                "action": ACTIONS[record.history_type],
                "resource": resource,
                "object": label(record),
                "actor": record.history_actor or (user.get_username() if user else "system"),
                "changes": changes,
            }
        )
    return entries


def for_component(component, viewer):
    component_records = (
        Component.history.filter(id=component.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    release_records = (
        Release.history.filter(component_id=component.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    visible_ids = Usage.objects.visible_to(viewer).filter(component=component).values("id")
    usage_records = (
        Usage.history.filter(component_id=component.pk, id__in=visible_ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = (
        _entries(component_records, "component", lambda r: r.slug)
        + _entries(release_records, "release", lambda r: r.version)
        + _entries(usage_records, "usage", lambda r: str(r.id))
    )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def for_integration(integration):
    """Every change to one integration (which the caller may see), newest first."""
    records = (
        Integration.history.filter(id=integration.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = _entries(records, "integration", lambda r: str(r.id))
    entries.reverse()
    return entries


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The field that changed (camelCase)."))
    old = serializers.JSONField(allow_null=True, help_text=_("The value before."))
    new = serializers.JSONField(allow_null=True, help_text=_("The value after."))


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text=_("When the change was made."))
    action = serializers.ChoiceField(
        choices=["created", "changed", "deleted"], help_text=_("What happened.")
    )
    resource = serializers.ChoiceField(
        choices=["component", "release", "usage", "integration"],
        help_text=_("What was changed."),
    )
    object = serializers.CharField(
        help_text=_(
            "The component's slug, the release's version, or the usage's or integration's id."
        )
    )
    actor = serializers.CharField(
        help_text=_("Who made the change: a user, or a token and its organisation.")
    )
    changes = HistoryChangeSerializer(many=True, help_text=_("The fields that changed."))
