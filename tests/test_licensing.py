"""Licensing without HTTP: parsing, obligations, compatibility, the reuse
verdict, flagged usages and the licence report."""

import collections
import contextlib
import gc
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from accounts.constants import OrganisationKind
from components import licensing, publiccode
from components.constants import (
    Assertion,
    DependencyKind,
    DependencyUse,
    ReuseRestriction,
    UsageStatus,
    Visibility,
)
from components.licensing import (
    ALLOWED,
    CONDITIONAL,
    NOT_ALLOWED,
    Term,
    compatibility,
    expressions,
    licence_obligation,
    parse_expression,
    restriction_flag,
    reuse_verdict,
)
from components.models import Component, Dependency, License, Usage
from components.query import Viewer

from .factories import ComponentFactory, OrganisationFactory, UsageFactory
from .test_publiccode_import import document

pytestmark = pytest.mark.django_db

KINDS = OrganisationKind.values


# ---------------------------------------------------------------------------
# Personas: one organisation of every kind, a publisher and a licence owner.
# ---------------------------------------------------------------------------


@pytest.fixture
def organisations(db):
    found = {
        kind: OrganisationFactory(name=f"Organisatie {kind}", slug=f"org-{kind}", kind=kind)
        for kind in KINDS
    }
    found["publisher"] = OrganisationFactory(
        name="Uitgever", slug="uitgever", kind=OrganisationKind.COOPERATION
    )
    found["owner"] = OrganisationFactory(
        name="Rechthebbende", slug="rechthebbende", kind=OrganisationKind.CENTRAL_GOVERNMENT
    )
    License.objects.create(
        id="LicenseRef-Closed",
        name="Gesloten huisstijl",
        is_custom=True,
        reuse_allowed=False,
        owner=found["owner"],
        summary="Het logo is voorbehouden aan de rechthebbende.",
    )
    License.objects.create(
        id="LicenseRef-Open",
        name="Open voorwaarden",
        is_custom=True,
        reuse_allowed=True,
        url="https://example.nl/voorwaarden",
        summary="Hergebruik mag, met bronvermelding.",
    )
    return found


def make_component(organisations, spec):
    component = ComponentFactory(
        publisher=organisations[spec.get("publisher", "publisher")],
        license_expression=spec.get("license", "MIT"),
        reuse_restriction=spec.get("restriction", ReuseRestriction.NONE),
        reuse_organisation_kinds=spec.get("kinds", []),
        reuse_terms=spec.get("terms", ""),
        sync=False,
    )
    # Foo-1.0 is stored unvalidated on purpose; it names no licence.
    with contextlib.suppress(ValidationError):
        component.sync_licenses()
    component.reuse_organisations.set([organisations[key] for key in spec.get("named", [])])
    for name, expression, kind, *how in spec.get("dependencies", []):
        how_used = {"how_used": how[0]} if how else {}  # else the model's default
        if name.startswith("component:"):
            target = ComponentFactory(
                name=name.removeprefix("component:"), license_expression=expression, sync=False
            )
            Dependency.objects.create(component=component, depends_on=target, **how_used)
        else:
            Dependency.objects.create(
                component=component,
                name=name,
                license_expression=expression,
                kind=kind,
                **how_used,
            )
    return component


# ---------------------------------------------------------------------------
# The verdict table
# ---------------------------------------------------------------------------

# Who may reuse under each restriction (MIT code: the licence adds nothing).
RESTRICTIONS = {
    "none": ({}, set(KINDS)),
    "public-sector": (
        {"restriction": ReuseRestriction.PUBLIC_SECTOR},
        set(OrganisationKind.public_sector()),
    ),
    "organisation-kinds": (
        {
            "restriction": ReuseRestriction.ORGANISATION_KINDS,
            "kinds": [OrganisationKind.CENTRAL_GOVERNMENT, OrganisationKind.PROVINCE],
        },
        {OrganisationKind.CENTRAL_GOVERNMENT, OrganisationKind.PROVINCE},
    ),
    "owner-only": ({"restriction": ReuseRestriction.OWNER_ONLY}, set()),
    "named-organisations": (
        {
            "restriction": ReuseRestriction.NAMED_ORGANISATIONS,
            "named": [OrganisationKind.MUNICIPALITY, OrganisationKind.VENDOR],
        },
        {OrganisationKind.MUNICIPALITY, OrganisationKind.VENDOR},
    ),
}

