"""The whole catalogue's components as a spreadsheet, and back: for curators.

Components are public, so a curator's export holds every component. A row
is matched to a component by its identifier (slug), repository URL or exact
name; a row that matches none is a new component (its name, kind, publisher,
licence and short description are needed), with the nearest existing names
shown in the preview in case it was meant to be one of them. Only the
columns the file has are compared and written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Organisation
from registry import cache

from ..constants import ComponentKind, DevelopmentStatus, Layer, MaintenanceType
from ..licensing import custom_license_ids, parse_expression
from ..models import Component
from .plan import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    ComponentMatcher,
    Plan,
    RowPlan,
    choice_reader,
    columns_of,
    normalise_url,
    text,
)
from .sheets import read

# Column → model field, in the order of the export.
FIELDS = {
    "slug": "slug",
    "name": "name",
    "kind": "kind",
    "layer": "layer",
    "developmentStatus": "development_status",
    "maintenanceType": "maintenance_type",
    "publisher": "publisher",
    "licenseExpression": "license_expression",
    "repositoryUrl": "repository_url",
    "homepageUrl": "homepage_url",
    "documentationUrl": "documentation_url",
    "apiSpecificationUrl": "api_specification_url",
    "shortDescription": "short_description",
    "shortDescriptionEn": "short_description_en",
}
COLUMNS = list(FIELDS)
BATCH = 250
NEEDED_FOR_NEW = ("name", "kind", "publisher", "licenseExpression", "shortDescription")
CHOICES = {
    "kind": choice_reader(ComponentKind),
    "layer": choice_reader(Layer),
    "developmentStatus": choice_reader(DevelopmentStatus),
    "maintenanceType": choice_reader(MaintenanceType),
}


def export_rows():
    components = Component.objects.select_related("publisher").order_by("name", "pk")
    for component in components.iterator(chunk_size=2000):
        row = []
        for column, name in FIELDS.items():
            row.append(
                component.publisher.slug if column == "publisher" else getattr(component, name)
            )
        yield row


class _Publishers:
    def __init__(self):
        self.by_slug, self.by_name = {}, {}
        for organisation in Organisation.objects.only("pk", "slug", "name"):
            self.by_slug[organisation.slug] = organisation
            self.by_name[organisation.name.lower()] = organisation

    def find(self, value):
        return self.by_slug.get(value) or self.by_name.get(value.lower())


def _read_values(row, columns, result, publishers, custom_ids):
    """{field: value} for the row's columns, with problems noted on `result`."""
    values = {}
    for column, written in columns.items():
        cell = row.cells[written]
        if cell.formula:
            result.error(cell, column, _("The cell holds a formula; type the value itself."))
            continue
        field = FIELDS[column]
        if column in CHOICES:
            value, reason = CHOICES[column](cell)
            if reason:
                result.error(cell, column, reason)
            values[field] = value or ""
        elif column == "publisher":
            raw = text(cell)
            organisation = publishers.find(raw) if raw else None
            if raw and organisation is None:
                result.error(
                    cell,
                    column,
                    _("No organisation has the identifier or name '%(v)s'.") % {"v": raw},
                )
            values[field] = organisation
        elif column == "licenseExpression":
            raw = text(cell)
            try:
                parsed = parse_expression(raw, custom_ids)
            except ValidationError as exc:
                result.error(cell, column, " ".join(exc.messages))
                continue
            values[field] = parsed.normalised
            result.values["license_ids"] = parsed.license_ids
        else:
            values[field] = text(cell)
    return values


