"""Concept components, their take-over by the real vendor, and merging
duplicate components (issue 17).

A municipality that uses software the catalogue lacks adds it as a *concept*
component (`concept_by`), naming its vendor: an organisation the registry
knows, or else a placeholder concept vendor made for it. Its landscape is
then complete. When the real vendor comes, it takes the concept over: the
vendor named as publisher confirms that itself; another vendor files a claim
that a curator confirms. Confirmed, the vendor publishes it and it is no
concept any more.

Curators merge duplicate components (two registrations of one product):
usages, claims, releases, dependencies, customer questions and events move to
the one that stays, two usages by one organisation become one (as in an
organisation merge), and the old slug answers 301 (ComponentRedirect).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.constants import OrganisationKind, OrganisationStatus
from accounts.models import Organisation

from .constants import Assertion, TakeOverStatus, UsageStatus
from .licensing import parse_expression
from .merging import MergeError, _turn_integrations, merged_status, merged_usage_summary
from .models import (
    OWN_WORD,
    ApiLint,
    Component,
    ComponentLink,
    ComponentRedirect,
    Dependency,
    Event,
    HarvestSource,
    Integration,
    License,
    TakeOverClaim,
    UnmatchedUser,
    Usage,
)
from .text import unique_slug

PROPRIETARY = "LicenseRef-Proprietary"


def _proprietary_licence():
    licence, _created = License.objects.get_or_create(
        id=PROPRIETARY,
        defaults={
            "name": "Proprietary licence of the vendor",
            "is_custom": True,
            "reuse_allowed": True,
            "summary": "A licence the vendor grants its customers; ask the vendor for its terms.",
        },
    )
    return licence


def find_vendor(name):
    """The organisation by slug or exact name (not one merged away), or None."""
    name = (name or "").strip()
    return (
        Organisation.objects.filter(merged_into__isnull=True)
        .filter(Q(slug=name) | Q(name__iexact=name))
        .order_by("pk")
        .first()
    )


def add_concept_component(
    organisation, *, name, kind, vendor, short_description, licence="", status, actor=None
):
    """Add a concept component of `vendor` (a name) used by `organisation`,
    with the organisation's usage of it. Returns (component, usage)."""
    with transaction.atomic():
        publisher = find_vendor(vendor)
        if publisher is None:
            publisher = Organisation.objects.create(
                name=vendor.strip(),
                slug=Organisation.unique_slug(vendor),
                kind=OrganisationKind.VENDOR,
                status=OrganisationStatus.CONCEPT,
                description=f"Added as the vendor of {name} by {organisation.name}.",
            )
        if licence.strip():
            expression = parse_expression(licence).normalised
        else:
            _proprietary_licence()
            expression = PROPRIETARY
        component = Component(
            slug=unique_slug(Component.objects.all(), name, max_length=90, default="component"),
            name=name.strip(),
            kind=kind,
            short_description=short_description.strip(),
            publisher=publisher,
            license_expression=expression,
            concept_by=organisation,
        )
        component._history_user = actor
        component.save()
        component.sync_licenses()
        usage = Usage.objects.create(
            organisation=organisation,
            component=component,
            status=status,
            assertion=Assertion.SELF,
        )
    return component, usage


class TakeOverError(ValueError):
    """Why this take-over cannot be, in one sentence."""


def claim_takeover(component, organisation):
    """`organisation` says `component` (a concept) is its own. The vendor named
    as its publisher takes it over at once; another files a claim for a
    curator. Returns the claim."""
    if component.concept_by_id is None:
        raise TakeOverError(f"{component.name} is no concept; its publisher publishes it")
    if organisation.is_concept:
        raise TakeOverError(f"{organisation.name} awaits a curator's approval")
    with transaction.atomic():
        claim, _created = TakeOverClaim.objects.get_or_create(
            component=component, organisation=organisation, status=TakeOverStatus.PENDING
        )
        if component.publisher_id == organisation.pk:
            confirm_takeover(claim)
    return claim


def confirm_takeover(claim, actor=None):
    with transaction.atomic():
        component = Component.objects.select_for_update().get(pk=claim.component_id)
        component.publisher = claim.organisation
        component.concept_by = None
        component._history_actor = f"take-over by {claim.organisation.name}"
        component.save()
        now = timezone.now()
        TakeOverClaim.objects.filter(pk=claim.pk).update(
            status=TakeOverStatus.CONFIRMED, decided_at=now
        )
        TakeOverClaim.objects.filter(component=component, status=TakeOverStatus.PENDING).update(
            status=TakeOverStatus.REFUSED, decided_at=now
        )


def refuse_takeover(claim):
    TakeOverClaim.objects.filter(pk=claim.pk, status=TakeOverStatus.PENDING).update(
        status=TakeOverStatus.REFUSED, decided_at=timezone.now()
    )


# --- merging duplicate components ------------------------------------------------


def plan_component_merge(source, target) -> list[str]:
    """What merging `source` into `target` would move and what conflicts."""
    if source.pk == target.pk:
        raise MergeError("a component cannot be merged into itself")
    lines = [f"Merge component {source.slug} into {target.slug}"]
    own = {u.organisation_id: u for u in target.usages.filter(assertion__in=OWN_WORD)}
    for usage in source.usages.select_related("organisation").order_by("organisation__slug"):
        if usage.assertion in OWN_WORD and usage.organisation_id in own:
            lines.append(
                f"conflict: {usage.organisation.slug} uses both: the two usages become one "
                f"({merged_usage_summary(own[usage.organisation_id], usage)})"
            )
        else:
            lines.append(f"move usage by {usage.organisation.slug}")
    versions = set(target.releases.values_list("version", flat=True))
    for release in source.releases.order_by("release_date"):
        if release.version in versions:
            lines.append(f"conflict: both have release {release.version}; {target.slug}'s stays")
        else:
            lines.append(f"move release {release.version}")
    over = Integration.objects.filter(standard=source).count()
    if over:
        lines.append(f"move {over} integration(s) over {source.slug} to run over {target.slug}")
    lines.append(f"{source.slug} answers 301 to {target.slug}")
    return lines


