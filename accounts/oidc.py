"""Signing in with the organisation's own identity provider (OpenID Connect).

Authlib's Django client does the protocol: discovery, the authorization code
flow with PKCE (S256), state and nonce kept in the session and checked on
return, the code exchanged with the client secret, and the id_token's
signature checked against the provider's JWKS (with its issuer, audience,
expiry and nonce). We chose Authlib over mozilla-django-oidc because every
organisation has a provider of its own, found by discovery: Authlib makes a
client per provider at run time, mozilla-django-oidc is configured for one
provider in settings and has no discovery.

A person is recognised by (issuer, sub). At their first sign-in a user is
made for them, with no role: an administrator of the organisation gives one
(or the provider's group claim maps to one, IdentityProvider.role_mapping).
"""

import logging
from urllib.parse import urlencode

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from joserfc.errors import JoseError

from audit.models import AuditEntry

from .models import IdentityProvider, Membership, OidcIdentity
from .secrets import decrypt

logger = logging.getLogger(__name__)
SESSION_KEY = "oidc_organisation"
# Kept in the session of a person signed in through their provider, for signing
# out there too (RP-initiated logout): the provider and the id_token to hint with.
SIGNED_IN_WITH = "oidc_signed_in_with"
ID_TOKEN = "oidc_id_token"  # noqa: S105  (a session key, not a secret)


def client_for(provider):
    oauth = OAuth()
    return oauth.register(
        name=f"organisation-{provider.organisation_id}",
        client_id=provider.client_id,
        client_secret=decrypt(provider.client_secret_encrypted),
        server_metadata_url=provider.discovery_url,
        client_kwargs={
            "scope": "openid email profile groups",
            "code_challenge_method": "S256",
            # Discovery, the code exchange and the JWKS: a provider that hangs
            # must not hold a gunicorn worker for long.
            "default_timeout": 10,
        },
    )


@never_cache
def start(request, organisation):
    provider = get_object_or_404(
        IdentityProvider.objects.select_related("organisation"),
        organisation__slug=organisation,
        enabled=True,
    )
    request.session[SESSION_KEY] = provider.organisation.slug
    callback = request.build_absolute_uri(reverse("oidc-callback"))
    try:
        return client_for(provider).authorize_redirect(request, callback)
    except (AuthlibBaseError, ValueError, OSError) as exc:
        logger.warning("oidc: cannot reach the provider of %s: %s", organisation, exc)
        return _refused(request, provider)


@never_cache
def callback(request):
    slug = request.session.get(SESSION_KEY)
    provider = get_object_or_404(
        IdentityProvider.objects.select_related("organisation"),
        organisation__slug=slug or "",
        enabled=True,
    )
    try:
        client = client_for(provider)
        issuer = client.load_server_metadata()["issuer"]
        token = client.authorize_access_token(
            request,
            leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
            claims_options={"iss": {"essential": True, "value": issuer}},
        )
        claims = token.get("userinfo")
        if not claims:
            raise ValueError("the provider sent no id_token")
    except (AuthlibBaseError, JoseError, ValueError, KeyError, OSError) as exc:
        # A forged, expired or replayed answer, or a provider that fails.
        logger.warning("oidc: sign-in refused for %s: %s", slug, exc)
        return _refused(request, provider)
    user, role = _person(provider, claims)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(SESSION_KEY, None)
    request.session[SIGNED_IN_WITH] = provider.pk
    request.session[ID_TOKEN] = token.get("id_token", "")
    if role is None and not user.memberships.filter(organisation=provider.organisation).exists():
        messages.info(
            request,
            _(
                "You are signed in. An administrator of %(organisation)s must give you a "
                "role before you can work on its usages and components."
            )
            % {"organisation": provider.organisation.name},
        )
    return redirect("member-home")


@transaction.atomic
def _person(provider, claims):
    subject = str(claims[provider.sub_claim])
    issuer = str(claims["iss"])
    identity = (
        OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    if identity is None:
        user = get_user_model().objects.create(
            username=f"{provider.organisation.slug}:{subject}"[:150],
            email=str(claims.get(provider.email_claim, ""))[:254],
            first_name=str(claims.get(provider.name_claim, ""))[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        OidcIdentity.objects.create(
            user=user, organisation=provider.organisation, issuer=issuer, subject=subject
        )
    else:
        user = identity.user
    role = provider.role_for(claims)
    if role is not None:
        Membership.objects.get_or_create(
            user=user, organisation=provider.organisation, defaults={"role": role}
        )
    return user, role


def _refused(request, provider):
    request.audit_kind = AuditEntry.Kind.SIGN_IN_FAILED
    request.audit_organisation = provider.organisation
    return render(
        request,
        "accounts/oidc_refused.html",
        {"organisation": provider.organisation},
        status=400,
    )


def end_session_url(request, provider_pk, id_token) -> str | None:
    """Where to send a person who signs out and signed in through their
    provider: its end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0),
    with the id_token as hint and the site's home page to come back to. None
    when the provider has no such endpoint or cannot be reached: the person is
    signed out here all the same."""
    provider = IdentityProvider.objects.filter(pk=provider_pk, enabled=True).first()
    if provider is None:
        return None
    try:
        metadata = client_for(provider).load_server_metadata()
    except (AuthlibBaseError, ValueError, OSError) as exc:
        logger.warning("oidc: cannot reach the provider to sign out: %s", exc)
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": provider.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("home")),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
