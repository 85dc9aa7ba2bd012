"""The website in a real browser: accessibility (axe-core), keyboard use, small
screens, and that no request leaves the site."""

import json
from urllib.parse import urlsplit

import pytest

from .conftest import ROOT, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}
SUMMARY = ROOT / "test-results" / "axe-summary.json"
checked = []


@pytest.fixture(scope="module", autouse=True)
def axe_summary():
    """Write what axe found on each page to test-results/axe-summary.json."""
    yield
    if checked:
        SUMMARY.parent.mkdir(exist_ok=True)
        SUMMARY.write_text(json.dumps(checked, indent=2, ensure_ascii=False))


def run_axe(page, label):
    origin = "/".join(page.url.split("/")[:3])
    page.add_script_tag(url=f"{origin}/__axe__.js")
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    found = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in violations
    ]
    checked.append({"page": label, "url": page.url, "violations": found})
    return [v for v in found if v["impact"] in BLOCKING]


def assert_accessible(page, pages):
    """Visit each (label, url) and collect every serious or critical axe violation."""
    blocking = {}
    for label, url in pages:
        response = page.goto(url)
        assert response.status == 200, (label, url, response.status)
        problems = run_axe(page, label)
        if problems:
            blocking[label] = problems
    assert not blocking, json.dumps(blocking, indent=2, ensure_ascii=False)
    # The pages run under default-src 'self': nothing on them may be refused.
    assert not page.csp_violations, page.csp_violations


def assert_stayed_on(page, base_url):
    own = urlsplit(base_url).netloc
    elsewhere = [
        url
        for url in page.requests
        if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).netloc != own
    ]
    assert not elsewhere, elsewhere
    assert any("/static/vendor/utrecht-css/index.css" in url for url in page.requests)


def public_pages(base, site):
    return [
        ("home", f"{base}/"),
        ("catalogue with facets", f"{base}/componenten?kind=software&kind=api&layer=services"),
        ("catalogue search", f"{base}/componenten?q=zaak&sort=users"),
        ("component", f"{base}/componenten/acme-zaken?organisation=Gemeente+Utrecht"),
        ("component, not allowed", f"{base}/componenten/rijkshuisstijl?organisation=acme"),
        ("organisation", f"{base}/organisaties/gemeente-utrecht"),
        ("organisations", f"{base}/organisaties"),
        ("customer questions", f"{base}/klantvragen"),
        ("customer question", f"{base}/klantvragen/verhuizen"),
        ("figures", f"{base}/cijfers"),
        ("sign-in", f"{base}/inloggen"),
        ("register an organisation", f"{base}/aanmelden"),
        ("catalogue used via a cooperation", f"{base}/componenten?via=cooperation"),
        ("licence", f"{base}/licenties/EUPL-1.2"),
        ("licence, deprecated", f"{base}/licenties/GPL-2.0+"),
        ("about", f"{base}/over"),
        ("landscape", f"{base}/organisaties/gemeente-utrecht/landschap"),
        (
            "landscape, one component",
            f"{base}/organisaties/gemeente-utrecht/landschap?component=acme-zaken",
        ),
        ("landscape (en)", f"{base}/en/organisations/gemeente-utrecht/landscape"),
        ("home (en)", f"{base}/en/"),
        ("catalogue (en)", f"{base}/en/components?layer=data"),
        ("component (en)", f"{base}/en/components/acme-zaken"),
        ("figures (en)", f"{base}/en/figures"),
        ("licence (en)", f"{base}/en/licences/MIT"),
        ("about (en)", f"{base}/en/about"),
        ("compare", f"{base}/vergelijken?c=acme-zaken&c=adressen-api&c=rijkshuisstijl"),
        ("compare (en)", f"{base}/en/compare?c=acme-zaken,adressen-api"),
    ]


