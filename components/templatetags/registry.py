"""Small presentation helpers for the site's templates; no database access here."""

from django import template
from django.forms.utils import flatatt
from django.forms.widgets import ChoiceWidget
from django.urls import translate_url
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, ngettext

from accounts.constants import OrganisationKind
from components.categories import category_label
from components.constants import EventType

register = template.Library()


@register.filter
def localised(obj, field):
    """The English variant of a field (`name_en`) on English pages when it is filled
    in, else the Dutch one."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


def kind_count(kind, n):
    """'3 municipalities', in words, for an organisation kind."""
    words = {
        OrganisationKind.MUNICIPALITY: ngettext("%(n)d municipality", "%(n)d municipalities", n),
        OrganisationKind.PROVINCE: ngettext("%(n)d province", "%(n)d provinces", n),
        OrganisationKind.WATER_AUTHORITY: ngettext(
            "%(n)d water authority", "%(n)d water authorities", n
        ),
        OrganisationKind.CENTRAL_GOVERNMENT: ngettext(
            "%(n)d central government organisation", "%(n)d central government organisations", n
        ),
        OrganisationKind.OTHER_PUBLIC: ngettext(
            "%(n)d other public body", "%(n)d other public bodies", n
        ),
        OrganisationKind.COOPERATION: ngettext("%(n)d cooperation", "%(n)d cooperations", n),
        OrganisationKind.VENDOR: ngettext("%(n)d vendor", "%(n)d vendors", n),
    }
    return words.get(kind, ngettext("%(n)d organisation", "%(n)d organisations", n)) % {"n": n}


@register.filter
def hidden_summary(counts):
    """{kind: n} → '3 municipalities, 1 province' (kinds in their usual order)."""
    if not counts:
        return ""
    return ", ".join(
        kind_count(kind, counts[kind]) for kind in OrganisationKind.values if counts.get(kind)
    )


@register.filter
def percent(value, total):
    try:
        return round(100 * value / total) if total else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag(takes_context=True)
def url_in_language(context, code):
    """This page in another language (same query string), for the language switch."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), code)


@register.filter
def kind_labels(kinds):
    """['municipality', 'province'] → 'Municipality, Province' in the page's language."""
    labels = dict(OrganisationKind.choices)
    return ", ".join(str(labels.get(kind, kind)) for kind in kinds or [])


_WIDGET_CLASSES = {
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "radio": "utrecht-radio-button utrecht-radio-button--html-input",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
}


@register.filter
def widget(field):
    """Render a form field's widget with the design system's classes, and tie its
    help text and errors to it (aria-describedby, aria-invalid)."""
    input_type = getattr(field.field.widget, "input_type", None)
    template_name = getattr(field.field.widget, "template_name", "")
    if "textarea" in template_name:
        kind = "textarea"
    elif input_type in ("radio", "checkbox"):
        kind = input_type
    elif "select" in template_name:
        kind = "select"
    else:
        kind = "textbox"
    classes = _WIDGET_CLASSES.get(kind, "utrecht-textbox utrecht-textbox--html-input")
    describedby = []
    attrs = {"class": classes}
    if field.help_text:
        describedby.append(f"{field.auto_id}_helptext")
    if field.errors:
        describedby.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        if kind in ("textbox", "select", "textarea"):
            attrs["class"] += f" utrecht-{kind}--invalid"
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if kind in ("radio", "checkbox") and isinstance(field.field.widget, ChoiceWidget):
        return _choices(field, kind, attrs)
    return field.as_widget(attrs=attrs)


def _choices(field, kind, attrs):
    """A group of radio buttons or checkboxes, one line each: the design system's
    class on each input and its label beside it. (Django's own rendering puts the
    class on the wrapping element too, which then took the 20 px width of a radio
    button and ran every label letter by letter over the next field.)"""
    rows = []
    for option in field.subwidgets:
        data = option.data
        input_attrs = {
            "type": kind,
            "name": data["name"],
            "value": data["value"],
            "id": data["attrs"]["id"],
            **attrs,
        }
        if data["selected"]:
            input_attrs["checked"] = True
        rows.append(
            format_html(
                '<div class="site-choice"><input{}>'
                '<label class="utrecht-form-label utrecht-form-label--{}" for="{}">{}</label>'
                "</div>",
                flatatt(input_attrs),
                kind,
                data["attrs"]["id"],
                data["label"],
            )
        )
    return format_html(
        '<div class="site-choices" id="{}">{}</div>',
        field.auto_id,
        format_html_join("", "{}", ((row,) for row in rows)),
    )


@register.filter
def event_type_names(types):
    """Webhook event types ('release.published') by their names, in the reader's language."""
    labels = dict(EventType.choices)
    return ", ".join(str(labels.get(kind, kind)) for kind in types or ())


@register.filter
def category_names(slugs):
    """publiccode.yml categories in the reader's language, comma-separated."""
    return ", ".join(category_label(slug) for slug in slugs or ())
