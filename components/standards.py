"""Supported standards: which registered standards a component implements.

The one source of truth is the component's dependencies: a dependency on a
registered component of kind ``standard`` with use ``implements`` is a
declaration that the component implements that standard, with the version it
implements, how its conformance is known (self-declared or tested) and a link
to the evidence. Every surface (API, site, publiccode.yml import, DCAT export)
reads the declarations through this module.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from .constants import ComponentKind, DependencyUse
from .models import Component, Dependency

# A dependency that declares a standard implemented, seen from the dependency.
DECLARATION = Q(how_used=DependencyUse.IMPLEMENTS, depends_on__kind=ComponentKind.STANDARD)


def is_declaration(dependency) -> bool:
    """Whether a (possibly unsaved) dependency declares a standard implemented."""
    return (
        dependency.how_used == DependencyUse.IMPLEMENTS
        and dependency.depends_on is not None
        and dependency.depends_on.kind == ComponentKind.STANDARD
    )


def declarations():
    """Every declaration, with the standard and the implementing component loaded."""
    return Dependency.objects.filter(DECLARATION).select_related("depends_on", "component")


def standards_of(component) -> list:
    """The declarations of `component`, ordered by the standard's name: dependencies
    whose ``depends_on`` is the standard (``.version``, ``.conformance``,
    ``.evidence_url``). Uses the prefetched dependencies when there are any, so a
    list of components costs no query per row (see ``prefetch_standards``)."""
    cache = getattr(component, "_prefetched_objects_cache", {})
    if "dependencies" in cache:
        rows = [d for d in cache["dependencies"] if is_declaration(d)]
    else:
        rows = list(declarations().filter(component=component))
    return sorted(rows, key=lambda d: (d.depends_on.name.lower(), d.depends_on.slug))


def prefetch_standards():
    """A Prefetch of the dependencies with the components they point to, for
    ``standards_of`` over many components."""
    return Prefetch("dependencies", queryset=Dependency.objects.select_related("depends_on"))


def as_json(dependency) -> dict:
    """One declaration as the API shows it."""
    return {
        "slug": dependency.depends_on.slug,
        "name": dependency.depends_on.name,
        "version": dependency.version,
        "conformance": dependency.conformance,
        "evidence": dependency.evidence_url,
    }


def implementing(queryset, slugs):
    """Components of `queryset` that implement any of the standards `slugs` (no
    duplicates: an EXISTS, served by the dependency_target_use index)."""
    return queryset.filter(
        Exists(
            Dependency.objects.filter(
                DECLARATION, component=OuterRef("pk"), depends_on__slug__in=list(slugs)
            )
        )
    )


def implementations(standard):
    """The components that implement `standard`, with the declaration's fields
    annotated: one query, for paging on the standard's page."""
    return (
        Dependency.objects.filter(DECLARATION, depends_on=standard)
        .select_related("component", "component__publisher")
        .order_by("component__name", "component__slug")
    )


def counts(components) -> dict[str, int]:
    """{standard slug: number of `components` implementing it}, most first; one
    grouped query."""
    rows = (
        Dependency.objects.filter(DECLARATION, component__in=components.order_by().values("pk"))
        .order_by()
        .values("depends_on__slug")
        .annotate(n=Count("component", distinct=True))
        .order_by("-n", "depends_on__slug")
    )
    return {row["depends_on__slug"]: row["n"] for row in rows}


def names(slugs) -> dict[str, str]:
    """{slug: name} of the registered standards among `slugs`."""
    return dict(
        Component.objects.filter(kind=ComponentKind.STANDARD, slug__in=list(slugs)).values_list(
            "slug", "name"
        )
    )
