"""The home page: signed out it explains the programme and shows its figures;
signed in it is the person's start page as before."""

import pytest
from django.utils import timezone

from qingqian.supervision.models import ComplaintTally, Grain


def received(count: int) -> None:
    ComplaintTally.objects.create(
        grain=Grain.PROVINCE,
        region_code="440000",
        month=timezone.localdate().replace(day=1),
        debtor_type="agency",
        measure="received",
        count=count,
    )


@pytest.mark.django_db
def test_signed_out_home_explains_who_may_complain_and_the_deadlines(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "government agencies, public institutions and large enterprises" in html
    for deadline in ("within 10 working days", "within 30 days", "90 days at most"):
        assert deadline in html
    assert 'href="/public/how-to-complain/"' in html
    assert 'href="/public/statistics/"' in html


@pytest.mark.django_db
def test_signed_out_home_in_chinese_by_default(client):
    html = client.get("/").content.decode()
    assert "10 个工作日" in html
    assert "以免识别具体投诉" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "shown"), [(4, "&lt;5"), (5, "5")])
def test_the_home_headline_suppresses_small_counts(client, count, shown):
    received(count)
    html = client.get("/").content.decode()
    headline = html.split('data-testid="public-headline"')[1].split("</dl>")[0]
    assert f">{shown}</dd>" in headline


@pytest.mark.django_db
def test_signed_in_home_is_the_start_page(client_for):
    html = client_for("gd-intake").get("/").content.decode()
    assert 'data-testid="public-headline"' not in html
