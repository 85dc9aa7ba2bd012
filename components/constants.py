import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ComponentKind(models.TextChoices):
    API = "api", _("API")
    HOUSE_STYLE = "house-style", _("House style")
    SOFTWARE = "software", _("Software")
    LIBRARY = "library", _("Library")
    STANDARD = "standard", _("Standard")


class DevelopmentStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    DEVELOPMENT = "development", _("In development")
    BETA = "beta", _("Beta")
    STABLE = "stable", _("Stable")
    OBSOLETE = "obsolete", _("Obsolete")


class MaintenanceType(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    CONTRACT = "contract", _("Contract")
    COMMUNITY = "community", _("Community")
    NONE = "none", _("None")


class Layer(models.TextChoices):
    """The five layers of the Common Ground model."""

    INTERACTION = "interaction", _("Interaction")
    PROCESS = "process", _("Process")
    INTEGRATION = "integration", _("Integration")
    SERVICES = "services", _("Services")
    DATA = "data", _("Data")


class ReuseRestriction(models.TextChoices):
    NONE = "none", _("No restriction")
    PUBLIC_SECTOR = "public-sector", _("Public sector only")
    ORGANISATION_KINDS = "organisation-kinds", _("Only certain kinds of organisation")
    OWNER_ONLY = "owner-only", _("Only the owner")
    NAMED_ORGANISATIONS = "named-organisations", _("Only named organisations")


class UsageStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PILOT = "pilot", _("Pilot")
    PRODUCTION = "production", _("In production")
    STOPPED = "stopped", _("Stopped")


class IntegrationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PRODUCTION = "production", _("In production")
    STOPPED = "stopped", _("Stopped")


class IntegrationDirection(models.TextChoices):
    ONE_WAY = "one-way", _("One-way")
    TWO_WAY = "two-way", _("Two-way")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    GOVERNMENT = "government", _("Government only")


class Assertion(models.TextChoices):
    """How the registry knows about a usage."""

    SELF = "self", _("Stated by the organisation")
    CLAIMED = "claimed", _("Claimed by another party")
    CONFIRMED = "confirmed", _("Claim confirmed")
    REJECTED = "rejected", _("Claim rejected")


class Conformance(models.TextChoices):
    """How a component's conformance to a standard it implements is known."""

    SELF_DECLARED = "self-declared", _("Self-declared")
    TESTED = "tested", _("Tested")


class DependencyKind(models.TextChoices):
    OPEN = "open", _("Open")
    PROPRIETARY = "proprietary", _("Proprietary")
    HARDWARE = "hardware", _("Hardware")


class DependencyUse(models.TextChoices):
    """How a component uses what it depends on. Licence compatibility is a
    question only for code that ends up in the component (incorporated or
    linked); a database it talks to or a standard it implements is not part
    of it, so their licences do not bind it."""

    INCORPORATED = "incorporated", _("Built in")
    LINKED = "linked", _("Linked")
    RUNTIME_SERVICE = "runtime-service", _("Runtime service")
    IMPLEMENTS = "implements", _("Implemented")

    @classmethod
    def licence_binding(cls) -> set[str]:
        """The uses whose licence must go with the component's own."""
        return {cls.INCORPORATED, cls.LINKED}


# Servers a component talks to rather than code it contains: a dependency by
# one of these names is a runtime service unless its publisher says otherwise.
# Names are compared after `service_key()`. SQLite is not here: it is a
# library built into the program that uses it.
RUNTIME_SERVICES = frozenset(
    {
        "activemq",
        "apache activemq",
        "apache http server",
        "apache kafka",
        "apache solr",
        "apache tomcat",
        "clamav",
        "couchdb",
        "docker",
        "elastic search",
        "elasticsearch",
        "haproxy",
        "httpd",
        "kafka",
        "keycloak",
        "kubernetes",
        "mariadb",
        "memcached",
        "microsoft sql server",
        "minio",
        "mongodb",
        "mosquitto",
        "mysql",
        "neo4j",
        "nginx",
        "openldap",
        "opensearch",
        "openshift",
        "oracle",
        "oracle database",
        "postgis",
        "postgres",
        "postgresql",
        "rabbitmq",
        "redis",
        "solr",
        "sql server",
        "tomcat",
        "traefik",
        "varnish",
        "zookeeper",
    }
)


def service_key(name: str) -> str:
    """A dependency name as RUNTIME_SERVICES spells it: lower case, words
    separated by one space, a trailing version left off ('PostgreSQL 14')."""
    words = re.sub(r"[^0-9a-z.]+", " ", name.lower()).split()
    while len(words) > 1 and re.fullmatch(r"v?[0-9][0-9a-z.]*", words[-1]):
        words.pop()
    return " ".join(words)


def is_runtime_service(name: str) -> bool:
    """Whether `name` is a well-known server, also when written 'Redis Server'."""
    key = service_key(name)
    return key in RUNTIME_SERVICES or key.removesuffix(" server") in RUNTIME_SERVICES


class HarvestStatus(models.TextChoices):
    NEVER = "never", _("Never run")
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")
    VANISHED = "vanished", _("File no longer found")


# The publiccode.yml categories vocabulary, as the standard's categories-list
# and the reference parser (publiccode-parser-go, validators/v0.go) have it.
# Earlier versions of this list had "call-center" and "donations", which the
# standard spells "call-center-management" and "donor-management".
CATEGORIES = [
    "accounting",
    "agile-project-management",
    "applicant-tracking",
    "application-development",
    "appointment-scheduling",
    "backup",
    "billing-and-invoicing",
    "blog",
    "budgeting",
    "business-intelligence",
    "business-process-management",
    "cad",
    "call-center-management",
    "cloud-management",
    "collaboration",
    "communications",
    "compliance-management",
    "contact-management",
    "content-management",
    "crm",
    "customer-service-and-support",
    "data-analytics",
    "data-collection",
    "data-visualization",
    "design",
    "design-system",
    "digital-asset-management",
    "digital-citizenship",
    "document-management",
    "donor-management",
    "e-commerce",
    "e-signature",
    "educational-content",
    "email-management",
    "email-marketing",
    "employee-management",
    "enterprise-project-management",
    "enterprise-social-networking",
    "erp",
    "event-management",
    "facility-management",
    "feedback-and-reviews-management",
    "financial-reporting",
    "fleet-management",
    "fundraising",
    "gamification",
    "geographic-information-systems",
    "grant-management",
    "graphic-design",
    "help-desk",
    "hr",
    "ide",
    "identity-management",
    "instant-messaging",
    "integrated-library-system",
    "inventory-management",
    "it-asset-management",
    "it-development",
    "it-management",
    "it-security",
    "it-service-management",
    "knowledge-management",
    "learning-management-system",
    "marketing",
    "mind-mapping",
    "mobile-marketing",
    "mobile-payment",
    "network-management",
    "office",
    "online-booking",
    "online-community",
    "payment-gateway",
    "payroll",
    "predictive-analysis",
    "procurement",
    "productivity-suite",
    "project-collaboration",
    "project-management",
    "property-management",
    "real-estate-management",
    "regulations-and-directives",
    "remote-support",
    "resource-management",
    "sales-management",
    "seo",
    "service-desk",
    "social-media-management",
    "survey",
    "talent-management",
    "task-management",
    "taxes-management",
    "test-management",
    "time-management",
    "time-tracking",
    "translation",
    "video-conferencing",
    "video-editing",
    "visitor-management",
    "voip",
    "warehouse-management",
    "web-collaboration",
    "web-conferencing",
    "website-builder",
    "whistleblowing",
    "workflow-management",
    "other",
]

# The intendedAudience.scope vocabulary of the publiccode.yml standard (scope-list).
SCOPES = [
    "agriculture",
    "culture",
    "defence",
    "education",
    "emergency-services",
    "employment",
    "energy",
    "environment",
    "finance-and-economic-development",
    "foreign-affairs",
    "government",
    "healthcare",
    "infrastructures",
    "justice",
    "local-authorities",
    "manufacturing",
    "research",
    "science-and-technology",
    "security",
    "society",
    "sport",
    "tourism",
    "transportation",
    "welfare",
]


class EventType(models.TextChoices):
    RELEASE_PUBLISHED = "release.published", _("New release")
    COMPONENT_UPDATED = "component.updated", _("Component updated")
    COMPONENT_DEPRECATED = "component.deprecated", _("Component deprecated")
    COMPONENT_LICENSE_CHANGED = "component.licenseChanged", _("Licence changed")
    USAGE_CLAIMED = "usage.claimed", _("Usage claimed")


class TakeOverStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class SpreadsheetPurpose(models.TextChoices):
    USAGES = "usages", _("An organisation's usages")
    CATALOGUE = "catalogue", _("The catalogue's components")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


def default_use(target_kind, name="", kind=DependencyKind.OPEN):
    """How a dependency is used when nobody said: a registered standard or API
    (target_kind: the kind of the component depended on, None when it is not
    registered) is implemented; a well-known server, or hardware, is needed
    beside the component to run it; anything else is taken to be code built
    into the component (the cautious guess: its licence is weighed)."""
    if kind == DependencyKind.HARDWARE:
        return DependencyUse.RUNTIME_SERVICE
    if target_kind in (ComponentKind.STANDARD, ComponentKind.API):
        return DependencyUse.IMPLEMENTS
    if target_kind is None and is_runtime_service(name or ""):
        return DependencyUse.RUNTIME_SERVICE
    return DependencyUse.INCORPORATED


license_ref_validator = RegexValidator(
    r"^LicenseRef-[A-Za-z0-9.\-]+$",
    _("A custom licence id starts with 'LicenseRef-' followed by letters, digits, '.' or '-'."),
)


def in_choices(field, choices):
    """A check constraint's condition: the field holds one of the choices."""
    return Q(**{f"{field}__in": choices.values})


class LinkKind(models.TextChoices):
    """Where a component can be reached besides its repository and homepage: the
    environments of an API (developer.overheid.nl lists them per API) or another page."""

    PRODUCTION = "production", _("Production environment")
    ACCEPTANCE = "acceptance", _("Acceptance environment")
    DEMO = "demo", _("Demo environment")
    OTHER = "other", _("Other link")


class ForeignSource(models.TextChoices):
    """Where a component that was not published here came from."""

    DEVELOPER_OVERHEID = "developer-overheid", _("developer.overheid.nl")
    REGISTRY = "registry", _("Another component registry")