def member_pages(base, site):
    usage = site["zaken"].usages.get(organisation=site["utrecht"])
    mine = f"{base}/mijn-organisatie/gemeente-utrecht"
    return [
        ("member: organisation", mine),
        ("member: usages", f"{mine}/gebruik"),
        ("member: record a usage", f"{mine}/gebruik/nieuw?component=rijkshuisstijl"),
        ("member: edit a usage", f"{mine}/gebruik/{usage.pk}"),
        ("member: stop a usage", f"{mine}/gebruik/{usage.pk}/stoppen"),
        ("member: claims", f"{mine}/claims"),
        ("member: integrations", f"{mine}/koppelingen"),
        ("member: record an integration", f"{mine}/koppelingen/nieuw"),
        ("member: edit an integration", f"{mine}/koppelingen/{site['integration'].pk}"),
        (
            "member: remove an integration",
            f"{mine}/koppelingen/{site['integration'].pk}/verwijderen",
        ),
        ("member: tokens", f"{mine}/tokens"),
        ("member: licence report", f"{mine}/licenties"),
        ("member: publiccode.yml", f"{mine}/publiccode"),
        ("member: harvest sources", f"{mine}/oogstbronnen"),
        ("member: add a harvest source", f"{mine}/oogstbronnen/nieuw"),
        ("member: change a harvest source", f"{mine}/oogstbronnen/{site['harvest'].pk}"),
        (
            "member: remove a harvest source",
            f"{mine}/oogstbronnen/{site['harvest'].pk}/verwijderen",
        ),
        ("member: webhooks", f"{mine}/webhooks"),
        ("member: add a webhook", f"{mine}/webhooks/nieuw"),
        ("member: change a webhook", f"{mine}/webhooks/{site['hook'].pk}"),
        ("member: remove a webhook", f"{mine}/webhooks/{site['hook'].pk}/verwijderen"),
        ("member: usages as a spreadsheet", f"{mine}/gebruik/spreadsheet"),
        ("member: cooperations", f"{mine}/samenwerkingsverbanden"),
        ("member: add a concept component", f"{mine}/conceptcomponent"),
        ("member: members and invitations", f"{mine}/leden"),
        ("member: activity (audit log)", f"{mine}/logboek"),
        ("member: two-step verification", f"{base}/mijn-account/tweestapsverificatie"),
        ("member: component with history", f"{base}/componenten/acme-zaken"),
        ("member: compare with verdicts", f"{base}/vergelijken?c=acme-zaken&c=rijkshuisstijl"),
        ("member (en): usages", f"{base}/en/my-organisation/gemeente-utrecht/usages"),
    ]


def test_every_public_page_type_passes_axe_and_stays_on_the_site(page, live_server, site):
    assert_accessible(page, public_pages(live_server.url, site))
    assert_stayed_on(page, live_server.url)


def test_every_member_page_type_passes_axe(page, live_server, site):
    sign_in(page, live_server.url, "alice")
    assert page.url.endswith("/mijn-organisatie/gemeente-utrecht")
    assert_accessible(page, member_pages(live_server.url, site))
    assert_stayed_on(page, live_server.url)


def test_forms_with_errors_pass_axe(page, live_server, site):
    base = live_server.url
    page.goto(f"{base}/inloggen")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".utrecht-alert--error").is_visible()
    assert not run_axe(page, "sign-in with an error")

    sign_in(page, base, "alice")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/gebruik/nieuw")
    page.fill("#id_component", "bestaat-niet")
    page.fill("#id_since", "2026-03-01")
    page.fill("#id_until", "2026-01-01")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert page.locator("#id_component_error").is_visible()
    assert page.input_value("#id_component") == "bestaat-niet"
    assert page.get_attribute("#id_until", "aria-invalid") == "true"
    assert not run_axe(page, "member: usage form with errors")

    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/tokens")
    page.fill("#id_name", "GitHub Actions")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    token = page.input_value("#new-token")
    assert token.startswith("cr_")
    assert not run_axe(page, "member: token shown once")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/tokens")
    assert page.locator("#new-token").count() == 0
    assert token not in page.content()
    assert "GitHub Actions" in page.inner_text("main")


