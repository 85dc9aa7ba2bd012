"""Importing publiccode.yml files into the catalogue: the real corpus, the
natural key, usedBy matching, and the round trip through export."""

import datetime
import io
import os
import time

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.constants import OrganisationKind
from components import publiccode
from components.constants import Assertion, ComponentKind, Layer, UsageStatus, Visibility
from components.models import (
    Component,
    CustomerQuestion,
    Dependency,
    Release,
    UnmatchedUser,
    UplProduct,
    Usage,
)

from .conftest import find_shared
from .factories import ComponentFactory, OrganisationFactory, UsageFactory

pytestmark = pytest.mark.django_db

# The real publiccode.yml files of ../shared (see tests/conftest.py: find_shared).
CORPUS = find_shared("corpus", "publiccode")

IMPORTED = "imported"

# The expected outcome of every real file, decided by reading the file against
# the standard and the reference parser: "imported", or the errors (key path
# and a fragment of the message) it is refused with. The error paths must be
# exactly these: a refusal for anything else is a bug too.
EXPECTED = {
    "AI-Riksarkivet__htrflow.yml": IMPORTED,
    "AgID__wai-portal.yml": IMPORTED,
    "Aitema-gmbh__hinweisgebersystem.yml": [
        ("categories[0]", "must be a valid category, not 'compliance'"),
        ("description.de.shortDescription", "maximum of 150 characters"),
        ("maintenance.type", "(found 'commercial')"),
    ],
    "Amsterdam__design-system.yml": IMPORTED,
    "Amsterdam__signals-frontend.yml": IMPORTED,
    # A line of the German longDescription is indented less than the block.
    "BW-Projects__aTrain.yml": [("", "invalid YAML")],
    "CatalaLang__catala.yml": [
        ("platforms", "must contain more than 0 items"),
        ("developmentStatus", "is a required field"),
        ("fundedBy[0].uri", "is a required field"),
        ("description.en.longDescription", "is a required field"),
        ("description.en.features", "must contain more than 0 items"),
        ("description.fr.longDescription", "is a required field"),
        ("description.fr.features", "must contain more than 0 items"),
        ("localisation.localisationReady", "is a required field"),
        ("localisation.availableLanguages", "is a required field"),
    ],
    "CommonGateway__ZGWBundle.yml": [("publiccodeYmlVersion", "unsupported version: '0.1'")],
    "Comune-Milano__gefo.yml": [("description.it.features", "must contain more than 0 items")],
    "ConductionNL__OpenPdc.yml": [
        ("landingURL", "must be an HTTP URL"),
        ("releaseDate", "(found '2021-31-01')"),
        ("logo", "invalid file extension for: www.commonground.nl"),
        ("description.en.shortDescription", "is a required field"),
        ("description.en.longDescription", "is a required field"),
        ("description.en.features", "must contain more than 0 items"),
        ("description.en.apiDocumentation", "must be an HTTP URL"),
        ("maintenance.contractors", 'must not be present unless "type" is "contract"'),
    ],
    "MinBZK__amt.yml": IMPORTED,
    "MinBZK__nl-wallet.yml": IMPORTED,
    "OpenRailAssociation__osrd.yml": [
        ("maintenance.type", "is a required field"),
        ("description.en.longDescription", "is a required field"),
        ("description.en.features", "must contain more than 0 items"),
        ("description.fr.longDescription", "is a required field"),
        ("description.fr.features", "must contain more than 0 items"),
    ],
    "developer-overheid-nl__don-site.yml": IMPORTED,
    "italia__bootstrap-italia.yml": [("isBasedOn[0]", "must be a valid URL (found 'Bootstrap')")],
    "italia__developers-italia-api.yml": IMPORTED,
    # The standard requires "until" for every contractor; these three leave it out.
    "maykinmedia__objects-api.yml": [("maintenance.contractors[0].until", "is a required field")],
    "open-formulieren__open-forms.yml": [
        ("maintenance.contractors[0].until", "is a required field")
    ],
    "open-zaak__open-zaak.yml": [("maintenance.contractors[0].until", "is a required field")],
    "pagopa__io-app.yml": IMPORTED,
}


