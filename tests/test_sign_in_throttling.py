"""Guessing passwords: failed sign-ins are counted per account and per address,
on the site and in the admin, and a locked-out sign-in says so plainly."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _fail(client, username, times, path="/inloggen", **headers):
    return [
        client.post(path, {"username": username, "password": "wrong"}, headers=headers)
        for _ in range(times)
    ]


def test_an_account_is_locked_after_five_wrong_passwords_even_with_the_right_one(settings, bob):
    client = Client()
    answers = _fail(client, "bob", settings.AXES_FAILURE_LIMIT)
    assert answers[0].status_code == 200
    response = client.post("/inloggen", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_the_account_from_another_address(settings, bob):
    _fail(Client(REMOTE_ADDR="192.0.2.1"), "bob", settings.AXES_FAILURE_LIMIT)
    other = Client(REMOTE_ADDR="192.0.2.99")
    response = other.post("/inloggen", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429


def test_an_address_that_tries_many_accounts_is_locked(settings, bob):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for index in range(settings.AXES_FAILURE_LIMIT):
        client.post("/inloggen", {"username": f"guess{index}", "password": "wrong"})
    response = client.post("/inloggen", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429


def test_a_forged_forwarded_for_header_does_not_reset_the_count(settings, bob):
    client = Client(REMOTE_ADDR="192.0.2.8")
    for index in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/inloggen",
            {"username": f"guess{index}", "password": "wrong"},
            headers={"X-Forwarded-For": f"198.51.100.{index}"},
        )
    response = client.post(
        "/inloggen",
        {"username": "bob", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.200"},
    )
    assert response.status_code == 429


def test_the_admin_sign_in_is_throttled_too(settings, bob):
    client = Client()
    _fail(client, "bob", settings.AXES_FAILURE_LIMIT, path="/admin/login/")
    response = client.post("/admin/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429


def test_fewer_failures_than_the_limit_do_not_stop_the_right_password(settings, bob):
    client = Client()
    _fail(client, "bob", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post("/inloggen", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
