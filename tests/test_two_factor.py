"""Two-step verification (TOTP, django-otp): any member may switch it on;
curators need it for the admin; once on, signing in asks for the code."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import csrf_client, csrf_token, signed_in
from .factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PAGE = "/mijn-account/tweestapsverificatie"


def code_for(device, offset=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits) + offset:06d}"[-6:]


def switch_on(user):
    client = csrf_client(user)
    page = client.get(PAGE).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, from this site
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    key = re.search(r"<code>([A-Z2-7=]+)</code>", page).group(1)
    assert key  # the key, for typing into the app
    response = client.post(
        PAGE, {"csrfmiddlewaretoken": csrf_token(client, PAGE), "code": code_for(device)}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_member_switches_it_on_with_a_code_from_the_app(bob):
    switch_on(bob)
    assert "Tweestapsverificatie staat aan" in signed_in(bob).get(PAGE).content.decode()


def test_a_wrong_code_does_not_switch_it_on_and_says_why(bob):
    client = csrf_client(bob)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=bob)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post(PAGE, {"csrfmiddlewaretoken": csrf_token(client, PAGE), "code": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_once_on_signing_in_asks_for_the_code(bob):
    device = switch_on(bob)
    client = Client()
    response = client.post("/inloggen", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 200
    assert "Vul de code uit je authenticator-app in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    device.last_t = -1  # the code used to switch it on may be used again in this test
    device.save()
    response = client.post(
        "/inloggen", {"username": "bob", "password": PASSWORD, "otp_token": code_for(device)}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)
    assert client.session.get("otp_device_id")  # verified this session


@pytest.fixture
def curator(db):
    user = UserFactory(username="cora", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_admin_needs_a_verified_second_step_for_curators(curator, settings):
    settings.ADMIN_REQUIRES_OTP = True
    # Signed in with a password only: no admin.
    assert signed_in(curator).get("/admin/").status_code == 302
    client = Client()
    response = client.post("/admin/login/", {"username": "cora", "password": PASSWORD})
    assert response.status_code == 200  # the form again, asking for the code
    assert client.get("/admin/").status_code == 302
    device = switch_on(curator)
    device.last_t = -1
    device.save()
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "cora",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code_for(device),
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_curator_cannot_switch_it_off(curator):
    switch_on(curator)
    client = csrf_client(curator)
    client.post(PAGE, {"csrfmiddlewaretoken": csrf_token(client, PAGE), "switch_off": "1"})
    assert TOTPDevice.objects.filter(user=curator, confirmed=True).exists()
