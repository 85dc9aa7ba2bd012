"""Small text helpers that more than one app needs."""

from django.utils.text import slugify


def unique_slug(queryset, name, *, max_length, default) -> str:
    """A slug for name that no row of queryset has yet.

    The slugified name, cut to max_length so that a suffix still fits the
    field (default when nothing is left), then "-2", "-3", ... until it is free.
    """
    base = slugify(name)[:max_length].strip("-") or default
    slug, n = base, 1
    while queryset.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
