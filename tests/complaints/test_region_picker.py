"""Regions are picked by name (province, city, county) on a page that needs no
script, and shown by name wherever their codes are."""

import pytest

from qingqian.core.form_fields import RegionField
from qingqian.core.models import Region
from qingqian.core.region_selectors import region_choices


@pytest.mark.django_db
def test_the_picker_groups_each_province_with_its_cities_and_their_counties():
    Region.objects.create(code="440104", name="越秀区")
    Region.objects.create(code="110105", name="朝阳区")
    groups = dict(region_choices())
    guangdong = dict(groups["广东省"])
    codes = [code for code, _name in groups["广东省"]]
    assert codes[0] == "440000" and guangdong["440100"] == "广东省 · 广州市"
    assert codes.index("440104") == codes.index("440100") + 1  # the county follows its city
    assert guangdong["440104"] == "广东省 · 广州市 · 越秀区"
    assert dict(groups["北京市"])["110105"] == "北京市 · 朝阳区"  # a municipality's district


@pytest.mark.django_db
def test_the_field_takes_a_listed_region_and_refuses_a_made_up_code():
    field = RegionField()
    assert field.clean("440100") == "440100"
    assert field.clean("") == ""
    with pytest.raises(Exception) as refused:
        field.clean("999999")
    assert refused.type.__name__ == "ValidationError"


@pytest.mark.django_db
def test_the_intake_form_offers_names_in_groups_and_pages_show_names(client_for, draft):
    client = client_for("sme-demo")
    page = client.get("/complaints/new/").content.decode()
    assert '<select name="debtor_region_code"' in page
    assert '<optgroup label="广东省">' in page and '<option value="440100">广东省 · 广州市' in page
    complaint = draft()
    Region.objects.create(code=complaint.debtor.region_code, name="越秀区")
    detail = client.get(f"/complaints/{complaint.pk}/").content.decode()
    region = complaint.debtor.region_code
    assert f"越秀区 <code>{region}</code>" in detail
    assert f"{region}</dd>" not in detail  # never a bare code
