"""Merging organisation B into organisation A: municipalities merge
(herindelingen) and vendors are taken over.

Everything of B moves to A: the components it publishes (and so their
releases), its usages and claims (about it and by it), its members, its API
tokens (revoked or moved: the curator chooses), its webhooks, its harvest
sources, the licences it owns, the components that name it as allowed to
reuse, and its events. Two usages of the same component become one: the
earliest start, the furthest status, the more private visibility, both
notes. B itself is kept, ended, with A as its successor and `merged_into`:
its page and API address answer 301 to A's, and its name becomes one of A's
aliases (so a publiccode.yml's usedBy still finds it). Each moved record gets
a history entry naming the merge. All in one transaction.

`plan_merge` says exactly what would move and what conflicts, without
writing (the dry run); `merge` does it. Both work from the same plan.

New models that point at an organisation must be added to RELATED_MOVES (a
plain move of the foreign key) or handled in `merge`: a test enumerates
every relation to Organisation and fails for one that is not. Integrations
(issue 16) go in RELATED_MOVES.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.constants import MemberRole, OrganisationStatus
from accounts.models import CooperationMember, Organisation

from .constants import UsageStatus, Visibility
from .models import OWN_WORD, Component, Integration, License, Usage

# (app_label.Model, foreign key name): rows that simply move from B to A, with
# nothing that can conflict. B's integrations go with B's usages; those of a
# usage that becomes A's one usage are turned to it in _merge_usage.
RELATED_MOVES = [
    ("components.Integration", "organisation"),
    ("components.Integration", "claimed_by"),
    ("components.HarvestSource", "organisation"),
    ("components.Event", "organisation"),
    ("components.SpreadsheetUpload", "organisation"),
    ("components.Usage", "recorded_via"),
    ("components.Component", "concept_by"),
    ("components.TakeOverClaim", "organisation"),
]
# Relations to Organisation that merge() handles itself, or that stay with B.
HANDLED = {
    ("components.Component", "publisher"),
    ("components.Component", "reuse_organisations"),
    ("components.License", "owner"),
    ("components.Usage", "organisation"),
    ("components.Usage", "claimed_by"),
    ("components.WebhookSubscription", "organisation"),
    ("accounts.Membership", "organisation"),
    ("accounts.ApiToken", "organisation"),
    ("accounts.Organisation", "successor"),
    ("accounts.Organisation", "merged_into"),
    ("accounts.CooperationMember", "cooperation"),
    ("accounts.CooperationMember", "member"),
    # B's sign-in service and the identities known there stay with B: its members
    # move to A and sign in the way A's curators set up for A.
    ("accounts.IdentityProvider", "organisation"),
    ("accounts.OidcIdentity", "organisation"),
}
REVOKE, MOVE = "revoke", "move"

# The furthest a use has come: a live use beats a stopped one (the merged
# organisation still uses it), and among live ones production is furthest.
STATUS_RANK = {
    UsageStatus.STOPPED: 0,
    UsageStatus.PLANNED: 1,
    UsageStatus.PILOT: 2,
    UsageStatus.PRODUCTION: 3,
}


class MergeError(ValueError):
    """Why these two organisations cannot be merged, in one sentence."""


@dataclass
class MergePlan:
    source: Organisation
    target: Organisation
    tokens: str
    components: list = field(default_factory=list)
    releases: int = 0
    usages: list = field(default_factory=list)  # B's usages that move as they are
    usage_pairs: list = field(default_factory=list)  # (A's, B's): become one
    claims_made: list = field(default_factory=list)  # claims by B that move to A
    claims_dropped: list = field(default_factory=list)  # duplicates, or A claiming about A
    members: list = field(default_factory=list)
    members_already: list = field(default_factory=list)  # (A's membership, B's)
    tokens_moved: list = field(default_factory=list)
    tokens_renamed: list = field(default_factory=list)  # (token, new name)
    tokens_revoked: list = field(default_factory=list)
    webhooks: list = field(default_factory=list)
    webhooks_duplicate: list = field(default_factory=list)
    licences: list = field(default_factory=list)
    reuse_named: list = field(default_factory=list)
    predecessors: list = field(default_factory=list)
    related: dict = field(default_factory=dict)  # "app.Model.field" → count

    def lines(self) -> list[str]:
        """What will move and what conflicts, one line each (the dry run's output)."""
        a, b = self.target.name, self.source.name
        out = [f"Merge {b} ({self.source.slug}) into {a} ({self.target.slug})"]
        for component in self.components:
            out.append(f"move component {component.slug} (publisher {b} → {a})")
        if self.releases:
            out.append(f"move {self.releases} releases with those components")
        for usage in self.usages:
            out.append(f"move usage of {usage.component.slug} ({usage.get_assertion_display()})")
        for own, theirs in self.usage_pairs:
            out.append(
                f"conflict: both use {own.component.slug}: the two usages become one "
                f"({merged_usage_summary(own, theirs)})"
            )
        for claim in self.claims_made:
            out.append(
                f"move claim by {b} about {claim.organisation.slug} ({claim.component.slug})"
            )
        for claim in self.claims_dropped:
            out.append(
                f"conflict: drop claim about {claim.organisation.slug} using "
                f"{claim.component.slug} (already claimed by {a}, or {a} claiming about itself)"
            )
        for membership in self.members:
            out.append(f"move member {membership.user.get_username()} ({membership.role})")
        for own, theirs in self.members_already:
            out.append(
                f"conflict: {theirs.user.get_username()} is a member of both; keeps role "
                f"{_higher_role(own.role, theirs.role)}"
            )
        for token in self.tokens_moved:
            out.append(f"move API token '{token.name}'")
        for token, name in self.tokens_renamed:
            out.append(
                f"conflict: API token '{token.name}' moves as '{name}' ({a} has one so named)"
            )
        for token in self.tokens_revoked:
            out.append(f"revoke API token '{token.name}'")
        for webhook in self.webhooks:
            out.append(f"move webhook {webhook.url}")
        for webhook in self.webhooks_duplicate:
            out.append(f"conflict: {a} already has webhook {webhook.url}; {b}'s is removed")
        for licence in self.licences:
            out.append(f"move ownership of licence {licence.id}")
        for component in self.reuse_named:
            out.append(f"{component.slug} names {a} instead of {b} as allowed to reuse it")
        for organisation in self.predecessors:
            out.append(f"{organisation.slug} names {a} as its successor instead of {b}")
        for name, count in self.related.items():
            if count:
                out.append(f"move {count} {name}")
        out.append(f"end {b}: successor {a}, its page and API address lead to {a}")
        return out

    @property
    def counts(self) -> dict:
        return {
            "components": len(self.components),
            "releases": self.releases,
            "usages": len(self.usages),
            "usages_merged": len(self.usage_pairs),
            "claims_made": len(self.claims_made),
            "claims_dropped": len(self.claims_dropped),
            "members": len(self.members) + len(self.members_already),
            "tokens": len(self.tokens_moved) + len(self.tokens_renamed) + len(self.tokens_revoked),
            "webhooks": len(self.webhooks),
            "webhooks_duplicate": len(self.webhooks_duplicate),
        }


def _higher_role(one, other):
    return MemberRole.ADMIN if MemberRole.ADMIN in (one, other) else one


def merged_status(one, other):
    return max(one, other, key=lambda status: STATUS_RANK[status])


def merged_usage_summary(own, theirs) -> str:
    since = min(filter(None, [own.since, theirs.since]), default=None)
    return (
        f"status {merged_status(own.status, theirs.status)}, since {since or 'unknown'}, "
        f"visibility {_private(own.visibility, theirs.visibility)}"
    )


def _private(one, other):
    return Visibility.GOVERNMENT if Visibility.GOVERNMENT in (one, other) else Visibility.PUBLIC


def plan_merge(source, target, tokens=None) -> MergePlan:
    """What merging `source` (B) into `target` (A) would do. No writes."""
    if source.pk == target.pk:
        raise MergeError("an organisation cannot be merged into itself")
    if source.merged_into_id:
        raise MergeError(f"{source.name} was merged into another organisation already")
    if target.merged_into_id or target.status == OrganisationStatus.ENDED:
        raise MergeError(f"{target.name} has ended; merge into its successor instead")
    active_tokens = list(source.api_tokens.active().order_by("name"))
    if active_tokens and tokens not in (REVOKE, MOVE):
        raise MergeError(
            f"{source.name} has {len(active_tokens)} active API tokens: choose whether they "
            "are revoked or moved (--tokens revoke|move)"
        )
    plan = MergePlan(source=source, target=target, tokens=tokens or REVOKE)
    plan.components = list(source.published_components.order_by("slug"))
    plan.releases = sum(c.releases.count() for c in plan.components)

    own_of_target = {
        u.component_id: u
        for u in target.usages.filter(assertion__in=OWN_WORD).select_related("component")
    }
    claims_on_target = set(
        target.usages.exclude(assertion__in=OWN_WORD).values_list("component_id", "claimed_by_id")
    )
    for usage in source.usages.select_related("component", "claimed_by").order_by(
        "component__slug", "pk"
    ):
        if usage.assertion in OWN_WORD:
            if usage.component_id in own_of_target:
                plan.usage_pairs.append((own_of_target[usage.component_id], usage))
            else:
                plan.usages.append(usage)
        elif (usage.component_id, usage.claimed_by_id) in claims_on_target or (
            usage.claimed_by_id == target.pk
        ):
            plan.claims_dropped.append(usage)  # A claimed it already, or claimed it about B
        else:
            plan.usages.append(usage)
    claims_by_target = set(
        Usage.objects.filter(claimed_by=target)
        .exclude(assertion__in=OWN_WORD)
        .values_list("organisation_id", "component_id")
    )
    for claim in (
        Usage.objects.filter(claimed_by=source)
        .exclude(organisation=source)
        .select_related("organisation", "component")
        .order_by("organisation__slug", "component__slug")
    ):
        if claim.assertion in OWN_WORD:
            continue  # answered and confirmed: the organisation's own word now
        if claim.organisation_id == target.pk or (
            (claim.organisation_id, claim.component_id) in claims_by_target
        ):
            plan.claims_dropped.append(claim)
        else:
            plan.claims_made.append(claim)

    target_members = {m.user_id: m for m in target.memberships.all()}
    for membership in source.memberships.select_related("user").order_by("user__username"):
        if membership.user_id in target_members:
            plan.members_already.append((target_members[membership.user_id], membership))
        else:
            plan.members.append(membership)

    if plan.tokens == MOVE:
        taken = set(target.api_tokens.active().values_list("name", flat=True))
        for token in active_tokens:
            if token.name in taken:
                name = f"{token.name} ({source.slug})"[:100]
                plan.tokens_renamed.append((token, name))
                taken.add(name)
            else:
                plan.tokens_moved.append(token)
                taken.add(token.name)
    else:
        plan.tokens_revoked = active_tokens

    target_urls = set(target.webhooks.values_list("url", flat=True))
    for webhook in source.webhooks.order_by("url"):
        (plan.webhooks_duplicate if webhook.url in target_urls else plan.webhooks).append(webhook)
    plan.licences = list(License.objects.filter(owner=source).order_by("id"))
    plan.reuse_named = list(Component.objects.filter(reuse_organisations=source).order_by("slug"))
    plan.predecessors = list(Organisation.objects.filter(successor=source).order_by("slug"))
    for label, fk in RELATED_MOVES:
        model = apps.get_model(label)
        plan.related[f"{model._meta.verbose_name_plural}"] = model.objects.filter(
            **{fk: source}
        ).count()
    return plan


def _label(plan):
    return f"merge of {plan.source.name} into {plan.target.name}"[:300]


def _save(instance, label, **kwargs):
    instance._history_actor = label
    instance.save(**kwargs)


def merge(source, target, tokens=None) -> MergePlan:
    """Merge `source` (B) into `target` (A), in one transaction; returns the plan
    that was carried out. Raises MergeError (nothing changed) when it cannot be."""
    with transaction.atomic():
        # Both rows locked: a second merge of either waits, then sees the first.
        locked = {
            o.pk: o
            for o in Organisation.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        }
        source, target = locked[source.pk], locked[target.pk]
        plan = plan_merge(source, target, tokens)
        label = _label(plan)

        for component in plan.components:
            component.publisher = target
            _save(component, label)
        for usage in plan.usages:
            usage.organisation = target
            _save(usage, label)
        for own, theirs in plan.usage_pairs:
            _merge_usage(own, theirs, plan, label)
        for claim in plan.claims_dropped:
            claim._history_actor = label
            claim.delete()
        for claim in plan.claims_made:
            claim.claimed_by = target
            _save(claim, label)

        for membership in plan.members:
            membership.organisation = target
            membership.save(update_fields=["organisation"])
        for own, theirs in plan.members_already:
            role = _higher_role(own.role, theirs.role)
            if role != own.role:
                own.role = role
                own.save(update_fields=["role"])
            theirs.delete()

        for token in plan.tokens_revoked:
            token.revoke()
        for token in plan.tokens_moved:
            token.organisation = target
            token.save(update_fields=["organisation"])
        for token, name in plan.tokens_renamed:
            token.organisation, token.name = target, name
            token.save(update_fields=["organisation", "name"])

        for webhook in plan.webhooks:
            webhook.organisation = target
            webhook.save(update_fields=["organisation"])
        for webhook in plan.webhooks_duplicate:
            webhook.delete()
        License.objects.filter(owner=source).update(owner=target)
        for component in plan.reuse_named:
            component.reuse_organisations.remove(source)
            component.reuse_organisations.add(target)
        Organisation.objects.filter(successor=source).update(successor=target)
        _move_cooperation_members(source, target)
        for label_, fk in RELATED_MOVES:
            apps.get_model(label_).objects.filter(**{fk: source}).update(**{fk: target})

        target.aliases = list(dict.fromkeys([*target.aliases, source.name, *source.aliases]))
        target.save(update_fields=["aliases", "updated_at"])
        source.status = OrganisationStatus.ENDED
        source.ended_on = source.ended_on or timezone.localdate()
        source.successor = target
        source.merged_into = target
        source.save(update_fields=["status", "ended_on", "successor", "merged_into", "updated_at"])
    return plan


def _merge_usage(own, theirs, plan, label):
    """A's and B's usage of one component become A's one usage: the earliest
    start, the furthest status (with its end date), the more private
    visibility, a release where either named one, and both notes."""
    status = merged_status(own.status, theirs.status)
    own.since = min(filter(None, [own.since, theirs.since]), default=None)
    if status == UsageStatus.STOPPED:  # both stopped: the later end
        own.until = max(filter(None, [own.until, theirs.until]), default=None)
    else:
        own.until = (own if own.status == status else theirs).until
        if own.until and own.since and own.until < own.since:
            own.until = None
    own.status = status
    own.visibility = _private(own.visibility, theirs.visibility)
    own.release_id = own.release_id or theirs.release_id
    theirs_notes = theirs.notes.strip()
    if theirs_notes and theirs_notes not in own.notes:
        own.notes = "\n\n".join(
            n for n in (own.notes.strip(), f"({plan.source.name}) {theirs_notes}") if n
        )
    _turn_integrations(theirs, own, label)
    theirs._history_actor = label
    theirs.delete()
    _save(own, label)


def _turn_integrations(theirs, own, label):
    """B's integrations from or to B's usage now run from or to A's usage of the
    same component (deleting B's usage would otherwise take them along). One
    that A records already, or that would now run from a usage to itself, goes
    as a duplicate. Moved with update(), as RELATED_MOVES are: the other end may
    still be a usage of B's that becomes A's later in the same merge."""
    for end in ("source_usage", "target_usage"):
        for integration in Integration.objects.filter(**{end: theirs}):
            setattr(integration, end, own)
            if integration.source_usage_id == integration.target_usage_id or _recorded_already(
                integration
            ):
                integration._history_actor = label
                integration.delete()
            else:
                Integration.objects.filter(pk=integration.pk).update(
                    **{end: own, "organisation": own.organisation}
                )


def _recorded_already(integration) -> bool:
    same = Integration.objects.filter(
        source_usage_id=integration.source_usage_id,
        target_usage_id=integration.target_usage_id,
        standard_id=integration.standard_id,
    ).exclude(pk=integration.pk)
    if integration.assertion in OWN_WORD:
        return same.filter(assertion__in=OWN_WORD).exists()
    claims = same.exclude(assertion__in=OWN_WORD)
    return claims.filter(claimed_by=integration.claimed_by_id).exists()


def _move_cooperation_members(source, target):
    """B's places in cooperations, and a cooperation B's members, become A's;
    where A has the same one already (or would be its own member), B's goes."""
    for side, other in (("cooperation", "member"), ("member", "cooperation")):
        for row in CooperationMember.objects.filter(**{side: source}):
            clash = row.__dict__[f"{other}_id"] == target.pk or (
                CooperationMember.objects.filter(
                    **{side: target, other: row.__dict__[f"{other}_id"]}
                ).exists()
            )
            if clash:
                row.delete()
            else:
                setattr(row, side, target)
                row.save(update_fields=[side])


def used_components(organisation) -> set:
    """The components an organisation's own word says it uses (for tests and checks)."""
    return set(
        Usage.objects.filter(organisation=organisation, assertion__in=OWN_WORD).values_list(
            "component_id", flat=True
        )
    )


__all__ = [
    "HANDLED",
    "MOVE",
    "RELATED_MOVES",
    "REVOKE",
    "MergeError",
    "MergePlan",
    "merge",
    "plan_merge",
]
