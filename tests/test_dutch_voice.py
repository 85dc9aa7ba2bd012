"""The site speaks to its reader with "je", as NL Design System and the
Rijksoverheid do, everywhere: no Dutch text says "u" or "uw"."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
FORMAL = re.compile(r"\b(u|uw|U|Uw|uzelf)\b")


def test_no_dutch_interface_text_says_u_or_uw():
    with PO.open("rb") as source:
        catalog = read_po(source)
    formal = []
    for message in catalog:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        formal += [text for text in texts if message.id and FORMAL.search(text or "")]
    assert not formal, formal
