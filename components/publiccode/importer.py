"""Importing a publiccode.yml into the catalogue: matching usedBy names to
organisations, and writing a validated file for its publisher in one
transaction.

usedBy names become claims by the publisher on the organisations they match,
judged by what the publisher may see: an organisation whose usage is hidden
from it gets a claim beside that usage, listed in the result's claims like any
other, so an import (or a dry run) never tells a publisher who uses its
component government-only."""

import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import ApiToken, Organisation
from registry.i18n import Message

from .. import licensing, standards
from ..constants import Assertion, ComponentKind, DependencyUse, UsageStatus, Visibility
from ..models import (
    Component,
    CustomerQuestion,
    Dependency,
    Release,
    UnmatchedUser,
    UplProduct,
    Usage,
)
from ..query import Viewer
from ..text import unique_slug
from .findings import ERROR, WARNING, Finding, _Refused
from .mapping import to_component_data
from .standard import UPL_BASE_URI
from .validate import validate


def fold_name(name) -> str:
    """Compare names without case, accents or typographic apostrophes."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.casefold().split())


_NAME_PREFIXES = ("gemeente ", "municipality of ")


def _without_prefix(folded):
    for prefix in _NAME_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


class OrganisationMatcher:
    """Finds the organisation a usedBy name means.

    A name matches an organisation's name or one of its aliases, ignoring case
    and accents ("gemeente sudwest-fryslan" is "Gemeente Súdwest-Fryslân"). If
    nothing matches, a leading "Gemeente " or "Municipality of " is left out on
    both sides ("Utrecht" is "Gemeente Utrecht"), but only a single candidate
    counts as a match. A name that fits several organisations matches none.
    """

    def __init__(self, organisations=None):
        if organisations is None:
            organisations = Organisation.objects.only("pk", "name", "aliases")
        self.exact, self.loose = {}, {}
        for organisation in organisations:
            names = [
                organisation.name,
                *(a for a in organisation.aliases or [] if isinstance(a, str)),
            ]
            for name in names:
                folded = fold_name(name)
                self.exact.setdefault(folded, {})[organisation.pk] = organisation
                self.loose.setdefault(_without_prefix(folded), {})[organisation.pk] = organisation

    def match(self, name) -> tuple[object | None, int]:
        """(organisation or None, candidates found)."""
        folded = fold_name(name)
        candidates = self.exact.get(folded) or self.loose.get(_without_prefix(folded)) or {}
        if len(candidates) == 1:
            return next(iter(candidates.values())), 1
        return None, len(candidates)


@dataclass
class ImportResult:
    findings: list = field(default_factory=list)
    component: object = None  # the Component; unsaved after a dry run
    created: bool = False
    release: object = None
    claims: list = field(default_factory=list)  # Usage rows created for usedBy names
    matched: list = field(default_factory=list)  # (usedBy name, Organisation)
    unmatched: list = field(default_factory=list)  # usedBy names kept as UnmatchedUser
    # Refused because another organisation publishes the repository URL: that one.
    other_publisher: object = None
    # What import_publiccode()'s snapshot function returned.
    snapshot: object = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self) -> bool:
        return self.component is not None and not self.errors


_IMPORTED_FIELDS = (
    "repository_url", "name", "kind", "short_description", "long_description",
    "short_description_en", "long_description_en", "other_descriptions", "homepage_url",
    "documentation_url", "api_specification_url", "development_status",
    "maintenance_type", "layer", "categories", "license_expression",
)  # fmt: skip

# Model fields and the key path they come from, to place model validation errors.
_FIELD_PATHS = {
    "name": "name",
    "repository_url": "url",
    "homepage_url": "landingURL",
    "documentation_url": "description",
    "api_specification_url": "description",
    "short_description": "description",
    "short_description_en": "description",
    "license_expression": "legal.license",
    "categories": "categories",
    "development_status": "developmentStatus",
    "maintenance_type": "maintenance.type",
    "layer": "nl.commonground.layerType",
}


class _Importer:
    def __init__(self, validation, data, publisher, actor, result):
        self.validation = validation
        self.data = data
        self.publisher = publisher
        self.actor = actor
        self.result = result

    def finding(self, severity, path, message):
        line, column = self.validation.position(path)
        return Finding(severity, path, line, column, message)

    def refuse(self, path, message):
        raise _Refused(self.finding(ERROR, path, message))

    def warn(self, path, message):
        self.result.findings.append(self.finding(WARNING, path, message))

    def run(self):
        data = self.data
        url = data["repository_url"]
        variants = {url, url + "/", url + ".git", url + ".git/"}
        component = (
            Component.objects.select_for_update()
            .select_related("publisher")
            .filter(repository_url__in=variants)
            .first()
        )
        if component is not None and component.publisher_id != self.publisher.pk:
            self.result.other_publisher = component.publisher
            self.refuse(
                "url",
                Message(
                    gettext_noop(
                        "%(url)s is already registered by %(publisher)s; a publiccode.yml "
                        "cannot move a component to another publisher"
                    ),
                    url=url,
                    publisher=component.publisher.name,
                ),
            )
        created = component is None
        if created:
            slug = unique_slug(
                Component.objects.all(), data["name"], max_length=90, default="component"
            )
            component = Component(publisher=self.publisher, slug=slug)
        changed = [name for name in _IMPORTED_FIELDS if getattr(component, name) != data[name]]
        for name in changed:
            setattr(component, name, data[name])
        if created or changed:
            try:
                component.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for name, errors in exc.error_dict.items():
                    path = _FIELD_PATHS.get(name, "")
                    for error in errors:
                        for message in Message.from_validation_error(error):
                            self.result.findings.append(self.finding(ERROR, path, message))
                raise _Refused(self.result.findings.pop()) from None
            # Saved only when something changed: importing the same file again
            # (a harvest, say) writes no history.
            self.set_actor(component)
            component.save()
        if created or "license_expression" in changed:
            component.sync_licenses()
        self.result.component, self.result.created = component, created
        self.release(component)
        self.dependencies(component)
        self.standards(component)
        self.upl(component)
        self.used_by(component)

    def set_actor(self, instance):
        if isinstance(self.actor, ApiToken):
            instance._history_token = self.actor
        elif isinstance(self.actor, str):
            instance._history_actor = self.actor  # the registry itself, e.g. a harvest
        elif self.actor is not None:
            instance._history_user = self.actor

    def release(self, component):
        release = self.data["release"]
        raw = self.validation.data
        if release is None:
            if raw.get("softwareVersion") and not raw.get("releaseDate"):
                self.warn(
                    "softwareVersion",
                    Message(
                        gettext_noop(
                            "no release recorded: softwareVersion has no releaseDate to go with it"
                        )
                    ),
                )
            elif raw.get("releaseDate") and not raw.get("softwareVersion"):
                self.warn(
                    "releaseDate",
                    Message(
                        gettext_noop(
                            "no release recorded: releaseDate has no softwareVersion to go with it"
                        )
                    ),
                )
            return
        if len(release["version"]) > 100:
            self.refuse(
                "softwareVersion",
                Message(gettext_noop("softwareVersion is longer than 100 characters")),
            )
        existing = Release.objects.filter(component=component, version=release["version"]).first()
        if existing is None:
            existing = Release(component=component, version=release["version"])
        if existing.pk is None or existing.release_date != release["release_date"]:
            existing.release_date = release["release_date"]
            self.set_actor(existing)
            existing.save()
        self.result.release = existing

    def dependencies(self, component):
        """dependsOn lists what the software needs to run (a database, an
        identity server), so every entry is a runtime service. The file speaks
        only for those: a dependency of another use (code built in, a standard
        implemented) that it does not name is kept; one it names becomes what
        the file says."""
        wanted = self.data["dependencies"]
        for dependency in wanted:
            if len(dependency["name"]) > 200 or len(dependency["version"]) > 100:
                self.refuse(
                    f"dependsOn.{dependency['kind']}",
                    Message(
                        gettext_noop(
                            "dependency %(name)s: name over 200 or version over 100 characters"
                        ),
                        name=repr(dependency["name"][:50]),
                    ),
                )
        registered = {}
        if wanted:
            folded = {d["name"].lower() for d in wanted}
            for pk, name in (
                Component.objects.annotate(lower_name=Lower("name"))
                .filter(lower_name__in=folded)
                .exclude(pk=component.pk)
                .values_list("pk", "lower_name")
            ):
                registered.setdefault(name, []).append(pk)
        rows, targets = [], set()
        for dependency in wanted:
            candidates = registered.get(dependency["name"].lower(), [])
            target = candidates[0] if len(candidates) == 1 else None
            if target is not None and target in targets:
                continue  # two names for one registered component: keep the first
            targets.add(target)
            rows.append(
                (
                    target,
                    "" if target else dependency["name"],
                    dependency["kind"],
                    dependency["how_used"],
                    dependency["version"],
                )
            )
        named = {d["name"].lower() for d in wanted}
        kept, managed = [], []
        for pk, *row in component.dependencies.order_by("pk").values_list(
            "pk", "depends_on_id", "name", "kind", "how_used", "version"
        ):
            target, name, _kind, how_used, _version = row
            if how_used != DependencyUse.RUNTIME_SERVICE and (
                target not in targets if target else name.lower() not in named
            ):
                kept.append(pk)
            else:
                managed.append(tuple(row))
        if managed == rows:
            return
        component.dependencies.exclude(pk__in=kept).delete()
        Dependency.objects.bulk_create(
            [
                Dependency(
                    component=component, depends_on_id=t, name=n, kind=k, how_used=u, version=v
                )
                for t, n, k, u, v in rows
            ]
        )

    def standards(self, component):
        """nl.standards, when the file has it, replaces the standards the component
        declares (dependencies "implements" on registered standards). A standard
        is found by its slug or its name (case aside); one not registered draws a
        warning and is left out."""
        declared = self.data["standards"]
        if declared is None:
            return
        wanted = {d["name"].lower() for d in declared}
        found = {}
        for standard in (
            Component.objects.filter(kind=ComponentKind.STANDARD)
            .annotate(lower_name=Lower("name"))
            .filter(Q(slug__in=wanted) | Q(lower_name__in=wanted))
            .order_by("pk")
        ):
            found.setdefault(standard.slug, standard)
            found.setdefault(standard.name.lower(), standard)
        rows = {}
        for i, entry in enumerate(declared):
            standard = found.get(entry["name"].lower())
            if standard is None:
                self.warn(
                    f"nl.standards[{i}]",
                    Message(
                        gettext_noop("no registered standard is called %(name)s; ignored"),
                        name=repr(entry["name"][:100]),
                    ),
                )
                continue
            if standard.pk == component.pk or standard.pk in rows:
                continue
            if len(entry["version"]) > 100 or len(entry["evidence"]) > 500:
                self.refuse(
                    f"nl.standards[{i}]",
                    Message(gettext_noop("version over 100 or evidence over 500 characters")),
                )
            rows[standard.pk] = (
                standard.pk,
                entry["version"],
                entry["conformance"],
                entry["evidence"],
            )
        current = {
            d.depends_on_id: (d.depends_on_id, d.version, d.conformance, d.evidence_url)
            for d in standards.declarations().filter(component=component)
        }
        if current == rows:
            return
        component.dependencies.filter(
            Q(depends_on__in=list(current)) | Q(depends_on__in=list(rows))
        ).delete()
        Dependency.objects.bulk_create(
            Dependency(
                component=component,
                depends_on_id=pk,
                how_used=DependencyUse.IMPLEMENTS,
                version=version,
                conformance=conformance,
                evidence_url=evidence,
            )
            for pk, version, conformance, evidence in rows.values()
        )

    def upl(self, component):
        products = []
        for i, value in enumerate(self.data["upl"]):
            if value.startswith(("http://", "https://")):
                product = UplProduct.objects.filter(uri=value).first()
                if product is None:
                    name = value.rstrip("/").rsplit("/", 1)[-1].replace("_", " ")
                    product = UplProduct.objects.create(uri=value, name=name[:200])
            else:
                uri = UPL_BASE_URI + quote(value.replace(" ", "_"), safe="()_-.,'")
                product = (
                    UplProduct.objects.filter(name__iexact=value).first()
                    or UplProduct.objects.filter(uri=uri).first()
                )
                if product is None:
                    if len(value) > 200 or len(uri) > 300:
                        self.refuse(
                            f"nl.upl[{i}]", Message(gettext_noop("UPL product name too long"))
                        )
                    product = UplProduct.objects.create(uri=uri, name=value)
            products.append(product)
        component.upl_products.set(products)
        if products:
            component.customer_questions.add(
                *CustomerQuestion.objects.filter(upl_products__in=products).distinct()
            )

    def used_by(self, component):
        names = self.data["used_by"]
        matcher = OrganisationMatcher() if names else None
        matched, unmatched = {}, []
        for i, name in enumerate(names):
            organisation, candidates = matcher.match(name)
            if organisation is None:
                if candidates > 1:
                    self.warn(
                        f"usedBy[{i}]",
                        Message(
                            gettext_noop(
                                "'%(name)s' fits %(n)s organisations; kept as an unmatched name"
                            ),
                            name=name,
                            n=candidates,
                        ),
                    )
                if len(name) > 300:
                    self.refuse(
                        f"usedBy[{i}]",
                        Message(gettext_noop("a usedBy name is longer than 300 characters")),
                    )
                unmatched.append(name)
                continue
            self.result.matched.append((name, organisation))
            matched.setdefault(organisation.pk, organisation)
        # Only what the publisher may see of these organisations' usages: one hidden
        # from it (government-only) gets the claim beside it, so the claims answered
        # are the same whether or not such a usage exists (see the Usage model).
        existing = set(
            Usage.objects.visible_to(Viewer.for_organisations([self.publisher]))
            .filter(component=component, organisation__in=list(matched))
            .values_list("organisation_id", flat=True)
        )
        now = timezone.now()
        for organisation in matched.values():
            # Never touch a statement that is already there: the organisation's
            # own word (self, confirmed, rejected) outranks a usedBy list.
            if organisation.pk in existing:
                continue
            own = organisation.pk == self.publisher.pk
            usage = Usage(
                organisation=organisation,
                component=component,
                status=UsageStatus.PRODUCTION,
                visibility=Visibility.PUBLIC,
                assertion=Assertion.SELF if own else Assertion.CLAIMED,
                claimed_by=None if own else self.publisher,
                claimed_at=None if own else now,
            )
            self.set_actor(usage)
            usage.save()
            self.result.claims.append(usage)
        UnmatchedUser.objects.filter(component=component).exclude(name__in=unmatched).delete()
        known = set(
            UnmatchedUser.objects.filter(component=component).values_list("name", flat=True)
        )
        UnmatchedUser.objects.bulk_create(
            [UnmatchedUser(component=component, name=n) for n in unmatched if n not in known]
        )
        self.result.unmatched = unmatched


def import_publiccode(text, publisher, *, dry_run=False, actor=None, snapshot=None) -> ImportResult:
    """Validate a publiccode.yml and write it into the catalogue for publisher.

    The repository URL is the natural key: importing the same file again
    updates the component. One transaction; with dry_run it is rolled back,
    with the history rows, events and cache bump that came with it, and the
    component returned is unsaved. actor (a user, an API token, or a
    description such as "harvest of <url>") is recorded in the history.

    snapshot: for a caller that must read back what was written (the API
    answers with the component as stored), a function of the result, called
    inside the transaction once the import succeeded, before a dry run is
    rolled back; what it returns is result.snapshot.
    """
    validation = validate(text, custom_license_ids=licensing.custom_license_ids())
    result = ImportResult(findings=list(validation.findings))
    if not validation.ok:
        return result
    data = to_component_data(validation)
    importer = _Importer(validation, data, publisher, actor, result)
    try:
        with transaction.atomic():
            importer.run()
            if snapshot is not None:
                result.snapshot = snapshot(result)
            if dry_run:
                # Inside a caller's transaction this rolls back to the savepoint
                # only, and drops the on-commit callbacks registered since.
                transaction.set_rollback(True)
    except _Refused as refusal:
        result.findings.append(refusal.finding)
        result.component, result.created, result.release = None, False, None
        result.claims, result.matched, result.unmatched = [], [], []
        return result
    except IntegrityError as exc:
        result.findings.append(
            importer.finding(
                ERROR,
                "url",
                Message(gettext_noop("could not be saved, try again (%(error)s)"), error=str(exc)),
            )
        )
        result.component = None
        return result
    if dry_run:
        _forget_saved(result)
    return result


def _forget_saved(result):
    """After a rolled-back dry run: nothing the result holds exists."""
    if result.created:
        result.component.pk = None
        result.component._state.adding = True
    for usage in result.claims:
        usage.pk = None
        usage._state.adding = True
    if result.release is not None and result.release.pk is not None:
        result.release.pk = None
        result.release._state.adding = True
