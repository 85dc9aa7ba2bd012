"""The visibility oracle: nothing an anonymous visitor or a vendor can read tells
whether a municipality uses a component government-only.

Gemeente Geheimdorp (X) may or may not use Acme Zaken, Acme's component,
government-only. The same catalogue is read in three states:

- plain: X does not use Acme Zaken;
- hidden: X uses it government-only;
- control: another municipality (Gemeente Controle) uses it government-only
  in the same way, and X does not.

Every surface is read by an anonymous client and by Acme (its token for the
API, its member victor signed in for the site), before and after Acme claims
that X uses Acme Zaken. Between plain and hidden a response must be
byte-identical, except on the surfaces that count usages per organisation kind
(the product shows "used by 1 more municipality", never a name). There the only
difference allowed is counts one higher, and the response must be the same as
in the control state: the difference does not depend on which municipality it
is, so it cannot tell X apart.

Normalised away, and nothing else: time is frozen (so the rows written during a
run have the same timestamps in every state); the id of Acme's claim, which
differs between states only because the rows written before it took ids from
the same sequence; the ETag of a body that held that id; CSRF tokens in forms.
The hidden usage's own id is never normalised: it must not appear anywhere.
"""

import datetime
import difflib
import html
import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.constants import OrganisationKind
from components.constants import ReuseRestriction, UsageStatus, Visibility
from components.models import Integration, Usage
from registry.api import AnonymousRateThrottle, TokenRateThrottle

from .conftest import client_for
from .factories import (
    ComponentFactory,
    MembershipFactory,
    OrganisationFactory,
    ReleaseFactory,
    UsageFactory,
    VendorFactory,
    question,
)
from .test_harvest import GOOD, REPOSITORY

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
X = "gemeente-geheimdorp"
CONTROL = "gemeente-controle"
NO_SUCH_USAGE = 987654321

# Everything public or readable by a vendor, as (name, path). {x} is X's slug.
API_READS = [
    ("components", "/api/v1/components"),
    ("components used by x", "/api/v1/components?usedBy={x}"),
    ("component", "/api/v1/components/acme-zaken"),
    ("component history", "/api/v1/components/acme-zaken/history"),
    ("component figures", "/api/v1/components/acme-zaken/figures"),
    ("reuse check", "/api/v1/components/acme-zaken/reuse-check?organisation={x}"),
    ("publiccode.yml", "/api/v1/components/acme-zaken/publiccode.yml"),
    ("usages", "/api/v1/usages"),
    ("usages of x", "/api/v1/usages?organisation={x}"),
    ("usages of the component", "/api/v1/usages?component=acme-zaken"),
    ("usages of x of the component", "/api/v1/usages?organisation={x}&component=acme-zaken"),
    ("usages claimed by acme", "/api/v1/usages?claimedBy=acme"),
    ("government usages", "/api/v1/usages?visibility=government"),
    ("municipalities' usages", "/api/v1/usages?organisationKind=municipality"),
    ("organisation x", "/api/v1/organisations/{x}"),
    ("organisation x figures", "/api/v1/organisations/{x}/figures"),
    ("licence report of x", "/api/v1/organisations/{x}/license-report"),
    ("licence report of x as csv", "/api/v1/organisations/{x}/license-report?format=csv"),
    ("figures", "/api/v1/figures"),
    ("export csv", "/api/v1/exports/usages.csv"),
    ("export json", "/api/v1/exports/usages.json"),
    ("integrations of x", "/api/v1/organisations/{x}/integrations"),
    ("landscape of x as archimate", "/api/v1/organisations/{x}/landscape.xml"),
    ("landscape of x as csv", "/api/v1/organisations/{x}/landscape.csv"),
    ("dcat catalogue", "/api/v1/catalogue"),
    ("dcat catalogue as json-ld", "/api/v1/catalogue.jsonld"),
    ("component as turtle", "/api/v1/components/acme-zaken.ttl"),
]
FEEDS = [
    ("component feed", "/feeds/components/acme-zaken.atom"),
    ("organisation x feed", "/feeds/organisations/{x}.atom"),
]
SITE_PAGES = [
    ("home page", "home", {}, ""),
    ("catalogue", "component-list", {}, ""),
    ("catalogue with facets", "component-list", {}, "?kind=software&layer=services"),
    ("catalogue by users", "component-list", {}, "?sort=users"),
    ("component page", "component-detail", {"slug": "acme-zaken"}, ""),
    ("organisation x page", "organisation-detail", {"slug": X}, ""),
    ("organisations", "organisation-list", {}, ""),
    ("question page", "question-detail", {"code": "verhuizen"}, ""),
    ("figures page", "figures", {}, ""),
    ("landscape of x", "organisation-landscape", {"slug": X}, ""),
]

