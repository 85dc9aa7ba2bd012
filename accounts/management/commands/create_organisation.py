from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.constants import OrganisationKind
from accounts.models import Organisation
from audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Register an organisation and print its slug."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Official name, e.g. 'Gemeente Utrecht'.")
        parser.add_argument(
            "--kind",
            required=True,
            help="One of: " + ", ".join(OrganisationKind.values),
        )
        parser.add_argument("--cbs-code", default="", help="CBS code, e.g. GM0344.")
        parser.add_argument("--oin", default="", help="OIN, 20 digits.")
        parser.add_argument("--website", default="", help="Public website.")

    def handle(self, *args, name, kind, cbs_code, oin, website, **options):
        name = name.strip()
        if not name or not slugify(name):
            raise CommandError("the name must contain letters or digits")
        if kind not in OrganisationKind.values:
            raise CommandError(
                f"unknown kind {kind!r}; choose one of {', '.join(OrganisationKind.values)}"
            )
        if Organisation.objects.filter(name__iexact=name).exists():
            raise CommandError(f"an organisation named {name!r} already exists")
        organisation = Organisation(
            name=name, kind=kind, cbs_code=cbs_code, oin=oin, website=website
        )
        organisation.slug = Organisation.unique_slug(name)
        errors = _errors(organisation)
        if errors:
            raise CommandError(errors)
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError as exc:
            raise CommandError(f"could not save the organisation: {exc}") from None
        self.stdout.write(organisation.slug)


def _errors(instance):
    try:
        instance.full_clean()
    except ValidationError as exc:
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return ""