def plan_import(content, filename) -> Plan:
    header, rows = read(content, filename)
    columns, ignored = columns_of(header, COLUMNS)
    plan = Plan(rows=[], ignored_columns=ignored)
    if not {"slug", "name", "repositoryUrl"} & set(columns):
        plan.problems.append(
            _("The first row must name the columns %(names)s.") % {"names": "slug, name"}
        )
        return plan
    matcher = ComponentMatcher()
    publishers = _Publishers()
    custom_ids = custom_license_ids()
    seen, planned = {}, []

    for row in rows:
        result = RowPlan(number=row.number)
        plan.rows.append(result)
        slug = text(row.cells[columns["slug"]]) if "slug" in columns else ""
        url = text(row.cells[columns["repositoryUrl"]]) if "repositoryUrl" in columns else ""
        name = text(row.cells[columns["name"]]) if "name" in columns else ""
        result.label = name or slug or url
        component_id, _reason, _suggested = matcher.match(slug, url, name)
        values = _read_values(row, columns, result, publishers, custom_ids)
        key = component_id or f"new:{(slug or slugify(name)).lower()}"
        if key in seen:
            first = columns.get("slug") or columns.get("name") or columns["repositoryUrl"]
            result.error(
                row.cells[first],
                "slug",
                _("Row %(n)d already names this component.") % {"n": seen[key]},
            )
            continue
        seen[key] = row.number
        planned.append((row, result, component_id, values))

    existing = Component.objects.in_bulk([p[2] for p in planned if p[2]])
    taken_slugs = set(matcher.by_slug)
    urls = dict(matcher.by_url)
    for row, result, component_id, values in planned:
        if component_id is None:
            component = Component(development_status=DevelopmentStatus.DEVELOPMENT)
            for column in NEEDED_FOR_NEW:
                field = FIELDS[column]
                if column not in columns or not values.get(field):
                    cell = row.cells[columns[column]] if column in columns else None
                    if not any(p.column == column for p in result.problems):
                        result.error(
                            cell, column, _("A new component needs a %(c)s.") % {"c": column}
                        )
            slug = values.get("slug") or slugify(values.get("name", ""))[:90] or "component"
            base, n = slug, 1
            while slug in taken_slugs:
                n += 1
                slug = f"{base}-{n}"
            values["slug"] = slug
            taken_slugs.add(slug)
            result.suggestions = matcher.suggest(values.get("name", ""))
        else:
            component = existing[component_id]
            if not values.get("slug"):
                values.pop("slug", None)  # an empty identifier names no change
            elif values["slug"] != component.slug:
                # The row was found by URL or name, with another slug: slugs are stable.
                result.error(
                    row.cells[columns["slug"]],
                    "slug",
                    _("%(name)s has the identifier '%(slug)s'; identifiers do not change.")
                    % {"name": component.name, "slug": component.slug},
                )
        result.label = values.get("name") or component.name
        url = values.get("repository_url")
        if url:
            owner = urls.get(normalise_url(url))
            if owner is not None and owner != (component_id or f"row{row.number}"):
                result.error(
                    row.cells[columns["repositoryUrl"]],
                    "repositoryUrl",
                    _("Another component already has this repository URL."),
                )
            urls[normalise_url(url)] = component_id or f"row{row.number}"
        changes = []
        for field, value in values.items():
            current = getattr(component, field if field != "publisher" else "publisher_id", None)
            wanted = value.pk if field == "publisher" and value else value
            if field == "publisher" and not value:
                continue
            if current != wanted:
                changes.append(field)
                setattr(component, field, value)
        if result.state == ERROR:
            continue
        exclude = [f.name for f in Component._meta.fields if f.name not in values] + [
            "publisher",
            "license_expression",
        ]
        try:
            component.clean_fields(exclude=exclude)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                column = next((c for c, f in FIELDS.items() if f == field), field)
                written = columns.get(column)
                result.error(row.cells[written] if written else None, column, " ".join(messages))
            continue
        if component_id is None:
            result.state = NEW
        else:
            result.changes = changes
            result.state = CHANGED if changes else UNCHANGED
        result.target = component
    return plan


def apply(plan, *, user=None, actor=""):
    """Save the plan's new and changed components, all or nothing; yields
    (saved, total) after each batch.

    New components are inserted in batches, with their history rows and
    licences (a new component tells no subscriber anything). A changed one is
    saved on its own, so that its subscribers hear of it as of any change
    (component.updated, deprecated, licenseChanged)."""
    if not plan.ok:
        raise ValueError("a plan with errors is not saved")
    rows = plan.to_save
    total = len(rows)
    through = Component.licenses.through
    done = 0
    with transaction.atomic():
        for start in range(0, total, BATCH):
            batch = rows[start : start + BATCH]
            new = [row for row in batch if row.state == NEW]
            if new:
                created = bulk_create_with_history(
                    [row.target for row in new],
                    Component,
                    batch_size=BATCH,
                    default_user=user,
                    custom_historical_attrs={"history_actor": actor},
                )
                by_slug = {component.slug: component for component in created}
                through.objects.bulk_create(
                    [
                        through(component_id=by_slug[row.target.slug].pk, license_id=licence)
                        for row in new
                        for licence in row.values["license_ids"]
                    ]
                )
            for row in batch:
                if row.state != CHANGED:
                    continue
                component = row.target
                component._history_user = user
                component._history_actor = actor
                component.save()
                if "license_expression" in row.changes:
                    component.licenses.set(row.values["license_ids"])
            done += len(batch)
            yield done, total
        if total:
            cache.changed()
    if not total:
        yield 0, 0
