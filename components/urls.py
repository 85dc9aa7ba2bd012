"""The public website. Included under i18n_patterns: Dutch paths at /, English
ones under /en/ (the path words are translated with the "URL" context)."""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from . import views

COMPONENTS = pgettext_lazy("URL", "components")
ORGANISATIONS = pgettext_lazy("URL", "organisations")
QUESTIONS = pgettext_lazy("URL", "customer-questions")
FIGURES = pgettext_lazy("URL", "figures")
LICENCES = pgettext_lazy("URL", "licences")

urlpatterns = [
    path("", views.home, name="home"),
    path(COMPONENTS, views.catalogue, name="component-list"),
    path(
        format_lazy("{}/<slug:slug>", COMPONENTS), views.component_detail, name="component-detail"
    ),
    path(ORGANISATIONS, views.organisation_list, name="organisation-list"),
    path(
        format_lazy("{}/<slug:slug>", ORGANISATIONS),
        views.organisation_detail,
        name="organisation-detail",
    ),
    path(QUESTIONS, views.question_list, name="question-list"),
    path(format_lazy("{}/<slug:code>", QUESTIONS), views.question_detail, name="question-detail"),
    path(FIGURES, views.figures, name="figures"),
    path(LICENCES, views.licence_list, name="licence-list"),
    path(format_lazy("{}/<str:license_id>", LICENCES), views.licence_detail, name="licence-detail"),
    path(pgettext_lazy("URL", "about"), views.about, name="about"),
]
