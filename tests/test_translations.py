"""The Dutch catalogue: complete, compiled by the setup, and used by the site."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_dutch_catalogue_is_translated_and_none_is_fuzzy():
    with PO.open("rb") as source:
        catalog = read_po(source)
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            "fuzzy" in message.flags
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert not untranslated
    assert not catalog.fuzzy  # a fuzzy header makes the compiler skip the whole file


def test_no_compiled_catalogue_is_committed():
    ignored = (Path(settings.BASE_DIR) / ".gitignore").read_text().split()
    assert "*.mo" in ignored