RESTRICTION_CASES = [
    pytest.param(
        spec,
        kind,
        ALLOWED if kind in allowed else NOT_ALLOWED,
        [] if kind in allowed else [f"restriction-{name}"],
        id=f"{name} restriction, reused by a {kind}",
    )
    for name, (spec, allowed) in RESTRICTIONS.items()
    for kind in KINDS
] + [
    pytest.param(
        {"restriction": ReuseRestriction.OWNER_ONLY},
        "publisher",
        ALLOWED,
        ["restriction-publisher"],
        id="owner-only restriction, used by the publisher itself",
    ),
    pytest.param(
        {"restriction": ReuseRestriction.NAMED_ORGANISATIONS, "named": ["owner"]},
        "publisher",
        ALLOWED,
        ["restriction-publisher"],
        id="named-organisations restriction, the publisher is always allowed",
    ),
    pytest.param(
        {"restriction": ReuseRestriction.PUBLIC_SECTOR, "publisher": "vendor"},
        "vendor",
        ALLOWED,
        ["restriction-publisher"],
        id="public-sector restriction, a vendor that publishes it may use its own",
    ),
    pytest.param(
        {"terms": "Het logo is voorbehouden aan de uitgever."},
        "municipality",
        CONDITIONAL,
        ["restriction-none", "reuse-terms"],
        id="no restriction but further terms: conditional, naming the terms",
    ),
]

MUNICIPALITY = OrganisationKind.MUNICIPALITY
APACHE_LIBRARY = ("commons-lang", "Apache-2.0", DependencyKind.OPEN)

LICENCE_CASES = [
    pytest.param({"license": "MIT"}, MUNICIPALITY, ALLOWED, ["license-permissive"], id="MIT"),
    pytest.param(
        {"license": "Apache-2.0"}, MUNICIPALITY, ALLOWED, ["license-permissive"], id="Apache-2.0"
    ),
    pytest.param(
        {"license": "CC0-1.0"}, MUNICIPALITY, ALLOWED, ["license-public-domain"], id="CC0-1.0"
    ),
    pytest.param(
        {"license": "CC-BY-4.0"},
        MUNICIPALITY,
        ALLOWED,
        ["license-creative-commons"],
        id="CC-BY-4.0: credit only",
    ),
    pytest.param(
        {"license": "CC-BY-SA-4.0"},
        MUNICIPALITY,
        ALLOWED,
        ["license-creative-commons"],
        id="CC-BY-SA-4.0: share alike binds sharing, not use",
    ),
    pytest.param(
        {"license": "CC-BY-NC-4.0"},
        MUNICIPALITY,
        CONDITIONAL,
        ["license-creative-commons"],
        id="CC-BY-NC-4.0: a non-commercial clause limits use itself",
    ),
    pytest.param(
        {"license": "LGPL-2.1-only"},
        MUNICIPALITY,
        ALLOWED,
        ["license-weak-copyleft"],
        id="LGPL-2.1-only: weak copyleft binds sharing, not use",
    ),
    pytest.param(
        {"license": "GPL-3.0-only"},
        MUNICIPALITY,
        ALLOWED,
        ["license-strong-copyleft"],
        id="GPL-3.0-only: strong copyleft binds sharing, not use",
    ),
    pytest.param(
        {"license": "AGPL-3.0-or-later"},
        MUNICIPALITY,
        ALLOWED,
        ["license-network-copyleft"],
        id="AGPL-3.0-or-later: network copyleft binds sharing, not use",
    ),
    pytest.param(
        {"license": "EUPL-1.2"},
        MUNICIPALITY,
        ALLOWED,
        ["license-network-copyleft"],
        id="EUPL-1.2: copyleft with a compatibility clause, for sharing",
    ),
    pytest.param(
        {"license": "Artistic-2.0"},
        MUNICIPALITY,
        CONDITIONAL,
        ["license-unknown"],
        id="a licence outside the family table is said to be unknown",
    ),
    pytest.param(
        {"license": "MIT OR GPL-3.0-only"},
        MUNICIPALITY,
        ALLOWED,
        ["license-choice", "license-permissive"],
        id="OR: the most permissive alternative decides",
    ),
    pytest.param(
        {"license": "MIT AND GPL-3.0-only"},
        MUNICIPALITY,
        ALLOWED,
        ["license-permissive", "license-strong-copyleft"],
        id="AND: every licence applies",
    ),
    pytest.param(
        {"license": "GPL-2.0-only WITH Classpath-exception-2.0"},
        MUNICIPALITY,
        ALLOWED,
        ["license-strong-copyleft", "license-exception"],
        id="WITH: the exception is named",
    ),
    pytest.param(
        {"license": "GPL-2.0"},
        MUNICIPALITY,
        ALLOWED,
        ["license-normalised", "license-strong-copyleft"],
        id="a deprecated id is read as its successor",
    ),
    pytest.param(
        {"license": "Foo-1.0"},
        MUNICIPALITY,
        CONDITIONAL,
        ["license-unreadable"],
        id="an unknown id stored before validation is said to be unreadable",
    ),
    pytest.param(
        {"license": "LicenseRef-Closed"},
        MUNICIPALITY,
        NOT_ALLOWED,
        ["license-custom-not-allowed"],
        id="LicenseRef without reuse permission, for another organisation",
    ),
    pytest.param(
        {"license": "LicenseRef-Closed"},
        "owner",
        ALLOWED,
        ["license-custom-owner"],
        id="LicenseRef without reuse permission, for its owner",
    ),
    pytest.param(
        {"license": "LicenseRef-Closed"},
        "publisher",
        ALLOWED,
        ["license-custom-publisher"],
        id="LicenseRef without reuse permission, for the component's publisher",
    ),
    pytest.param(
        {"license": "LicenseRef-Open"},
        MUNICIPALITY,
        CONDITIONAL,
        ["license-custom"],
        id="LicenseRef with reuse permission: its terms are the condition",
    ),
    pytest.param(
        {"license": "MIT OR LicenseRef-Closed"},
        MUNICIPALITY,
        ALLOWED,
        ["license-choice", "license-permissive"],
        id="OR with a closed LicenseRef: the open alternative may be chosen",
    ),
]

