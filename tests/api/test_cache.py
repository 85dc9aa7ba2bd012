"""Cached reads are never stale: a committed change is visible on the next read."""

import pytest

from ..factories import UsageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.RESPONSE_CACHE_SHARED = True
    settings.RESPONSE_CACHE_SECONDS = 300


def test_a_change_is_visible_at_once(
    caching, api, acme_api, acme_component, django_capture_on_commit_callbacks
):
    assert api.get("/api/v1/components").json()["results"][0]["name"] == "Acme Zaken"
    assert api.get("/api/v1/components/acme-zaken").json()["name"] == "Acme Zaken"
    with django_capture_on_commit_callbacks(execute=True):
        acme_api.patch("/api/v1/components/acme-zaken", {"name": "Nieuwe naam"}, format="json")
    assert api.get("/api/v1/components").json()["results"][0]["name"] == "Nieuwe naam"
    assert api.get("/api/v1/components/acme-zaken").json()["name"] == "Nieuwe naam"


def test_a_usage_change_is_visible_in_the_component_counts_at_once(
    caching, api, utrecht, acme_component, django_capture_on_commit_callbacks
):
    assert api.get("/api/v1/components/acme-zaken").json()["usageCounts"]["total"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        UsageFactory(organisation=utrecht, component=acme_component)
    assert api.get("/api/v1/components/acme-zaken").json()["usageCounts"]["total"] == 1


def test_cached_answers_differ_per_viewer(
    caching, api, utrecht_api, utrecht, acme_component, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        UsageFactory(organisation=utrecht, component=acme_component, visibility="government")
    assert api.get("/api/v1/usages").json()["count"] == 0
    assert utrecht_api.get("/api/v1/usages").json()["count"] == 1
    assert api.get("/api/v1/usages").json()["count"] == 0


def test_the_cache_is_hit_without_queries(caching, api, acme_component, django_assert_num_queries):
    api.get("/api/v1/components")
    with django_assert_num_queries(0):
        assert api.get("/api/v1/components").status_code == 200


def test_conditional_get_answers_304(api, acme_component):
    first = api.get("/api/v1/components")
    etag = first["ETag"]
    again = api.get("/api/v1/components", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    detail = api.get("/api/v1/components/acme-zaken")
    assert (
        api.get("/api/v1/components/acme-zaken", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code
        == 304
    )


def test_who_is_looking_is_worked_out_once_per_request(
    caching, utrecht_api, acme_component, monkeypatch
):
    from components.query import Viewer

    calls = []
    original = Viewer.for_token.__func__
    monkeypatch.setattr(
        Viewer,
        "for_token",
        classmethod(lambda cls, token: calls.append(token) or original(cls, token)),
    )
    utrecht_api.get("/api/v1/components?usedBy=gemeente-utrecht")
    assert len(calls) == 1


def test_the_cache_key_tells_apart_everyone_who_may_see_something_else(utrecht, acme):
    from components.query import Viewer

    keys = {
        Viewer.anonymous().cache_key,
        Viewer.for_organisations([utrecht]).cache_key,
        Viewer.for_organisations([acme]).cache_key,
        Viewer.for_organisations([acme, utrecht]).cache_key,
        Viewer.for_organisations([acme], curator=True).cache_key,
    }
    assert len(keys) == 5
    assert Viewer.anonymous().cache_key == Viewer.for_organisations([]).cache_key


# --- invalidation per resource (issue 14) -----------------------------------


def cached_without_queries(client, url):
    """Whether the next read of url is served from the cache (no query at all)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) == 0


def test_a_usage_write_invalidates_only_what_shows_that_usage(
    caching,
    api,
    utrecht,
    acme,
    acme_component,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    from components.models import Usage

    from ..factories import ComponentFactory

    other = ComponentFactory(slug="ander-ding", name="Ander ding", publisher=acme)
    usage = UsageFactory(organisation=utrecht, component=acme_component)
    reads = [
        "/api/v1/components/acme-zaken",
        "/api/v1/components/ander-ding",
        "/api/v1/components?pageSize=1",  # only "Acme Zaken"
        "/api/v1/components?pageSize=1&page=2",  # only "Ander ding"
        f"/api/v1/components/ander-ding/reuse-check?organisation={utrecht.slug}",
        "/componenten/acme-zaken",
        "/componenten/ander-ding",
        "/organisaties/gemeente-utrecht",
    ]
    for url in reads:
        api.get(url)
        assert cached_without_queries(api, url), url
    with django_capture_on_commit_callbacks(execute=True):
        Usage.objects.filter(pk=usage.pk).first().delete()
    fresh = {url for url in reads if not cached_without_queries(api, url)}
    assert fresh == {
        "/api/v1/components/acme-zaken",
        "/api/v1/components?pageSize=1",
        "/componenten/acme-zaken",
        # Its own usage, and a move of its kind's tally.
        "/organisaties/gemeente-utrecht",
    }
    assert api.get("/api/v1/components/acme-zaken").json()["usageCounts"]["total"] == 0
    assert "Gemeente Utrecht" not in api.get("/componenten/acme-zaken").content.decode()
    # Any other change invalidates everything, as before.
    with django_capture_on_commit_callbacks(execute=True):
        other.name = "Ander ding, hernoemd"
        other.save()
    assert not any(cached_without_queries(api, url) for url in reads)


def test_an_organisation_page_follows_its_own_usages_and_its_kinds_tally_only(
    caching, api, utrecht, ministry, acme, acme_component, django_capture_on_commit_callbacks
):
    """ "Organisations like this one use" reads the tally of its kind: a usage
    written elsewhere leaves the page cached unless it may move that tally, and a
    move shows on the next read."""
    from components.models import Usage

    from ..factories import ComponentFactory, OrganisationFactory

    peer = OrganisationFactory(slug="gemeente-peer", name="Gemeente Peer")
    ours = ComponentFactory(slug="van-utrecht", name="Van Utrecht", publisher=utrecht)
    tip = ComponentFactory(slug="tip", name="Tip", publisher=acme)
    with django_capture_on_commit_callbacks(execute=True):
        peers = UsageFactory(organisation=peer, component=tip, status="planned", notes="")
        UsageFactory(organisation=ministry, component=acme_component, status="planned")
    page = "/organisaties/gemeente-utrecht"
    api.get(page)
    assert cached_without_queries(api, page)
    assert "Tip" not in api.get(page).content.decode()

    def write(change, **filters):
        with django_capture_on_commit_callbacks(execute=True):
            usage = Usage.objects.get(**filters)
            change(usage)
            usage.save()

    # What the tally does not count: another municipality's notes.
    write(lambda u: setattr(u, "notes", "bijgewerkt"), pk=peers.pk)
    assert cached_without_queries(api, page)
    # Another kind's tally: a ministry's usage coming into use.
    write(lambda u: setattr(u, "status", "production"), organisation=ministry)
    assert cached_without_queries(api, page)
    # Its kind's tally: the peer's usage coming into use recommends "Tip".
    write(lambda u: setattr(u, "status", "production"), pk=peers.pk)
    assert not cached_without_queries(api, page)
    assert "Tip" in api.get(page).content.decode()
    assert cached_without_queries(api, page)
    # The user count of a component it publishes.
    with django_capture_on_commit_callbacks(execute=True):
        UsageFactory(organisation=ministry, component=ours)
    assert not cached_without_queries(api, page)
    assert cached_without_queries(api, page)
    # Deleting the peer's usage moves the tally again.
    with django_capture_on_commit_callbacks(execute=True):
        Usage.objects.get(pk=peers.pk).delete()
    assert not cached_without_queries(api, page)
    assert "Tip" not in api.get(page).content.decode()


def test_a_usage_says_which_kinds_tally_a_write_may_move(utrecht, ministry, acme_component):
    from components.models import Usage

    new = Usage(organisation=utrecht, component=acme_component, status="planned")
    assert new.tally_kinds() == {"municipality"}  # not read from the database
    usage = UsageFactory(organisation=utrecht, component=acme_component, status="planned")
    assert usage.tally_kinds() == set()  # saved: weighed then, nothing changed since
    stored = Usage.objects.get(pk=usage.pk)
    stored.notes, stored.since = "anders", None
    assert stored.tally_kinds() == set()
    for field, value in [
        ("status", "production"),
        ("visibility", "government"),
        ("assertion", "rejected"),
        ("component_id", acme_component.pk + 1000),
    ]:
        changed = Usage.objects.get(pk=usage.pk)
        setattr(changed, field, value)
        assert changed.tally_kinds() == {"municipality"}, field
    moved = Usage.objects.get(pk=usage.pk)
    moved.organisation = ministry
    assert moved.tally_kinds() == {"municipality", ministry.kind}
    assert Usage.objects.get(pk=usage.pk).tally_kinds(deleted=True) == {"municipality"}
    # Read in part: it cannot tell, so it says the kind.
    assert Usage.objects.only("pk", "notes").get(pk=usage.pk).tally_kinds() == {"municipality"}
    # After a save, the saved state is what a next change is weighed against.
    stored.status = "production"
    stored.save()
    stored.notes = "weer anders"
    assert stored.tally_kinds() == set()


def test_usages_deleted_with_their_component_look_up_no_kind(
    caching, api, acme, django_capture_on_commit_callbacks
):
    """A cascade bumps the catalogue's version once (the component's deletion),
    so its usages do not each look up their organisation's kind (a query per row),
    and the organisation pages that showed them render afresh all the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import ComponentFactory, OrganisationFactory

    component = ComponentFactory(slug="weg", name="Weg ermee", publisher=acme)
    users = [OrganisationFactory() for _ in range(5)]
    for user in users:
        UsageFactory(organisation=user, component=component, status="production")
    page = f"/organisaties/{users[0].slug}"
    api.get(page)
    assert cached_without_queries(api, page)
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        component.delete()
    kinds = [q["sql"] for q in queries if '"accounts_organisation"."kind"' in q["sql"]]
    assert kinds == []
    assert not cached_without_queries(api, page)
    assert "Weg ermee" not in api.get(page).content.decode()


def test_a_version_read_before_rendering_guards_a_change_committed_meanwhile(caching, rf):
    """A response records the version of what it shows before reading it: a
    change committed while it renders bumps a version it already read, so what
    it stored is never served."""
    from registry import cache

    request = rf.get("/x")
    cache.start(request)
    cache.narrow_to_usages_of(request, components=[41])
    seen = dict(cache.recorded(request))
    assert cache.USAGES not in seen and cache.usages_of_component(41) in seen
    cache.put("response:test", {"content": b"old"}, seen)
    assert cache.get("response:test") == {"content": b"old"}
    cache._bump([cache.usages_of_component(41)])  # the write, committed meanwhile
    assert cache.get("response:test") is None
    # Rendered afresh after it, and another component's usage changes: still good.
    again = rf.get("/x")
    cache.start(again)
    cache.narrow_to_usages_of(again, components=[41])
    cache.put("response:test", {"content": b"new"}, cache.recorded(again))
    cache._bump([cache.usages_of_component(42)])
    assert cache.get("response:test") == {"content": b"new"}


def test_an_evicted_version_never_brings_back_an_old_entry(caching, rf):
    """Redis may evict a version key under memory pressure. Read as 0 again, it
    would make an entry recorded before the key's first bump look current; a
    missing key starts at a random value instead."""
    from django.core.cache import cache as shared

    from registry import cache

    request = rf.get("/x")
    cache.start(request)
    cache.narrow_to_usages_of(request, components=[7])
    cache.put("response:old", {"content": b"old"}, cache.recorded(request))
    cache._bump([cache.usages_of_component(7)])
    assert cache.get("response:old") is None
    shared.delete(cache.usages_of_component(7))  # evicted
    assert cache.get("response:old") is None