def corpus_files():
    return sorted(p.name for p in CORPUS.glob("*.yml"))


def test_the_table_has_a_row_for_every_corpus_file():
    assert corpus_files() == sorted(EXPECTED)


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_every_corpus_file_is_imported_or_clearly_refused(filename, acme):
    result = publiccode.import_publiccode((CORPUS / filename).read_bytes(), acme)
    expected = EXPECTED[filename]
    errors = result.errors
    if expected == IMPORTED:
        assert errors == []
        assert result.ok and result.created
        assert Component.objects.filter(pk=result.component.pk).exists()
    else:
        assert not result.ok
        assert result.component is None
        assert Component.objects.count() == 0
        assert sorted({e.path for e in errors}) == sorted({path for path, _ in expected})
        for path, fragment in expected:
            messages = [e.message for e in errors if e.path == path]
            assert any(fragment in m for m in messages), (path, messages)
        # A refusal points into the file (a missing section has no line of its own).
        assert any(e.line for e in errors)


def test_the_yaml_error_in_atrain_points_at_the_bad_line(acme):
    result = publiccode.validate((CORPUS / "BW-Projects__aTrain.yml").read_bytes())
    [error] = result.errors
    assert (error.line, error.column) == (96, 6)


def test_a_corpus_file_maps_onto_the_model(acme, utrecht):
    OrganisationFactory(name="Swedish National Archives", slug="riksarkivet", kind="other-public")
    result = publiccode.import_publiccode(
        (CORPUS / "AI-Riksarkivet__htrflow.yml").read_bytes(), acme
    )
    component = result.component
    assert component.slug == "htrflow"
    assert component.repository_url == "https://github.com/AI-Riksarkivet/htrflow"
    assert component.kind == ComponentKind.SOFTWARE
    # No Dutch description: the English one fills the Dutch fields too.
    assert component.short_description == component.short_description_en
    assert component.short_description.startswith("HTRflow is an open source pipeline")
    assert component.documentation_url == "https://ai-riksarkivet.github.io/htrflow/latest/"
    assert component.development_status == "beta"
    assert component.maintenance_type == "internal"
    assert component.categories == ["workflow-management", "document-management", "data-analytics"]
    assert component.license_expression == "EUPL-1.2"
    assert list(component.licenses.values_list("id", flat=True)) == ["EUPL-1.2"]
    assert component.other_descriptions["en"]["features"][0].startswith("Flexibility")
    [release] = component.releases.all()
    assert (release.version, release.release_date) == ("0.2.4", datetime.date(2025, 2, 14))
    [claim] = result.claims
    assert claim.organisation.slug == "riksarkivet"
    assert (claim.assertion, claim.claimed_by, claim.status, claim.visibility) == (
        Assertion.CLAIMED,
        acme,
        UsageStatus.PRODUCTION,
        Visibility.PUBLIC,
    )


def test_a_dutch_file_fills_the_dutch_and_english_fields(acme):
    result = publiccode.import_publiccode((CORPUS / "MinBZK__nl-wallet.yml").read_bytes(), acme)
    component = result.component
    assert component.short_description.startswith("Een veilige digitale wallet")
    assert component.short_description_en.startswith("A secure digital wallet")
    assert component.long_description.startswith("NL Wallet is een veilige app")
    assert set(component.other_descriptions) == {"nl", "en"}
    assert "shortDescription" not in component.other_descriptions["nl"]


def test_an_italian_file_keeps_italian_and_fills_the_required_dutch_fields(acme):
    result = publiccode.import_publiccode((CORPUS / "pagopa__io-app.yml").read_bytes(), acme)
    component = result.component
    assert component.short_description == "IO è l'app dei servizi pubblici"
    assert component.short_description_en == ""
    assert component.other_descriptions["it"]["shortDescription"] == component.short_description
    assert component.kind == ComponentKind.SOFTWARE
    [release] = component.releases.all()
    assert release.version == "0.2.0-rc.1"


def test_a_library_without_the_design_system_category_stays_a_library(acme):
    result = publiccode.import_publiccode(
        (CORPUS / "Amsterdam__design-system.yml").read_bytes(), acme
    )
    assert result.component.kind == ComponentKind.LIBRARY
    assert result.component.repository_url == "https://github.com/Amsterdam/design-system"