RUNTIME = DependencyUse.RUNTIME_SERVICE
POSTGRESQL = ("PostgreSQL", "PostgreSQL", DependencyKind.OPEN, RUNTIME)

DEPENDENCY_CASES = [
    pytest.param(
        {"license": "EUPL-1.2", "dependencies": [(*APACHE_LIBRARY, RUNTIME)]},
        MUNICIPALITY,
        ALLOWED,
        ["dependency-runtime-service"],
        id="EUPL-1.2 beside an Apache-2.0 runtime service: its licence does not bind",
    ),
    pytest.param(
        {"license": "MIT", "dependencies": [("PostGIS", "GPL-2.0-or-later", "open", RUNTIME)]},
        MUNICIPALITY,
        ALLOWED,
        ["dependency-runtime-service"],
        id="MIT beside a GPL runtime service: no conflict, it is not built in",
    ),
    pytest.param(
        {"license": "MIT", "dependencies": [("Keycloak", "", "open", RUNTIME), POSTGRESQL]},
        MUNICIPALITY,
        ALLOWED,
        ["dependency-runtime-service"],
        id="a runtime service without a known licence is no question either",
    ),
    pytest.param(
        {
            "license": "MIT",
            "dependencies": [
                ("component:ZGW", "LicenseRef-Closed", "open", DependencyUse.IMPLEMENTS)
            ],
        },
        MUNICIPALITY,
        ALLOWED,
        ["dependency-implements"],
        id="a standard it implements does not bind its code",
    ),
    pytest.param(
        {
            "license": "MIT",
            "dependencies": [("libkern", "GPL-2.0-only", "open", DependencyUse.LINKED)],
        },
        MUNICIPALITY,
        CONDITIONAL,
        ["dependency-conflict"],
        id="linked code is weighed like built-in code",
    ),
    pytest.param(
        {"license": "GPL-2.0-only", "dependencies": [APACHE_LIBRARY]},
        MUNICIPALITY,
        CONDITIONAL,
        ["license-strong-copyleft", "dependency-conflict"],
        id="GPL-2.0-only component on an Apache-2.0 library: conflict",
    ),
    pytest.param(
        {"license": "GPL-3.0-only", "dependencies": [APACHE_LIBRARY]},
        MUNICIPALITY,
        ALLOWED,
        ["license-strong-copyleft", "dependency-compatible"],
        id="GPL-3.0-only component on an Apache-2.0 library: harmless",
    ),
    pytest.param(
        {"license": "MIT", "dependencies": [APACHE_LIBRARY]},
        MUNICIPALITY,
        ALLOWED,
        ["license-permissive", "dependency-compatible"],
        id="MIT component on an Apache-2.0 library: allowed",
    ),
    pytest.param(
        {"license": "MIT", "dependencies": [("component:Kern", "GPL-2.0-only", "open")]},
        MUNICIPALITY,
        CONDITIONAL,
        ["dependency-conflict"],
        id="MIT component on a registered GPL-2.0-only component: conflict",
    ),
    pytest.param(
        {"license": "EUPL-1.2", "dependencies": [APACHE_LIBRARY]},
        MUNICIPALITY,
        CONDITIONAL,
        ["dependency-compatibility-unknown"],
        id="EUPL-1.2 on Apache-2.0: the matrix says Unknown, and so do we",
    ),
    pytest.param(
        {"license": "MIT", "dependencies": [("data", "CC0-1.0", DependencyKind.OPEN)]},
        MUNICIPALITY,
        CONDITIONAL,
        ["dependency-compatibility-unknown"],
        id="a licence the matrix does not cover is unknown, not guessed",
    ),
    pytest.param(
        {"license": "AGPL-3.0-only", "dependencies": [("gcc", "GPL-3.0-only", "open")]},
        MUNICIPALITY,
        CONDITIONAL,
        ["dependency-check"],
        id="the matrix says Check dependency: conditional, saying so",
    ),
    pytest.param(
        {"license": "MIT", "dependencies": [("Oracle", "", DependencyKind.PROPRIETARY)]},
        MUNICIPALITY,
        CONDITIONAL,
        ["dependency-license-unknown"],
        id="a dependency without a licence: unknown",
    ),
    pytest.param(
        {"license": "MIT", "dependencies": [("Raspberry Pi", "", DependencyKind.HARDWARE)]},
        MUNICIPALITY,
        ALLOWED,
        ["license-permissive"],
        id="hardware has no licence to weigh",
    ),
    pytest.param(
        {"license": "GPL-2.0-only OR MIT", "dependencies": [APACHE_LIBRARY]},
        MUNICIPALITY,
        ALLOWED,
        ["license-choice", "dependency-compatible"],
        id="OR: the alternative that fits the dependencies may be chosen",
    ),
]


