"""The catalogue's models, one module per part of the domain.

``catalogue``: licences, customer questions, UPL products, components, their
dependencies and releases. ``usage``: who reuses what (and names in a
publiccode.yml ``usedBy`` that match no organisation). ``harvest``: where
publiccode.yml files are fetched from. ``events``: the event log and the
webhooks that deliver it. ``integrations``: which of an organisation's
components talk to which, over which standard (its landscape). ``quality``:
checks of API components' OpenAPI documents against the API Design Rules.
"""

from .catalogue import Component, CustomerQuestion, Dependency, License, Release, UplProduct
from .events import Event, WebhookDelivery, WebhookSubscription
from .harvest import HarvestSource
from .integrations import CARRIER_KINDS, Integration
from .quality import ApiLint
from .usage import OWN_WORD, ClaimAnswerMixin, UnmatchedUser, Usage

__all__ = [
    "CARRIER_KINDS",
    "OWN_WORD",
    "ApiLint",
    "ClaimAnswerMixin",
    "Component",
    "CustomerQuestion",
    "Dependency",
    "Event",
    "HarvestSource",
    "Integration",
    "License",
    "Release",
    "UnmatchedUser",
    "UplProduct",
    "Usage",
    "WebhookDelivery",
    "WebhookSubscription",
]