def test_harvest_and_webhook_forms_refuse_and_show_a_secret_accessibly(page, live_server, site):
    """A private address refused next to the field, and a new webhook's secret
    shown once after the redirect; IP literals only, so nothing is looked up."""
    base = live_server.url
    mine = f"{base}/mijn-organisatie/gemeente-utrecht"
    sign_in(page, base, "alice")
    page.goto(f"{mine}/oogstbronnen/nieuw")
    page.fill("#id_url", "http://127.0.0.1:8000/publiccode.yml")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert "niet-openbaar adres" in page.inner_text("#id_url_error")
    assert page.get_attribute("#id_url", "aria-invalid") == "true"
    assert not run_axe(page, "member: harvest source refused")

    page.goto(f"{mine}/webhooks/nieuw")
    page.fill("#id_url", "https://145.21.0.10/hooks/registry")
    page.check("#id_event_types_0")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert page.url == f"{mine}/webhooks"
    secret = page.input_value("#new-secret")
    assert len(secret) >= 40
    assert not run_axe(page, "member: webhook secret shown once")
    page.reload()
    assert page.locator("#new-secret").count() == 0
    assert secret not in page.content()

    page.goto(f"{mine}/webhooks/{site['hook'].pk}/verwijderen")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "is verwijderd" in page.inner_text(".site-messages")
    assert not run_axe(page, "member: webhook removed")


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(page, live_server, site):
    page.goto(f"{live_server.url}/componenten")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML")
    assert 'href="#main"' in focused
    assert page.locator("a.utrecht-skip-link").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_catalogue_and_sign_in_work_with_the_keyboard_alone(page, live_server, site):
    base = live_server.url
    page.goto(f"{base}/")
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    # A word as written: only PostgreSQL stems Dutch ("zaak" finding "Zaken").
    page.keyboard.type("zaken")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/componenten?q=zaken" in page.url
    assert "Acme Zaken" in page.inner_text("main")

    # Tick a facet with the space bar: it applies at once, and focus comes back
    # to the same checkbox on the new page.
    page.focus("#f-kind-software")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "kind=software" in page.url
    page.wait_for_function("document.activeElement.id === 'f-kind-software'")

    page.goto(f"{base}/inloggen")
    page.focus("#id_username")
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/mijn-organisatie/gemeente-utrecht")


def test_no_page_scrolls_sideways_at_320_pixels(browser, live_server, site):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        wide = {}
        for label, url in public_pages(live_server.url, site):
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[label] = width
        sign_in(page, live_server.url, "alice")
        for label, url in member_pages(live_server.url, site):
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[label] = width
        assert not wide, wide
    finally:
        context.close()


def test_outsiders_do_not_see_a_government_only_user_in_the_browser(page, live_server, site):
    base = live_server.url
    page.goto(f"{base}/componenten/acme-zaken")
    assert "Gemeente Geheimdorp" not in page.inner_text("main")
    assert "1 gemeente (namen alleen zichtbaar voor overheden)" in page.inner_text("main")
    sign_in(page, base, "victor")
    page.goto(f"{base}/componenten/acme-zaken")
    assert "Gemeente Geheimdorp" not in page.inner_text("main")
    page.goto(f"{base}/klantvragen/verhuizen")
    assert "Gemeente Geheimdorp" not in page.inner_text("main")


def test_the_language_switch_leads_to_the_same_page_in_english(page, live_server, site):
    page.goto(f"{live_server.url}/componenten?kind=software")
    with page.expect_navigation():
        page.click("text=English")
    assert page.url.endswith("/en/components?kind=software")
    assert page.get_attribute("html", "lang") == "en"
    assert "Components" in page.inner_text("h1")


def test_publiccode_findings_and_errors_pass_axe(page, live_server, site):
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/publiccode")
    page.fill("#id_text", "publiccodeYmlVersion: '0'\nname: Kapot\n")
    with page.expect_navigation():
        page.click("main form.site-form button[value=check]")
    assert page.locator("#findings-heading").is_visible()
    assert "Kapot" in page.input_value("#id_text")
    assert not run_axe(page, "member: publiccode.yml findings")
    page.fill("#id_text", "")
    with page.expect_navigation():
        page.click("main form.site-form button[value=check]")
    assert page.locator("#id_text_error").is_visible()
    assert page.get_attribute("#id_text", "aria-invalid") == "true"
    assert not run_axe(page, "member: publiccode.yml form with an error")


