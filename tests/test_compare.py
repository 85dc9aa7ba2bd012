"""Comparing components side by side: the page (/vergelijken, /en/compare), the
catalogue's "compare" ticks, and the same as JSON at /api/v1/compare."""

import datetime
import re
from pathlib import Path

import pytest

from accounts.constants import OrganisationKind
from components.compare import compare, parse_slugs, standards_implemented
from components.constants import (
    ComponentKind,
    DependencyUse,
    DevelopmentStatus,
    Layer,
    ReuseRestriction,
    UsageStatus,
    Visibility,
)
from components.models import Component

from .conftest import signed_in, text_of
from .factories import (
    ComponentFactory,
    DependencyFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    question,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def zaak(acme):
    return ComponentFactory(
        slug="open-zaak",
        name="Open Zaak",
        kind=ComponentKind.SOFTWARE,
        layer=Layer.SERVICES,
        development_status=DevelopmentStatus.STABLE,
        publisher=acme,
    )


@pytest.fixture
def formulieren(globex):
    return ComponentFactory(
        slug="open-formulieren",
        name="Open Formulieren",
        kind=ComponentKind.SOFTWARE,
        layer=Layer.INTERACTION,
        development_status=DevelopmentStatus.STABLE,
        publisher=globex,
        reuse_restriction=ReuseRestriction.PUBLIC_SECTOR,
    )


@pytest.fixture
def zgw(ministry):
    return ComponentFactory(
        slug="zgw-standaard", name="ZGW API's", kind=ComponentKind.STANDARD, publisher=ministry
    )


def _row(html, label):
    """The <tr> of the comparison whose header starts with `label`."""
    for row in re.findall(r"<tr class=\"utrecht-table__row[^\"]*\">.*?</tr>", html, re.S):
        header = re.search(r'<th [^>]*scope="row">(.*?)</th>', row, re.S)
        if header and header.group(1).strip().startswith(label):
            return row
    raise AssertionError(f"no row {label!r}")


def test_parse_slugs_takes_repeated_and_comma_separated_values_each_once():
    assert parse_slugs(["a", "b,c", " a ", ""]) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "at least 2"),
        (["a"], "at least 2"),
        (["a,a"], "at least 2"),
        (["a,b,c,d,e"], "at most 4"),
    ],
)
def test_parse_slugs_refuses_fewer_than_two_or_more_than_four(values, message):
    with pytest.raises(ValueError, match=message):
        parse_slugs(values)


def test_the_page_shows_both_components_and_marks_the_rows_where_they_differ(
    client, zaak, formulieren
):
    html = text_of(client.get("/vergelijken?c=open-zaak&c=open-formulieren"))
    assert "Open Zaak" in html and "Open Formulieren" in html
    # Same kind and status: not marked. Another layer and publisher: marked, in words.
    assert "verschilt" not in _row(html, "Soort")
    assert "verschilt" not in _row(html, "Ontwikkelstatus")
    assert "site-compare__differs" in _row(html, "Common Ground-laag")
    assert "verschilt" in _row(html, "Common Ground-laag")
    assert "verschilt" in _row(html, "Uitgever")
    # Neither is an API: the quality row says so for both, and they do not differ in it.
    assert "verschilt" not in _row(html, "Kwaliteitsscore van de API")
    assert _row(html, "Kwaliteitsscore van de API").count("Geen API") == 2


def test_the_english_page_is_at_en_compare(client, zaak, formulieren):
    html = text_of(client.get("/en/compare?c=open-zaak,open-formulieren"))
    assert "Compare components" in html
    assert "differs" in _row(html, "Publisher")


def test_release_standards_questions_and_dependencies_are_shown(client, zaak, formulieren, zgw):
    ReleaseFactory(component=zaak, version="1.2.0", release_date=datetime.date(2025, 3, 1))
    ReleaseFactory(component=zaak, version="1.3.0", release_date=datetime.date(2026, 2, 1))
    DependencyFactory(component=zaak, depends_on=zgw, how_used=DependencyUse.IMPLEMENTS)
    DependencyFactory(
        component=zaak, depends_on=None, name="PostgreSQL", how_used=DependencyUse.RUNTIME_SERVICE
    )
    zaak.customer_questions.add(question("verhuizen"))
    html = text_of(client.get("/en/compare?c=open-zaak&c=open-formulieren"))
    assert "1.3.0, 1 February 2026" in _row(html, "Latest release")
    assert "1.2.0" not in html
    standards = _row(html, "Standards implemented")
    assert "ZGW API&#x27;s" in standards and "PostgreSQL" not in standards
    assert "Moving house" in _row(html, "Customer questions served")
    assert "PostgreSQL" in _row(html, "Dependencies")


