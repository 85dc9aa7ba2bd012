"""The public website. Included under i18n_patterns: Dutch paths at /, English
ones under /en/ (the path words are translated with the "URL" context)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import views


def url(word, rest=""):
    return format_lazy("{}{}", pgettext_lazy("URL", word), rest)


urlpatterns = [
    path("", views.home, name="home"),
    path(url("components"), views.catalogue, name="component-list"),
    path(url("components", "/<slug:slug>"), views.component_detail, name="component-detail"),
    path(url("organisations"), views.organisation_list, name="organisation-list"),
    path(
        url("organisations", "/<slug:slug>"),
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(url("customer-questions"), views.question_list, name="question-list"),
    path(url("customer-questions", "/<slug:code>"), views.question_detail, name="question-detail"),
    path(url("figures"), views.figures, name="figures"),
]
