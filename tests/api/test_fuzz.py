"""Whatever a client sends, the answer is never a 500."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FIELDS = [
    "slug", "name", "kind", "shortDescription", "license", "layer", "developmentStatus",
    "categories", "customerQuestions", "uplProducts", "dependencies", "reuseRestriction",
    "reuseOrganisationKinds", "reuseOrganisations", "repositoryUrl", "organisation",
    "component", "status", "since", "until", "visibility", "release", "version",
    "releaseDate", "notes", "url",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        ["acme-zaken", "EUPL-1.2", "MIT OR", "2026-13-45", "api", "", "gemeente-utrecht"]
    ),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
bodies = (
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=8) | values
)

WRITES = [
    ("post", "/api/v1/components"),
    ("put", "/api/v1/components/acme-zaken"),
    ("patch", "/api/v1/components/acme-zaken"),
    ("post", "/api/v1/components/acme-zaken/releases"),
    ("put", "/api/v1/components/acme-zaken/releases/1.0.0"),
    ("post", "/api/v1/usages"),
]

LISTS = [
    "/api/v1/components",
    "/api/v1/usages",
    "/api/v1/organisations",
    "/api/v1/licenses",
    "/api/v1/components/acme-zaken/releases",
    "/api/v1/components/acme-zaken/history",
]
PARAMETERS = [
    "q", "kind", "layer", "developmentStatus", "license", "publisher", "publisherKind",
    "customerQuestion", "uplProduct", "usedBy", "updatedSince", "ordering", "page", "pageSize",
    "status", "visibility", "assertion", "organisation", "component", "osiApproved", "custom",
]  # fmt: skip

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(write=st.sampled_from(WRITES), body=bodies)
def test_random_json_bodies_never_give_a_500(acme_api, acme_component, utrecht, write, body):
    method, url = write
    response = getattr(acme_api, method)(url, json.dumps(body), content_type="application/json")
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


@FUZZ
@given(
    url=st.sampled_from(LISTS),
    query=st.lists(
        st.tuples(
            st.sampled_from(PARAMETERS) | st.text(max_size=6),
            st.text(max_size=20) | st.sampled_from(["-1", "0", "1e9", "api", "2026-01-01", "true"]),
        ),
        max_size=5,
    ),
)
def test_random_query_strings_never_give_a_500(api, acme_component, url, query):
    response = api.get(f"{url}?{urlencode(query)}")
    assert response.status_code < 500, response.content
    assert response.status_code in (200, 400, 404)
