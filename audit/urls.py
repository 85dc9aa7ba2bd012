from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from accounts.urls import MINE

from . import views

urlpatterns = [
    path(
        format_lazy("{}/{}", MINE, pgettext_lazy("URL", "activity")),
        views.organisation_log,
        name="member-activity",
    ),
]
