"""Every URL of the project is either public on purpose or refuses the
anonymous public; and no URL fails for any role."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# name → why it is public
PUBLIC = {
    "home": "landing page explaining the platform",
    "healthz": "liveness probe: {'status': 'ok'}, reads nothing",
    "readyz": "readiness probe: whether the database and the queue answer, nothing else",
    "metrics": "Prometheus figures: aggregates only, and only to QINGQIAN_METRICS_ALLOWED "
    "addresses (404 to anyone else, and when metrics are off)",
    "login": "sign-in form",
    "login-verify": "second sign-in step; redirects to sign-in without a pending user",
    "set_language": "language switch (cookie only)",
    "api-schema": "OpenAPI schema of the public API",
    "api-docs": "API documentation (Swagger UI served locally)",
    "api-token": "exchanges username and password for a token",
    "admin:login": "sends to the site's sign-in (admin itself is for administrators only)",
    "admin:logout": "admin sign-out",
    "logout": "sign-out (POST); for the anonymous it only redirects home",
    "password-reset": "asks for a reset link by e-mail; the same answer for any address",
    "password-reset-confirm": "the e-mailed reset link; refuses without a valid token",
    "invitation-accept": "the e-mailed invitation link; refuses without a valid token",
    "portal:notice-list": "published notices: approved notices only, public fields only",
    "portal:notice-detail": "one published notice; anything unpublished is a 404",
    "portal:notice-feed": "Atom feed of the published notices (the same selector)",
    "portal:typical-case-list": "typical cases: published and withdrawn only, masked",
    "portal:typical-case-detail": "one public typical case (withdrawn: its note); others 404",
    "portal:typical-case-feed": "Atom feed of the public typical cases (the same selector)",
    "api-public-schema": "OpenAPI schema of the public read API alone",
    "api-public-statistics": "open statistics: aggregates only, small cells suppressed",
    "api-public-notice-list": "published notices: approved only, public fields only",
    "api-public-notice": "one published notice; anything unpublished is a 404",
    "api-public-open311-services": "Open311 services: the complaint subjects, no data",
    "api-public-open311-requests": "Open311 requests: no party, no text, province only",
    "api-public-open311-request": "one Open311 request: the same public fields; drafts 404",
    "api-public-interest": "overdue interest calculator: computes from the query, reads no record",
    "api-public-deadline": "working-day deadline calculator: reads the public calendar only",
    "api-public-size": "size self-test: computes from the query, reads no record",
    "api-public-payment-term": "payment-term calculator: reads the public calendar only",
    "tools:home": "the calculators' index",
    "tools:interest": "overdue interest calculator (GET form, nothing stored)",
    "tools:deadline": "working-day deadline calculator (GET form, nothing stored)",
    "tools:size": "size self-test (GET form, nothing stored)",
    "tools:payment-term": "payment-term calculator (GET form, nothing stored)",
    "portal:signup": "SME sign-up form; creates only an unbound account that sees nothing",
    "portal:signup-email": "the e-mailed verification link; refuses without a valid token",
    "portal:register": "the public register's search: agencies, institutions, large enterprises",
    "portal:register-disclosures": "every published disclosure as CSV/XLSX: debtors' filings only",
    "portal:register-enterprise": "one register entry's public record; SMEs are a 404",
    "portal:listings": "the defaulters list in force: published listings, public fields only",
    "portal:listing-changes": "changes to the list by credit code: published listings only",
    "portal:listing-feed": "Atom feed of the changes (the same selector)",
    "portal:how-to-complain": "public guide to complaining; no data",
    "portal:statistics": "open statistics: aggregates only, small cells suppressed",
    "portal:statistics-region": "open statistics of one province: aggregates, suppressed",
    "library-index": "the Regulations library: published texts of the law, FAQ, guides",
    "library-search": "full-text search of the library's published texts",
    "library-compare": "the 2020 and 2025 texts of the changed articles side by side",
    "library-document": "one document of the library, article by article",
    "confirmations_public:answer": "one-time link of a printed confirmation request: its token "
    "opens one awaiting request until its due date, once; throttled",
    "training_public:list": "upcoming published training events: counts of seats, no names",
    "training_public:detail": "one published, held or cancelled training event; drafts 404",
    "training_public:ics": "the calendar file of a public training event; drafts 404",
    "training_public:material": "a material handed out at a public training event",
}
DENIED_STATUSES = {302, 401, 403, 404, 405}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}"


def _concrete(route: str) -> str:
    """Turn a route or regex into a URL with sample values (pk 1, first alternative)."""
    url = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    url = re.sub(r"\(\?P<\w+>([^|)]+)[^)]*\)", r"\1", url)
    url = url.replace("^", "").replace("$", "").replace("\\Z", "")
    url = re.sub(r"\.\*|\.\+", "x", url)
    return "/" + url


ALL_URLS = sorted({(_concrete(route), name) for route, name in _walk(get_resolver())})


def test_every_public_entry_names_a_real_url():
    names = {name for _url, name in ALL_URLS}
    assert set(PUBLIC) <= names, set(PUBLIC) - names
    assert len(ALL_URLS) > 20


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), [u for u in ALL_URLS if u[1] not in PUBLIC])
def test_non_public_url_refuses_anonymous(client, url, name):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in DENIED_STATUSES, (name, url, response.status_code)
        if response.status_code == 302:
            assert "login" in response["Location"], (name, url, response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), [u for u in ALL_URLS if u[1] in PUBLIC])
def test_public_url_answers_anonymous(client, url, name):
    response = client.get(url)
    assert response.status_code < 500
    if name in {"home", "login", "api-schema", "api-docs"}:
        assert response.status_code == 200


@pytest.mark.django_db
def test_admin_sign_in_is_the_sites_with_its_second_step(client):
    """The admin's own form would sign in with the password alone."""
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


ROLES = [
    "admin",
    "miit-intake",
    "supervisor",
    "gd-intake",
    "gd-handler",
    "gd-legal",
    "sme-demo",
    "debtor-demo",
]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_no_url_fails_for_any_role(client_for, username):
    client = client_for(username)
    for url, name in ALL_URLS:
        if name in {"logout", "admin:logout"}:
            continue
        response = client.get(url)
        assert response.status_code < 500, (username, name, url)


@pytest.mark.django_db
def test_admin_is_for_administrators_only(client_for):
    assert client_for("admin").get("/admin/").status_code == 200
    for username in ("supervisor", "gd-intake", "sme-demo"):
        response = client_for(username).get("/admin/")
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_admin_is_read_only_even_for_administrators(client_for):
    client = client_for("admin")
    assert client.get("/admin/parties/enterprise/").status_code == 200
    assert client.get("/admin/parties/enterprise/add/").status_code == 403
    assert client.get("/admin/core/auditevent/1/delete/").status_code == 403