@pytest.mark.parametrize(
    "spec, reuser, verdict, codes", RESTRICTION_CASES + LICENCE_CASES + DEPENDENCY_CASES
)
def test_the_verdict_table(organisations, spec, reuser, verdict, codes):
    component = make_component(organisations, spec)
    result = reuse_verdict(component, organisations[reuser])
    found = [reason.code for reason in result.reasons]
    assert result.verdict == verdict, [r.text_en for r in result.reasons]
    assert set(codes) <= set(found), found
    for reason in result.reasons:
        assert reason.text_nl and reason.text_en and reason.text_nl != reason.text_en


def test_the_table_has_every_restriction_against_every_kind_and_at_least_25_cases():
    cases = RESTRICTION_CASES + LICENCE_CASES + DEPENDENCY_CASES
    assert len(cases) >= 25
    pairs = {(p.values[0].get("restriction", "none"), p.values[1]) for p in RESTRICTION_CASES}
    assert pairs >= {(r, k) for r in ReuseRestriction.values for k in KINDS}


def test_a_restriction_reason_names_who_may_and_who_asks(organisations):
    component = make_component(organisations, RESTRICTIONS["organisation-kinds"][0])
    reason = reuse_verdict(component, organisations[MUNICIPALITY]).reasons[0]
    assert reason.text_nl == (
        "Alleen organisaties van de Rijksoverheid en provincies mogen dit onderdeel "
        "hergebruiken; Organisatie municipality is een gemeente."
    )
    assert reason.text_en == (
        "Only central government organisations and provinces may reuse this component; "
        "Organisatie municipality is a municipality."
    )


def test_the_gpl2_apache_conflict_names_the_pair(organisations):
    component = make_component(
        organisations, {"license": "GPL-2.0-only", "dependencies": [APACHE_LIBRARY]}
    )
    conflict = next(
        r
        for r in reuse_verdict(component, organisations[MUNICIPALITY]).reasons
        if r.code == "dependency-conflict"
    )
    assert conflict.text_en.startswith(
        "GPL-2.0-only (component) cannot incorporate Apache-2.0 (dependency commons-lang)"
    )
    assert conflict.text_nl.startswith(
        "GPL-2.0-only (dit onderdeel) kan Apache-2.0 (afhankelijkheid commons-lang) niet opnemen"
    )


def test_unknown_compatibility_says_so_and_does_not_guess(organisations):
    component = make_component(
        organisations, {"license": "EUPL-1.2", "dependencies": [APACHE_LIBRARY]}
    )
    reason = next(
        r
        for r in reuse_verdict(component, organisations[MUNICIPALITY]).reasons
        if r.code == "dependency-compatibility-unknown"
    )
    assert reason.severity == "unknown"
    assert "is unknown" in reason.text_en and "does not guess" in reason.text_en
    assert "is onbekend" in reason.text_nl


def test_the_choice_names_the_alternatives_and_the_one_judged(organisations):
    component = make_component(organisations, {"license": "(MIT AND BSD-3-Clause) OR GPL-3.0+"})
    reasons = reuse_verdict(component, organisations[MUNICIPALITY]).reasons
    choice = next(r for r in reasons if r.code == "license-choice")
    assert choice.text_en == (
        "The licence offers a choice: (MIT AND BSD-3-Clause) or GPL-3.0-or-later. "
        "The registry judges the most favourable one: (MIT AND BSD-3-Clause)."
    )


def test_between_allowed_alternatives_the_one_with_fewer_obligations_is_judged(organisations):
    component = make_component(organisations, {"license": "GPL-3.0-only OR MIT"})
    choice = next(
        r
        for r in reuse_verdict(component, organisations[MUNICIPALITY]).reasons
        if r.code == "license-choice"
    )
    assert choice.text_en.endswith("The registry judges the most favourable one: MIT.")


def test_copyleft_is_listed_as_information_about_sharing(organisations):
    component = make_component(organisations, {"license": "EUPL-1.2"})
    verdict = reuse_verdict(component, organisations[MUNICIPALITY])
    assert verdict.verdict == ALLOWED
    [copyleft] = [r for r in verdict.reasons if r.code == "license-network-copyleft"]
    assert copyleft.severity == "info"
    assert copyleft.text_en.startswith(
        "Licence EUPL-1.2 (network copyleft): if you distribute it or make it available online"
    )


