"""The forms of the members' catalogue pages (components/members.py): a usage of
the organisation's own, and a publiccode.yml to check or import."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput

from .models import Component, Usage

PICKER_SIZE = 10


def find_components(text):
    """The components whose name or identifier contains `text`, for the picker on
    the usage form (with and without JavaScript): at most PICKER_SIZE, by name.

    A substring match, not the catalogue's full-text search: someone picking a
    component types the start of its name ("Acme Za"), which is no whole word.
    """
    text = (text or "").strip()
    if not text:
        return Component.objects.none()
    return (
        Component.objects.filter(Q(name__icontains=text) | Q(slug__icontains=text))
        .select_related("publisher")
        .order_by("name", "slug")[:PICKER_SIZE]
    )


class ComponentField(forms.ModelChoiceField):
    """A component by its identifier or, when exactly one has it, its exact name:
    what the combobox submits when someone types a name and does not pick."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            matches = list(self.queryset.filter(name__iexact=str(value).strip())[:2])
            if len(matches) == 1:
                return matches[0]
            raise


class UsageForm(forms.ModelForm):
    """Record or edit one of the organisation's own usages."""

    component = ComponentField(
        label=_("Component"),
        # The publisher is read by the reuse verdict asked before saving.
        queryset=Component.objects.select_related("publisher"),
        to_field_name="slug",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Its name or its identifier (as in its web address), e.g. 'Open Zaak' or 'open-zaak'."
        ),
        error_messages={"invalid_choice": _("There is no component with this identifier.")},
    )

    class Meta:
        model = Usage
        fields = ["component", "release", "status", "since", "until", "visibility", "notes"]
        widgets = {
            "since": DateInput(),
            "until": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect(),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if self.instance.pk:
            # The component of a usage does not change; only its release can.
            del self.fields["component"]
            self.fields["release"].queryset = self.instance.component.releases.all()
        else:
            del self.fields["release"]
        if "release" in self.fields:
            self.fields["release"].empty_label = _("Not specified")

    def clean_component(self):
        component = self.cleaned_data["component"]
        if Usage.objects.filter(organisation=self.organisation, component=component).exists():
            raise forms.ValidationError(
                _("Your organisation already records a usage of this component; edit that one.")
            )
        return component

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date cannot be before the start date."))
        return cleaned


class PubliccodeForm(forms.Form):
    """A publiccode.yml to check or import: pasted, or uploaded as a file."""

    MAX_BYTES = 1_000_000

    text = forms.CharField(
        label=_("Contents of the publiccode.yml"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("Or upload the file"),
        required=False,
        help_text=_("A publiccode.yml of at most 1 MB; it takes the place of the text above."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None

    def clean(self):
        cleaned = super().clean()
        if "file" in self.errors:
            return cleaned
        content = cleaned.get("file") or cleaned.get("text") or ""
        if not content.strip():
            self.add_error("text", _("Paste a publiccode.yml or choose a file."))
        cleaned["content"] = content
        return cleaned
