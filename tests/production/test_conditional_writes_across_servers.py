"""An owner's read-then-write cycle with ETags works whichever server answers
each step: a cached read on one server never hands out a tag that a write on
the other has made stale."""

import pytest

pytestmark = pytest.mark.production


def test_an_owner_reads_on_one_server_and_writes_on_the_other(seed, on_a, on_b):
    path = f"/api/v1/usages/{seed['usage_id']}"
    read = on_a.municipality.get(path)
    assert read.status_code == 200
    old_tag = read.headers["ETag"]
    # The same read again, now from the cache, carries the same tag.
    assert on_a.municipality.get(path).headers["ETag"] == old_tag

    written = on_b.municipality.patch(
        path, json={"notes": "Read on A, written on B."}, headers={"If-Match": old_tag}
    )
    assert written.status_code == 200, written.text
    new_tag = written.headers["ETag"]
    assert new_tag != old_tag

    reread = on_a.municipality.get(path)
    assert reread.headers["ETag"] == new_tag
    assert reread.json()["notes"] == "Read on A, written on B."
    assert on_b.municipality.get(path, headers={"If-None-Match": new_tag}).status_code == 304

    lost_update = on_b.municipality.patch(
        path, json={"notes": "Written over a stale read."}, headers={"If-Match": old_tag}
    )
    assert lost_update.status_code == 412
    assert lost_update.headers["Content-Type"].startswith("application/problem+json")
    assert on_a.municipality.get(path).json()["notes"] == "Read on A, written on B."
