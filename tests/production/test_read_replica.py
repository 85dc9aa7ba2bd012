"""DATABASE_REPLICA_URL: anonymous reads come from the replica, everything
else from the primary. Server R's replica is a copy of the database with one
organisation more ('alleen-in-de-replica'), so each answer shows its source."""

import httpx
import pytest

pytestmark = pytest.mark.production

ONLY_IN_REPLICA = "/api/v1/organisations/alleen-in-de-replica"


def test_anonymous_reads_come_from_the_replica(live_site):
    assert httpx.get(live_site.replica_server + ONLY_IN_REPLICA, timeout=10).status_code == 200
    # Servers without a replica never see it.
    assert httpx.get(live_site.a + ONLY_IN_REPLICA, timeout=10).status_code == 404


def test_a_token_reads_and_writes_the_primary(live_site, seed):
    headers = {"Authorization": f"Bearer {seed['vendor_token']}"}
    response = httpx.get(live_site.replica_server + ONLY_IN_REPLICA, headers=headers, timeout=10)
    assert response.status_code == 404
    created = httpx.post(
        live_site.replica_server + "/api/v1/components",
        headers=headers,
        json={
            "slug": "via-server-r",
            "name": "Via server R",
            "kind": "library",
            "shortDescription": "Geschreven via de server met een replica.",
            "license": "EUPL-1.2",
        },
        timeout=10,
    )
    assert created.status_code == 201
    # Written to the primary: server A (no replica) reads it at once...
    assert httpx.get(live_site.a + "/api/v1/components/via-server-r", timeout=10).status_code == 200
    # ...and the replica, a copy that is not kept in step here, does not have it.
    anonymous = httpx.get(live_site.replica_server + "/api/v1/components/via-server-r", timeout=10)
    assert anonymous.status_code == 404
