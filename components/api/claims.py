"""What usages and integrations share in the API: the claim flow. Another
organisation may claim that an organisation uses a component (or runs an
integration); while the claim waits, the claimant may correct only what it
claimed; the organisation named confirms or rejects it (confirm, reject)."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from components.constants import Assertion
from registry.api import Conflict, to_camel, token_organisation

from .etags import IF_MATCH, check_if_match, with_etag


def json_object(request):
    """The write body, which must be a JSON object."""
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"body": [_("The body must be a JSON object.")]})
    return request.data


# For a viewset of claimable rows (a model with ClaimAnswerMixin). The view sets
# `noun` ("usage", "integration"), CLAIMANT_FIELDS (what a pending claimant may
# still change) and CLAIMANT_FIELDS_TEXT (the same in words). (A comment, not a
# docstring: the schema would take a docstring as the views' description.)
class ClaimFlowMixin:
    noun = "row"
    CLAIMANT_FIELDS = frozenset()
    CLAIMANT_FIELDS_TEXT = ""

    def _locked(self, pk):
        """The row, locked for the write's transaction; 404 when the caller may not see it."""
        return get_object_or_404(self.get_queryset().select_for_update(of=("self",)), pk=pk)

    @staticmethod
    def claim_fields(claimant):
        return {
            "assertion": Assertion.CLAIMED,
            "claimed_by": claimant,
            "claimed_at": timezone.now(),
        }

    def check_may_change(self, request, row):
        """The organisation may change everything; a pending claimant only what it claimed."""
        me = token_organisation(request)
        is_owner = row.organisation_id == me.pk
        is_pending_claimant = row.claimed_by_id == me.pk and row.assertion == Assertion.CLAIMED
        if not (is_owner or is_pending_claimant):
            raise exceptions.PermissionDenied(
                _("Only the organisation itself may change its %(noun)s.") % {"noun": self.noun}
            )
        if not is_owner:
            self._only_what_was_claimed(request, row)
        return is_owner

    def _only_what_was_claimed(self, request, row):
        others = sorted(set(json_object(request)) - self.CLAIMANT_FIELDS)
        writable = {
            name for name, field in self.get_serializer().fields.items() if not field.read_only
        }
        refused = [name for name in others if name in writable]
        if refused:
            raise exceptions.PermissionDenied(
                _(
                    "As the claimant you may change only %(allowed)s of your claim, "
                    "not %(fields)s: that is for %(org)s to choose."
                )
                % {
                    "allowed": self.CLAIMANT_FIELDS_TEXT,
                    "fields": ", ".join(to_camel(name) for name in refused),
                    "org": row.organisation.name,
                }
            )

    @extend_schema(
        summary=_("Confirm a claim about your organisation"), request=None, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._answer(request, pk, Assertion.CONFIRMED)

    @extend_schema(
        summary=_("Reject a claim about your organisation"), request=None, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._answer(request, pk, Assertion.REJECTED)

    def _answer(self, request, pk, answer):
        me = token_organisation(request)
        with transaction.atomic():
            row = self._locked(pk)
            if row.organisation_id != me.pk:
                raise exceptions.PermissionDenied(
                    _("Only the organisation named in a claim may answer it.")
                )
            check_if_match(request, row)
            if row.assertion not in (Assertion.CLAIMED, answer):
                raise Conflict(_("This %(noun)s is not a pending claim.") % {"noun": self.noun})
            if row.assertion != answer:
                # Confirming a claim beside the organisation's own word merges the
                # two: the answer is that row.
                row = row.answer(answer)
        return with_etag(Response(self.get_serializer(row).data), row)