def test_a_version_without_a_date_records_no_release_and_says_so(acme):
    result = publiccode.import_publiccode(
        (CORPUS / "italia__developers-italia-api.yml").read_bytes(), acme
    )
    assert result.ok
    assert Release.objects.count() == 0
    assert any(
        w.path == "softwareVersion" and "no release recorded" in w.message for w in result.findings
    )


# ---------------------------------------------------------------------------
# A valid document to vary


def document(**changes):
    base = {
        "publiccodeYmlVersion": "0",
        "name": "Zaakregistratie",
        "url": "https://github.com/example/zaakregistratie",
        "softwareVersion": "1.4.0",
        "releaseDate": "2025-03-01",
        "platforms": ["web"],
        "categories": ["document-management"],
        "developmentStatus": "stable",
        "softwareType": "standalone/web",
        "description": {
            "nl": {
                "shortDescription": "Registreert zaken voor gemeenten.",
                "longDescription": "Zaakregistratie legt zaken vast. " * 8,
                "features": ["Zaken vastleggen"],
            }
        },
        "legal": {"license": "EUPL-1.2"},
        "maintenance": {"type": "community", "contacts": [{"name": "Team Zaken"}]},
        "localisation": {"localisationReady": True, "availableLanguages": ["nl"]},
    }
    base.update(changes)
    return yaml.safe_dump(base, sort_keys=False, allow_unicode=True)


def test_importing_again_updates_the_same_component(acme):
    first = publiccode.import_publiccode(document(), acme)
    second = publiccode.import_publiccode(
        document(url="https://github.com/example/zaakregistratie.git/", name="Zaakregistratie 2"),
        acme,
    )
    assert first.created and not second.created
    assert second.component.pk == first.component.pk
    assert Component.objects.count() == 1
    component = Component.objects.get()
    assert component.name == "Zaakregistratie 2"
    assert component.slug == "zaakregistratie"  # slugs are stable
    assert Release.objects.count() == 1


def test_importing_the_same_file_again_writes_no_history(acme):
    depends_on = {"open": [{"name": "PostgreSQL", "versionMin": "14"}]}
    component = publiccode.import_publiccode(document(dependsOn=depends_on), acme).component
    rows = (component.history.count(), Release.history.count())
    dependency_ids = list(Dependency.objects.values_list("pk", flat=True))
    publiccode.import_publiccode(document(dependsOn=depends_on), acme)
    assert (component.history.count(), Release.history.count()) == rows
    assert list(Dependency.objects.values_list("pk", flat=True)) == dependency_ids
    publiccode.import_publiccode(document(dependsOn=depends_on, name="Zaakregistratie Plus"), acme)
    assert component.history.count() == rows[0] + 1


def test_a_new_release_is_added_and_an_old_one_kept(acme):
    publiccode.import_publiccode(document(), acme)
    publiccode.import_publiccode(document(softwareVersion="1.5.0", releaseDate="2025-06-01"), acme)
    assert sorted(Release.objects.values_list("version", flat=True)) == ["1.4.0", "1.5.0"]


def test_another_publishers_url_is_refused_and_nothing_changes(acme, globex):
    publiccode.import_publiccode(document(), acme)
    result = publiccode.import_publiccode(document(name="Overgenomen"), globex)
    assert not result.ok
    [error] = result.errors
    assert error.path == "url"
    assert "already registered by Acme Software B.V." in error.message
    assert (error.line, error.column) == (3, 1)
    assert Component.objects.get().name == "Zaakregistratie"


def test_a_name_that_is_taken_gets_a_free_slug(acme):
    ComponentFactory(slug="zaakregistratie", publisher=acme)
    result = publiccode.import_publiccode(document(), acme)
    assert result.component.slug == "zaakregistratie-2"


