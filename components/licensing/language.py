"""Languages: every sentence the licensing modules write exists in Dutch and
English; `.text` gives the one of the active language (Dutch unless English
is asked for)."""

from collections.abc import Iterable

from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "nl").lower().startswith("en")


class Bilingual:
    @property
    def text(self) -> str:
        return self.text_en if english() else self.text_nl


def lower_first(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def join_words(items: Iterable[str], word: str) -> str:
    """'a', 'a and b', 'a, b and c' (word: the language's 'and' or 'or')."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"