def test_standards_implemented_are_the_dependencies_used_as_implements(zaak, zgw):
    DependencyFactory(component=zaak, depends_on=zgw, how_used=DependencyUse.IMPLEMENTS)
    DependencyFactory(component=zaak, depends_on=None, name="NL GOV OAuth", how_used="implements")
    DependencyFactory(component=zaak, depends_on=None, name="Redis", how_used="runtime-service")
    component = Component.objects.prefetch_related("dependencies__depends_on").get(pk=zaak.pk)
    assert standards_implemented([component]) == {zaak.pk: ["NL GOV OAuth", "ZGW API's"]}


def test_users_are_counted_by_kind_as_the_catalogue_counts_them_and_never_named(
    client, zaak, formulieren, utrecht, secretive, victor
):
    UsageFactory(organisation=utrecht, component=zaak, status=UsageStatus.PRODUCTION)
    UsageFactory(
        organisation=secretive,
        component=zaak,
        status=UsageStatus.PILOT,
        visibility=Visibility.GOVERNMENT,
    )
    UsageFactory(organisation=OrganisationFactory(), component=zaak, status=UsageStatus.PLANNED)
    html = text_of(signed_in(victor).get("/en/compare?c=open-zaak&c=open-formulieren"))
    assert "2 municipalities" in _row(html, "Organisations using it now")
    # The vendor sees the count (as on the catalogue) but never the name.
    assert "Geheimdorp" not in html
    catalogue = Component.objects.with_user_count().get(pk=zaak.pk)
    assert catalogue.user_count == 2


def test_an_anonymous_visitor_gets_no_verdict_but_a_prompt_to_sign_in(client, zaak, formulieren):
    html = text_of(client.get("/en/compare?c=open-zaak&c=open-formulieren"))
    assert "May " not in html
    assert "to see whether your organisation may reuse them" in html