def test_a_dry_run_writes_nothing_and_returns_an_unsaved_component(acme, utrecht):
    result = publiccode.import_publiccode(
        document(usedBy=["Gemeente Utrecht", "Onbekend"]), acme, dry_run=True
    )
    assert result.ok and result.created
    assert result.component.pk is None
    assert result.component.name == "Zaakregistratie"
    assert [u.organisation for u in result.claims] == [utrecht]
    assert result.unmatched == ["Onbekend"]
    assert Component.objects.count() == Usage.objects.count() == UnmatchedUser.objects.count() == 0


def test_a_dry_run_of_an_update_leaves_the_stored_component_alone(acme):
    publiccode.import_publiccode(document(), acme)
    result = publiccode.import_publiccode(document(name="Nieuw"), acme, dry_run=True)
    assert result.ok and not result.created
    assert result.component.name == "Nieuw"
    assert Component.objects.get().name == "Zaakregistratie"


def test_a_dry_run_changes_no_table_and_leaves_nothing_to_run_on_commit(
    acme, utrecht, django_capture_on_commit_callbacks
):
    publiccode.import_publiccode(document(), acme)
    models = [
        *apps.get_app_config("components").get_models(),
        *apps.get_app_config("accounts").get_models(),
    ]

    def rows():
        return {model.__name__: model._default_manager.count() for model in models}

    before = rows()
    assert before["HistoricalComponent"] and before["Event"]  # the counts can move
    update = document(
        name="Nieuw",
        softwareVersion="2.0.0",
        releaseDate="2025-06-01",
        usedBy=["Gemeente Utrecht", "Onbekend"],
        dependsOn={"open": [{"name": "PostgreSQL"}]},
        nl={"upl": ["Paspoort"]},
    )
    new = document(url="https://github.com/example/nieuw", name="Nieuw component")
    with django_capture_on_commit_callbacks() as callbacks:
        for text in (update, new):
            assert publiccode.import_publiccode(text, acme, dry_run=True).ok
    assert rows() == before
    assert callbacks == []


def test_decomposed_accents_are_stored_composed(acme):
    short = "e\u0308" * 150  # 150 characters on screen, 300 code points
    description = {
        "nl": {"shortDescription": short, "longDescription": "x" * 150, "features": ["a"]}
    }
    result = publiccode.import_publiccode(document(description=description), acme)
    assert result.ok, result.findings
    assert result.component.short_description == "ë" * 150


def test_the_licence_expression_is_normalised_and_synced(acme):
    result = publiccode.import_publiccode(document(legal={"license": "mit or apache-2.0"}), acme)
    assert result.component.license_expression == "MIT OR Apache-2.0"
    assert sorted(result.component.licenses.values_list("id", flat=True)) == ["Apache-2.0", "MIT"]


def test_a_custom_licence_known_to_the_registry_is_accepted(acme):
    from components.models import License

    License.objects.create(id="LicenseRef-Huisstijl", name="Huisstijl", is_custom=True)
    result = publiccode.import_publiccode(document(legal={"license": "licenseref-huisstijl"}), acme)
    assert result.ok
    assert result.component.license_expression == "LicenseRef-Huisstijl"


def test_the_kind_follows_software_type_categories_and_layer(acme):
    def kind(**changes):
        changes.setdefault("url", f"https://github.com/example/{len(Component.objects.all())}")
        return publiccode.import_publiccode(document(**changes), acme).component.kind

    assert kind(softwareType="library") == ComponentKind.LIBRARY
    assert kind(softwareType="addon") == ComponentKind.SOFTWARE
    assert kind(softwareType="configurationFiles") == ComponentKind.SOFTWARE
    assert kind(categories=["design-system"], softwareType="library") == ComponentKind.HOUSE_STYLE
    assert kind(name="Zaken API", softwareType="standalone/backend") == ComponentKind.SOFTWARE
    assert (
        kind(softwareType="standalone/backend", nl={"commonground": {"layerType": "services"}})
        == ComponentKind.API
    )


