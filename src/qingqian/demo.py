"""The demo data set: the authorities `orgs bootstrap` creates, a few cities and handling
departments in Guangdong and Jiangsu, enterprises with valid credit codes, and
one account per role. Idempotent: running it twice changes nothing."""

from __future__ import annotations

from django.db import transaction
from stdnum.cn import uscc as stdnum_uscc

from qingqian.accounts import bootstrap
from qingqian.accounts.models import OFFICIAL_ROLES, Organisation, Role, User
from qingqian.accounts.services import organisation_create, organisations_bootstrap, user_create
from qingqian.core.production import DEMO_PASSWORD
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprise_create
from qingqian.services.legalaid.demo import seed_demo_legalaid
from qingqian.services.letters.demo import seed_demo_letters
from qingqian.services.library.demo import seed_demo_library
from qingqian.services.training.demo import seed_demo_training

NATIONAL_NAME = bootstrap.NATIONAL_AUTHORITY_NAME
Kind = Organisation.Kind

# (parent province code, name, kind, region code)
LOCAL_ORGANISATIONS = [
    ("440000", "广州市中小企业主管部门", Kind.CITY_AUTHORITY, "440100"),
    ("440000", "深圳市中小企业主管部门", Kind.CITY_AUTHORITY, "440300"),
    ("440000", "广东省财政厅", Kind.HANDLING_DEPARTMENT, "440000"),
    ("440000", "广东省人民政府国有资产监督管理委员会", Kind.HANDLING_DEPARTMENT, "440000"),
    ("320000", "南京市中小企业主管部门", Kind.CITY_AUTHORITY, "320100"),
    ("320000", "苏州市中小企业主管部门", Kind.CITY_AUTHORITY, "320500"),
    ("320000", "江苏省住房和城乡建设厅", Kind.HANDLING_DEPARTMENT, "320000"),
    ("000000", "国务院国有资产监督管理委员会（示例）", Kind.HANDLING_DEPARTMENT, "000000"),
]

# (serial, name, type, region, industry, staff, revenue 万元, assets 万元)
ENTERPRISES = [
    (1, "广州市明达机电设备有限公司", Enterprise.Type.SME, "440106", "industry", 85, 4200, 3100),
    (2, "深圳市青禾软件技术有限公司", Enterprise.Type.SME, "440305", "software_it", 46, 1800, 900),
    (3, "南京恒信建筑劳务有限公司", Enterprise.Type.SME, "320104", "construction", 120, 5200, 2600),
    (
        4,
        "广东粤海城建集团有限公司",
        Enterprise.Type.LARGE,
        "440104",
        "construction",
        5200,
        860000,
        1200000,
    ),
    (5, "深圳市某区住房和建设局", Enterprise.Type.AGENCY, "440304", "", None, None, None),
    (
        6,
        "江苏苏源交通投资集团有限公司",
        Enterprise.Type.STATE_OWNED,
        "320102",
        "transport",
        3100,
        450000,
        2300000,
    ),
    (7, "广州市第一人民医院（示例）", Enterprise.Type.INSTITUTION, "440103", "", None, None, None),
]

# (username, role, organisation name or enterprise serial, full name, description)
ACCOUNTS = [
    ("admin", Role.ADMIN, NATIONAL_NAME, "系统管理员", "administrator (national)"),
    ("miit-intake", Role.INTAKE, NATIONAL_NAME, "国家受理员", "intake officer, national platform"),
    ("supervisor", Role.SUPERVISOR, NATIONAL_NAME, "国家督导员", "supervisor, national"),
    ("gd-intake", Role.INTAKE, "广东省中小企业主管部门", "广东受理员", "intake officer, Guangdong"),
    ("gd-handler", Role.HANDLER, "广东省财政厅", "广东处理员", "handler, Guangdong finance dept."),
    ("js-intake", Role.INTAKE, "江苏省中小企业主管部门", "江苏受理员", "intake officer, Jiangsu"),
    (
        "js-handler",
        Role.HANDLER,
        "江苏省住房和城乡建设厅",
        "江苏处理员",
        "handler, Jiangsu housing dept.",
    ),
    ("sme-demo", Role.SME, 1, "明达 李经理", "SME user, Guangzhou"),
    ("sme-demo-2", Role.SME, 2, "青禾 王总", "SME user, Shenzhen"),
    ("sme-js", Role.SME, 3, "恒信 陈经理", "SME user, Nanjing"),
    ("debtor-demo", Role.DEBTOR, 4, "粤海城建 财务部", "debtor representative, large enterprise"),
]
DEMO_ACCOUNTS = [(username, description) for username, *_rest, description in ACCOUNTS]


def demo_uscc(region_code: str, serial: int) -> str:
    """A well-formed, check-digit-valid code for demo enterprises (9 = market
    regulator, 1 = company; the organisation code carries its GB 11714 digit)."""
    body = f"7{serial:07d}"
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    remainder = 11 - sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11
    org_check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    first17 = f"91{region_code}{body}{org_check}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


@transaction.atomic
def seed_demo() -> None:
    # The authorities an installation starts from (not Hong Kong, Macao, Taiwan).
    organisations_bootstrap(actor=None)
    by_name = {}
    for authority in Organisation.objects.filter(
        kind__in=[Kind.NATIONAL_AUTHORITY, Kind.PROVINCIAL_AUTHORITY]
    ):
        by_name[authority.name] = by_name[authority.region_code] = authority
    for province_code, name, kind, region in LOCAL_ORGANISATIONS:
        by_name[name] = _organisation(name, kind, region, by_name[province_code])
    enterprises = {row[0]: _enterprise(*row) for row in ENTERPRISES}
    for username, role, home, full_name, _description in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            organisation=by_name.get(home) if isinstance(home, str) else None,
            enterprise=enterprises.get(home) if isinstance(home, int) else None,
            full_name=full_name,
            validate=False,
            # The demo's officials sign in with the password alone (production refuses them).
            two_factor_exempt=role in OFFICIAL_ROLES,
        )
    seed_demo_library()
    seed_demo_legalaid()
    seed_demo_training()
    seed_demo_letters()


def _organisation(name, kind, region_code, parent) -> Organisation:
    existing = Organisation.objects.filter(name=name, parent=parent).first()
    if existing:
        return existing
    return organisation_create(
        actor=None, name=name, kind=kind, region_code=region_code, parent=parent
    )


def _enterprise(serial, name, type, region, industry, staff, revenue, assets) -> Enterprise:
    uscc = demo_uscc(region, serial)
    existing = Enterprise.objects.filter(uscc=uscc).first()
    if existing:
        return existing
    return enterprise_create(
        actor=None,
        uscc=uscc,
        name=name,
        type=type,
        region_code=region,
        industry=industry,
        staff=staff,
        revenue_wan=revenue,
        assets_wan=assets,
    )
