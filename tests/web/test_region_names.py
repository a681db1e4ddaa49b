"""Pages that show a region show its name beside the code, never a bare code."""

import re

import pytest
from django.test import Client

from tests.organisations import admin_of, org

GD = "广东省中小企业主管部门"
GZ = "广州市中小企业主管部门"


def page_of(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.text


def bare_code_cells(html: str) -> list[str]:
    """Table cells and definition values that hold only a six-digit code."""
    return re.findall(r"<(?:td|dd)>\s*(\d{6})\s*</(?:td|dd)>", html)


@pytest.mark.django_db
def test_organisation_pages_name_each_region_beside_its_code():
    client = Client()
    client.force_login(admin_of(GD))
    listing = page_of(client, "/organisations/")
    detail = page_of(client, f"/organisations/{org(GZ).pk}/")
    for html in (listing, detail):
        assert bare_code_cells(html) == []
        assert "广州市 <code>440100</code>" in html


@pytest.mark.django_db
def test_the_enterprise_form_picks_its_region_by_name(client, user):
    client.post("/accounts/login/", {"username": "gd-intake", "password": "demo-password"})
    form = page_of(client, "/enterprises/new/")
    assert re.search(r'<select name="region_code"[^>]*data-region-picker', form)
    assert '<option value="440300">' in form  # 深圳市, from the shipped regions