def test_runtime_services_and_standards_are_named_as_information(organisations):
    component = make_component(
        organisations,
        {
            "license": "EUPL-1.2",
            "dependencies": [
                POSTGRESQL,
                ("Redis", "BSD-3-Clause", "open", RUNTIME),
                ("component:ZGW API's", "EUPL-1.2", "open", DependencyUse.IMPLEMENTS),
                ("Django", "BSD-3-Clause", "open", DependencyUse.INCORPORATED),
            ],
        },
    )
    reasons = {r.code: r for r in reuse_verdict(component, organisations[MUNICIPALITY]).reasons}
    assert reasons["dependency-runtime-service"].text_en == (
        "This component runs beside PostgreSQL and Redis (runtime services it talks to); "
        "their licences do not bind this component."
    )
    assert reasons["dependency-runtime-service"].text_nl == (
        "Dit onderdeel draait naast PostgreSQL en Redis (diensten waarmee het praat); "
        "hun licenties binden dit onderdeel niet."
    )
    assert reasons["dependency-implements"].text_en == (
        "This component implements ZGW API's; its licence does not bind this component's code."
    )
    # Only the built-in Django is weighed.
    assert reasons["dependency-compatible"].text_en == (
        "The licence of 1 dependency fits EUPL-1.2 according to the OSADL matrix."
    )
    assert {r.severity for r in reasons.values()} == {"info"}


def test_the_classpath_exception_says_it_relaxes_linking(organisations):
    component = make_component(
        organisations, {"license": "GPL-2.0-only WITH Classpath-exception-2.0"}
    )
    reasons = reuse_verdict(component, organisations[MUNICIPALITY]).reasons
    exception = next(r for r in reasons if r.code == "license-exception")
    assert "link the library with your own code" in exception.text_en


def test_the_verdict_texts_follow_the_active_language(organisations):
    component = make_component(organisations, {"license": "MIT"})
    verdict = reuse_verdict(component, organisations[MUNICIPALITY])
    with translation.override("en"):
        assert verdict.label == "Allowed"
        assert verdict.reasons[0].text == verdict.reasons[0].text_en
    with translation.override("nl"):
        assert verdict.label == "Toegestaan"
        assert verdict.reasons[0].text == verdict.reasons[0].text_nl


def test_a_verdict_takes_a_few_queries_whatever_the_dependencies(
    organisations, django_assert_max_num_queries
):
    component = make_component(
        organisations,
        {
            "license": "GPL-2.0-only",
            "restriction": ReuseRestriction.NAMED_ORGANISATIONS,
            "named": [MUNICIPALITY],
            "dependencies": [(f"lib-{n}", "MIT", "open") for n in range(10)],
        },
    )
    component = Component.objects.select_related("publisher").get(pk=component.pk)
    with django_assert_max_num_queries(3):
        reuse_verdict(component, organisations[MUNICIPALITY])


# ---------------------------------------------------------------------------
# The seed's own case
# ---------------------------------------------------------------------------


def test_the_rijkshuisstijl_may_be_reused_by_a_ministry_and_not_by_a_municipality():
    call_command("load_demo", stdout=io.StringIO())
    from accounts.models import Organisation

    house_style = Component.objects.select_related("publisher").get(slug="rijkshuisstijl")
    ministry = Organisation.objects.get(slug="ministerie-van-algemene-zaken")
    municipality = Organisation.objects.get(slug="gemeente-almere")
    assert ministry.kind == OrganisationKind.CENTRAL_GOVERNMENT

    allowed = reuse_verdict(house_style, ministry)
    assert allowed.verdict == ALLOWED

    refused = reuse_verdict(house_style, municipality)
    assert refused.verdict == NOT_ALLOWED
    assert [r.code for r in refused.reasons if r.severity == "blocker"] == [
        "restriction-organisation-kinds",
    ]
    # And the demo's usage by Almere is flagged with that reason.
    usage = Usage.objects.get(component=house_style, organisation=municipality)
    assert usage.restriction_flag == refused.reasons[0].text_nl