def test_the_dutch_extension_sets_the_layer_and_the_upl_products(acme):
    question = CustomerQuestion.objects.get(code="parkeren-verkeer")
    existing = UplProduct.objects.create(
        uri="http://standaarden.overheid.nl/owms/terms/Parkeervergunning", name="Parkeervergunning"
    )
    existing.customer_questions.add(question)
    nl = {
        "commonground": {"layerType": "Integratie"},
        "gemma": {"bedrijfsfuncties": ["Vergunningverlening"]},
        "upl": ["parkeervergunning", "Ontheffing geluid"],
    }
    result = publiccode.import_publiccode(document(nl=nl), acme)
    assert result.findings == [] or all(f.severity == "warning" for f in result.findings)
    component = result.component
    assert component.layer == Layer.INTEGRATION
    products = sorted(component.upl_products.all(), key=lambda p: p.name)
    assert [p.name for p in products] == ["Ontheffing geluid", "Parkeervergunning"]
    assert products[0].uri == "http://standaarden.overheid.nl/owms/terms/Ontheffing_geluid"
    assert list(component.customer_questions.all()) == [question]


def test_dependencies_match_registered_components_by_name(acme):
    postgres = ComponentFactory(name="PostgreSQL", publisher=acme)
    depends_on = {
        "open": [
            {"name": "postgresql", "versionMin": "14"},
            {"name": "Redis", "versionMin": "5", "versionMax": "7"},
        ],
        "hardware": [{"name": "Kaartlezer", "optional": True}],
    }
    result = publiccode.import_publiccode(document(dependsOn=depends_on), acme)
    rows = {
        (d.depends_on_id, d.name, d.kind, d.version, d.how_used)
        for d in Dependency.objects.filter(component=result.component)
    }
    # dependsOn is what the software needs to run: every entry is a runtime service.
    assert rows == {
        (postgres.pk, "", "open", ">=14", "runtime-service"),
        (None, "Redis", "open", ">=5, <=7", "runtime-service"),
        (None, "Kaartlezer", "hardware", "", "runtime-service"),
    }
    # Importing again replaces the list.
    publiccode.import_publiccode(document(dependsOn={"open": [{"name": "Redis"}]}), acme)
    assert list(Dependency.objects.values_list("name", flat=True)) == ["Redis"]


# ---------------------------------------------------------------------------
# usedBy


def test_used_by_names_match_organisations_without_case_or_accents(acme):
    sudwest = OrganisationFactory(name="Gemeente Súdwest-Fryslân", slug="sudwest-fryslan")
    result = publiccode.import_publiccode(document(usedBy=["gemeente sudwest-fryslan"]), acme)
    assert result.matched == [("gemeente sudwest-fryslan", sudwest)]
    usage = Usage.objects.get(organisation=sudwest)
    assert (usage.assertion, usage.claimed_by) == (Assertion.CLAIMED, acme)


def test_used_by_names_match_aliases(acme):
    den_haag = OrganisationFactory(
        name="Gemeente 's-Gravenhage", slug="den-haag", aliases=["Gemeente Den Haag", "The Hague"]
    )
    result = publiccode.import_publiccode(document(usedBy=["gemeente den haag", "the hague"]), acme)
    assert [o for _, o in result.matched] == [den_haag, den_haag]
    assert Usage.objects.filter(organisation=den_haag).count() == 1


def test_a_missing_gemeente_prefix_matches_only_when_that_is_unique(acme, utrecht):
    OrganisationFactory(name="Gemeente Buren", slug="buren")
    OrganisationFactory(name="Buren", slug="buren-vereniging", kind=OrganisationKind.OTHER_PUBLIC)
    result = publiccode.import_publiccode(
        document(usedBy=["Utrecht", "Municipality of Buren"]), acme
    )
    assert [o for _, o in result.matched] == [utrecht]
    # "Buren" is both an organisation and a municipality: no guess.
    assert result.unmatched == ["Municipality of Buren"]
    assert any("fits 2 organisations" in f.message for f in result.findings)


