"""Demo training events: two published events of the Guangdong SME authority, one
of them nearly full (one seat left). Idempotent: an event already there is left."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from qingqian.accounts.models import User
from qingqian.services.models import TrainingEvent
from qingqian.services.training.services import (
    training_event_publish,
    training_event_save,
    training_register,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ORGANISER = "gd-intake"

# (title, topic, days ahead, start, hours, place, online link, seats, who registers)
EVENTS = [
    (
        "《保障中小企业款项支付条例》修订解读",
        TrainingEvent.Topic.REGULATIONS,
        14,
        time(9, 30),
        3,
        "广州市越秀区广东省中小企业服务中心三楼报告厅",
        "",
        3,
        ("sme-demo-2", "sme-js"),
    ),
    (
        "合同付款期限与逾期利息：中小企业如何主张权利（线上）",
        TrainingEvent.Topic.PAYMENT_TERMS,
        21,
        time(14, 30),
        2,
        "",
        "https://meeting.example.cn/gd-sme-training",
        200,
        (),
    ),
]


def seed_demo_training() -> None:
    organiser = User.objects.get(username=ORGANISER)
    today = timezone.localdate()
    for title, topic, days, start, hours, place, link, seats, registrants in EVENTS:
        if TrainingEvent.objects.filter(title=title).exists():
            continue
        starts_at = datetime.combine(today + timedelta(days=days), start, tzinfo=SHANGHAI)
        event = training_event_save(
            actor=organiser,
            title=title,
            description=(
                "由省中小企业主管部门组织，讲解条例要点、合同付款期限、逾期利息与投诉渠道，"
                "并现场答疑。"
            ),
            topic=topic,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            registration_closes_at=starts_at - timedelta(days=1),
            place=place,
            online_url=link,
            capacity=seats,
        )
        training_event_publish(actor=organiser, event=event)
        for username in registrants:
            training_register(actor=User.objects.get(username=username), event=event)
