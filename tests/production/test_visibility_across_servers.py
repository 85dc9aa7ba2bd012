"""A usage made government-only through one server disappears at once, through
the other server, from everything anonymous visitors and vendors can read,
however warm that server's cache was; and it comes back when made public.

This is the test that would have caught the weakly held invalidation receiver
(issue 12, item 1): in gunicorn it was garbage-collected, no change bumped the
catalogue version, and server B served its cached pages, names included, for
RESPONSE_CACHE_SECONDS.
"""

import pytest
import redis

pytestmark = pytest.mark.production


def surfaces(seed):
    """(who reads, path, the text that shows the usage) for every place that names it.

    Where the municipality is named either way (its own page, its licence
    report), the usage shows as the component's name, as on the page of another
    municipality that is told what organisations like it use."""
    municipality, component = seed["municipality_name"], seed["component_name"]
    slug, usage = seed["component_slug"], seed["usage_id"]
    api = [
        (f"/api/v1/usages?component={slug}", municipality),
        (f"/api/v1/usages/{usage}", municipality),
        (f"/api/v1/components?usedBy={seed['municipality_slug']}", slug),
        (f"/api/v1/components/{slug}/publiccode.yml", municipality),
        (f"/api/v1/organisations/{seed['municipality_slug']}/license-report", component),
        ("/api/v1/exports/usages.json", municipality),
    ]
    pages = [
        (f"/componenten/{slug}", municipality),
        (f"/organisaties/{seed['municipality_slug']}", component),
        # "Organisations like this one also use": another municipality's page counts
        # the usage in its kind's tally (a trigger in the database, and a cache key
        # per organisation kind that the write bumps).
        (f"/organisaties/{seed['peer_slug']}", component),
    ]
    return [
        *((who, path, text) for who in ("anonymous", "vendor") for path, text in api),
        *(("anonymous", path, text) for path, text in pages),
    ]


def shown(callers, surfaces):
    """{(who, path): whether the usage shows there}."""
    seen = {}
    for who, path, text in surfaces:
        response = getattr(callers, who).get(path)
        assert response.status_code in (200, 404), (who, path, response.status_code)
        seen[who, path] = response.status_code == 200 and text in response.text
    return seen


def set_visibility(owner, usage_id, visibility):
    path = f"/api/v1/usages/{usage_id}"
    current = owner.get(path)
    assert current.status_code == 200, current.text
    changed = owner.patch(
        path, json={"visibility": visibility}, headers={"If-Match": current.headers["ETag"]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["visibility"] == visibility


def test_a_usage_made_government_only_on_one_server_is_hidden_at_once_on_the_other(
    live_site, seed, on_a, on_b
):
    places = surfaces(seed)
    everywhere = {(who, path): True for who, path, _text in places}
    nowhere = {(who, path): False for who, path, _text in places}

    # Twice through B: the second round is served from the shared cache.
    assert shown(on_b, places) == everywhere
    assert shown(on_b, places) == everywhere
    cache = redis.Redis.from_url(live_site.redis_url)
    assert any(cache.scan_iter(match="response:*")), "B cached nothing: the test proves nothing"

    set_visibility(on_a.municipality, seed["usage_id"], "government")
    assert shown(on_b, places) == nowhere
    # Hidden, not gone: the municipality itself still reads its usage by name.
    own = on_b.municipality.get(f"/api/v1/usages?component={seed['component_slug']}")
    assert seed["municipality_name"] in own.text

    set_visibility(on_a.municipality, seed["usage_id"], "public")
    assert shown(on_b, places) == everywhere
