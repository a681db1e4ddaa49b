"""A legal service is an organisation an administrator creates under the
authority of its region, and its people are legal advisers: placed, invited and
moved through the ordinary staff services, which keep advisers in legal
services and officials out of them."""

import pytest
from django.core.exceptions import ValidationError

from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.services import organisation_create, user_invite
from qingqian.accounts.services.staff import user_move, user_role_change
from qingqian.services.legalaid.demo import LEGAL_SERVICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def gd_legal():
    return Organisation.objects.get(name=LEGAL_SERVICE)


def test_a_legal_service_sits_under_a_regional_authority_only(user):
    national = Organisation.objects.get(kind=Organisation.Kind.NATIONAL_AUTHORITY)
    with pytest.raises(ValidationError) as caught:
        organisation_create(
            actor=user("admin"), name="x", kind="legal", region_code="000000", parent=national
        )
    assert "parent" in caught.value.message_dict
    city = Organisation.objects.get(name="深圳市中小企业主管部门")
    created = organisation_create(
        actor=user("admin"), name="深圳法律服务站", kind="legal", region_code="440300", parent=city
    )
    assert created.kind == Organisation.Kind.LEGAL_SERVICE


def test_an_adviser_is_invited_into_a_legal_service(user, gd_legal):
    adviser = user_invite(
        actor=user("admin"),
        full_name="新律师",
        email="new.adviser@example.cn",
        organisation=gd_legal,
        role=Role.ADVISER,
    )
    assert (adviser.role, adviser.organisation, adviser.is_official) == ("adviser", gd_legal, False)


@pytest.mark.parametrize(
    ("organisation_name", "role"),
    [("广东省中小企业主管部门", Role.ADVISER), (LEGAL_SERVICE, Role.INTAKE)],
)
def test_advisers_and_officials_keep_to_their_own_kind_of_organisation(
    user, organisation_name, role
):
    count = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        user_invite(
            actor=user("admin"),
            full_name="某人",
            email="someone@example.cn",
            organisation=Organisation.objects.get(name=organisation_name),
            role=role,
        )
    assert "role" in caught.value.message_dict
    assert User.objects.count() == count


def test_an_adviser_is_neither_moved_to_an_authority_nor_made_an_official(user):
    adviser, admin = user("gd-legal"), user("admin")
    authority = Organisation.objects.get(name="广东省中小企业主管部门")
    with pytest.raises(ValidationError):
        user_move(actor=admin, user=adviser, organisation=authority)
    with pytest.raises(ValidationError):
        user_role_change(actor=admin, user=adviser, role=Role.HANDLER)
    adviser.refresh_from_db()
    assert (adviser.role, adviser.organisation.name) == ("adviser", LEGAL_SERVICE)


def test_an_adviser_only_answers_legal_aid(user):
    adviser = user("gd-legal")
    assert has_perm(adviser, Perm.LEGAL_AID_PROVIDE)
    assert not has_perm(adviser, Perm.ENTERPRISE_VIEW)
    assert not has_perm(adviser, Perm.LEGAL_AID_OVERSEE)


def test_a_legal_adviser_signs_in_with_a_second_factor_like_officials(client, gd_legal):
    from qingqian.accounts.services import user_create

    user_create(
        actor=None,
        username="new-adviser",
        password="a-Long-passphrase-9",
        role=Role.ADVISER,
        organisation=gd_legal,
    )
    response = client.post(
        "/accounts/login/", {"username": "new-adviser", "password": "a-Long-passphrase-9"}
    )
    assert response.status_code == 302
    response = client.get("/services/legal-aid/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
