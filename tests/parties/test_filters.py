"""The enterprise list's filters, one definition for the page, its CSV and the API."""

import pytest

from qingqian.parties.filters import EnterpriseFilter
from qingqian.parties.models import Enterprise
from qingqian.parties.selectors import enterprise_list
from tests.parties.test_services import HUAWEI, create


def names(data, actor) -> list[str]:
    found = EnterpriseFilter(data, queryset=enterprise_list(actor=actor)).qs
    return list(found.values_list("name", flat=True))


@pytest.mark.django_db
def test_q_finds_a_name_fragment_or_a_whole_credit_code(user):
    intake = user("gd-intake")
    create(intake)
    assert names({"q": " 华为 "}, intake) == ["华为技术有限公司"]
    assert names({"q": HUAWEI}, intake) == ["华为技术有限公司"]
    assert names({"q": HUAWEI[:10]}, intake) == []


@pytest.mark.django_db
def test_type_filters_and_an_unknown_type_finds_nothing(user):
    intake = user("gd-intake")
    create(intake)
    assert "华为技术有限公司" in names({"type": Enterprise.Type.LARGE}, intake)
    assert "华为技术有限公司" not in names({"type": Enterprise.Type.SME}, intake)
    assert names({"type": "bogus"}, intake) == []


@pytest.mark.django_db
def test_the_api_refuses_a_search_it_cannot_run_naming_the_field(api_client_for):
    response = api_client_for("gd-intake").get("/api/v1/enterprises/", {"q": "\x00"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"q"}


@pytest.mark.django_db
def test_the_page_and_the_api_filter_alike(client_for, api_client_for, user):
    create(user("gd-intake"))
    query = {"q": "华为", "type": Enterprise.Type.LARGE}
    page = client_for("gd-intake").get("/enterprises/", query).content.decode()
    api = api_client_for("gd-intake").get("/api/v1/enterprises/", query).json()
    assert [row["name"] for row in api["results"]] == ["华为技术有限公司"]
    assert "华为技术有限公司" in page
