"""The spreadsheet pages: export, upload, preview and save, for an
organisation's usages and integrations (its members) and for the catalogue
(curators).

The uploaded file is kept server-side (SpreadsheetUpload) under a random id
tied to the uploader; the preview page and the save read it from there and
check every row again. Saving answers with a page that grows as the rows are
saved ("2,000 of 5,000 rows saved"), a progress indication that needs no
JavaScript; the rows are saved in one transaction, so an error saves none.
"""

import datetime
import logging

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache

from accounts.views import membership_or_404

from .constants import SpreadsheetPurpose
from .models import SpreadsheetUpload
from .spreadsheets import catalogue, integrations, sheets, usages
from .spreadsheets.plan import STATES

logger = logging.getLogger(__name__)
KEEP_UPLOADS = datetime.timedelta(days=1)
# Rows listed by name in the preview per state; the rest are counted.
LISTED = 500
MARKER = "<!--progress-->"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy("At most 5 MB. Nothing is saved before you have seen the preview."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            sheets.format_of(upload.name)
        except sheets.SheetError as exc:
            raise forms.ValidationError(str(exc)) from None
        if upload.size > sheets.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export(columns, rows, fmt, name, book=None):
    """The rows as .xlsx or .csv; `book`, (title, columns, rows) per sheet, for
    an .xlsx of several sheets."""
    if fmt == sheets.XLSX:
        content = sheets.write_workbook(book or [(name, columns, rows)])
        return _download(content, sheets.XLSX_CONTENT_TYPE, f"{name}.xlsx")
    return _download(sheets.write_csv(columns, rows), "text/csv; charset=utf-8", f"{name}.csv")


def _store(request, form, purpose, organisation=None):
    SpreadsheetUpload.objects.filter(created_at__lt=timezone.now() - KEEP_UPLOADS).delete()
    upload = form.cleaned_data["file"]
    return SpreadsheetUpload.objects.create(
        purpose=purpose,
        user=request.user,
        organisation=organisation,
        filename=upload.name[:200],
        content=upload.read(),
    )


def _stored(request, pk, purpose, organisation=None):
    return get_object_or_404(
        SpreadsheetUpload,
        pk=pk,
        purpose=purpose,
        user=request.user,
        organisation=organisation,
        created_at__gte=timezone.now() - KEEP_UPLOADS,
    )


def _plan(plan_fn, upload):
    try:
        return plan_fn(bytes(upload.content), upload.filename), None
    except sheets.SheetError as exc:
        return None, str(exc)


# The preview's heading for each sheet of a file with several, and what its rows name.
SHEET_TITLES = {
    usages.SHEET: (gettext_lazy("Usages"), gettext_lazy("Component")),
    integrations.SHEET: (gettext_lazy("Integrations"), pgettext_lazy("spreadsheet", "Integration")),
}


def _listing(plan):
    """The preview's rows by sheet, then by state: errors all, new and changed
    up to LISTED each. A sheet's title is shown where the file has several."""
    sections = []
    several = len(plan.sheets) > 1
    for sheet in plan.sheets:
        rows = [row for row in plan.rows if row.sheet == sheet]
        listed = {state: [] for state in ("error", "new", "changed")}
        for row in rows:
            if row.state in listed and (row.state == "error" or len(listed[row.state]) < LISTED):
                listed[row.state].append(row)
        title, subject = SHEET_TITLES.get(sheet, ("", gettext_lazy("Component")))
        sections.append(
            {
                "sheet": sheet or "rows",
                "title": title if several or sheet == integrations.SHEET else "",
                "subject": subject,
                "counts": {state: sum(1 for row in rows if row.state == state) for state in STATES},
                "listed": listed,
            }
        )
    return sections


def _preview(request, upload, plan_fn, context, *, status=200, notice=None):
    plan, unreadable = _plan(plan_fn, upload)
    return render(
        request,
        "components/spreadsheets/preview.html",
        {
            **context,
            "upload": upload,
            "plan": plan,
            "unreadable": unreadable,
            "sections": _listing(plan) if plan else None,
            "notice": notice,
            "listed_max": LISTED,
        },
        status=400 if plan is None or not plan.ok else status,
    )


def _save(request, upload, plan_fn, apply_fn, context, done_url):
    """Check the stored file again and save it, as a page that grows with progress."""
    if upload.saved_at is not None:
        return render(
            request,
            "components/spreadsheets/saving.html",
            {**context, "upload": upload, "already": True, "done_url": done_url},
            status=409,
        )
    plan, _unreadable = _plan(plan_fn, upload)
    if plan is None or not plan.ok:
        return _preview(request, upload, plan_fn, context, status=400)
    if plan.fingerprint != request.POST.get("fingerprint"):
        return _preview(
            request,
            upload,
            plan_fn,
            context,
            status=409,
            notice=_(
                "The catalogue or your usages changed since the preview: check the new "
                "preview and save again."
            ),
        )
    actor = f"{request.user.get_username()} (spreadsheet {upload.filename})"[:300]
    page = render_to_string(
        "components/spreadsheets/saving.html",
        {**context, "upload": upload, "total": len(plan.to_save)},
        request=request,
    )
    head, _marker, tail = page.partition(MARKER)

    def lines():
        yield head
        try:
            with transaction.atomic():
                locked = SpreadsheetUpload.objects.select_for_update().get(pk=upload.pk)
                if locked.saved_at is not None:
                    yield render_to_string(
                        "components/spreadsheets/_saved.html",
                        {"already": True, "done_url": done_url},
                    )
                    yield tail
                    return
                for done, total in apply_fn(plan, user=request.user, actor=actor):
                    if total:
                        yield (
                            '<p class="utrecht-paragraph site-progress__step">'
                            + _("%(done)s of %(total)s rows saved")
                            % {"done": number_format(done), "total": number_format(total)}
                            + f' <progress value="{done}" max="{total}"></progress></p>\n'
                        )
                locked.saved_at = timezone.now()
                locked.save(update_fields=["saved_at"])
        except DatabaseError:
            logger.exception("saving spreadsheet %s failed", upload.pk)
            yield render_to_string("components/spreadsheets/_saved.html", {"failed": True})
        else:
            yield render_to_string(
                "components/spreadsheets/_saved.html",
                {"counts": plan.counts, "done_url": done_url},
            )
        yield tail

    response = StreamingHttpResponse(lines(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    # Tell proxies (nginx) to pass each line on at once rather than buffer the page.
    response["X-Accel-Buffering"] = "no"
    return response


# --- an organisation's usages ------------------------------------------------


def _usage_context(membership):
    org = membership.organisation
    return {
        "membership": membership,
        "organisation": org,
        "title": _("Usages and integrations of %(name)s as a spreadsheet") % {"name": org.name},
        "columns": usages.COLUMNS,
        "integration_columns": integrations.COLUMNS,
        "back_url": reverse("member-usages", kwargs={"organisation": org.slug}),
        "upload_url": reverse("member-usage-sheet", kwargs={"organisation": org.slug}),
        "export_xlsx": reverse("member-usage-sheet-xlsx", kwargs={"organisation": org.slug}),
        "export_csv": reverse("member-usage-sheet-csv", kwargs={"organisation": org.slug}),
        "export_integrations_csv": reverse(
            "member-integration-sheet-csv", kwargs={"organisation": org.slug}
        ),
        "purpose": SpreadsheetPurpose.USAGES,
    }


def _usage_export(request, organisation, fmt):
    """The usages; as .xlsx with the integrations as a second sheet."""
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    book = usages.export_book(org) if fmt == sheets.XLSX else None
    return _export(usages.COLUMNS, usages.export_rows(org), fmt, f"usages-{org.slug}", book)


@login_required
def usage_export_xlsx(request, organisation):
    return _usage_export(request, organisation, sheets.XLSX)


@login_required
def usage_export_csv(request, organisation):
    return _usage_export(request, organisation, sheets.CSV)


@login_required
def integration_export_csv(request, organisation):
    """The integrations alone, as CSV has one sheet; imported on the usages' page."""
    org = membership_or_404(request, organisation).organisation
    return _export(
        integrations.COLUMNS, integrations.export_rows(org), sheets.CSV, f"integrations-{org.slug}"
    )


@never_cache
@login_required
def usage_upload(request, organisation):
    membership = membership_or_404(request, organisation)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = _store(request, form, SpreadsheetPurpose.USAGES, membership.organisation)
        return redirect(
            "member-usage-sheet-preview", organisation=membership.organisation.slug, pk=upload.pk
        )
    return render(
        request,
        "components/spreadsheets/upload.html",
        {**_usage_context(membership), "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def usage_preview(request, organisation, pk):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    upload = _stored(request, pk, SpreadsheetPurpose.USAGES, org)
    context = _usage_context(membership)

    def plan_fn(content, filename):
        return usages.plan_import(org, content, filename)

    if request.method == "POST":
        return _save(request, upload, plan_fn, usages.apply, context, context["back_url"])
    return _preview(request, upload, plan_fn, context)


# --- the catalogue (curators) ------------------------------------------------


def _curator(request):
    if not request.user.is_staff:
        raise PermissionDenied(_("Only curators import and export the whole catalogue."))


def _catalogue_context():
    return {
        "title": _("The catalogue as a spreadsheet"),
        "columns": catalogue.COLUMNS,
        "back_url": reverse("component-list"),
        "upload_url": reverse("catalogue-sheet"),
        "export_xlsx": reverse("catalogue-sheet-xlsx"),
        "export_csv": reverse("catalogue-sheet-csv"),
        "purpose": SpreadsheetPurpose.CATALOGUE,
    }


@login_required
def catalogue_export_xlsx(request):
    _curator(request)
    return _export(catalogue.COLUMNS, catalogue.export_rows(), sheets.XLSX, "catalogue")


@login_required
def catalogue_export_csv(request):
    _curator(request)
    return _export(catalogue.COLUMNS, catalogue.export_rows(), sheets.CSV, "catalogue")


@never_cache
@login_required
def catalogue_upload(request):
    _curator(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = _store(request, form, SpreadsheetPurpose.CATALOGUE)
        return redirect("catalogue-sheet-preview", pk=upload.pk)
    return render(
        request,
        "components/spreadsheets/upload.html",
        {**_catalogue_context(), "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def catalogue_preview(request, pk):
    _curator(request)
    upload = _stored(request, pk, SpreadsheetPurpose.CATALOGUE)
    context = _catalogue_context()
    if request.method == "POST":
        return _save(
            request, upload, catalogue.plan_import, catalogue.apply, context, context["back_url"]
        )
    return _preview(request, upload, catalogue.plan_import, context)
