"""Sign-ups made through the real services, for tests of other things."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from qingqian.demo import demo_uscc
from qingqian.portal import signup
from qingqian.portal.models import Registration
from qingqian.portal.tokens import email_tokens
from tests.files import pdf_bytes

PASSWORD = "Qingqian-signup-2026"
NEW_USCC = demo_uscc("440106", 77)


def particulars(**overrides) -> dict:
    return {
        "uscc": NEW_USCC,
        "enterprise_name": "广州新禾包装有限公司",
        "region_code": "440106",
        "contact_name": "周敏",
        "phone": "+86 138 0013 8000",
        "email": "Zhou.Min@Example.cn",
        "password": PASSWORD,
        "industry": "industry",
        "staff": 50,
        "revenue_wan": Decimal("1000"),
        "assets_wan": None,
        **overrides,
    }


def registration_in_review(settings, sms_dir: Path, **overrides) -> Registration:
    """Signed up, e-mail and phone verified (the code read from the file backend),
    licence sent: waiting for the province's intake officer."""
    settings.QINGQIAN_SMS_BACKEND = "qingqian.notifications.sms.FileBackend"
    settings.QINGQIAN_SMS_FILE_PATH = str(sms_dir)
    registration = signup.registration_start(**particulars(**overrides))
    account = registration.user
    signup.email_verify(user=account, token=email_tokens.make_token(account))
    (message,) = sms_dir.iterdir()
    code = re.search(r"\b\d{6}\b", message.read_text(encoding="utf-8")).group(0)
    signup.phone_verify(actor=account, code=code)
    return signup.licence_upload(actor=account, name="执照.pdf", data=pdf_bytes("执照"))
