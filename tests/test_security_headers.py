"""Every answer says what a browser may load and which features it may use."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/componenten", "/api/v1/components", "/health"])
def test_every_answer_carries_a_self_only_content_security_policy(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("path", ["/", "/api/v1/components"])
def test_every_answer_turns_off_browser_features_it_does_not_use(client, path):
    policy = client.get(path)["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy
