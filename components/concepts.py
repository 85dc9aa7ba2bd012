"""The member pages for concept components: adding one (a component the
catalogue lacks, used by the member's organisation) and taking one over (the
vendor that publishes it). The domain rules are in takeover.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.views import membership_or_404

from .constants import ComponentKind, UsageStatus
from .licensing import parse_expression
from .models import Component
from .takeover import TakeOverError, add_concept_component, claim_takeover


class ConceptComponentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the component"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=ComponentKind.choices, initial=ComponentKind.SOFTWARE
    )
    vendor = forms.CharField(
        label=gettext_lazy("Vendor"),
        max_length=200,
        help_text=gettext_lazy(
            "Who makes or sells it. A vendor the registry does not know yet is added as a "
            "concept, until it registers itself."
        ),
    )
    short_description = forms.CharField(
        label=gettext_lazy("Short description"),
        max_length=150,
        help_text=gettext_lazy("One line, at most 150 characters."),
    )
    licence = forms.CharField(
        label=gettext_lazy("Licence"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "An SPDX expression such as EUPL-1.2 when you know it; leave it empty for the "
            "vendor's own (proprietary) licence."
        ),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Your organisation's use"),
        choices=UsageStatus.choices,
        initial=UsageStatus.PRODUCTION,
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Component.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                _("The catalogue has a component with this name; record your usage of that one.")
            )
        return name

    def clean_licence(self):
        licence = self.cleaned_data["licence"].strip()
        if licence:
            try:
                parse_expression(licence)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from None
        return licence


@login_required
def concept_component(request, organisation):
    membership = membership_or_404(request, organisation)
    org = membership.organisation
    form = ConceptComponentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        component, _usage = add_concept_component(org, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Added %(c)s as a concept component, with your organisation's use of it.")
            % {"c": component.name},
        )
        return redirect("component-detail", slug=component.slug)
    return render(
        request,
        "components/members/concept_component.html",
        {"membership": membership, "organisation": org, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def take_over(request, organisation, slug):
    membership = membership_or_404(request, organisation)
    component = get_object_or_404(Component.objects.select_related("publisher"), slug=slug)
    try:
        claim = claim_takeover(component, membership.organisation)
    except TakeOverError as exc:
        messages.error(request, str(exc))
    else:
        if claim.status == "confirmed":
            text = _("%(org)s publishes %(c)s now.")
        else:
            text = _("Your claim that %(org)s publishes %(c)s awaits a curator.")
        messages.success(request, text % {"org": membership.organisation.name, "c": component.name})
    return redirect("component-detail", slug=component.slug)
