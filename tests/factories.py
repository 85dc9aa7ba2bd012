import datetime

import factory
from django.contrib.auth import get_user_model

from accounts.constants import MemberRole, OrganisationKind
from accounts.models import Membership, Organisation
from components.constants import ComponentKind, Layer
from components.models import (
    Component,
    CustomerQuestion,
    Dependency,
    Integration,
    License,
    Release,
    Usage,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Voorbeeld {n}")
    slug = factory.Sequence(lambda n: f"gemeente-voorbeeld-{n}")
    kind = OrganisationKind.MUNICIPALITY


class VendorFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Leverancier {n} B.V.")
    slug = factory.Sequence(lambda n: f"leverancier-{n}")
    kind = OrganisationKind.VENDOR


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nl")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.EDITOR


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"component-{n}")
    name = factory.Sequence(lambda n: f"Component {n}")
    kind = ComponentKind.SOFTWARE
    layer = Layer.SERVICES
    short_description = "Een herbruikbaar onderdeel voor gemeenten."
    publisher = factory.SubFactory(VendorFactory)
    license_expression = "EUPL-1.2"

    @factory.post_generation
    def sync(obj, create, extracted, **kwargs):
        # sync=False leaves the licences alone, e.g. for an expression stored unvalidated.
        if create and extracted is not False:
            obj.sync_licenses()


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    component = factory.SubFactory(ComponentFactory)
    version = factory.Sequence(lambda n: f"1.{n}.0")
    release_date = datetime.date(2026, 1, 15)


class UsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Usage

    organisation = factory.SubFactory(OrganisationFactory)
    component = factory.SubFactory(ComponentFactory)


class IntegrationFactory(factory.django.DjangoModelFactory):
    """An integration between two usages of one organisation (made for it when not given)."""

    class Meta:
        model = Integration

    organisation = factory.SubFactory(OrganisationFactory)
    source_usage = factory.SubFactory(
        UsageFactory, organisation=factory.SelfAttribute("..organisation")
    )
    target_usage = factory.SubFactory(
        UsageFactory, organisation=factory.SelfAttribute("..organisation")
    )


class CustomLicenseFactory(factory.django.DjangoModelFactory):
    """A curator-kept LicenseRef licence, e.g. a brand licence reserved to its owner."""

    class Meta:
        model = License
        django_get_or_create = ("id",)

    id = factory.Sequence(lambda n: f"LicenseRef-Custom-{n}")
    name = factory.Sequence(lambda n: f"Custom licence {n}")
    is_custom = True


class DependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dependency

    component = factory.SubFactory(ComponentFactory)
    depends_on = factory.SubFactory(ComponentFactory)


def question(code):
    """One of the 13 customer questions seeded by the migrations."""
    return CustomerQuestion.objects.get(code=code)
