"""Nothing in the UI or API writes a domain row without an audit event that
names it, written in the same request."""

from contextlib import contextmanager

import pytest
from django.db.models.signals import post_delete, post_save
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from qingqian.core.models import AuditEvent, AuditHead
from qingqian.demo import demo_uscc
from tests.web.test_url_permissions import ALL_URLS

UNAUDITED = {AuditEvent, AuditHead}
# Rows that are not audited on their own, and why.
SIDE_ROWS = {
    "complaints.trackingcounter": "the number it hands out is in the submit event's payload",
    "notifications.notification": "delivery of an audited event, written by the worker",
}


@contextmanager
def domain_writes():
    """Collect (model label, pk) of every row of ours saved or deleted."""
    written: set[tuple[str, str]] = set()

    def remember(sender, instance, **kwargs):
        label = sender._meta.label_lower
        if not sender.__module__.startswith("qingqian.") or sender in UNAUDITED:
            return
        if label in SIDE_ROWS:
            return
        # History, deadlines and evidence belong to their complaint's audit event.
        if hasattr(instance, "complaint_id"):
            written.add(("complaints.complaint", str(instance.complaint_id)))
        elif label == "supervision.reportvalue":  # a report's figures: the report's event
            written.add(("supervision.provincialreport", str(instance.report_id)))
        else:
            written.add((label, str(instance.pk)))

    post_save.connect(remember, weak=False, dispatch_uid="audit-test-save")
    post_delete.connect(remember, weak=False, dispatch_uid="audit-test-delete")
    try:
        yield written
    finally:
        post_save.disconnect(dispatch_uid="audit-test-save")
        post_delete.disconnect(dispatch_uid="audit-test-delete")


def assert_audited(request):
    first_new = AuditHead.objects.get(pk=1).seq + 1
    with domain_writes() as written:
        response = request()
    events = AuditEvent.objects.filter(seq__gte=first_new)
    targets = {(e.target_type, e.target_id) for e in events}
    unaudited = written - targets
    assert not unaudited, f"written without an audit event: {unaudited}"
    return response, written


@pytest.mark.django_db
def test_each_write_endpoint_audits_what_it_writes(client, user):
    html = client
    _r, written = assert_audited(
        lambda: html.post(
            "/accounts/login/", {"username": "gd-intake", "password": "demo-password"}
        )
    )
    assert written  # last_login changed
    _r, written = assert_audited(
        lambda: html.post(
            "/enterprises/new/",
            {
                "uscc": demo_uscc("440300", 501),
                "name": "深圳测试有限公司",
                "type": "sme",
                "region_code": "440300",
            },
        )
    )
    assert any(label == "parties.enterprise" for label, _pk in written)
    pk = next(pk for label, pk in written if label == "parties.enterprise")
    _r, written = assert_audited(
        lambda: html.post(
            f"/enterprises/{pk}/edit/",
            {"name": "深圳测试有限公司", "type": "sme", "region_code": "440300", "staff": "12"},
        )
    )
    assert written
    assert_audited(lambda: html.post("/accounts/two-factor/", {"start": "1"}))
    device = TOTPDevice.objects.get(user=user("gd-intake"), confirmed=False)
    assert_audited(
        lambda: html.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    )
    assert_audited(lambda: html.post("/accounts/two-factor/recovery-codes/"))
    assert_audited(lambda: html.post("/accounts/logout/"))

    api = APIClient()
    response, written = assert_audited(
        lambda: api.post(
            "/api/v1/auth/token/",
            {
                "username": "gd-intake",
                "password": "demo-password",
                "otp": f"{totp(device.bin_key, drift=1):06d}",  # the current one was spent
            },
            format="json",
        )
    )
    assert written
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    response, written = assert_audited(
        lambda: api.post(
            "/api/v1/enterprises/",
            {
                "uscc": demo_uscc("440300", 502),
                "name": "测试二",
                "type": "sme",
                "region_code": "440300",
            },
            format="json",
        )
    )
    assert response.status_code == 201 and written
    pk = response.json()["id"]
    _r, written = assert_audited(
        lambda: api.patch(f"/api/v1/enterprises/{pk}/", {"staff": 3}, format="json")
    )
    assert written
    _r, written = assert_audited(lambda: api.post("/api/v1/auth/token/revoke/"))
    assert written


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "gd-intake", "sme-demo", "debtor-demo"])
def test_no_url_writes_unaudited_on_any_post(client_for, username):
    client = client_for(username)
    for url, name in ALL_URLS:
        if name in {"logout", "admin:logout"}:
            continue
        assert_audited(lambda url=url: client.post(url, {}))