def test_the_api_documentation_runs_under_the_content_security_policy(page, live_server, site):
    """Swagger UI's script comes from the site (not inline), so 'self' is enough."""
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("text=Component Registry API")
    page.wait_for_selector("text=/components")
    assert not page.csp_violations, page.csp_violations
    assert_stayed_on_own_origin = [u for u in page.requests if not u.startswith(live_server.url)]
    assert not [u for u in assert_stayed_on_own_origin if not u.startswith(("data:", "blob:"))]


def test_on_a_phone_the_catalogue_shows_results_first_and_folds_the_filters(
    browser, live_server, site
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/componenten")
        results_top = page.locator("#results-heading").bounding_box()["y"]
        assert results_top < 640, results_top  # results on the first screen
        assert page.evaluate("document.querySelector('#filters').open") is False
        first_facet = page.locator("#filters fieldset").first
        assert not first_facet.is_visible()
        # Select boxes show that they open (the design token draws a chevron).
        chevron = page.evaluate("getComputedStyle(document.querySelector('#sort')).backgroundImage")
        assert "svg" in chevron
        page.click("#filters summary")
        assert first_facet.is_visible()
        # With the script, a facet applies without the button (which is hidden).
        assert not page.locator("#filters button[type=submit]").is_visible()
        with page.expect_navigation():
            page.locator("#filters input[type=checkbox]").first.check()
        assert "?" in page.url and "=" in page.url.split("?", 1)[1]
    finally:
        context.close()


def test_without_javascript_the_catalogue_filters_with_its_buttons(browser, live_server, site):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/componenten")
        checkbox = page.locator("#filters input[type=checkbox]").first
        name, value = checkbox.get_attribute("name"), checkbox.get_attribute("value")
        checkbox.check()
        assert page.url.endswith("/componenten")  # nothing happens by itself
        with page.expect_navigation():
            page.locator("#filters button[type=submit]").click()
        assert f"{name}={value}" in page.url
    finally:
        context.close()


def test_radio_buttons_sit_beside_their_labels_one_per_line(page, live_server, site):
    """The visibility radio group once rendered each label letter by letter in a
    20 px column, and axe did not notice: measure the labels themselves."""
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/mijn-organisatie/gemeente-utrecht/gebruik/nieuw")
    labels = page.evaluate(
        """() => [...document.querySelectorAll('input[type=radio]')].map(input => {
            const label = document.querySelector(`label[for="${input.id}"]`);
            const box = label.getBoundingClientRect(), radio = input.getBoundingClientRect();
            const style = getComputedStyle(label);
            return {text: label.textContent.trim(), width: box.width, height: box.height,
                    lineHeight: parseFloat(style.lineHeight) || 24,
                    beside: box.left >= radio.right && Math.abs(box.top - radio.top) < 20};
        })"""
    )
    assert {label["text"] for label in labels} >= {"Openbaar", "Alleen overheden"}
    for label in labels:
        assert label["width"] > 8 * len(label["text"]) * 0.5, label  # not squeezed
        assert label["height"] < 2 * label["lineHeight"], label  # one line
        assert label["beside"], label
    assert not run_axe(page, "usage form radios")


def test_the_component_combobox_finds_by_name_and_is_used_with_the_keyboard(
    page, live_server, site
):
    """The ARIA 1.2 combobox on the usage form: type part of a name, choose with
    the arrow keys and Enter, and the form sends the component's identifier."""
    from components.models import Usage

    from ..factories import ComponentFactory

    ComponentFactory(slug="berichtenbox", name="Berichtenbox", publisher=site["acme"])
    ComponentFactory(slug="berichten-api", name="Berichten API", publisher=site["acme"])
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/gebruik/nieuw")
    assert not page.locator("#find").is_visible()  # the no-script search gives way
    box = page.locator("#id_component")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")

    box.focus()
    page.keyboard.type("berich")
    page.locator("[role=option]").nth(1).wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("role") == "listbox"
    assert page.locator("[role=option]").all_inner_texts() == [
        "Berichten API (Acme Software B.V.)",
        "Berichtenbox (Acme Software B.V.)",
    ]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").inner_text().startswith("Berichtenbox")
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert not run_axe(page, "member: usage form, combobox open")
    (ROOT / "test-results").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-results" / "usage-combobox-open.png"), full_page=True)

    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # opens again on the first of the same matches
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses; does not submit
    assert box.input_value() == "Berichtenbox"
    assert box.get_attribute("aria-expanded") == "false"
    assert page.url.endswith("/gebruik/nieuw")
    page.check("#id_visibility_0")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert page.url.endswith("/mijn-organisatie/gemeente-utrecht/gebruik")
    assert Usage.objects.get(organisation=site["utrecht"], component__slug="berichtenbox")
    assert not page.csp_violations, page.csp_violations


def test_a_usage_the_restriction_does_not_allow_asks_for_confirmation_in_the_browser(
    page, live_server, site
):
    from components.constants import ReuseRestriction
    from components.models import Usage

    from ..factories import ComponentFactory

    ComponentFactory(
        slug="eigen-portaal",
        name="Eigen Portaal",
        publisher=site["acme"],
        reuse_restriction=ReuseRestriction.OWNER_ONLY,
    )
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/gebruik/nieuw?component=eigen-portaal")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert page.locator(".site-verdict--not-allowed").is_visible()
    assert not Usage.objects.filter(component__slug="eigen-portaal").exists()
    assert not run_axe(page, "member: usage not allowed, confirm")
    page.screenshot(path=str(ROOT / "test-results" / "usage-confirm.png"), full_page=True)
    with page.expect_navigation():
        page.click("main form.site-form button[name=confirmed]")
    assert Usage.objects.get(component__slug="eigen-portaal").restriction_flag


def test_without_the_picker_script_the_component_is_found_by_name_and_picked(
    page, live_server, site
):
    """The "Find" step, as without JavaScript: the script is not loaded (so axe,
    which needs JavaScript, still runs on the page)."""
    page.route("**/component-picker.js", lambda route: route.abort())
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/mijn-organisatie/gemeente-utrecht/gebruik/nieuw")
    page.fill("#find-q", "huis")
    with page.expect_navigation():
        page.click("#find button[type=submit]")
    assert not run_axe(page, "member: usage form, find step")
    (ROOT / "test-results").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-results" / "usage-find.png"), full_page=True)
    with page.expect_navigation():
        page.click("#find a:text('Rijkshuisstijl')")
    assert page.input_value("#id_component") == "rijkshuisstijl"


def test_the_landscape_is_a_readable_diagram_whose_boxes_are_links(page, live_server, site):
    """Screenshots at desktop width and at 320 px (test-results/), the boxes
    reachable with the keyboard, and nothing refused by the CSP."""
    base = live_server.url
    page.goto(f"{base}/organisaties/gemeente-utrecht/landschap")
    svg = page.locator("svg.site-landscape__svg")
    assert svg.get_attribute("aria-labelledby") == "landscape-caption"
    box = svg.bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    links = svg.locator("a[*|href]")
    assert links.count() == 3
    (ROOT / "test-results").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "test-results" / "landscape-desktop.png"), full_page=True)
    with page.expect_navigation():
        svg.locator('a[*|href="/componenten/acme-zaken"]').click()
    assert page.url.endswith("/componenten/acme-zaken")
    assert not page.csp_violations, page.csp_violations

    small = page.context.browser.new_context(viewport={"width": 320, "height": 640})
    phone = small.new_page()
    try:
        phone.goto(f"{base}/organisaties/gemeente-utrecht/landschap")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320
        phone.screenshot(path=str(ROOT / "test-results" / "landscape-320.png"), full_page=True)
    finally:
        small.close()


