"""Invitations: an administrator invites an official into its jurisdiction; the
e-mailed link sets the password once; the official then enrols two-factor
sign-in before any page; an administrator resends a link that expired."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from qingqian.accounts import services
from qingqian.accounts.models import Role, User
from qingqian.accounts.tokens import invitation_tokens
from tests.accounts.staff_helpers import (
    GD_FINANCE,
    GUANGZHOU,
    JIANGSU,
    NEW_PASSWORD,
    last_event,
    link_in_last_mail,
    org,
)

INVITE = "/accounts/staff/invite/"


def invite_on_the_page(client, captured, **overrides):
    data = {
        "full_name": "张三",
        "email": "Zhang.San@Example.cn",
        "organisation": org(GD_FINANCE).pk,
        "role": Role.HANDLER,
        **overrides,
    }
    with captured(execute=True):
        return client.post(INVITE, data)


@pytest.mark.django_db
def test_invitation_from_the_page_to_two_factor_enrolment(
    client, gd_admin, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(gd_admin)
    response = invite_on_the_page(client, django_capture_on_commit_callbacks)
    invitee = User.objects.get(email="zhang.san@example.cn")
    assert response.status_code == 302 and response["Location"] == f"/accounts/staff/{invitee.pk}/"
    assert (invitee.username, invitee.role, invitee.organisation) == (
        "zhang.san@example.cn",
        Role.HANDLER,
        org(GD_FINANCE),
    )
    assert not invitee.has_usable_password()
    event = last_event()
    assert (event.verb, event.actor_id, event.target_id) == (
        "user.invite",
        gd_admin.pk,
        str(invitee.pk),
    )
    assert mail.outbox[-1].to == ["zhang.san@example.cn"]
    link = link_in_last_mail("/accounts/invitation/")

    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200 and "zhang.san@example.cn" in page.content.decode()
    weak = visitor.post(link, {"password": "12345678", "password_again": "12345678"})
    assert weak.status_code == 200
    assert weak.context["form"].errors["password"]  # Django's validators, on the field
    assert not User.objects.get(pk=invitee.pk).has_usable_password()
    done = visitor.post(link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302
    assert visitor.session[SESSION_KEY] == str(invitee.pk)
    assert last_event().verb == "auth.login"
    assert User.objects.get(pk=invitee.pk).check_password(NEW_PASSWORD)
    # An official must enrol two-factor sign-in before any page.
    for url in ("/", "/complaints/", "/accounts/me/"):
        assert visitor.get(url)["Location"].startswith("/accounts/two-factor/?next="), url
    # The link worked once.
    again = Client().get(link)
    assert again.status_code == 410
    assert 'data-testid="link-invalid"' in again.content.decode()


@pytest.mark.django_db
def test_an_expired_link_says_so_and_the_administrator_resends(
    client, gd_admin, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(gd_admin)
    invite_on_the_page(client, django_capture_on_commit_callbacks)
    invitee = User.objects.get(email="zhang.san@example.cn")
    first_link = link_in_last_mail("/accounts/invitation/")
    eight_days_ago = invitation_tokens._num_seconds(invitation_tokens._now()) - 8 * 24 * 3600
    stale = invitation_tokens._make_token_with_timestamp(
        invitee, eight_days_ago, invitation_tokens.secret
    )
    uid = first_link.split("/")[3]
    expired = Client().get(f"/accounts/invitation/{uid}/{stale}/")
    assert expired.status_code == 410
    assert 'data-testid="link-invalid"' in expired.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/accounts/staff/{invitee.pk}/invitation/")
    assert response.status_code == 302
    assert last_event().verb == "user.invitation_resend"
    assert len(mail.outbox) == 2
    assert Client().get(first_link).status_code == 410  # the earlier link stopped working
    assert Client().get(link_in_last_mail("/accounts/invitation/")).status_code == 200


@pytest.mark.django_db
def test_no_resend_once_accepted(gd_admin):
    invitee = services.user_invite(
        actor=gd_admin,
        full_name="李四",
        email="li@example.cn",
        organisation=org(GUANGZHOU),
        role="intake",
    )
    token = invitation_tokens.make_token(invitee)
    services.invitation_accept(user=invitee, token=token, password=NEW_PASSWORD)
    with pytest.raises(ValidationError) as refused:
        services.invitation_resend(actor=gd_admin, user=invitee)
    assert "invitation" in refused.value.message_dict
    with pytest.raises(ValidationError) as spent:
        services.invitation_accept(user=invitee, token=token, password=NEW_PASSWORD)
    assert "token" in spent.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organisation": JIANGSU}, "organisation"),  # another province
        ({"organisation": "工业和信息化部中小企业局"}, "organisation"),  # above the administrator
        ({"role": Role.SME}, "role"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "gd-admin@example.cn"}, "email"),  # taken
        ({"full_name": "  "}, "full_name"),
    ],
)
def test_invitation_refusals_name_the_field_and_write_nothing(gd_admin, overrides, field):
    arguments = {
        "full_name": "王五",
        "email": "wang@example.cn",
        "organisation": GD_FINANCE,
        "role": "handler",
    }
    arguments.update(overrides)
    arguments["organisation"] = org(arguments["organisation"])
    users = User.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.user_invite(actor=gd_admin, **arguments)
    assert field in refused.value.message_dict
    assert User.objects.count() == users


@pytest.mark.django_db
def test_the_invite_page_offers_only_the_administrators_subtree(client, gd_admin):
    client.force_login(gd_admin)
    form = client.get(INVITE).context["form"]
    offered = set(form.fields["organisation"].queryset.values_list("name", flat=True))
    assert {"广东省中小企业主管部门", GUANGZHOU, GD_FINANCE} <= offered
    assert JIANGSU not in offered and "工业和信息化部中小企业局" not in offered
    roles = {value for value, _label in form.fields["role"].choices}
    assert roles == {"intake", "handler", "supervisor", "admin", "adviser"}


@pytest.mark.django_db
def test_only_administrators_invite(client_for):
    assert client_for("gd-intake").get(INVITE).status_code == 403
