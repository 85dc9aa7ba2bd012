"""The live site's small catalogue, run inside `manage.py shell -c` against the
live database (never the test database): a vendor with a token, a
municipality with a member and a token, the vendor's component, and the
municipality's public usage of it. Organisations and tokens come from the
project's own bootstrapping commands, as the README describes them.

Prints one JSON line, the last, with what the tests need to know.
"""

import io
import json

from django.core.management import call_command
from django.db import transaction

VENDOR = "Prodtier Software B.V."
MUNICIPALITY = "Gemeente Prodtier"
PEER = "Gemeente Peertier"  # same kind, uses nothing: its page recommends what the other uses
COMPONENT_SLUG = "prodtier-zaken"
COMPONENT_NAME = "Prodtier Zaakregistratie"


def _command(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue().strip().splitlines()[-1]


def main():
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Organisation
    from components.constants import ComponentKind, Layer, UsageStatus, Visibility
    from components.models import Component, Usage

    vendor_slug = _command("create_organisation", VENDOR, kind="vendor")
    municipality_slug = _command(
        "create_organisation", MUNICIPALITY, kind="municipality", cbs_code="GM9999"
    )
    peer_slug = _command("create_organisation", PEER, kind="municipality", cbs_code="GM9998")
    vendor_token = _command("create_token", vendor_slug, name="production tests")
    municipality_token = _command("create_token", municipality_slug, name="production tests")

    with transaction.atomic():
        vendor = Organisation.objects.get(slug=vendor_slug)
        municipality = Organisation.objects.get(slug=municipality_slug)
        member = get_user_model().objects.create_user("mila", password="correct horse battery")
        Membership.objects.create(user=member, organisation=municipality)
        component = Component.objects.create(
            slug=COMPONENT_SLUG,
            name=COMPONENT_NAME,
            kind=ComponentKind.SOFTWARE,
            layer=Layer.SERVICES,
            short_description="Zaken registreren en volgen.",
            publisher=vendor,
            license_expression="EUPL-1.2",
        )
        component.sync_licenses()
        usage = Usage.objects.create(
            organisation=municipality,
            component=component,
            status=UsageStatus.PRODUCTION,
            visibility=Visibility.PUBLIC,
        )

    print(
        json.dumps(
            {
                "vendor_slug": vendor_slug,
                "vendor_name": VENDOR,
                "vendor_token": vendor_token,
                "municipality_slug": municipality_slug,
                "municipality_name": MUNICIPALITY,
                "municipality_token": municipality_token,
                "peer_slug": peer_slug,
                "component_slug": COMPONENT_SLUG,
                "component_name": COMPONENT_NAME,
                "usage_id": usage.pk,
            }
        )
    )