def test_every_ministry_may_reuse_it_under_its_terms():
    """The brand belongs to the Rijksoverheid as a whole: the licence allows reuse,
    the restriction (central government only) lets any ministry through, and the
    reuse terms make it conditional for those that do not publish it."""
    call_command("load_demo", stdout=io.StringIO())
    from accounts.models import Organisation

    house_style = Component.objects.select_related("publisher").get(slug="rijkshuisstijl")
    other = Organisation.objects.get(
        slug="ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties"
    )
    verdict = reuse_verdict(house_style, other)
    assert verdict.verdict == CONDITIONAL
    assert [(r.code, r.severity) for r in verdict.reasons[:2]] == [
        ("restriction-organisation-kinds-met", "info"),
        ("reuse-terms", "condition"),
    ]
    assert "license-custom-not-allowed" not in [r.code for r in verdict.reasons]


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, normalised, alternatives",
    [
        ("mit or apache-2.0", "MIT OR Apache-2.0", [["MIT"], ["Apache-2.0"]]),
        (
            "MIT AND (Apache-2.0 OR BSD-3-Clause)",
            "MIT AND (Apache-2.0 OR BSD-3-Clause)",
            [["MIT", "Apache-2.0"], ["MIT", "BSD-3-Clause"]],
        ),
        (
            "GPL-2.0 WITH Classpath-exception-2.0",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            [["GPL-2.0-only WITH Classpath-exception-2.0"]],
        ),
        ("GPL-2.0+", "GPL-2.0-or-later", [["GPL-2.0-or-later"]]),
        ("Apache-2.0+", "Apache-2.0+", [["Apache-2.0+"]]),
        ("GPL-3.0", "GPL-3.0-only", [["GPL-3.0-only"]]),
    ],
)
def test_expressions_become_alternatives(text, normalised, alternatives):
    parsed = parse_expression(text, custom_ids={})
    assert parsed.normalised == normalised
    assert [[str(term) for term in alt] for alt in parsed.alternatives] == alternatives


def test_unknown_ids_are_named():
    with pytest.raises(ValidationError) as excinfo:
        parse_expression("MIT OR Foo-1.0 AND Bar", custom_ids={})
    assert excinfo.value.messages == ["Unknown licence identifier(s): Foo-1.0, Bar"]


def test_plus_on_any_licence_names_the_base_licence():
    assert parse_expression("Apache-2.0+", custom_ids={}).license_ids == ("Apache-2.0",)


def test_a_custom_licence_created_in_the_admin_is_accepted_at_once(admin_client, organisations):
    with pytest.raises(ValidationError):
        parse_expression("LicenseRef-Gemeentelogo")
    response = admin_client.post(
        "/admin/components/license/add/",
        {
            "id": "LicenseRef-Gemeentelogo",
            "name": "Gebruiksvoorwaarden gemeentelogo",
            "url": "https://example.nl/logo",
            "summary": "Het logo is alleen voor de gemeente zelf.",
            "owner": organisations[MUNICIPALITY].pk,
        },
    )
    assert response.status_code == 302, response.content
    licence = License.objects.get(id="LicenseRef-Gemeentelogo")
    assert licence.is_custom and not licence.reuse_allowed
    assert licence.owner == organisations[MUNICIPALITY]
    assert parse_expression("MIT AND licenseref-gemeentelogo").normalised == (
        "MIT AND LicenseRef-Gemeentelogo"
    )


def test_the_admin_adds_only_licencerefs(admin_client):
    response = admin_client.post(
        "/admin/components/license/add/", {"id": "Gemeentelogo", "name": "Logo"}
    )
    assert response.status_code == 200
    assert "LicenseRef-" in response.content.decode()
    assert not License.objects.filter(id="Gemeentelogo").exists()


@pytest.fixture
def parses(monkeypatch):
    """The texts license-expression parses, counted."""
    counted = collections.Counter()
    spdx = expressions._spdx()
    parse = spdx.parse

    def counting(expression, *args, **kwargs):
        if isinstance(expression, str):  # given a parsed expression, it returns it as is
            counted[expression] += 1
        return parse(expression, *args, **kwargs)

    monkeypatch.setattr(spdx, "parse", counting)
    expressions._parse.cache_clear()  # what earlier tests parsed would not be counted
    return counted


def test_one_import_parses_its_licence_expression_once(acme, parses):
    # Validating the file, cleaning the component and syncing its licences.
    result = publiccode.import_publiccode(document(legal={"license": "EUPL-1.2 OR MIT"}), acme)
    assert result.created
    assert list(result.component.licenses.values_list("id", flat=True).order_by("id")) == [
        "EUPL-1.2",
        "MIT",
    ]
    assert parses == {"EUPL-1.2 OR MIT": 1}


def test_an_import_parses_another_spelling_and_its_normalised_form_once_each(acme, parses):
    result = publiccode.import_publiccode(document(legal={"license": "gpl-3.0 or mit"}), acme)
    assert result.component.license_expression == "GPL-3.0-only OR MIT"
    assert parses == {"gpl-3.0 or mit": 1, "GPL-3.0-only OR MIT": 1}


def test_a_custom_licence_added_later_is_not_hidden_by_an_earlier_parse(parses):
    with pytest.raises(ValidationError):
        parse_expression("MIT AND LicenseRef-Later", custom_ids={})
    parsed = parse_expression("MIT AND licenseref-later", {"licenseref-later": "LicenseRef-Later"})
    assert parsed.license_ids == ("MIT", "LicenseRef-Later")
    assert parse_expression("MIT", custom_ids={}) is parse_expression("MIT", custom_ids={})


