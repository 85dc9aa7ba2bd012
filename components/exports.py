"""Who uses what, as CSV and JSON, for whoever asks: only the usages the
viewer may see by name, plus the government-only ones as counts per kind."""

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.http import StreamingHttpResponse

from .models import Usage

COLUMNS = [
    ("organisation", "organisation__slug"),
    ("organisationName", "organisation__name"),
    ("organisationKind", "organisation__kind"),
    ("component", "component__slug"),
    ("componentName", "component__name"),
    ("status", "status"),
    ("since", "since"),
    ("until", "until"),
    ("visibility", "visibility"),
    ("assertion", "assertion"),
    ("claimedBy", "claimed_by__slug"),
    ("updatedAt", "updated_at"),
]


def visible_rows(viewer) -> Iterator[tuple]:
    return (
        Usage.objects.visible_to(viewer)
        .counted()
        .order_by("component__slug", "organisation__slug")
        .values_list(*[source for _name, source in COLUMNS])
        .iterator(chunk_size=2000)
    )


def hidden_counts(viewer) -> dict[str, int]:
    rows = (
        Usage.objects.hidden_from(viewer)
        .values("organisation__kind")
        .annotate(n=Count("id"))
        .order_by("organisation__kind")
    )
    return {row["organisation__kind"]: row["n"] for row in rows}


# A spreadsheet runs a cell that starts with one of these as a formula
# (=HYPERLINK(...) calling home, say). OWASP's advice: make it text with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """csv.writer whose every cell is spreadsheet-safe; for every CSV we answer."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row) -> Any:
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def _text(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def csv_response(viewer, filename) -> StreamingHttpResponse:
    def lines():
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        writer.writerow([name for name, _source in COLUMNS])
        for row in visible_rows(viewer):
            writer.writerow([_text(value) for value in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(viewer, filename) -> StreamingHttpResponse:
    def chunks():
        yield '{"usages": ['
        first = True
        for row in visible_rows(viewer):
            names = (name for name, _source in COLUMNS)
            item = {name: _text(value) or None for name, value in zip(names, row, strict=True)}
            yield ("" if first else ",") + json.dumps(item, ensure_ascii=False)
            first = False
        counts = hidden_counts(viewer)
        yield '], "governmentOnlyByOrganisationKind": ' + json.dumps(counts) + "}"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
