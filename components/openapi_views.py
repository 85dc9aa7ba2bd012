"""A publisher uploads the OpenAPI document of one of its API components on the
site, for a document that is not public: /mijn-organisatie/<slug>/openapi. The
same check as the API's upload (components/quality.py): validated as OpenAPI,
linted against the NL API Design Rules with Spectral, the result stored in the
component's history of checks and shown on its page."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.views import membership_or_404

from . import quality
from .constants import ComponentKind
from .models import Component

logger = logging.getLogger(__name__)


class OpenApiUploadForm(forms.Form):
    component = forms.ModelChoiceField(
        label=gettext_lazy("API component"),
        queryset=Component.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("One of the APIs your organisation publishes."),
    )
    file = forms.FileField(
        label=gettext_lazy("OpenAPI document"),
        help_text=gettext_lazy("YAML or JSON, at most %(size)s."),
    )

    def __init__(self, organisation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = Component.objects.filter(
            publisher=organisation, kind=ComponentKind.API
        ).order_by("name")
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": filesizeformat(settings.HARVEST_MAX_BYTES)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.HARVEST_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(settings.HARVEST_MAX_BYTES)}
            )
        content = upload.read()
        if not content.strip():
            raise forms.ValidationError(_("The file is empty."))
        return content


@login_required
def openapi_upload(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    form = OpenApiUploadForm(org, request.POST or None, request.FILES or None)
    if not request.POST and request.GET.get("component"):
        form.initial["component"] = (
            form.fields["component"].queryset.filter(slug=request.GET["component"]).first()
        )
    if request.method == "POST" and form.is_valid():
        component = form.cleaned_data["component"]
        try:
            lint = quality.record(component, form.cleaned_data["file"])
        except quality.LintError as exc:
            form.add_error("file", str(exc.message))
        else:
            messages.success(
                request,
                _("Checked the OpenAPI document of %(c)s: score %(score)s%%.")
                % {"c": component.name, "score": lint.score},
            )
            return redirect(reverse("component-detail", args=[component.slug]) + "#quality-heading")
    return render(
        request,
        "components/members/openapi_upload.html",
        {"membership": membership, "organisation": org, "form": form},
    )
