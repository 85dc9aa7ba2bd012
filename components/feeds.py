"""Atom feeds of what happens to components: per component, and per
organisation for the components it uses. Feeds are anonymous, so an
organisation's feed only follows the usages that are public."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from accounts.models import Organisation

from .constants import EventType
from .models import Component, Event, Usage
from .query import Viewer

FEED_EVENT_LIMIT = 50
# Usage claims concern one organisation; they are for its webhooks, not a public feed.
PUBLIC_EVENT_TYPES = [
    EventType.RELEASE_PUBLISHED,
    EventType.COMPONENT_UPDATED,
    EventType.COMPONENT_DEPRECATED,
    EventType.COMPONENT_LICENSE_CHANGED,
]


def site_url(name: str, slug: str) -> str:
    """The page's address on the Dutch site, whatever language the feed speaks:
    a feed reader stores the links, and the Dutch paths are the canonical ones."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, args=[slug])


def describe(event) -> str:
    """The event in the feed's language. The stored summary is English (it goes
    into webhook payloads, which are English like the API); a Dutch feed reader
    gets Dutch entries."""
    name = event.component.name
    data = event.data or {}
    if event.type == EventType.RELEASE_PUBLISHED and data.get("version"):
        return _("%(name)s %(version)s released") % {"name": name, "version": data["version"]}
    if event.type == EventType.COMPONENT_DEPRECATED:
        return _("%(name)s is deprecated") % {"name": name}
    if event.type == EventType.COMPONENT_LICENSE_CHANGED and "new" in data:
        return _("%(name)s: licence %(old)s → %(new)s") % {
            "name": name,
            "old": data.get("old") or "\u2013",
            "new": data["new"],
        }
    if event.type == EventType.COMPONENT_UPDATED:
        return _("%(name)s was updated") % {"name": name}
    return event.summary


class EventFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, event) -> str:
        return describe(event)

    def item_description(self, event) -> str:
        return describe(event)

    def item_link(self, event) -> str:
        return site_url("component-detail", event.component.slug)

    def item_guid(self, event) -> str:
        return f"{settings.SITE_URL}/events/{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event) -> datetime:
        return event.created_at

    def item_updateddate(self, event) -> datetime:
        return event.created_at

    def item_categories(self, event) -> list[str]:
        return [event.type]

    def events(self) -> QuerySet[Event]:
        return Event.objects.filter(type__in=PUBLIC_EVENT_TYPES).select_related("component")


class ComponentFeed(EventFeed):
    def get_object(self, request, slug) -> Component:
        return get_object_or_404(Component, slug=slug)

    def title(self, component) -> str:
        return _("Changes to %(name)s") % {"name": component.name}

    def link(self, component) -> str:
        return site_url("component-detail", component.slug)

    def subtitle(self, component) -> str:
        return component.short_description

    def items(self, component) -> QuerySet[Event]:
        return self.events().filter(component=component)[:FEED_EVENT_LIMIT]


class UsedComponentsFeed(EventFeed):
    def get_object(self, request, slug) -> Organisation:
        return get_object_or_404(Organisation, slug=slug)

    def title(self, organisation) -> str:
        return _("Changes to components %(name)s uses") % {"name": organisation.name}

    def link(self, organisation) -> str:
        return site_url("organisation-detail", organisation.slug)

    def subtitle(self, organisation) -> str:
        return self.title(organisation)

    def items(self, organisation) -> QuerySet[Event]:
        used = (
            Usage.objects.visible_to(Viewer.anonymous())
            .counted()
            .filter(organisation=organisation)
            .values("component_id")
        )
        return self.events().filter(component_id__in=used)[:FEED_EVENT_LIMIT]