def test_the_integration_form_picks_both_components_with_the_keyboard(page, live_server, site):
    """Three comboboxes on one form (from, to, standard), each its own."""
    from components.models import Integration

    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/koppelingen/nieuw")
    for name in ("source", "target", "standard"):
        box = page.locator(f"#id_{name}")
        assert box.get_attribute("role") == "combobox"
        assert box.get_attribute("list") is None  # the browser's suggestions give way
    for name, typed, expected in [
        ("source", "portaal", "Acme Portaal"),
        ("target", "zaken", "Acme Zaken"),
        ("standard", "zgw", "ZGW API's"),
    ]:
        page.locator(f"#id_{name}").focus()
        page.keyboard.type(typed)
        page.locator(f"#id_{name}_listbox [role=option]").first.wait_for()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        assert page.locator(f"#id_{name}").input_value() == expected
    assert not run_axe(page, "member: integration form, components picked")
    page.screenshot(path=str(ROOT / "test-results" / "integration-form.png"), full_page=True)
    page.check("#id_direction_0")
    page.check("#id_visibility_0")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert page.url.endswith("/mijn-organisatie/gemeente-utrecht/koppelingen")
    created = Integration.objects.get(source_usage__component__slug="acme-portaal")
    assert created.target_usage.component.slug == "acme-zaken"
    assert created.standard.slug == "zgw-apis"
    assert not page.csp_violations, page.csp_violations