def test_unmatched_names_are_kept_listed_and_not_duplicated(acme):
    publiccode.import_publiccode(document(usedBy=["Gemeente Nergenshuizen", "Waterschap X"]), acme)
    result = publiccode.import_publiccode(document(usedBy=["Gemeente Nergenshuizen"]), acme)
    assert result.unmatched == ["Gemeente Nergenshuizen"]
    assert list(UnmatchedUser.objects.values_list("name", flat=True)) == ["Gemeente Nergenshuizen"]


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.GOVERNMENT])
def test_an_organisations_own_statement_is_never_downgraded(acme, utrecht, visibility):
    component = publiccode.import_publiccode(document(), acme).component
    own = UsageFactory(
        organisation=utrecht,
        component=component,
        assertion=Assertion.SELF,
        status=UsageStatus.PILOT,
        visibility=visibility,
    )
    result = publiccode.import_publiccode(document(usedBy=["Gemeente Utrecht"]), acme)
    own.refresh_from_db()
    assert (own.assertion, own.status, own.visibility, own.claimed_by) == (
        Assertion.SELF,
        UsageStatus.PILOT,
        visibility,
        None,
    )
    if visibility == Visibility.PUBLIC:
        # Acme sees the statement: nothing to claim.
        assert result.claims == []
        assert Usage.objects.filter(organisation=utrecht).count() == 1
    else:
        # Acme may not see it: its claim goes beside it, as if it were not there.
        [claim] = result.claims
        assert claim.pk != own.pk
        assert (claim.assertion, claim.claimed_by, claim.visibility) == (
            Assertion.CLAIMED,
            acme,
            Visibility.PUBLIC,
        )


def test_a_rejected_claim_is_not_claimed_again(acme, utrecht):
    component = publiccode.import_publiccode(document(usedBy=["Gemeente Utrecht"]), acme).component
    Usage.objects.filter(component=component).update(assertion=Assertion.REJECTED)
    publiccode.import_publiccode(document(usedBy=["Gemeente Utrecht"]), acme)
    assert Usage.objects.get().assertion == Assertion.REJECTED


def test_the_publisher_naming_itself_is_its_own_statement(acme):
    result = publiccode.import_publiccode(document(usedBy=["ACME software b.v."]), acme)
    [usage] = result.claims
    assert (usage.organisation, usage.assertion, usage.claimed_by) == (acme, Assertion.SELF, None)


def test_the_history_names_the_token_that_imported(acme):
    from accounts.models import ApiToken

    token, _ = ApiToken.issue(acme, name="CI")
    component = publiccode.import_publiccode(document(), acme, actor=token).component
    record = component.history.latest()
    assert record.history_token == token
    assert record.history_actor == "token 'CI' of Acme Software B.V."


# ---------------------------------------------------------------------------
# Export and the round trip


def snapshot(component):
    """Everything an import sets, in comparable form."""
    component.refresh_from_db()
    fields = [
        "repository_url", "name", "kind", "short_description", "long_description",
        "short_description_en", "long_description_en", "other_descriptions", "homepage_url",
        "documentation_url", "api_specification_url", "development_status",
        "maintenance_type", "layer", "categories", "license_expression",
    ]  # fmt: skip
    return {
        **{f: getattr(component, f) for f in fields},
        "releases": sorted(component.releases.values_list("version", "release_date")),
        "dependencies": sorted(
            component.dependencies.values_list("depends_on_id", "name", "kind", "version")
        ),
        "upl": sorted(component.upl_products.values_list("uri", flat=True)),
        "usages": sorted(component.usages.values_list("organisation_id", "assertion", "status")),
        "unmatched": sorted(component.unmatched_users.values_list("name", flat=True)),
    }


def test_an_imported_corpus_file_exports_and_imports_back_the_same(acme):
    for filename, outcome in EXPECTED.items():
        if outcome != IMPORTED:
            continue
        component = publiccode.import_publiccode((CORPUS / filename).read_bytes(), acme).component
        before = snapshot(component)
        exported = publiccode.export_publiccode(component)
        validation = publiccode.validate(exported)
        assert validation.errors == [], (filename, exported)
        again = publiccode.import_publiccode(exported, acme)
        assert again.component.pk == component.pk
        assert snapshot(component) == before, filename