# The surfaces that count usages per organisation kind (or in total), and so are
# meant to show a government-only usage as one more: only numbers may differ.
COUNTING = {
    "components",
    "components used by x",
    "component",
    "component figures",
    "figures",
    "export json",
    "home page",
    "catalogue",
    "catalogue with facets",
    "catalogue by users",
    "component page",
    "question page",
    "figures page",
    "publiccode dry run",
}


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def unthrottled(monkeypatch, settings):
    settings.RESPONSE_CACHE_SECONDS = 0  # every read renders afresh
    for throttle in (AnonymousRateThrottle, TokenRateThrottle):
        monkeypatch.setattr(
            throttle, "THROTTLE_RATES", dict.fromkeys(throttle.THROTTLE_RATES, None)
        )


@pytest.fixture
def catalogue(frozen, unthrottled):
    acme = VendorFactory(name="Acme Software B.V.", slug="acme")
    utrecht = OrganisationFactory(name="Gemeente Utrecht", slug="gemeente-utrecht")
    x = OrganisationFactory(name="Gemeente Geheimdorp", slug=X)
    control = OrganisationFactory(name="Gemeente Controle", slug=CONTROL)
    province = OrganisationFactory(
        name="Provincie Utrecht", slug="provincie-utrecht", kind=OrganisationKind.PROVINCE
    )
    zaken = ComponentFactory(
        slug="acme-zaken",
        name="Acme Zaken",
        publisher=acme,
        repository_url=REPOSITORY,
        # Reuse reserved to Utrecht: everyone else's usage is flagged, so the
        # licence report has something to hide.
        reuse_restriction=ReuseRestriction.NAMED_ORGANISATIONS,
    )
    zaken.reuse_organisations.set([utrecht])
    zaken.customer_questions.add(question("verhuizen"))
    signalen = ComponentFactory(
        slug="signalen", name="Signalen", publisher=utrecht, layer="interaction"
    )
    signalen.customer_questions.add(question("afval-buurt"))
    forms = ComponentFactory(slug="acme-forms", name="Acme Forms", publisher=acme, kind="api")
    since = datetime.date(2024, 3, 1)
    UsageFactory(organisation=utrecht, component=zaken, since=since)
    # More users of Signalen (5) than of Acme Forms (4) than Acme Zaken can reach
    # (1, 2 with the hidden usage, 3 with the claim): lists sorted by users keep
    # their order, so a difference in counts shows as counts only.
    fillers = [OrganisationFactory() for _ in range(3)]
    for organisation in (utrecht, x, *fillers[:2]):
        UsageFactory(organisation=organisation, component=signalen, since=since)
    UsageFactory(organisation=control, component=signalen, since=since, status="pilot")
    for organisation in (province, *fillers):
        UsageFactory(organisation=organisation, component=forms, since=since)
    ReleaseFactory(component=zaken, version="1.0.0")
    # X's feed has an entry, so its date is that entry's, not the time of reading.
    ReleaseFactory(component=signalen, version="2.0.0")
    victor = MembershipFactory(user__username="victor", organisation=acme).user
    site_vendor = Client()
    site_vendor.force_login(victor)
    return {
        "x": x,
        "control": control,
        "zaken": zaken,
        "readers": {
            "anonymous": (APIClient(), Client()),
            "acme": (client_for(acme), site_vendor),
        },
    }


def hide_usage_of(organisation, component):
    """The organisation's own usage, shared with government organisations only,
    and a public integration to it from its (public) usage of Signalen."""
    hidden = UsageFactory(
        organisation=organisation,
        component=component,
        status=UsageStatus.PRODUCTION,
        since=datetime.date(2025, 3, 1),
        visibility=Visibility.GOVERNMENT,
        notes="Intern: vervangen in 2027.",
    )
    Integration.objects.create(
        organisation=organisation,
        source_usage=organisation.usages.get(component__slug="signalen"),
        target_usage=hidden,
        notes="Koppeling naar het verborgen gebruik.",
    )
    return hidden


# --- reading and normalising -------------------------------------------------


def _replace_ids(data, claim_id):
    """The claim's id, wherever a usage id stands, as '<claim>'."""
    if isinstance(data, dict):
        return {
            key: "<claim>"
            if key in ("id", "object", "usage") and str(value) == str(claim_id)
            else _replace_ids(value, claim_id)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_replace_ids(item, claim_id) for item in data]
    return data


