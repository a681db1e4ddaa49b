import signal
from datetime import date

import pytest
from django.test import Client

from qingqian.accounts.models import Organisation, User
from qingqian.cli import main as cli
from qingqian.complaints import services as complaint_services
from qingqian.demo import demo_uscc
from qingqian.ledger import services as ledger_services
from qingqian.parties.models import Enterprise


def pytest_configure(config):
    from django.conf import settings

    from tests.taskqueue import separate_redis_per_worker

    separate_redis_per_worker()
    # New hashes at the tests' cost; the others still verify (tests/hashers.py).
    cheap = "tests.hashers.CheapArgon2PasswordHasher"
    settings.PASSWORD_HASHERS = [cheap, *settings.PASSWORD_HASHERS]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed reference data (calendar, LPR) and the demo set once per test database."""
    from qingqian.demo import seed_demo
    from qingqian.reference.services.seed import seed_reference_data

    with django_db_blocker.unblock():
        seed_reference_data(actor=None)
        seed_demo()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a cached public page is keyed by the
    figures' version, and every test's database starts from the same version."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    """user("gd-intake") → that demo account."""
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def client_for(db):
    """client_for("gd-intake") → a test client signed in as that demo account."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture
def api_client_for(db):
    """api_client_for("gd-intake") → a DRF client using a real bearer token."""
    from rest_framework.test import APIClient

    from qingqian.accounts.services import api_token_issue

    def make(username: str) -> APIClient:
        _token, key = api_token_issue(user=User.objects.get(username=username))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


@pytest.fixture
def seeded_live_db(transactional_db):
    """For tests that need real commits (browser tests): the flush between
    transactional tests empties the tables, so seed them again."""
    from qingqian.demo import seed_demo
    from qingqian.reference.services.seed import seed_reference_data
    from qingqian.supervision.dashboard.services import laggard_rules_seed
    from qingqian.supervision.reports.services import report_definitions_seed

    seed_reference_data(actor=None)
    seed_demo()
    laggard_rules_seed(actor=None)  # the flush emptied what the migrations put there
    report_definitions_seed(actor=None)


@pytest.fixture
def run_worker():
    """`qingqian worker --batch`: the real worker (of the database queue, or an
    RQ worker in this process), until the queue is empty. On Redis the outbox
    is relayed first: a test's own transaction never commits, so the entries
    its changes wrote are not sent when they commit."""
    from qingqian.core import outbox
    from tests.taskqueue import uses_redis_queue

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def run():
        if uses_redis_queue():
            outbox.relay()
        try:
            assert cli(["worker", "--batch", "--interval", "0"]) == 0
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return run


@pytest.fixture
def redis_queue(settings):
    """The queue on Redis (the run's own when QINGQIAN_QUEUE_URL is set), empty;
    yields its Redis connection."""
    import redis

    from qingqian.settings import rq_queues
    from tests.taskqueue import TEST_QUEUE_URL, this_workers_redis

    if hasattr(settings, "RQ_QUEUES"):
        queues = settings.RQ_QUEUES
    else:
        queues = rq_queues(this_workers_redis(TEST_QUEUE_URL))
    settings.RQ_QUEUES = queues
    settings.TASKS = {"default": {"BACKEND": "qingqian.core.rq_backend.RetryingRQBackend"}}
    connection = redis.Redis.from_url(queues["default"]["URL"])
    connection.flushdb()
    yield connection
    connection.flushdb()


# --- the ledger -------------------------------------------------------------------


@pytest.fixture
def gd_authority(db):
    return Organisation.objects.get(name="广东省中小企业主管部门")


@pytest.fixture
def debtor(db):
    return Enterprise.objects.get(uscc=demo_uscc("440104", 4))  # 粤海城建, large, Guangzhou


@pytest.fixture
def creditor(db):
    return Enterprise.objects.get(uscc=demo_uscc("440106", 1))  # 明达机电, SME


@pytest.fixture
def make_item(user, gd_authority, debtor, creditor):
    """make_item(owed_fen=..., contract_number=...) → an item kept by Guangdong."""
    counter = iter(range(1, 10_000))

    def make(**overrides):
        fields = {
            "actor": user("gd-intake"),
            "owner": gd_authority,
            "debtor": debtor,
            "creditor": creditor,
            "contract_number": f"T-{next(counter):04d}",
            "contract_signed_on": date(2025, 3, 1),
            "due_on": date(2025, 6, 30),
            "owed_fen": 100_000_00,
            **overrides,
        }
        return ledger_services.ledger_item_create(**fields)

    return make


DEBTOR = "广东粤海城建集团有限公司"


@pytest.fixture
def draft(user):
    """A complete draft by sme-demo against the Guangdong large enterprise."""

    def make(**overrides):
        sme = user("sme-demo")
        fields = {
            "debtor": Enterprise.objects.get(name=DEBTOR),
            "contract_number": "GZ-2025-0042",
            "contract_signed_on": date(2025, 3, 1),
            "subject": "goods",
            "delivered_on": date(2025, 6, 30),
            "payment_due_on": date(2025, 8, 29),
            "amount_owed_fen": 128_000_00,
            "amount_paid_fen": 28_000_00,
            "request_text": "请求支付拖欠货款100000元及逾期利息。",
            "facts_text": "2025年3月签订设备采购合同，6月30日交货验收，至今未付余款。",
            "undertaking": True,
            "sme_notified_at_signing": "yes",
            **overrides,
        }
        return complaint_services.complaint_create_draft(
            actor=sme, complainant=sme.enterprise, **fields
        )

    return make