def test_a_component_made_in_the_registry_exports_a_valid_file(acme, utrecht):
    component = ComponentFactory(
        publisher=acme,
        kind=ComponentKind.API,
        short_description="Korte tekst.",
        repository_url="",
        maintenance_type="contract",
        documentation_url="https://docs.example.nl",
    )
    UsageFactory(organisation=utrecht, component=component, visibility=Visibility.GOVERNMENT)
    exported = publiccode.export_publiccode(component)
    validation = publiccode.validate(exported)
    assert validation.errors == []
    data = validation.data
    assert data["url"].endswith(f"/componenten/{component.slug}")
    assert data["softwareType"] == "standalone/backend"
    assert data["nl"]["commonground"]["layerType"] == "services"
    assert len(data["description"]["nl"]["longDescription"]) >= 150
    assert data["description"]["nl"]["documentation"] == "https://docs.example.nl"
    # A government-only usage never leaves the registry.
    assert "usedBy" not in data


def test_a_component_with_odd_data_still_exports_a_valid_file(acme):
    component = ComponentFactory(
        publisher=acme,
        short_description="",
        long_description="x" * 12000,
        homepage_url="ftp://files.example.nl",
        other_descriptions={
            "de": {"shortDescription": "Kurz", "features": "not a list"},
            "nl": {"features": [], "documentation": "not a url", "videos": ["x"]},
            "not a tag": {"shortDescription": "?"},
            "fr": "not a mapping",
        },
    )
    exported = publiccode.export_publiccode(component)
    result = publiccode.validate(exported)
    assert result.errors == []
    assert set(result.data["description"]) == {"nl", "de"}
    assert "landingURL" not in result.data
    assert len(result.data["description"]["nl"]["longDescription"]) <= 10000


def test_every_component_of_the_demo_catalogue_exports_a_file_without_errors():
    from components import licensing

    call_command("load_demo", stdout=io.StringIO())
    custom = licensing.custom_license_ids()
    components = Component.objects.select_related("publisher").order_by("slug")
    assert components.count() >= 30
    failures = {}
    for component in components:
        exported = publiccode.export_publiccode(component)
        result = publiccode.validate(exported, custom_license_ids=custom)
        if result.errors:
            failures[component.slug] = [str(e) for e in result.errors]
    assert failures == {}


names = (
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters=" -'"),
        min_size=2,
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda s: len(s) >= 2 and s[0].isalnum())
)
sentences = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("L", "N", "Zs"), whitelist_characters=".,;:-'"
        ),
        min_size=1,
        max_size=150,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: 1 <= len(s) <= 150 and s[-1:].isalnum())
)
long_texts = (
    st.lists(sentences, min_size=1, max_size=20)
    .map(". ".join)
    .map(lambda s: (s + " ") * (150 // max(len(s), 1) + 1))
    .map(str.strip)
)
versions = st.from_regex(r"v?[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]{1,3})?(-rc\.[0-9])?", fullmatch=True)
dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2040, 12, 31))
licences = st.sampled_from(
    [
        "EUPL-1.2",
        "MIT",
        "Apache-2.0 OR MIT",
        "AGPL-3.0-or-later",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ]
)