# ---------------------------------------------------------------------------
# Obligations and compatibility
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "license_id, family, words",
    [
        ("MIT", "permissive", "copyright notice"),
        ("Apache-2.0", "permissive", "NOTICE file"),
        ("0BSD", "public-domain", "No conditions"),
        ("CC0-1.0", "public-domain", "No conditions"),
        ("LGPL-3.0-or-later", "weak-copyleft", "your own code that merely uses it"),
        ("MPL-2.0", "weak-copyleft", "changes to the component itself"),
        ("GPL-3.0-only", "strong-copyleft", "complete source code under the same licence"),
        ("GPL-2.0", "strong-copyleft", "complete source code"),
        ("AGPL-3.0-only", "network-copyleft", "online service"),
        ("EUPL-1.2", "network-copyleft", "compatible licence"),
        ("CC-BY-4.0", "creative-commons", "Credit the author"),
        ("CC-BY-NC-ND-4.0", "creative-commons", "do not use it commercially"),
        ("Classpath-exception-2.0", "exception", "link the library"),
        ("Artistic-2.0", "unknown", "does not know"),
    ],
)
def test_every_family_has_one_plain_sentence(license_id, family, words):
    obligation = licence_obligation(license_id)
    assert obligation.family == family
    assert words in obligation.text_en
    assert obligation.text_nl and obligation.text_nl != obligation.text_en


def test_a_custom_licence_obligation_is_its_summary(organisations):
    closed = License.objects.get(id="LicenseRef-Closed")
    obligation = licence_obligation(closed)
    assert (obligation.family, obligation.severity) == ("custom", "blocker")
    assert obligation.text_nl == "Het logo is voorbehouden aan de rechthebbende."


@pytest.mark.parametrize(
    "leading, other, status",
    [
        ("GPL-2.0-only", "Apache-2.0", "no"),
        ("GPL-3.0-only", "Apache-2.0", "yes"),
        ("Apache-2.0", "GPL-3.0-only", "no"),
        ("MIT", "MIT", "yes"),
        ("EUPL-1.2", "Apache-2.0", "unknown"),
        ("AGPL-3.0-only", "GPL-3.0-only", "check"),
        ("MIT", "CC0-1.0", "not-covered"),
        (Term("GPL-2.0-only", "Classpath-exception-2.0"), "Apache-2.0", "no"),
        (Term("GPL-3.0-only", "GCC-exception-3.1"), "MIT", "yes"),
        (Term("GPL-2.0-only", "LLVM-exception"), "Apache-2.0", "not-covered"),
    ],
)
def test_compatibility_reads_the_osadl_matrix_row_leading(leading, other, status):
    assert compatibility(leading, other).status == status


def test_the_osadl_data_is_credited():
    assert "CC-BY-4.0" in licensing.OSADL_ATTRIBUTION
    assert "OSADL" in licensing.OSADL_ATTRIBUTION


# ---------------------------------------------------------------------------
# Flagged usages
# ---------------------------------------------------------------------------


def restricted(organisations, **spec):
    return make_component(
        organisations,
        {
            "restriction": ReuseRestriction.ORGANISATION_KINDS,
            "kinds": [OrganisationKind.CENTRAL_GOVERNMENT],
            **spec,
        },
    )


def test_a_usage_that_breaks_the_restriction_is_accepted_and_flagged(organisations):
    usage = UsageFactory(
        organisation=organisations[MUNICIPALITY], component=restricted(organisations)
    )
    usage.refresh_from_db()
    assert usage.pk is not None
    assert usage.restriction_flag == (
        "Alleen organisaties van de Rijksoverheid mogen dit onderdeel hergebruiken; "
        "Organisatie municipality is een gemeente."
    )
    ok = UsageFactory(
        organisation=organisations[OrganisationKind.CENTRAL_GOVERNMENT],
        component=usage.component,
    )
    assert ok.restriction_flag == ""


def test_flags_follow_the_component_when_its_restriction_changes(organisations):
    component = restricted(organisations)
    usage = UsageFactory(organisation=organisations[MUNICIPALITY], component=component)
    assert usage.restriction_flag
    component = Component.objects.get(pk=component.pk)
    component.reuse_restriction = ReuseRestriction.PUBLIC_SECTOR
    component.save()
    usage.refresh_from_db()
    assert usage.restriction_flag == ""
    component.reuse_restriction = ReuseRestriction.OWNER_ONLY
    component.save()
    usage.refresh_from_db()
    assert usage.restriction_flag.startswith("Alleen de uitgever, Uitgever, mag")


def test_flags_follow_the_named_organisations(organisations):
    component = make_component(
        organisations,
        {"restriction": ReuseRestriction.NAMED_ORGANISATIONS, "named": ["owner"]},
    )
    usage = UsageFactory(organisation=organisations[MUNICIPALITY], component=component)
    assert usage.restriction_flag.endswith("wordt niet genoemd.")
    component.reuse_organisations.add(organisations[MUNICIPALITY])
    usage.refresh_from_db()
    assert usage.restriction_flag == ""
    component.reuse_organisations.remove(organisations[MUNICIPALITY])
    usage.refresh_from_db()
    assert usage.restriction_flag.endswith("wordt niet genoemd.")


