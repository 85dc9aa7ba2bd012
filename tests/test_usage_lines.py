"""How a usage reads on public pages: a stopped usage says when it ran."""

import datetime

import pytest
from django.test import Client

from components.constants import UsageStatus

from .factories import UsageFactory

pytestmark = pytest.mark.django_db


def test_a_stopped_usage_says_from_when_until_when(utrecht, acme_component):
    UsageFactory(
        organisation=utrecht,
        component=acme_component,
        status=UsageStatus.STOPPED,
        since=datetime.date(2012, 1, 1),
        until=datetime.date(2024, 3, 31),
    )
    component_page = Client().get("/componenten/acme-zaken").content.decode()
    organisation_page = Client().get("/organisaties/gemeente-utrecht").content.decode()
    for page in (component_page, organisation_page):
        assert "van 1 januari 2012 tot 31 maart 2024" in page
        assert "sinds 1 januari 2012" not in page
    english = Client().get("/en/components/acme-zaken").content.decode()
    assert "from 1 January 2012 until 31 March 2024" in english


def test_a_usage_in_production_says_since_when(utrecht, acme_component):
    UsageFactory(
        organisation=utrecht,
        component=acme_component,
        status=UsageStatus.PRODUCTION,
        since=datetime.date(2019, 5, 1),
    )
    assert "sinds 1 mei 2019" in Client().get("/componenten/acme-zaken").content.decode()
