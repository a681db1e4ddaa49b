"""Demo data of legal aid: a legal service under the Guangdong SME authority (it
covers the province, its own region) and its adviser `gd-legal` (the demo password).
Idempotent: running it twice changes nothing."""

from __future__ import annotations

from django.db import transaction

from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.services import organisation_create, user_create
from qingqian.core.production import DEMO_PASSWORD

PROVINCE_AUTHORITY = "广东省中小企业主管部门"
LEGAL_SERVICE = "广东省中小企业法律服务中心（示例）"
ADVISER = "gd-legal"


@transaction.atomic
def seed_demo_legalaid() -> None:
    authority = Organisation.objects.get(name=PROVINCE_AUTHORITY)
    service = Organisation.objects.filter(parent=authority, name=LEGAL_SERVICE).first()
    if service is None:
        service = organisation_create(
            actor=None,
            name=LEGAL_SERVICE,
            kind=Organisation.Kind.LEGAL_SERVICE,
            region_code=authority.region_code,
            parent=authority,
        )
    if not User.objects.filter(username=ADVISER).exists():
        user_create(
            actor=None,
            username=ADVISER,
            password=DEMO_PASSWORD,
            role=Role.ADVISER,
            organisation=service,
            full_name="法律服务中心 周律师",
            validate=False,
            two_factor_exempt=True,
        )
