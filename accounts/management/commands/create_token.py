from datetime import timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Organisation
from audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Create an API token for an organisation. The token is printed once, as the "
        "last line, and only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="Slug of the organisation.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Let the token expire after this many days (default: no expiry).",
        )
        parser.add_argument(
            "--curator",
            action="store_true",
            help=(
                "A curator's token: it may also import other catalogues through the API "
                "(POST /api/v1/imports/don). For the curators' own organisation."
            ),
        )

    def handle(self, *args, organisation, name, expires_in_days, curator=False, **options):
        name = name.strip()
        if not name:
            raise CommandError("the token needs a name")
        if len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("the token name is longer than 100 characters")
        if expires_in_days is not None and expires_in_days <= 0:
            raise CommandError("--expires-in-days must be a positive number")
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"no organisation with slug {organisation!r}")
        if org.is_concept:
            raise CommandError(f"{org.name} awaits a curator's approval; it gets no API tokens yet")
        if org.api_tokens.filter(name=name, revoked_at__isnull=True).exists():
            raise CommandError(f"{org.name} already has a token named {name!r}")
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        with transaction.atomic():
            token, plaintext = ApiToken.issue(org, name, expires_at=expires_at, is_curator=curator)
        self.stderr.write(
            f"Token {token.name!r} for {org.name} created. It is shown once; store it now."
        )
        self.stdout.write(plaintext)