def test_the_flag_receivers_outlive_a_garbage_collection(organisations):
    # A receiver held weakly was collected once (issue 12.1); these are held strongly.
    gc.collect()
    component = restricted(organisations)
    usage = UsageFactory(organisation=organisations[MUNICIPALITY], component=component)
    assert usage.restriction_flag
    component = Component.objects.get(pk=component.pk)
    component.reuse_restriction = ReuseRestriction.NONE
    component.save()
    usage.refresh_from_db()
    assert usage.restriction_flag == ""


def test_a_rejected_claim_is_never_flagged(organisations):
    component = restricted(organisations)
    usage = UsageFactory(
        organisation=organisations[MUNICIPALITY],
        component=component,
        assertion=Assertion.REJECTED,
        claimed_by=component.publisher,
    )
    assert usage.restriction_flag == ""


def test_the_flag_costs_no_query_without_a_restriction(organisations, django_assert_num_queries):
    usage = Usage(organisation=organisations[MUNICIPALITY], component=ComponentFactory())
    with django_assert_num_queries(0):
        assert restriction_flag(usage) == ""


def test_saving_with_update_fields_keeps_the_flag_in_step(organisations):
    usage = UsageFactory(
        organisation=organisations[MUNICIPALITY], component=restricted(organisations)
    )
    Usage.objects.filter(pk=usage.pk).update(restriction_flag="")
    usage.status = UsageStatus.STOPPED
    usage.save(update_fields=["status"])
    usage.refresh_from_db()
    assert usage.restriction_flag


def test_recompute_flags_repairs_stale_flags(organisations):
    component = restricted(organisations)
    flagged = UsageFactory(organisation=organisations[MUNICIPALITY], component=component)
    fine = UsageFactory(organisation=organisations[MUNICIPALITY], component=ComponentFactory())
    Usage.objects.filter(pk=flagged.pk).update(restriction_flag="")
    Usage.objects.filter(pk=fine.pk).update(restriction_flag="stale")
    out = io.StringIO()
    call_command("recompute_flags", stdout=out)
    assert out.getvalue().strip() == "2 flag(s) changed; 1 usage(s) flagged."
    flagged.refresh_from_db()
    fine.refresh_from_db()
    assert flagged.restriction_flag and fine.restriction_flag == ""


# ---------------------------------------------------------------------------
# The licence report
# ---------------------------------------------------------------------------


def test_the_report_lists_licences_obligations_and_flagged_usages(organisations):
    me = organisations[MUNICIPALITY]
    eupl = ComponentFactory(name="Zaken", license_expression="EUPL-1.2")
    dual = ComponentFactory(name="Formulieren", license_expression="MIT OR Apache-2.0")
    stopped = ComponentFactory(name="Oud", license_expression="GPL-3.0-only")
    house_style = restricted(organisations, license="CC-BY-4.0")
    UsageFactory(organisation=me, component=eupl)
    UsageFactory(organisation=me, component=dual, visibility=Visibility.GOVERNMENT)
    UsageFactory(organisation=me, component=stopped, status=UsageStatus.STOPPED)
    UsageFactory(organisation=me, component=house_style)

    report = licensing.licence_report(me, Viewer.for_organisations([me]))
    assert [row.usage.component.name for row in report.usages] == sorted(
        ["Formulieren", "Oud", house_style.name, "Zaken"]
    )
    assert [entry.license.id for entry in report.licences] == [
        "Apache-2.0",
        "CC-BY-4.0",
        "EUPL-1.2",
        "MIT",
    ]  # GPL-3.0-only only under a stopped usage
    assert [row.usage.component for row in report.flagged] == [house_style]
    assert report.flagged[0].reason.code == "restriction-organisation-kinds"

    # A vendor sees neither the government-only usage nor the licences it brings.
    vendor_view = licensing.licence_report(
        me, Viewer.for_organisations([organisations[OrganisationKind.VENDOR]])
    )
    assert "Formulieren" not in [row.usage.component.name for row in vendor_view.usages]
    assert "MIT" not in [entry.license.id for entry in vendor_view.licences]


def test_the_admin_shows_spdx_licences_read_only_and_custom_ones_editable(
    admin_client, organisations
):
    spdx = admin_client.get("/admin/components/license/MIT/change/")
    assert spdx.status_code == 200
    assert 'name="name"' not in spdx.content.decode()
    custom = admin_client.get("/admin/components/license/LicenseRef-Open/change/")
    assert custom.status_code == 200
    assert 'name="summary"' in custom.content.decode()
    assert 'name="id"' not in custom.content.decode()  # expressions name it: it stays
