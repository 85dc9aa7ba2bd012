"""Which language speaks where.

The website is Dutch at / and English under /en/ (i18n_patterns without a
prefix for the default language). That setting makes LocaleMiddleware use
LANGUAGE_CODE for every path without a prefix, also for the API and the feeds,
which are no site pages. The API is documented in English and speaks English
throughout, whatever the client's Accept-Language (a Dutch title over an
English detail confused its users). The feeds choose by Accept-Language (Dutch
when the client states nothing). The OpenAPI document is generated in English,
so the committed openapi.yaml does not change with the Dutch catalogue.
"""

from django.utils import translation

NEGOTIATED = ("/feeds/",)
ENGLISH_ONLY = ("/api/",)


class NegotiatedLanguageMiddleware:
    """Put after LocaleMiddleware: the API in English, feeds by Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        if request.path.startswith(ENGLISH_ONLY):
            language = "en"
        elif request.path.startswith(NEGOTIATED):
            language = translation.get_language_from_request(request, check_path=False)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def english_schema(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: generate the schema in English, also from
    `manage.py spectacular`, which would otherwise use LANGUAGE_CODE (Dutch)."""
    translation.activate("en")
    return endpoints
