"""What the staff, invitation and password tests share: officials created as in
production (no two-factor exemption), administrators of two provinces, the
links that e-mails carry, and the task queue run at once."""

import re

import pytest
from django.core import mail
from django_otp.oath import totp

from qingqian.accounts import services
from qingqian.accounts.models import Organisation, Role, User
from qingqian.core.models import AuditEvent

PASSWORD = "a-Long-passphrase-9"
NEW_PASSWORD = "Another-long-phrase-42"
GUANGDONG = "广东省中小企业主管部门"
GUANGZHOU = "广州市中小企业主管部门"
GD_FINANCE = "广东省财政厅"
JIANGSU = "江苏省中小企业主管部门"


def org(name) -> Organisation:
    return Organisation.objects.get(name=name)


def official(username, organisation=GUANGDONG, role=Role.INTAKE, enrolled=False) -> User:
    person = services.user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        organisation=org(organisation),
        email=f"{username}@example.cn",
    )
    if enrolled:
        device = services.totp_device_start(actor=person)
        services.totp_device_confirm(
            actor=person, device=device, token=f"{totp(device.bin_key):06d}"
        )
    return person


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def link_in_last_mail(path_start: str) -> str:
    """The site path of the link in the last e-mail sent (base URL removed)."""
    body = mail.outbox[-1].body
    match = re.search(r"http://127\.0\.0\.1:8000(" + re.escape(path_start) + r"\S+)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def gd_admin(db):
    """A provincial administrator of Guangdong (with two-factor sign-in)."""
    return official("gd-admin", role=Role.ADMIN, enrolled=True)


@pytest.fixture
def js_admin(db):
    return official("js-admin", organisation=JIANGSU, role=Role.ADMIN, enrolled=True)


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are queued (after the commit, which the tests run)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