def seen(response, claim_id=None):
    """What a reader gets: status, content type, ETag and the body, normalised."""
    content_type = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    raw = content.decode()
    body = raw
    if "json" in content_type and raw:
        data = json.loads(raw)
        if claim_id is not None:
            data = _replace_ids(data, claim_id)
        body = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
        changed = data != json.loads(raw)
    else:
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", raw)
        changed = False
    etag = None if changed else response.get("ETag")
    return {"status": response.status_code, "type": content_type, "etag": etag, "body": body}


def observe(catalogue, reader, claim_id=None):
    """Every surface as the reader sees it."""
    api, site = catalogue["readers"][reader]
    x = catalogue["x"].slug
    observed = {}
    for name, path in API_READS + FEEDS:
        client = api if path.startswith("/api/") else Client()
        observed[name] = seen(client.get(path.format(x=x)), claim_id)
    for name, url_name, kwargs, query in SITE_PAGES:
        with translation.override("en"):
            url = reverse(url_name, kwargs=kwargs or None) + query
        observed[name] = seen(site.get(url), claim_id)
    return observed


def claim(catalogue):
    """Acme claims that X uses Acme Zaken, and tries a publiccode.yml naming X;
    the answers, and the claim's id."""
    api = catalogue["readers"]["acme"][0]
    response = api.post(
        "/api/v1/usages",
        {"organisation": X, "component": "acme-zaken", "status": "pilot", "since": "2026-02-01"},
        format="json",
    )
    claim_id = response.json().get("id")
    dry_run = api.generic(
        "POST",
        "/api/v1/publiccode?dryRun=true",
        data=(GOOD + "usedBy:\n  - Gemeente Geheimdorp\n").encode(),
        content_type="application/yaml",
    )
    answers = {"claim": seen(response, claim_id), "publiccode dry run": seen(dry_run, claim_id)}
    return answers, claim_id


def probe(catalogue, reader, usage_id):
    """Every way the reader might touch a usage by its id."""
    api = catalogue["readers"][reader][0]
    path = f"/api/v1/usages/{usage_id}"
    answers = {}
    for method, suffix, body in (
        ("get", "", None),
        ("patch", "", {"status": "stopped"}),
        ("put", "", {"organisation": X, "component": "acme-zaken"}),
        ("delete", "", None),
        ("post", "/confirm", None),
        ("post", "/reject", None),
    ):
        answer = seen(getattr(api, method)(path + suffix, body, format="json"))
        answer["body"] = answer["body"].replace(str(usage_id), "<id>")
        answers[f"{method.upper()} {suffix or 'usage'}"] = answer
    return answers


def in_state(catalogue, reader, hidden_owner):
    """Everything the reader gets in one state, before and after Acme's claim;
    the state is rolled back afterwards."""
    with transaction.atomic():
        hidden = None
        if hidden_owner is not None:
            hidden = hide_usage_of(catalogue[hidden_owner], catalogue["zaken"])
        result = {
            "before": observe(catalogue, reader),
            "missing probe": probe(catalogue, reader, NO_SUCH_USAGE),
            "hidden probe": probe(catalogue, reader, hidden.pk) if hidden else None,
        }
        if hidden is not None:  # the probes changed nothing
            assert Usage.objects.filter(pk=hidden.pk, status="production").exists()
        result["writes"], claim_id = claim(catalogue)
        result["after"] = observe(catalogue, reader, claim_id)
        transaction.set_rollback(True)
    return result


# --- comparing -----------------------------------------------------------------


