import pytest
from django.utils import timezone

from qingqian.complaints.models import Complaint, Deadline, State
from qingqian.core.audit import verify_chain
from qingqian.demo_complaints import seed_demo_complaints


@pytest.mark.django_db
def test_demo_complaints_cover_every_state_some_overdue_and_seed_once():
    assert seed_demo_complaints() == 60
    demo = Complaint.objects.filter(contract_number__startswith="DEMO-")
    assert demo.count() == 60
    assert set(demo.values_list("state", flat=True)) == set(State.values)
    overdue = Deadline.objects.filter(
        complaint__in=demo, status=Deadline.Status.OPEN, due_on__lt=timezone.localdate()
    )
    assert overdue.exists()
    assert demo.filter(province_code="000000").exists()  # a cross-province case went national
    assert seed_demo_complaints() == 0
    assert demo.count() == 60
    assert verify_chain().ok