@pytest.mark.parametrize("javascript", [True, False])
def test_compare_ticks_in_the_catalogue_wait_for_the_compare_button(
    browser, live_server, site, javascript
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/componenten")
        page.check("#compare-acme-zaken")
        page.check("#compare-adressen-api")
        # Unlike a filter, a tick does not reload the catalogue.
        page.wait_for_timeout(300)
        assert page.url.endswith("/componenten")
        assert page.is_checked("#compare-acme-zaken")
        with page.expect_navigation():
            page.get_by_role("button", name="Vergelijk de aangevinkte componenten").click()
        assert "/vergelijken?c=acme-zaken&c=adressen-api" in page.url
        main = page.inner_text("main")
        assert "Acme Zaken" in main and "Adressen API" in main
        assert "verschilt" in main
    finally:
        context.close()


def test_a_spreadsheet_preview_and_its_saving_pass_axe(page, live_server, site, tmp_path):
    base = live_server.url
    sign_in(page, base, "alice")
    sheet = f"{base}/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet"
    page.goto(sheet)
    bad = tmp_path / "usages.csv"
    bad.write_text(
        "component,status,visibility,since\n"
        "acme-zaken,stopped,public,2024-06-01\n"
        "acme-zakn,pilot,public,gisteren\n"
    )
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    main = page.inner_text("main")
    assert "Cel A3" in main and "Cel D3" in main and "Bedoel je: Acme Zaken (acme-zaken)?" in main
    assert not run_axe(page, "member: spreadsheet preview with errors")

    good = tmp_path / "usages-fixed.csv"
    good.write_text("component,status,visibility\nacme-zaken,stopped,public\n")
    page.goto(sheet)
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert "1 gewijzigd" in page.inner_text("main")
    assert not run_axe(page, "member: spreadsheet preview")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert "Opgeslagen: 0 nieuw, 1 gewijzigd, 0 ongewijzigd." in page.inner_text("main")
    assert not run_axe(page, "member: spreadsheet saved")


def test_the_spreadsheet_preview_of_a_workbook_with_integrations_reads_at_both_widths(
    page, browser, live_server, site, tmp_path
):
    """A workbook's usages and integrations sheets in one preview: the rows of
    each under its own heading, the errors with their cell and a suggestion."""
    from openpyxl import Workbook

    from components.models import Integration
    from components.spreadsheets import integrations, usages

    own = Integration.objects.get(organisation__slug="gemeente-utrecht")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "usages"
    sheet.append(usages.COLUMNS)
    sheet.append(["acme-zaken", "", "", "", "production", "2024-06-01", "", "public", ""])
    second = workbook.create_sheet("integrations")
    second.append(integrations.COLUMNS)
    blank = dict.fromkeys(integrations.COLUMNS, "")
    for values in (
        {"id": own.pk, "from": "acme-zaken", "to": "adressen-api", "standard": "zgw-apis"},
        {"from": "Acme Portaal", "to": "acme-zaken", "notes": "Inloggen via het portaal"},
        {"from": "acme-zaken", "to": "rijkshuisstijl"},
        {"from": "acme-portal", "to": "adressen-api"},
    ):
        row = {**blank, "direction": "one-way", "status": "stopped", "visibility": "public"}
        second.append(list({**row, **values}.values()))
    path = tmp_path / "landschap.xlsx"
    workbook.save(path)

    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    main = page.inner_text("main")
    assert "Blad: Koppelingen" in main and "Blad: Gebruik" in main
    assert "Acme Portaal → Acme Zaken" in main
    assert "Cel D4" in main and "Je organisatie legt geen gebruik van Rijkshuisstijl" in main
    assert "Cel B5" in main and "Bedoel je: Acme Portaal (acme-portaal)?" in main
    assert "acme-portal → adressen-api" in main  # the row as typed, where nothing matched
    assert not run_axe(page, "member: spreadsheet preview with integrations")
    results = ROOT / "test-results"
    page.screenshot(path=str(results / "sheet-integrations-1280.png"), full_page=True)
    phone = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        small = phone.new_page()
        sign_in(small, base, "alice")
        small.goto(page.url)
        assert small.evaluate("document.documentElement.scrollWidth") <= 320
        small.screenshot(path=str(results / "sheet-integrations-320.png"), full_page=True)
    finally:
        phone.close()
    # Nothing was saved; without the two wrong rows the file saves, both sheets together.
    assert Integration.objects.filter(organisation__slug="gemeente-utrecht").count() == 1
    second.delete_rows(4, 2)
    workbook.save(path)
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/gebruik/spreadsheet")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert "Opgeslagen: 1 nieuw, 1 gewijzigd, 1 ongewijzigd." in page.inner_text("main")
    own.refresh_from_db()
    assert own.status == "stopped"


def test_a_cooperation_records_a_usage_for_a_member_in_the_browser(page, live_server, site):
    base = live_server.url
    sign_in(page, base, "dana")
    page.goto(f"{base}/mijn-organisatie/dimpact/samenwerkingsverbanden")
    assert not run_axe(page, "cooperation: its members")
    page.goto(f"{base}/mijn-organisatie/dimpact/namens-deelnemers")
    assert not run_axe(page, "cooperation: record on behalf")
    page.select_option("#id_member", label="Gemeente Utrecht")
    # The component is picked by name with the usage form's combobox.
    box = page.locator("#id_component")
    assert box.get_attribute("role") == "combobox"
    box.focus()
    page.keyboard.type("rijks")
    page.locator("[role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert box.input_value() == "Rijkshuisstijl"
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    # The house style's licence does not allow Utrecht: the reasons first, nothing saved.
    assert "Rijkshuisstijl mag niet worden hergebruikt door Gemeente Utrecht" in page.inner_text(
        "main"
    )
    assert not run_axe(page, "cooperation: confirm a usage the restriction does not allow")
    with page.expect_navigation():
        page.click("main form.site-form button[name=confirmed]")
    assert "Vastgelegd dat Gemeente Utrecht Rijkshuisstijl gebruikt." in page.inner_text("main")
    assert not page.csp_violations, page.csp_violations


def test_a_concept_component_is_added_and_shown_in_the_browser(page, live_server, site):
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/mijn-organisatie/gemeente-utrecht/conceptcomponent")
    page.fill("#id_name", "Suite4Burgerzaken")
    page.fill("#id_vendor", "Centric")
    page.fill("#id_short_description", "Burgerzakenpakket.")
    with page.expect_navigation():
        page.click("main form.site-form button[type=submit]")
    assert "Een concept: Gemeente Utrecht heeft het toegevoegd" in page.inner_text("main")
    assert not run_axe(page, "concept component")
    with page.expect_navigation():
        page.click("main dd a:has-text('Centric')")
    assert "niet zelf aangemeld" in page.inner_text("main")
    assert not run_axe(page, "placeholder vendor")
