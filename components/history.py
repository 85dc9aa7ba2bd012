"""Who made a change: the signed-in user (simple-history's own field) or the API
token that made the request, recorded on every historical row."""

from typing import TYPE_CHECKING

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

if TYPE_CHECKING:
    from accounts.models import ApiToken


class ActorFields(models.Model):
    history_token = models.ForeignKey(
        "accounts.ApiToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        verbose_name=_("API token"),
        help_text=_("The API token that made the change, when it came through the API."),
    )
    history_actor = models.CharField(
        _("actor"),
        max_length=300,
        blank=True,
        help_text=_("Who made the change, in words: a user, or a token and its organisation."),
    )

    class Meta:
        abstract = True


def history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(bases=[ActorFields], **kwargs)


def describe_actor(request) -> tuple["ApiToken | None", str]:
    token = getattr(request, "api_token", None)
    if token is not None:
        return token, f"token '{token.name}' of {token.organisation.name}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None, user.get_username()
    return None, ""


@receiver(pre_create_historical_record)
def record_actor(sender, history_instance, **kwargs) -> None:
    # A change made by the registry itself (a harvest) names itself, even when
    # it happens to run inside a request.
    label = getattr(kwargs.get("instance"), "_history_actor", None)
    if label:
        history_instance.history_actor = label[:300]
        return
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        # Outside a request (a publiccode.yml import, a command): the caller may
        # have named the token on the instance.
        token = getattr(kwargs.get("instance"), "_history_token", None)
        if token is not None:
            history_instance.history_token = token
            history_instance.history_actor = f"token '{token.name}' of {token.organisation.name}"
        return
    token, label = describe_actor(request)
    history_instance.history_token = token
    history_instance.history_actor = label