def merge_components(source, target, label=None) -> None:
    """Merge duplicate `source` into `target`, in one transaction."""
    if source.pk == target.pk:
        raise MergeError("a component cannot be merged into itself")
    label = (label or f"merge of component {source.slug} into {target.slug}")[:300]
    with transaction.atomic():
        Component.objects.select_for_update().filter(pk__in=[source.pk, target.pk]).exists()
        # Releases first: usages may name one of them.
        versions = {r.version: r for r in target.releases.all()}
        for release in list(source.releases.all()):
            if release.version in versions:
                Usage.objects.filter(release=release).update(release=versions[release.version])
                release._history_actor = label
                release.delete()
            else:
                release.component = target
                release._history_actor = label
                release.save()
        own = {u.organisation_id: u for u in target.usages.filter(assertion__in=OWN_WORD)}
        claims = {
            (u.organisation_id, u.claimed_by_id): u
            for u in target.usages.exclude(assertion__in=OWN_WORD)
        }
        for usage in list(source.usages.all()):
            if usage.assertion in OWN_WORD and usage.organisation_id in own:
                _merge_usage_into(own[usage.organisation_id], usage, label)
                continue
            same_claim = claims.get((usage.organisation_id, usage.claimed_by_id))
            if usage.assertion not in OWN_WORD and same_claim is not None:
                # The integrations recorded with the duplicate claim go to the one kept.
                _turn_integrations(usage, same_claim, label)
                usage._history_actor = label
                usage.delete()
                continue
            usage.component = target
            usage._history_actor = label
            usage.save()
        _move_dependencies(source, target)
        target.customer_questions.add(*source.customer_questions.all())
        target.upl_products.add(*source.upl_products.all())
        Event.objects.filter(component=source).update(component=target)
        # Integrations over the duplicate (a standard or API) run over the one kept;
        # its API Design Rules checks and its links join the kept one's.
        Integration.objects.filter(standard=source).update(standard=target)
        ApiLint.objects.filter(component=source).update(component=target)
        links = set(target.links.values_list("kind", "url"))
        for link in source.links.all():
            if (link.kind, link.url) not in links:
                ComponentLink.objects.filter(pk=link.pk).update(component=target)
        HarvestSource.objects.filter(component=source).update(component=target)
        Component.objects.filter(replaced_by=source).update(replaced_by=target)
        TakeOverClaim.objects.filter(component=source).update(component=target)
        names = set(target.unmatched_users.values_list("name", flat=True))
        for unmatched in source.unmatched_users.all():
            if unmatched.name in names:
                unmatched.delete()
            else:
                UnmatchedUser.objects.filter(pk=unmatched.pk).update(component=target)
        ComponentRedirect.objects.filter(component=source).update(component=target)
        slug = source.slug
        source._history_actor = label
        source.delete()
        ComponentRedirect.objects.create(slug=slug, component=target)
        target._history_actor = label
        target.save()


def _merge_usage_into(own, theirs, label):
    status = merged_status(own.status, theirs.status)
    own.since = min(filter(None, [own.since, theirs.since]), default=None)
    if status == UsageStatus.STOPPED:
        own.until = max(filter(None, [own.until, theirs.until]), default=None)
    else:
        own.until = (own if own.status == status else theirs).until
        if own.until and own.since and own.until < own.since:
            own.until = None
    own.status = status
    if "government" in (own.visibility, theirs.visibility):
        own.visibility = "government"
    own.release_id = own.release_id or theirs.release_id
    if theirs.notes.strip() and theirs.notes.strip() not in own.notes:
        own.notes = "\n\n".join(n for n in (own.notes.strip(), theirs.notes.strip()) if n)
    # Its integrations run from or to the usage kept (deleting it would take them along).
    _turn_integrations(theirs, own, label)
    theirs._history_actor = label
    theirs.delete()
    own._history_actor = label
    own.save()


def _move_dependencies(source, target):
    """Source's dependencies become target's, and what depended on source
    depends on target, without duplicates or a component depending on itself."""
    mine = set(target.dependencies.values_list("depends_on_id", "name"))
    for dependency in list(source.dependencies.all()):
        key = (dependency.depends_on_id, dependency.name)
        if key in mine or dependency.depends_on_id == target.pk:
            dependency.delete()
        else:
            dependency.component = target
            dependency.save()
            mine.add(key)
    for dependency in list(Dependency.objects.filter(depends_on=source)):
        if (
            dependency.component_id == target.pk
            or Dependency.objects.filter(
                component_id=dependency.component_id, depends_on=target
            ).exists()
        ):
            dependency.delete()
        else:
            dependency.depends_on = target
            dependency.save()


__all__ = [
    "PROPRIETARY",
    "TakeOverError",
    "add_concept_component",
    "claim_takeover",
    "confirm_takeover",
    "merge_components",
    "plan_component_merge",
    "refuse_takeover",
]