def text_lines(body):
    """The visible text of a page (or a body), one line per block."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", "\n", text)
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return [line for line in lines if line]


NUMBER = re.compile(r"\d+")
WORD = re.compile(r"[a-z]+")
# The line a page adds for a component's users it may not name: counts per kind.
ALSO_USED_BY_ONE = re.compile(r"^Also used by 1 \w+ \(names visible to government")


def _singular(word):
    word = word.group(0)
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word.removesuffix("s")


def _shape(line):
    """A line without its numbers, its words singular: "2 of 3 municipalities use"
    has the shape of "1 of 3 municipalities uses" (a count changed, and the
    grammar with it)."""
    return WORD.sub(_singular, NUMBER.sub("#", line.lower()))


def _one_higher(old, new):
    olds, news = NUMBER.findall(old), NUMBER.findall(new)
    return len(olds) == len(news) and all(
        int(b) - int(a) in (0, 1) for a, b in zip(olds, news, strict=True)
    )


def _data_one_higher(old, new):
    """JSON: the same structure, each number the same or one higher, and a count
    that was not there (zero) now one."""
    if isinstance(old, dict) and isinstance(new, dict):
        added = set(new) - set(old)
        return (
            set(old) <= set(new)
            and all(new[key] == 1 for key in added)
            and all(_data_one_higher(old[key], new[key]) for key in old)
        )
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(map(_data_one_higher, old, new))
    if type(old) is int and type(new) is int:
        return new - old in (0, 1)
    return old == new


def only_counts_one_higher(plain, hidden):
    """True when `hidden` differs from `plain` only in counts, each the same or one
    higher, and by "Also used by 1 <kind>" lines where there were none."""
    if plain.startswith(("{", "[")):
        return _data_one_higher(json.loads(plain), json.loads(hidden))
    before, after = text_lines(plain), text_lines(hidden)
    if len(after) != len(before):
        after = [line for line in after if not ALSO_USED_BY_ONE.match(line) or line in before]
    return len(after) == len(before) and all(
        old == new or (_shape(old) == _shape(new) and _one_higher(old, new))
        for old, new in zip(before, after, strict=True)
    )


def assert_indistinguishable(plain, hidden, control, moment):
    leaks = []
    for surface, answer in plain.items():
        if hidden[surface] == answer:
            continue
        if surface not in COUNTING:
            leaks.append(f"{moment}: {surface} differs")
        # A counting surface: the same status and type, only counts one higher, and
        # the answer any municipality's hidden usage gives, so it names no one.
        elif (hidden[surface]["status"], hidden[surface]["type"]) != (
            answer["status"],
            answer["type"],
        ):
            leaks.append(f"{moment}: {surface} changed status or type")
        elif not only_counts_one_higher(answer["body"], hidden[surface]["body"]):
            leaks.append(f"{moment}: {surface} differs in more than counts one higher")
        elif hidden[surface] != control[surface]:
            leaks.append(f"{moment}: {surface} differs from the control state")
    assert not leaks, "\n".join(leaks) + _diffs(plain, hidden, leaks)


def _diffs(plain, hidden, leaks):
    """The differences behind the leaks, to read in the failure."""
    shown = []
    for surface in plain:
        if any(f": {surface} " in leak for leak in leaks):
            lines = difflib.unified_diff(
                text_lines(plain[surface]["body"]),
                text_lines(hidden[surface]["body"]),
                lineterm="",
            )
            shown.append(f"\n--- {surface}\n" + "\n".join(list(lines)[:60]))
    return "".join(shown)


@pytest.mark.parametrize("reader", ["anonymous", "acme"])
def test_no_surface_tells_a_government_only_usage_apart(catalogue, reader):
    """What the reader gets with X's government-only usage is what it gets without
    it, on every surface, before and after Acme's claim on X; only counts per kind
    show one more usage, as they would for any municipality's."""
    states = {
        state: in_state(catalogue, reader, owner)
        for state, owner in (("plain", None), ("hidden", "x"), ("control", "control"))
    }
    for moment in ("before", "writes", "after"):
        assert_indistinguishable(
            states["plain"][moment],
            states["hidden"][moment],
            states["control"][moment],
            moment,
        )
    assert states["hidden"]["writes"]["claim"]["status"] == 201

    # The hidden usage's id answers as an id that does not exist (a read 404, a
    # write 401 without a token and 404 with Acme's): never a 403 that would say
    # "it is there, but not yours".
    for state in ("hidden", "control"):
        assert states[state]["hidden probe"] == states[state]["missing probe"]
        assert states[state]["missing probe"] == states["plain"]["missing probe"]
    statuses = {name: answer["status"] for name, answer in states["hidden"]["hidden probe"].items()}
    assert statuses.pop("GET usage") == 404
    assert set(statuses.values()) == ({401} if reader == "anonymous" else {404})

    # Not vacuous: the counting surfaces do show the hidden usage as one more.
    plain = json.loads(states["plain"]["before"]["component"]["body"])
    hidden = json.loads(states["hidden"]["before"]["component"]["body"])
    assert plain["usageCounts"]["byOrganisationKind"] == {"municipality": 1}
    assert hidden["usageCounts"]["byOrganisationKind"] == {"municipality": 2}
    page = text_lines(states["hidden"]["before"]["component page"]["body"])
    assert "Also used by 1 municipality (names visible to government organisations only)." in page


def test_reading_twice_gives_the_same_answers(catalogue):
    """The oracle itself: with nothing changed every answer is the same again, so a
    difference between states is one the state made."""
    for reader in ("anonymous", "acme"):
        assert observe(catalogue, reader) == observe(catalogue, reader)
