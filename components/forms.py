"""The forms of the members' catalogue pages (components/members.py,
member_integrations.py): a usage of the organisation's own, an integration
between two of its usages, a publiccode.yml to check or import, and the
organisation's harvest sources and webhooks."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput

from .constants import EventType
from .models import (
    CARRIER_KINDS,
    OWN_WORD,
    Component,
    HarvestSource,
    Integration,
    Usage,
    WebhookSubscription,
)
from .models.harvest import MAX_INTERVAL_HOURS

PICKER_SIZE = 10


def find_components(text):
    """The components whose name or identifier contains `text`, for the picker on
    the usage form (with and without JavaScript): at most PICKER_SIZE, by name.

    A substring match, not the catalogue's full-text search: someone picking a
    component types the start of its name ("Acme Za"), which is no whole word.
    """
    return matching_components(text)[:PICKER_SIZE]


def matching_components(text):
    """find_components() before it is cut to PICKER_SIZE, to narrow further."""
    text = (text or "").strip()
    if not text:
        return Component.objects.none()
    return (
        Component.objects.filter(Q(name__icontains=text) | Q(slug__icontains=text))
        .select_related("publisher")
        .order_by("name", "slug")
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


def picker(url, choices):
    """A component field's text box: a combobox fed by `url` with JavaScript
    (component-picker.js), and without it a box with the browser's own
    suggestions (`choices`, a <datalist>) that takes a name or an identifier."""
    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "spellcheck": "false",
            "data-picker": url,
            "list": choices,
        }
    )


class IntegrationForm(forms.ModelForm):
    """Record or edit one of the organisation's integrations: from one of the
    components it uses to another, over a standard or API."""

    source = ComponentField(
        label=_("From"),
        queryset=Component.objects.none(),
        to_field_name="slug",
        help_text=_("A component your organisation uses: its name or its identifier."),
        error_messages={
            "invalid_choice": _(
                "Your organisation records no usage of this component; record that first."
            )
        },
    )
    target = ComponentField(
        label=_("To"),
        queryset=Component.objects.none(),
        to_field_name="slug",
        help_text=_("Another component your organisation uses."),
        error_messages={
            "invalid_choice": _(
                "Your organisation records no usage of this component; record that first."
            )
        },
    )
    standard = ComponentField(
        label=_("Over the standard or API"),
        queryset=Component.objects.filter(kind__in=CARRIER_KINDS),
        to_field_name="slug",
        required=False,
        help_text=_("E.g. 'API-standaarden voor Zaakgericht Werken', 'StUF', 'Digikoppeling'."),
        error_messages={"invalid_choice": _("There is no standard or API with this name.")},
    )

    class Meta:
        model = Integration
        fields = ["direction", "status", "since", "until", "visibility", "notes"]
        widgets = {
            "since": DateInput(),
            "until": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect(),
            "direction": forms.RadioSelect(),
        }

    field_order = ["source", "target", "standard", "direction", "status", "since", "until"]

    def __init__(self, *args, organisation, urls, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {}).update(
                {
                    "source": instance.source_usage.component.name,
                    "target": instance.target_usage.component.name,
                    "standard": instance.standard.name if instance.standard else "",
                }
            )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.usages = organisation.usages.filter(assertion__in=OWN_WORD)
        used = Component.objects.filter(pk__in=self.usages.values("component_id"))
        for name in ("source", "target"):
            self.fields[name].queryset = used
            self.fields[name].widget = picker(urls["used"], "picker-used")
        self.fields["standard"].widget = picker(urls["standards"], "picker-standards")

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source and target and source == target:
            self.add_error("target", _("An integration connects two different components."))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date cannot be before the start date."))
        if self.errors:
            return cleaned
        usages = {u.component_id: u for u in self.usages.filter(component__in=[source, target])}
        self.instance.organisation = self.organisation
        self.instance.source_usage = usages[source.pk]
        self.instance.target_usage = usages[target.pk]
        self.instance.standard = cleaned.get("standard")
        same = Integration.objects.filter(
            source_usage=self.instance.source_usage,
            target_usage=self.instance.target_usage,
            standard=self.instance.standard,
            assertion__in=OWN_WORD,
        ).exclude(pk=self.instance.pk)
        if same.exists():
            self.add_error(
                None, _("Your organisation already records this integration; edit that one.")
            )
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


def _address(help_text):
    # An address typed without a scheme is read as https (the API requires one).
    return forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=help_text,
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


class HarvestSourceForm(forms.ModelForm):
    """A harvest source of the organisation's own. The rules are the model's (the
    SSRF guard on the URL, the interval's bounds, one source per URL), as in the
    API."""

    url = _address(
        _(
            "The address of the publiccode.yml itself, or of a GitHub or GitLab "
            "repository with the file at its root, e.g. https://github.com/owner/repo."
        )
    )

    class Meta:
        model = HarvestSource
        fields = ["url", "interval_hours", "enabled"]
        labels = {
            "interval_hours": _("Fetch every (hours)"),
            "enabled": _("Fetch it regularly"),
        }
        help_texts = {
            "interval_hours": _("From 1 to 8760 (a year); 24 is once a day."),
            "enabled": _("Untick to pause the source: it is not fetched until you tick it again."),
        }
        widgets = {
            "interval_hours": forms.NumberInput(attrs={"min": 1, "max": MAX_INTERVAL_HOURS}),
        }


class WebhookForm(forms.ModelForm):
    """A webhook subscription of the organisation's own. The rules are the
    model's (the SSRF guard on the URL, one subscription per URL), as in the API."""

    url = _address(
        _("Where the registry POSTs the events, e.g. https://example.org/hooks/registry.")
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to receive every kind of event."),
    )

    class Meta:
        model = WebhookSubscription
        fields = ["url", "event_types", "active"]
        labels = {"active": _("Send events")}
        help_texts = {
            "active": _(
                "Untick to pause the webhook. Ticking it again also resumes a webhook that "
                "the registry paused after failed deliveries."
            ),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if self.instance.pk is None:
            del self.fields["active"]  # a new webhook sends from the start

    def clean_url(self):
        url = self.cleaned_data["url"]
        if WebhookSubscription.url_taken(self.organisation, url, exclude=self.instance):
            raise forms.ValidationError(ALREADY_SUBSCRIBED)
        return url


ALREADY_SUBSCRIBED = _("Your organisation already has a webhook for this address.")
