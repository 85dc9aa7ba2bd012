"""The catalogue's models, one module per part of the domain.

``catalogue``: licences, customer questions, UPL products, components, their
dependencies and releases. ``usage``: who reuses what (and names in a
publiccode.yml ``usedBy`` that match no organisation). ``harvest``: where
publiccode.yml files are fetched from. ``events``: the event log and the
webhooks that deliver it. ``spreadsheets``: uploaded spreadsheets kept
between their preview and their saving. ``lifecycle``: take-over claims on
concept components, and the old slugs of merged components.
"""

from .catalogue import Component, CustomerQuestion, Dependency, License, Release, UplProduct
from .events import Event, WebhookDelivery, WebhookSubscription
from .harvest import HarvestSource
from .lifecycle import ComponentRedirect, TakeOverClaim
from .spreadsheets import SpreadsheetUpload
from .usage import OWN_WORD, UnmatchedUser, Usage

__all__ = [
    "OWN_WORD",
    "Component",
    "ComponentRedirect",
    "CustomerQuestion",
    "Dependency",
    "Event",
    "HarvestSource",
    "License",
    "Release",
    "SpreadsheetUpload",
    "TakeOverClaim",
    "UnmatchedUser",
    "UplProduct",
    "Usage",
    "WebhookDelivery",
    "WebhookSubscription",
]
