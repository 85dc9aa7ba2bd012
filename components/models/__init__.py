"""The catalogue's models, one module per part of the domain.

``catalogue``: licences, customer questions, UPL products, components, their
dependencies and releases. ``usage``: who reuses what (and names in a
publiccode.yml ``usedBy`` that match no organisation). ``harvest``: where
publiccode.yml files are fetched from. ``links``: where a component can be
reached (the environments of an API). ``sources``: components that came from
another catalogue. ``events``: the event log and the webhooks that deliver it.
``integrations``: which of an organisation's components talk to which, over
which standard (its landscape).
``spreadsheets``: uploaded spreadsheets kept between their preview and their
saving. ``lifecycle``: take-over claims on concept components, and the old
slugs of merged components.
``tally``: how many organisations of each kind use each component.
``quality``: checks of API components' OpenAPI documents against the API
Design Rules.
"""

from .catalogue import Component, CustomerQuestion, Dependency, License, Release, UplProduct
from .events import Event, WebhookDelivery, WebhookSubscription
from .harvest import HarvestSource
from .integrations import CARRIER_KINDS, Integration
from .lifecycle import ComponentRedirect, TakeOverClaim
from .links import ComponentLink
from .quality import ApiLint
from .sources import ForeignRecord, Peer
from .spreadsheets import SpreadsheetUpload
from .tally import UseTally
from .usage import OWN_WORD, ClaimAnswerMixin, UnmatchedUser, Usage

__all__ = [
    "CARRIER_KINDS",
    "OWN_WORD",
    "ApiLint",
    "ClaimAnswerMixin",
    "Component",
    "ComponentLink",
    "ComponentRedirect",
    "CustomerQuestion",
    "Dependency",
    "Event",
    "ForeignRecord",
    "HarvestSource",
    "Integration",
    "License",
    "Peer",
    "Release",
    "SpreadsheetUpload",
    "TakeOverClaim",
    "UnmatchedUser",
    "UplProduct",
    "Usage",
    "UseTally",
    "WebhookDelivery",
    "WebhookSubscription",
]
