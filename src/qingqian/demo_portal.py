"""The demo's SME sign-up: an enterprise that signed up, proved its e-mail and
phone and sent its licence, waiting for Guangdong's intake officer (gd-intake),
so that the queue of sign-ups has something to check."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.test import override_settings
from pypdf import PdfWriter

from qingqian.core.production import DEMO_PASSWORD
from qingqian.demo import demo_uscc
from qingqian.notifications import sms
from qingqian.portal import signup
from qingqian.portal.models import Registration
from qingqian.portal.tokens import email_tokens

DEMO_SIGNUP_EMAIL = "signup-demo@example.cn"


def seed_demo_signup() -> int:
    if Registration.objects.exists():
        return 0
    with override_settings(QINGQIAN_SMS_BACKEND="qingqian.notifications.sms.MemoryBackend"):
        registration = signup.registration_start(
            uscc=demo_uscc("440106", 90),
            enterprise_name="广州市青木包装材料有限公司",
            region_code="440106",
            contact_name="青木 周经理",
            phone="13900139000",
            email=DEMO_SIGNUP_EMAIL,
            password=DEMO_PASSWORD,
            industry="industry",
            staff=50,
            revenue_wan=Decimal("1000"),
            assets_wan=None,
        )
    account = registration.user
    signup.email_verify(user=account, token=email_tokens.make_token(account))
    code = re.search(r"\b\d{6}\b", sms.outbox.pop().body).group(0)
    signup.phone_verify(actor=account, code=code)
    signup.licence_upload(actor=account, name="营业执照.pdf", data=_blank_pdf())
    return 1


def _blank_pdf() -> bytes:
    """A one-page PDF standing for the scanned licence."""
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()