def test_a_member_sees_the_verdict_of_each_organisation_and_its_difference(
    zaak, formulieren, victor
):
    html = text_of(signed_in(victor).get("/en/compare?c=open-zaak&c=open-formulieren"))
    row = _row(html, "May Acme Software B.V. reuse it?")
    # Open Formulieren is for the public sector only; Acme is a vendor.
    assert "yes, reuse is allowed" in row
    assert "no, reuse is not allowed" in row
    assert "differs" in row


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choose at least 2 components"),
        ("?c=open-zaak", "Choose at least 2 components"),
        ("?c=a&c=b&c=c&c=d&c=e", "Choose at most 4 components"),
        ("?c=open-zaak&c=bestaat-niet", "No component has the identifier “bestaat-niet”"),
    ],
)
def test_bad_choices_get_a_clear_message_and_a_400_never_a_500(client, zaak, query, message):
    response = client.get(f"/en/compare{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-describedby="compare-c-error"' in html


def test_the_page_costs_the_same_queries_for_two_or_four_components(
    client, django_assert_max_num_queries, victor, acme, django_assert_num_queries
):
    components = []
    for _n in range(4):
        component = ComponentFactory(publisher=acme)
        ReleaseFactory(component=component)
        DependencyFactory(component=component)
        component.customer_questions.add(question("verhuizen"))
        UsageFactory(component=component)
        components.append(component)
    member = signed_in(victor)
    counts = []
    for n in (2, 4):
        query = "&".join(f"c={c.slug}" for c in components[:n])
        with django_assert_max_num_queries(20) as captured:
            assert member.get(f"/en/compare?{query}").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_catalogue_offers_a_compare_tick_per_result_outside_the_filter_form(client, zaak):
    html = text_of(client.get("/componenten?c=open-formulieren"))
    assert 'form="compare-form" name="c" value="open-zaak"' in html
    assert 'id="compare-form"' in html and 'action="/vergelijken"' in html
    # A component ticked earlier and not on this page is carried along.
    assert '<input type="hidden" name="c" value="open-formulieren">' in html
    # The script that applies filters at once leaves the compare ticks alone.
    script = (ROOT / "registry/static/registry/catalogue.js").read_text()
    assert "target.form !== form" in script


def test_the_catalogue_ticks_the_components_already_chosen(client, zaak, formulieren):
    html = text_of(client.get("/componenten?c=open-zaak"))
    assert re.search(r'value="open-zaak" id="compare-open-zaak" checked', html)
    assert not re.search(r'value="open-formulieren" id="compare-open-formulieren" checked', html)


# --- the API ---------------------------------------------------------------


def test_the_api_compares_as_json_and_lists_the_differences(api, zaak, formulieren, utrecht):
    UsageFactory(organisation=utrecht, component=zaak)
    response = api.get("/api/v1/compare?components=open-zaak,open-formulieren")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [c["slug"] for c in body["components"]] == ["open-zaak", "open-formulieren"]
    first = body["components"][0]
    assert first["usersByOrganisationKind"] == {"municipality": 1}
    assert first["publisher"] == {"slug": "acme", "name": "Acme Software B.V.", "kind": "vendor"}
    assert first["reuseVerdict"] is None
    assert set(body["differences"]) == {
        "layer",
        "publisher",
        "usersByOrganisationKind",
    }


def test_the_api_gives_the_token_organisations_verdict(acme_api, zaak, formulieren):
    body = acme_api.get("/api/v1/compare?components=open-zaak,open-formulieren").json()
    verdicts = [c["reuseVerdict"]["verdict"] for c in body["components"]]
    assert verdicts == ["allowed", "not-allowed"]
    assert "reuseVerdict" in body["differences"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "at least 2"),
        ("?components=open-zaak", "at least 2"),
        ("?components=a,b,c,d,e", "at most 4"),
        ("?components=open-zaak,nope", "No component has the slug 'nope'."),
        ("?components=open-zaak,open-formulieren&organisation=nope", "No organisation"),
    ],
)
def test_the_api_answers_bad_input_with_problem_json(api, zaak, formulieren, query, reason):
    response = api.get(f"/api/v1/compare{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert reason in response.json()["invalidParams"][0]["reason"]


def test_the_api_counts_government_only_usages_but_a_vendor_cannot_tell_whose(
    globex_api, zaak, formulieren, secretive
):
    UsageFactory(organisation=secretive, component=zaak, visibility=Visibility.GOVERNMENT)
    body = globex_api.get("/api/v1/compare?components=open-zaak,open-formulieren").json()
    assert body["components"][0]["usersByOrganisationKind"] == {"municipality": 1}
    assert "geheimdorp" not in str(body).lower()


def test_compare_reads_a_constant_number_of_queries(acme, utrecht, django_assert_num_queries):
    slugs = []
    for _n in range(4):
        component = ComponentFactory(publisher=acme)
        ReleaseFactory(component=component)
        DependencyFactory(component=component)
        slugs.append(component.slug)
    # components, questions, named reusers, dependencies; releases; users; custom licences.
    with django_assert_num_queries(7):
        comparison = compare(slugs, [utrecht, acme])
    assert len(comparison.components) == 4
    assert all(len(c.verdicts) == 2 for c in comparison.components)


def test_the_schema_documents_the_compare_endpoint():
    import yaml

    schema = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    operation = schema["paths"]["/compare"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"components", "organisation"} <= names


def test_a_kind_count_is_not_shown_for_a_component_without_users(client, zaak, formulieren):
    html = text_of(client.get("/en/compare?c=open-zaak&c=open-formulieren"))
    assert "None yet" in _row(html, "Organisations using it now")
    assert OrganisationKind.MUNICIPALITY.label.lower() not in _row(
        html, "Organisations using it now"
    )


def _lint(component, score, meets, days_ago):
    from django.utils import timezone

    from components.models import ApiLint

    return ApiLint.objects.create(
        component=component,
        checked_at=timezone.now() - datetime.timedelta(days=days_ago),
        valid=True,
        ruleset_version="test",
        score=score,
        meets_rules=meets,
        passed=[],
        failed=[],
        findings=[],
    )


def test_the_api_quality_score_is_the_latest_check_and_says_when_there_is_none(
    client, api, acme, globex
):
    checked = ComponentFactory(slug="zaken-api", kind=ComponentKind.API, publisher=acme)
    unchecked = ComponentFactory(slug="besluiten-api", kind=ComponentKind.API, publisher=globex)
    software = ComponentFactory(slug="open-zaak", kind=ComponentKind.SOFTWARE, publisher=acme)
    _lint(checked, 40, False, days_ago=2)
    _lint(checked, 100, True, days_ago=1)  # the latest counts
    html = client.get(
        "/vergelijken?c=zaken-api&c=besluiten-api&c=open-zaak", HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    cells = re.findall(r"<td [^>]*>(.*?)</td>", _row(html, "Kwaliteitsscore van de API"), re.S)
    assert [" ".join(re.sub(r"<[^>]+>", " ", c).split()).replace(" ,", ",") for c in cells] == [
        "100% van de verplichte API Design Rules, voldoet",
        "Nog niet getoetst",
        "Geen API",
    ]
    assert "verschilt" in _row(html, "Kwaliteitsscore van de API")
    body = api.get("/api/v1/compare?components=zaken-api,besluiten-api,open-zaak").json()
    assert [c["apiQuality"] for c in body["components"]] == [
        {"score": 100, "meetsRules": True},
        None,
        None,
    ]
    assert "apiQuality" in body["differences"]
    assert software.pk and unchecked.pk


def test_equal_quality_scores_are_not_marked_as_differing(api, acme, globex):
    for slug, publisher in [("zaken-api", acme), ("besluiten-api", globex)]:
        _lint(
            ComponentFactory(slug=slug, kind=ComponentKind.API, publisher=publisher), 80, False, 1
        )
    body = api.get("/api/v1/compare?components=zaken-api,besluiten-api").json()
    assert [c["apiQuality"] for c in body["components"]] == [{"score": 80, "meetsRules": False}] * 2
    assert "apiQuality" not in body["differences"]
