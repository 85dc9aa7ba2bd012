import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from accounts.constants import OrganisationKind
from components.constants import (
    Assertion,
    ComponentKind,
    Layer,
    UsageStatus,
    Visibility,
)
from components.demo.data import CATALOGUE_DATE
from components.models import Component, CustomerQuestion, Integration, Usage

from .conftest import find_shared

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return dict(line.split(": ") for line in out.getvalue().strip().splitlines())


def test_load_demo_twice_gives_the_same_counts():
    first = load()
    history_rows = Component.history.count() + Usage.history.count() + Integration.history.count()
    second = load()
    assert first == second
    assert int(first["integrations"]) > 0
    assert (
        Component.history.count() + Usage.history.count() + Integration.history.count()
        == history_rows
    )


def test_the_demo_catalogue_is_big_and_varied_enough():
    counts = load()
    assert int(counts["organisations"]) >= 40
    assert int(counts["components"]) >= 30
    assert int(counts["usages"]) >= 150
    assert set(Component.objects.values_list("kind", flat=True)) == set(ComponentKind.values)
    assert set(Component.objects.values_list("layer", flat=True)) >= set(Layer.values)
    assert set(Usage.objects.values_list("status", flat=True)) == set(UsageStatus.values)
    assert set(Usage.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert set(Usage.objects.values_list("assertion", flat=True)) == set(Assertion.values)
    from accounts.models import Organisation

    assert set(Organisation.objects.values_list("kind", flat=True)) >= {
        OrganisationKind.MUNICIPALITY,
        OrganisationKind.PROVINCE,
        OrganisationKind.WATER_AUTHORITY,
        OrganisationKind.CENTRAL_GOVERNMENT,
        OrganisationKind.COOPERATION,
        OrganisationKind.VENDOR,
    }
    assert Organisation.objects.get(cbs_code="GM0344").name == "Gemeente Utrecht"
    questions = CustomerQuestion.objects.annotate(n=Count("upl_products"))
    assert min(q.n for q in questions) >= 2


def test_the_rijkshuisstijl_is_reserved_to_central_government():
    load()
    house_style = Component.objects.get(slug="rijkshuisstijl")
    assert house_style.reuse_organisation_kinds == ["central-government"]
    assert house_style.license_expression.startswith("LicenseRef-")


def test_a_plain_yes_is_the_common_answer_for_the_demo_catalogue():
    """Issue 13, item 11: before runtime services and copyleft-for-sharing were
    told apart, 31 of 39 demo components were 'allowed with conditions' for
    Gemeente Utrecht and 6 allowed."""
    from collections import Counter

    from accounts.models import Organisation
    from components.licensing import ALLOWED, NOT_ALLOWED, reuse_verdict

    load()
    utrecht = Organisation.objects.get(slug="gemeente-utrecht")
    components = list(Component.objects.select_related("publisher"))
    verdicts = Counter(reuse_verdict(c, utrecht).verdict for c in components)
    assert verdicts[ALLOWED] >= 0.6 * len(components), verdicts
    # What stays: the restrictions that keep Utrecht out, and real terms of use.
    assert verdicts[NOT_ALLOWED] == 2
    open_zaak = reuse_verdict(Component.objects.get(slug="open-zaak"), utrecht)
    assert open_zaak.verdict == ALLOWED
    assert "dependency-runtime-service" in [r.code for r in open_zaak.reasons]


# Believable usages (issue 13, item 18) ----------------------------------------


def test_every_municipality_that_uses_digid_runs_it():
    load()
    digid = Usage.objects.filter(
        component__slug="digid", organisation__kind=OrganisationKind.MUNICIPALITY
    )
    assert digid.count() >= 8
    for usage in digid:
        assert usage.status in (UsageStatus.PRODUCTION, UsageStatus.PILOT), usage
        assert usage.assertion != Assertion.REJECTED, usage
        # DigiD went live in 2003; municipalities joined from 2005 to about 2012.
        assert datetime.date(2005, 1, 1) <= usage.since <= datetime.date(2012, 12, 31), usage


def test_central_government_has_used_the_rijkshuisstijl_for_years():
    load()
    usages = Usage.objects.filter(
        component__slug="rijkshuisstijl",
        organisation__kind=OrganisationKind.CENTRAL_GOVERNMENT,
    )
    assert usages.count() >= 5
    for usage in usages:
        assert usage.status == UsageStatus.PRODUCTION, usage
        assert usage.since <= datetime.date(2015, 1, 1), usage


def test_no_usage_starts_or_ends_in_the_future():
    load()
    today = datetime.date.today()
    assert not Usage.objects.filter(since__gt=today).exists()
    assert not Usage.objects.filter(until__gt=today).exists()
    assert not Usage.objects.filter(since__gt=F("until")).exists()


def test_publishers_run_their_own_components_from_the_start():
    load()
    own = Usage.objects.filter(organisation=F("component__publisher"))
    assert own.exists()
    assert set(own.values_list("status", flat=True)) == {UsageStatus.PRODUCTION}


def corpus_oins():
    """{folded organisation name: OIN} from the developer.overheid.nl files."""
    found = {}
    for path in find_shared("corpus", "don-apis").glob("*.json"):
        data = json.loads(path.read_text())
        name = re.sub(r"\s*\(.*\)$", "", data["organization_name"]).strip().casefold()
        found[name] = data["organization_oin"]
    return found


def test_every_organisation_with_an_oin_in_the_corpus_has_it_and_no_oin_is_made_up():
    from accounts.models import Organisation

    load()
    corpus = corpus_oins()
    matched = {}
    for organisation in Organisation.objects.all():
        names = {n.casefold() for n in [organisation.name, *organisation.aliases]}
        known = {corpus[name] for name in names if name in corpus}
        assert len(known) <= 1, (organisation.slug, known)
        if known:
            matched[organisation.slug] = organisation.oin
            assert organisation.oin == known.pop(), organisation.slug
        elif organisation.oin:
            assert organisation.oin in corpus.values(), organisation.slug
    assert len(matched) >= 10, matched
    # Municipalities keep their CBS code beside it.
    assert Organisation.objects.get(slug="gemeente-amsterdam").cbs_code == "GM0363"


def test_last_changed_dates_are_spread_and_never_the_day_of_loading():
    load()
    today = datetime.date.today()
    for model in (Usage, Component):
        rows = list(model.objects.values_list("created_at", "updated_at"))
        updated = {u.date() for _c, u in rows}
        assert len(updated) >= len(rows) // 2, model
        assert max(updated) <= CATALOGUE_DATE < today, model
        assert all(created <= updated for created, updated in rows), model
    # A usage that stopped changed last when it stopped, at the earliest.
    for usage in Usage.objects.filter(status=UsageStatus.STOPPED):
        assert usage.updated_at.date() >= usage.until, usage


def test_five_municipalities_have_a_believable_landscape():
    load()
    per_municipality = dict(
        Integration.objects.filter(organisation__kind=OrganisationKind.MUNICIPALITY)
        .values("organisation__slug")
        .annotate(n=Count("id"))
        .values_list("organisation__slug", "n")
    )
    assert len([n for n in per_municipality.values() if n >= 5]) >= 5, per_municipality
    standards = set(
        Integration.objects.exclude(standard=None).values_list("standard__slug", flat=True)
    )
    assert {"zgw-api-standaarden", "stuf", "digikoppeling", "fsc"} <= standards
    # Every end is a usage the organisation states itself.
    for integration in Integration.objects.select_related("source_usage", "target_usage"):
        for usage in (integration.source_usage, integration.target_usage):
            assert usage.organisation_id == integration.organisation_id
            assert usage.assertion in (Assertion.SELF, Assertion.CONFIRMED)


def test_utrecht_shows_a_real_picture_to_anyone_on_first_run(client):
    load()
    from accounts.models import Organisation
    from components import landscape
    from components.query import Viewer

    utrecht = Organisation.objects.get(slug="gemeente-utrecht")
    picture = landscape.build(utrecht, Viewer.anonymous())
    assert len(picture.nodes) >= 10
    assert len(picture.edges) >= 8
    assert {n.layer for n in picture.nodes} >= {Layer.INTERACTION, Layer.SERVICES, Layer.DATA}
    labels = {e.label for e in picture.edges}
    assert "API-standaarden voor Zaakgericht Werken" in labels
    page = client.get("/organisaties/gemeente-utrecht/landschap")
    assert page.status_code == 200
    assert page.content.decode().count('class="node"') == len(picture.nodes)


# The "pas toe of leg uit" standards of Forum Standaardisatie that demo components implement.
COMPLY_OR_EXPLAIN = {
    "digikoppeling",
    "nl-api-design-rules",
    "oauth-nl-gov",
    "openapi-specification",
    "stuf",
    "wcag-21",
}


def test_the_demo_has_forum_standaardisatie_standards_that_its_components_implement():
    from components.constants import ComponentKind, DependencyUse
    from components.models import Component, Dependency

    load()
    standards = set(
        Component.objects.filter(kind=ComponentKind.STANDARD).values_list("slug", flat=True)
    )
    assert standards >= COMPLY_OR_EXPLAIN
    implemented = Dependency.objects.filter(
        how_used=DependencyUse.IMPLEMENTS, depends_on__kind=ComponentKind.STANDARD
    )
    assert set(implemented.values_list("depends_on__slug", flat=True)) >= COMPLY_OR_EXPLAIN
    # Each declaration names the version implemented.
    assert not implemented.filter(version="").exists()
    assert implemented.filter(depends_on__slug="wcag-21").count() >= 3


def test_digid_at_the_belastingdienst_runs_and_usages_began_over_many_years():
    load()
    digid = Usage.objects.get(component__slug="digid", organisation__slug="belastingdienst")
    assert digid.status == UsageStatus.PRODUCTION and digid.until is None
    years = {
        since.year for since in Usage.objects.exclude(since=None).values_list("since", flat=True)
    }
    # From the early DigiD years to now, not one load date.
    assert len(years) >= 12 and min(years) <= 2006
