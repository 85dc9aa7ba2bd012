"""Curators read and export the audit log; nobody adds, changes or deletes in it."""

import datetime

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from components.exports import SafeWriter

from .models import AuditEntry

COLUMNS = [
    "at",
    "kind",
    "actor",
    "user_id",
    "token_id",
    "organisation_id",
    "organisation_name",
    "method",
    "path",
    "status",
    "objects_changed",
    "change",
    "request_id",
    "remote_address",
]


class _Echo:
    def write(self, value):
        return value


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "actor", "organisation_name", "method", "path", "status"]
    list_filter = ["kind", "status", "at"]
    search_fields = ["actor", "organisation_name", "path", "request_id"]
    date_hierarchy = "at"
    readonly_fields = COLUMNS
    show_full_result_count = False
    change_list_template = "audit/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}  # not even "delete selected"

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_csv)
        return [path("export.csv", export, name="audit_auditentry_export"), *super().get_urls()]

    def export_csv(self, request):
        """The entries the change list shows (same search and filters), as CSV."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        writer = SafeWriter(_Echo())

        def lines():
            yield writer.writerow(COLUMNS)
            for entry in entries.iterator(chunk_size=2000):
                yield writer.writerow([_cell(getattr(entry, name)) for name in COLUMNS])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = datetime.date.today().isoformat()
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response


def _cell(value):
    import json

    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


AuditEntryAdmin.export_csv.short_description = _("Export as CSV")