@st.composite
def documents(draw):
    languages = draw(
        st.lists(
            st.sampled_from(["nl", "en", "de", "fr", "it", "nl-BE", "en-GB"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    description = {
        tag: {
            "shortDescription": draw(sentences),
            "longDescription": draw(long_texts),
            "features": draw(st.lists(sentences, min_size=1, max_size=3)),
        }
        for tag in languages
    }
    if draw(st.booleans()):
        description[languages[0]]["documentation"] = "https://docs.example.org/" + draw(
            st.from_regex(r"[a-z]{1,10}", fullmatch=True)
        )
    maintenance_type = draw(st.sampled_from(["internal", "contract", "community", "none"]))
    maintenance = {"type": maintenance_type}
    if maintenance_type == "contract":
        maintenance["contractors"] = [{"name": draw(names), "until": draw(dates).isoformat()}]
    elif maintenance_type in ("internal", "community"):
        maintenance["contacts"] = [{"name": draw(names)}]
    doc = {
        "publiccodeYmlVersion": draw(st.sampled_from(["0", "0.2", "0.4", "0.7"])),
        "name": draw(names),
        "url": "https://github.com/example/"
        + draw(st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)),
        "platforms": draw(
            st.lists(
                st.sampled_from(["web", "linux", "windows", "android"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        ),
        "categories": draw(
            st.lists(st.sampled_from(publiccode.CATEGORIES), max_size=4, unique=True)
        ),
        "developmentStatus": draw(st.sampled_from(publiccode.DEVELOPMENT_STATUSES)),
        "softwareType": draw(st.sampled_from(publiccode.SOFTWARE_TYPES)),
        "description": description,
        "legal": {"license": draw(licences)},
        "maintenance": maintenance,
        "localisation": {"localisationReady": draw(st.booleans()), "availableLanguages": languages},
    }
    if draw(st.booleans()):
        doc["softwareVersion"] = draw(versions)
        doc["releaseDate"] = draw(dates).isoformat()
    if draw(st.booleans()):
        doc["landingURL"] = "https://www.example.nl/" + draw(
            st.from_regex(r"[a-z]{0,10}", fullmatch=True)
        )
    if draw(st.booleans()):
        known = st.sampled_from(["Gemeente Utrecht", "utrecht", "ACME Software B.V."])
        doc["usedBy"] = draw(st.lists(names | known, max_size=4))
    if draw(st.booleans()):
        doc["dependsOn"] = {
            "open": [
                {"name": name, "versionMin": draw(versions)}
                for name in draw(st.lists(names, min_size=1, max_size=3, unique_by=str.casefold))
            ]
        }
    nl = {}
    if draw(st.booleans()):
        nl["commonground"] = {"layerType": draw(st.sampled_from(list(Layer.values)))}
    if draw(st.booleans()):
        nl["upl"] = draw(
            st.lists(
                st.sampled_from(["Parkeervergunning", "Paspoort", "Bijstandsuitkering"]),
                min_size=1,
                unique=True,
            )
        )
    if nl:
        doc["nl"] = nl
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=documents())
def test_valid_documents_import_export_and_import_back_equal(text, acme, utrecht):
    validation = publiccode.validate(text)
    assert validation.errors == [], text
    first = publiccode.import_publiccode(text, acme)
    assert first.ok, first.findings
    before = snapshot(first.component)
    exported = publiccode.export_publiccode(first.component)
    assert publiccode.validate(exported).errors == [], exported
    again = publiccode.import_publiccode(exported, acme)
    assert again.ok and not again.created
    assert snapshot(again.component) == before
    Component.objects.filter(pk=first.component.pk).delete()


# ---------------------------------------------------------------------------
# The command


def test_the_command_imports_files_and_prints_findings(acme, tmp_path):
    good = tmp_path / "good.yml"
    good.write_text(document(publiccodeYmlVersion="0.2"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_publiccode", str(good), "--publisher", "acme", stdout=out, stderr=err)
    assert f"{good}:1:1: warning: publiccodeYmlVersion: v0.2 is not the latest" in out.getvalue()
    assert "1 imported (1 new), 0 refused" in out.getvalue()
    assert Component.objects.count() == 1


def test_the_command_exits_non_zero_when_a_file_has_errors(acme, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("publiccodeYmlVersion: '0'\nname: Half\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"1 of 1 file\(s\) refused") as exit_info:
        call_command(
            "import_publiccode",
            str(bad),
            "--publisher",
            "acme",
            "--dry-run",
            stdout=out,
            stderr=err,
        )
    assert exit_info.value.returncode == 1
    assert f"{bad}:1:1: error: url: url is a required field" in out.getvalue()
    assert f"{bad}:0:0: error: legal.license: license is a required field" in out.getvalue()
    assert "0 imported (0 new), 1 refused (dry run: nothing saved)" in out.getvalue()


# ---------------------------------------------------------------------------
# Throughput (run with PUBLICCODE_BENCHMARK=1; prints files per second)


@pytest.mark.skipif(not os.environ.get("PUBLICCODE_BENCHMARK"), reason="set PUBLICCODE_BENCHMARK=1")
def test_import_throughput_over_the_corpus(acme, capsys):
    files = [(CORPUS / name).read_bytes() for name in corpus_files()]
    start = time.perf_counter()
    for _ in range(50):
        for content in files:
            publiccode.import_publiccode(content, acme)
    elapsed = time.perf_counter() - start
    count = 50 * len(files)
    with capsys.disabled():
        print(f"\n{count} imports in {elapsed:.1f} s: {count / elapsed:.0f} files/s")
