"""Browser tests: Debian's Chromium driven by Playwright against the live server.

Never a downloaded browser: Chromium is the system's (/usr/bin/chromium, or
CHROMIUM_PATH). Without it these tests fail under CI (CI is set) and are
skipped, with the reason, on a laptop.
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest

from accounts.constants import MemberRole, OrganisationKind
from components.constants import (
    Assertion,
    ComponentKind,
    DevelopmentStatus,
    Layer,
    UsageStatus,
    Visibility,
)

from ..factories import (
    ComponentFactory,
    DependencyFactory,
    MembershipFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    VendorFactory,
)

# Playwright's sync API keeps an event loop in this thread; the test code's own
# ORM calls (factories) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct horse battery staple"


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
        )
    if not AXE.exists():
        _unavailable(f"axe-core not found at {AXE}: run `make install` (npm ci)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed: run `make install`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    """A small catalogue in committed rows (the live server runs in another thread).

    Transactional tests empty every table afterwards, so the rows the migrations
    seed (SPDX licences, the 13 customer questions) are put back here first."""
    reseed()
    from components.models import CustomerQuestion, License

    acme = VendorFactory(name="Acme Software B.V.", slug="acme")
    utrecht = OrganisationFactory(
        name="Gemeente Utrecht", slug="gemeente-utrecht", cbs_code="GM0344"
    )
    secretive = OrganisationFactory(name="Gemeente Geheimdorp", slug="gemeente-geheimdorp")
    ministry = OrganisationFactory(
        name="Ministerie van BZK", slug="bzk", kind=OrganisationKind.CENTRAL_GOVERNMENT
    )
    License.objects.update_or_create(
        id="LicenseRef-Huisstijl",
        defaults={
            "name": "Huisstijllicentie",
            "is_custom": True,
            "reuse_allowed": False,
            "owner": ministry,
            "summary": "Het beeldmerk is voorbehouden aan de eigenaar.",
        },
    )
    zaken = ComponentFactory(
        slug="acme-zaken",
        name="Acme Zaken",
        kind=ComponentKind.SOFTWARE,
        layer=Layer.SERVICES,
        publisher=acme,
        development_status=DevelopmentStatus.STABLE,
        repository_url="https://example.org/acme/zaken",
        documentation_url="https://docs.example.org/zaken",
        long_description="Zaakgericht werken voor gemeenten.\n\nMet koppelingen naar de ZGW-API's.",
    )
    style = ComponentFactory(
        slug="rijkshuisstijl",
        name="Rijkshuisstijl",
        kind=ComponentKind.HOUSE_STYLE,
        layer=Layer.INTERACTION,
        publisher=ministry,
        license_expression="EUPL-1.2 AND LicenseRef-Huisstijl",
    )
    api = ComponentFactory(
        slug="adressen-api",
        name="Adressen API",
        kind=ComponentKind.API,
        layer=Layer.DATA,
        publisher=ministry,
        api_specification_url="https://example.org/adressen/openapi.yaml",
    )
    # The sign-in page then offers a provider; the members page shows a colleague
    # who signed in there and waits for a role.
    from django.contrib.auth import get_user_model

    from accounts.models import IdentityProvider, OidcIdentity

    IdentityProvider.objects.create(
        organisation=secretive,
        discovery_url="http://127.0.0.1:9/.well-known/openid-configuration",
        client_id="registry",
    )
    OidcIdentity.objects.create(
        user=get_user_model().objects.create(username="utrecht:jan", email="jan@utrecht.nl"),
        organisation=utrecht,
        issuer="http://127.0.0.1:9",
        subject="jan",
    )
    for code, component in [("verhuizen", zaken), ("verhuizen", api), ("wonen-bouwen", style)]:
        component.customer_questions.add(CustomerQuestion.objects.get(code=code))
    ReleaseFactory(component=zaken, version="1.0.0", release_date=datetime.date(2025, 5, 1))
    ReleaseFactory(component=zaken, version="1.1.0", release_date=datetime.date(2026, 1, 9))
    DependencyFactory(component=zaken, depends_on=api)
    UsageFactory(organisation=utrecht, component=zaken, since=datetime.date(2024, 6, 1))
    UsageFactory(
        organisation=secretive,
        component=zaken,
        visibility=Visibility.GOVERNMENT,
        since=datetime.date(2025, 2, 1),
    )
    UsageFactory(organisation=utrecht, component=api, status=UsageStatus.PILOT)
    UsageFactory(
        organisation=utrecht, component=style, assertion=Assertion.CLAIMED, claimed_by=ministry
    )
    # Utrecht's landscape: Acme Zaken reads the Adressen API over a standard; Acme
    # proposes that Acme Zaken talks to Utrecht's house style (a pending claim).
    from components.models import Integration

    standard = ComponentFactory(
        slug="zgw-apis", name="ZGW API's", kind=ComponentKind.STANDARD, publisher=ministry
    )
    own = {u.component_id: u for u in utrecht.usages.all()}
    integration = Integration.objects.create(
        organisation=utrecht,
        source_usage=own[zaken.pk],
        target_usage=own[api.pk],
        standard=standard,
    )
    UsageFactory(
        organisation=utrecht,
        component=ComponentFactory(
            slug="acme-portaal", name="Acme Portaal", layer=Layer.INTERACTION, publisher=acme
        ),
    )
    from accounts.models import CooperationMember

    dimpact = OrganisationFactory(name="Dimpact", slug="dimpact", kind=OrganisationKind.COOPERATION)
    CooperationMember.objects.create(cooperation=dimpact, member=utrecht, records_usages=True)
    for name, org, role in [
        ("alice", utrecht, MemberRole.ADMIN),
        ("victor", acme, MemberRole.EDITOR),
        ("dana", dimpact, MemberRole.EDITOR),
    ]:
        MembershipFactory(user__username=name, organisation=org, role=role)
    from components.models import HarvestSource, WebhookSubscription

    harvest = HarvestSource.objects.create(
        url="https://code.example.org/utrecht/zaken",
        organisation=utrecht,
        last_status="failed",
        last_errors=[
            {
                "severity": "error",
                "path": "developmentStatus",
                "line": 12,
                "column": 1,
                "message": "developmentStatus is a required field",
            }
        ],
    )
    hook = WebhookSubscription.objects.create(
        organisation=utrecht,
        url="https://hooks.example.org/registry",
        secret="not-shown",
        event_types=["release.published"],
    )
    zaken.name = "Acme Zaken"  # a second history entry
    zaken.short_description = "Zaakgericht werken, van intake tot archief."
    zaken.save()
    return {
        "acme": acme,
        "utrecht": utrecht,
        "zaken": zaken,
        "style": style,
        "api": api,
        "harvest": harvest,
        "hook": hook,
        "integration": integration,
    }


def reseed():
    from components.licensing import sync_spdx_licenses
    from components.models import CustomerQuestion, License

    if not License.objects.filter(is_custom=False).exists():
        sync_spdx_licenses(License)
    if not CustomerQuestion.objects.exists():
        from importlib import import_module

        questions = import_module("components.migrations.0003_customer_questions").QUESTIONS
        for position, (code, name, name_en) in enumerate(questions, start=1):
            CustomerQuestion.objects.create(
                code=code, name=name, name_en=name_en, position=position
            )


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab that records every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # axe-core is served from the site's own origin, so the pages' Content
    # Security Policy ('self' only) stays in force while axe runs.
    context.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE)))
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    # Anything the policy blocked shows up as a console error; tests assert there is none.
    tab.csp_violations = []
    tab.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and tab.csp_violations.append(message.text)
        ),
    )
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/inloggen")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
