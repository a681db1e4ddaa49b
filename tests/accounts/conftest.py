from tests.accounts.staff_helpers import gd_admin, immediate_tasks, js_admin

__all__ = ["gd_admin", "immediate_tasks", "js_admin"]
