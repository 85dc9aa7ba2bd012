from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import validate_email

from accounts.constants import MemberRole
from accounts.invitations import MemberExists, add_member, sign_in_link
from accounts.models import Organisation
from audit.commands import AuditedCommand


class Command(AuditedCommand):
    help = (
        "Add a member to an organisation (creating the account when the e-mail address "
        "is new) and print a one-time sign-in link, valid for 7 days, as the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="Slug of the organisation.")
        parser.add_argument("email", help="The member's e-mail address (also their username).")
        parser.add_argument(
            "--role",
            choices=MemberRole.values,
            default=MemberRole.EDITOR,
            help="admin (also manages tokens and members) or editor (default).",
        )

    def handle(self, *args, organisation, email, role, **options):
        try:
            validate_email(email.strip())
        except ValidationError:
            raise CommandError(f"{email!r} is not an e-mail address") from None
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"no organisation with slug {organisation!r}")
        try:
            user = add_member(org, email, role)
        except MemberExists:
            raise CommandError(f"{email} is already a member of {org.name}") from None
        self.stdout.write(f"{user.email} is now {MemberRole(role).label.lower()} of {org.name}.")
        self.stdout.write("One-time sign-in link (valid for 7 days):")
        self.stdout.write(sign_in_link(user))
