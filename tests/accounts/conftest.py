from tests.accounts.staff_helpers import gd_admin, immediate_tasks, js_admin

# Complaints to deactivate departments with: the complaints tests' draft.
from tests.complaints.conftest import draft

__all__ = ["draft", "gd_admin", "immediate_tasks", "js_admin"]
