"""The frame every page shares: the language switch's return address, messages
by level, the error pages, focus on a refused form's summary and labels."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from qingqian.complaints import services
from qingqian.core.forms import FormRenderer
from qingqian.core.sqlite_backend.busy import DatabaseBusy
from qingqian.web.context import language_next
from qingqian.web.views import server_error

NEXT = '<input name="next" type="hidden" value="{}">'


def test_language_switch_returns_to_the_page_after_a_get(rf):
    assert language_next(rf.get("/complaints/?state=submitted")) == "/complaints/?state=submitted"


def test_language_switch_returns_to_the_referring_page_after_a_post(rf):
    request = rf.post(
        "/complaints/37/act/not-accept/", HTTP_REFERER="http://testserver/complaints/37/?x=1"
    )
    assert language_next(request) == "/complaints/37/?x=1"


@pytest.mark.parametrize(
    "referer", [None, "https://evil.example/complaints/", "javascript:alert(1)"]
)
def test_language_switch_returns_home_after_a_post_from_elsewhere(rf, referer):
    headers = {"HTTP_REFERER": referer} if referer else {}
    assert language_next(rf.post("/complaints/37/act/not-accept/", **headers)) == "/"


@pytest.mark.django_db
def test_refused_post_page_switches_language_back_to_the_form_page(client_for):
    client = client_for("sme-demo")
    response = client.post(
        "/complaints/new/", {"submit": "1"}, HTTP_REFERER="http://testserver/complaints/new/"
    )
    assert response.status_code == 400
    assert NEXT.format("/complaints/new/") in response.content.decode()
    response = client.post(
        "/complaints/new/", {"submit": "1"}, HTTP_REFERER="http://elsewhere.example/"
    )
    assert NEXT.format("/") in response.content.decode()


def test_error_messages_are_alerts_and_the_others_status(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    messages.error(request, "Refused")
    messages.warning(request, "Careful")
    messages.success(request, "Saved")
    page = render_to_string("web/base.html", request=request)
    assert '<p class="message error" role="alert">' in page
    assert '<p class="message warning" role="status">' in page
    assert '<p class="message success" role="status">' in page
    assert page.index('role="alert"') < page.index("Refused") < page.index("Careful")


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_out_of_scope_complaint_is_the_sites_404_page(client_for, user):
    other = user("sme-demo-2")
    draft = services.complaint_create_draft(
        actor=other, complainant=other.enterprise, contract_number="SZ-404"
    )
    response = client_for("sme-demo").get(f"/complaints/{draft.pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in page and 'data-testid="error-404"' in page
    assert 'href="/"' in page and "SZ-404" not in page


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_refused_permission_is_the_sites_403_page(client_for):
    response = client_for("gd-handler").get("/complaints/new/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'class="site-header"' in page and 'data-testid="error-403"' in page


@override_settings(DEBUG=False)
def test_500_page_renders_without_context_or_database(rf):
    # No django_db mark: any database access would fail the test.
    response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="error-500"' in page and 'lang="zh-Hans"' in page


@override_settings(DEBUG=False, QINGQIAN_SQLITE_BUSY_SECONDS=3)
def test_a_busy_database_after_the_view_is_503_not_500(rf):
    # Django calls its 500 handler inside the except block of an error raised
    # anywhere on the way (e.g. saving the session after the view).
    try:
        raise DatabaseBusy()
    except DatabaseBusy:
        response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "3"
    assert 'data-testid="error-503"' in page and 'lang="zh-Hans"' in page


def test_base_page_loads_the_error_summary_focus_script(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    assert "qingqian/error-focus.js" in render_to_string("web/base.html", request=request)


class PunctuatedForm(forms.Form):
    agree = forms.BooleanField(label="I agree.")
    promise = forms.BooleanField(label="本企业承诺：该事项未被受理。")
    name = forms.CharField(label="name")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_label_suffix_after_a_label_ending_in_its_own_mark(language):
    with translation.override(language):
        form = PunctuatedForm(renderer=FormRenderer())
        assert "I agree.</label>" in form["agree"].as_field_group()
        assert "该事项未被受理。</label>" in form["promise"].as_field_group()
        assert f"name{form.label_suffix}</label>" in form["name"].label_tag()


def test_error_summary_adds_no_colon_after_a_label_ending_in_its_own_mark():
    with translation.override("en"):
        page = render_to_string("web/_form.html", {"form": PunctuatedForm(data={})})
    assert "I agree. This field is required." in page
    assert "该事项未被受理。 This field is required." in page
    assert "name: This field is required." in page
