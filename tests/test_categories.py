"""publiccode.yml categories read as words in the reader's language."""

import pytest
from django.test import Client

from components.categories import LABELS, category_label
from components.constants import CATEGORIES

from .factories import ComponentFactory


def test_every_category_of_the_standard_has_an_english_and_a_dutch_name():
    assert set(CATEGORIES) <= set(LABELS)
    assert all(english and dutch for english, dutch in LABELS.values())


def test_an_unknown_category_is_shown_as_written():
    assert category_label("quantum-gardening", "nl") == "quantum-gardening"


@pytest.mark.django_db
def test_the_component_page_names_categories_in_the_readers_language(acme):
    ComponentFactory(slug="stijl", publisher=acme, categories=["graphic-design", "design-system"])
    dutch = Client().get("/componenten/stijl").content.decode()
    assert "Grafisch ontwerp, Designsysteem" in dutch and "graphic-design" not in dutch
    english = Client().get("/en/components/stijl").content.decode()
    assert "Graphic design, Design system" in english
