"""A listed supervision of Guangdong with a progress report, an interview of a
department and a campaign target, so the supervision screens have content in the
demo. Idempotent."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from qingqian.accounts.models import Organisation, User
from qingqian.supervision.cases import services
from qingqian.supervision.models import CampaignTarget, PublicNotice, SupervisionCase
from qingqian.supervision.targets.services import campaign_target_create


@transaction.atomic
def seed_demo_supervision() -> int:
    if SupervisionCase.objects.exists():
        return 0
    supervisor = User.objects.get(username="supervisor")
    listed = services.case_open(
        actor=supervisor,
        kind="listed",
        subject="region",
        region_code="440000",
        title="广东省逾期投诉挂牌督办（示例）",
        reason="逾期未办结投诉超过预警阈值。",
        due_working_days=20,
        listed_items="逾期未办结投诉全部办结；无分歧欠款按计划清偿。",
        lift_conditions="逾期投诉全部办结，无分歧欠款清偿进度不低于75%。",
    )
    services.case_record_progress(
        actor=User.objects.get(username="gd-intake"),
        case=listed,
        text="已召开专题会议部署整改，逐件督促处理投诉部门办结。",
    )
    services.case_open(
        actor=supervisor,
        kind="interview",
        subject="department",
        department=Organisation.objects.get(name="广东省人民政府国有资产监督管理委员会"),
        title="约谈广东省国资委（示例）",
        reason="处理投诉逾期较多。",
        due_working_days=15,
        interview_on=listed.opened_on,
        participants="国家督导员；广东省国资委分管负责人",
    )
    return 2


@transaction.atomic
def seed_demo_notice() -> int:
    """A notice (通报) on the listed supervision, drafted by the national supervisor
    and approved by the national administrator (four eyes), so the public site
    shows one. Needs the demo cases."""
    listed = SupervisionCase.objects.filter(kind="listed").first()
    if listed is None or PublicNotice.objects.exists():
        return 0
    notice = services.notice_draft(
        actor=User.objects.get(username="supervisor"),
        case=listed,
        title="关于广东省逾期投诉挂牌督办情况的通报（示例）",
        text=(
            "广东省逾期未办结投诉超过预警阈值，已列入挂牌督办。\n"
            "请广东省中小企业主管部门督促有关处理投诉部门在督办期限内办结逾期投诉，"
            "无分歧欠款按还款计划清偿，并按期报送整改进展。"
        ),
    )
    services.notice_decide(actor=User.objects.get(username="admin"), notice=notice, approve=True)
    return 1


@transaction.atomic
def seed_demo_target() -> int:
    """The kind of target provinces report against (DOMAIN.md §7a), over the demo's year."""
    if CampaignTarget.objects.exists():
        return 0
    campaign_target_create(
        actor=User.objects.get(username="admin"),
        name="500万元以下无分歧欠款年底前应清尽清（示例）",
        max_owed_fen=5_000_000_00,
        starts_on=date(2026, 7, 1),
        due_on=date(2026, 12, 31),
    )
    return 1
