"""Which language speaks where.

The website is Dutch by default and English under /en/ (i18n_patterns). The
API and its OpenAPI document are English whatever the site's default: field
names, problem titles and the schema's descriptions stay in one language, and
the committed openapi.yaml does not change with the translations.
"""

from django.utils import translation


class EnglishApiMiddleware:
    """Put after LocaleMiddleware: /api/ requests are answered in English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
        return self.get_response(request)


def english_schema(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: generate the schema in English, also from
    `manage.py spectacular`, which would otherwise use LANGUAGE_CODE (Dutch)."""
    translation.activate("en")
    return endpoints
