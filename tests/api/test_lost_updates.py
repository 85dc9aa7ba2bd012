"""No lost updates under concurrency: twenty clients that read one ETag and
write at once get exactly one 200 and nineteen 412s, for every resource with
If-Match (the row is locked before the ETag is compared)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import ApiToken
from components.models import HarvestSource, WebhookSubscription

CLIENTS = 20

# The threads' connections must see committed rows, so these tests commit; the
# database is restored afterwards as the other committing tests restore it.
concurrent_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def patch_all_at_once(plaintext, path, bodies, etag):
    """PATCH path with each body from its own thread (and database connection),
    all released together; the status codes, in no particular order."""
    start = threading.Barrier(len(bodies))
    codes = []

    def one(body):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        try:
            start.wait()
            codes.append(client.patch(path, body, format="json", HTTP_IF_MATCH=etag).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(codes)


@pytest.fixture
def acme_token(acme):
    _token, plaintext = ApiToken.issue(acme, "ci")
    return plaintext


@pytest.mark.postgres
@concurrent_test
def test_twenty_parallel_webhook_changes_with_one_etag_have_one_winner(acme, acme_token, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    hook = WebhookSubscription.objects.create(
        organisation=acme, url="http://127.0.0.1:9/hook", secret="s"
    )
    path = f"/api/v1/webhooks/{hook.pk}"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {acme_token}")
    etag = client.get(path)["ETag"]
    bodies = [{"url": f"http://127.0.0.1:9/hook-{n}"} for n in range(CLIENTS)]
    codes = patch_all_at_once(acme_token, path, bodies, etag)
    assert codes == [200] + [412] * (CLIENTS - 1)


@pytest.mark.postgres
@concurrent_test
def test_twenty_parallel_harvest_source_changes_with_one_etag_have_one_winner(acme, acme_token):
    source = HarvestSource.objects.create(
        organisation=acme, url="https://example.org/publiccode.yml", interval_hours=100
    )
    path = f"/api/v1/harvest-sources/{source.pk}"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {acme_token}")
    etag = client.get(path)["ETag"]
    bodies = [{"intervalHours": n + 1} for n in range(CLIENTS)]
    codes = patch_all_at_once(acme_token, path, bodies, etag)
    assert codes == [200] + [412] * (CLIENTS - 1)


@concurrent_test  # outside the test's own transaction, as in a real request
def test_options_on_a_webhook_describes_it_without_a_server_error(utrecht_api, settings):
    """DRF's OPTIONS asks for the object as if for a PUT, outside a transaction;
    the row lock must not be taken there (it answered 503)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    created = utrecht_api.post(
        "/api/v1/webhooks", {"url": "http://127.0.0.1:9/hook"}, format="json"
    )
    assert created.status_code == 201, created.content
    response = utrecht_api.options(f"/api/v1/webhooks/{created.json()['id']}")
    assert response.status_code == 200


@concurrent_test
def test_a_deadlock_between_writers_is_a_conflict_not_an_outage(rf):
    """Two transactions that lock the same rows in opposite orders: PostgreSQL
    fails one of them (deadlock_detected). The API answers that one 409
    problem+json, as for any lost race, never 503 (issue 14)."""
    from django.db import DatabaseError, connections, transaction

    from registry.api import ApiMiddleware

    from ..factories import OrganisationFactory

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL detects deadlocks; SQLite locks the whole database")
    first, second = OrganisationFactory().pk, OrganisationFactory().pk
    both_locked_one = threading.Barrier(2)
    failures = []

    def lock(one, other):
        from accounts.models import Organisation

        try:
            with transaction.atomic():
                Organisation.objects.select_for_update().get(pk=one)
                both_locked_one.wait(timeout=10)
                Organisation.objects.select_for_update().get(pk=other)
        except DatabaseError as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=lock, args=(first, second)),
        threading.Thread(target=lock, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(failures) == 1, failures
    answer = ApiMiddleware(lambda request: None).process_exception(
        rf.patch("/api/v1/usages/1"), failures[0]
    )
    assert answer.status_code == 409
    assert answer["Content-Type"].startswith("application/problem+json")
