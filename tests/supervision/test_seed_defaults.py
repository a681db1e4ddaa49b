"""An emptied platform gets its default laggard rules and report definitions back, once."""

from qingqian.core.models import AuditEvent
from qingqian.supervision.dashboard.services import laggard_rules_seed
from qingqian.supervision.models import LaggardRule, ReportDefinition
from qingqian.supervision.reports.services import report_definitions_seed


def test_defaults_come_back_once(db):
    LaggardRule.objects.all().delete()
    ReportDefinition.objects.all().delete()
    before = AuditEvent.objects.count()
    assert laggard_rules_seed(actor=None) > 0
    assert report_definitions_seed(actor=None) == 3
    assert AuditEvent.objects.count() > before
    assert laggard_rules_seed(actor=None) == 0
    assert report_definitions_seed(actor=None) == 0
    assert ReportDefinition.objects.get(code="monthly-progress").figures.count() > 5
